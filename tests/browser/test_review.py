"""A doctor works the review queue in a real browser: comment on a passage, request changes, approve and sign."""

import re

from playwright.sync_api import expect

from review import services
from review.anchoring import text_of
from review.models import Comment, Signature
from review.states import State
from tests.factories import make_post
from tests.browser.steps import open_signing_panel, scripts_ready, select_passage

BODY = """Pico laser 💫 treatments may **stimulate collagen production** in the weeks after treatment.

## Aftercare

- Use SPF 50 every day.
- Avoid retinoids for five days.
"""


def test_reviewer_comments_requests_changes_then_approves_and_signs(page, login, author, reviewer, publisher, screenshot):
    post = make_post(author=author, state=State.IN_REVIEW, title="Pico laser for open pores", body=BODY)
    login(reviewer)

    page.goto("/review/")
    expect(page.get_by_role("link", name="Waiting 1")).to_be_visible()
    page.get_by_role("link", name="Pico laser for open pores").click()
    expect(page.get_by_role("heading", name="First review: the whole text is new")).to_be_visible()
    scripts_ready(page, "review")

    select_passage(page, "stimulate collagen production")
    expect(page.locator("[data-quote-preview]")).to_contain_text("stimulate collagen production")
    page.get_by_label("Comment", exact=True).fill("Which study shows this? Please cite it.")
    page.get_by_role("button", name="Add comment").click()

    expect(page.locator("mark.comment-mark")).to_have_text("stimulate collagen production")
    comment = Comment.objects.get()
    text = text_of(post.current_revision.html)
    assert text[comment.quote_start:comment.quote_end] == "stimulate collagen production"  # code points, emoji before
    screenshot("review-page", full_page=True)

    page.get_by_role("button", name="Request changes").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Say what needs to change before sending the post back.")
    expect(summary).to_be_focused()
    page.get_by_label("What needs to change").fill("See my comment on the collagen claim.")
    page.get_by_role("button", name="Request changes").click()
    expect(page.get_by_text("went back to")).to_be_visible()

    # The author cites a source and sends it back.
    post.refresh_from_db()
    services.post_save_draft(post, user=author, title=post.current_revision.title, summary="",
                             body=BODY.replace("treatment.", "treatment [1].\n\n[1] Example et al., 2024."))
    services.post_resubmit(post, user=author)

    page.goto("/review/")
    page.get_by_role("link", name="Pico laser for open pores").click()
    expect(page.locator(".diff-text")).to_contain_text("Example et al.")  # nothing signed yet: all of it is new
    expect(page.locator("mark.comment-mark")).to_have_text("stimulate collagen production")  # carried forward
    open_signing_panel(page, "correct horse battery staple")
    screenshot("review-signing")
    page.get_by_role("button", name="Sign", exact=True).click()

    expect(page.get_by_text("It is approved and can be published.")).to_be_visible()
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.APPROVED
    assert Signature.objects.get().printed_name == "Dr. Ian Tan"


def test_wrong_password_does_not_sign(page, login, author, reviewer):
    make_post(author=author, state=State.IN_REVIEW, title="Sunscreen after laser")
    login(reviewer)

    page.goto("/review/")
    page.get_by_role("link", name="Sunscreen after laser").click()
    open_signing_panel(page, "a wrong password")
    page.get_by_role("button", name="Sign", exact=True).click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("That password is not correct. Nothing was signed.")
    expect(summary).to_be_focused()
    expect(page.locator("#sign-password-error")).to_have_text("That password is not correct. Nothing was signed.")
    expect(page.get_by_label("Sources are cited")).to_be_checked()
    assert not Signature.objects.exists()


def test_reviewer_claims_a_post_from_the_queue(page, login, author, reviewer, second_reviewer, screenshot):
    services.post_claim(make_post(author=author, state=State.IN_REVIEW, title="Sunscreen for sensitive skin"),
                        user=second_reviewer)
    make_post(author=author, state=State.IN_REVIEW, title="Retinol and sun sensitivity")
    post = make_post(author=author, state=State.IN_REVIEW, title="Pigmentation after laser")
    login(reviewer)

    page.goto("/review/?tab=waiting")
    page.get_by_role("button", name="Claim “Pigmentation after laser”").click()

    expect(page.get_by_text("“Pigmentation after laser” is yours to review.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/review/\?tab=waiting$"))
    row = page.get_by_role("row").filter(has_text="Pigmentation after laser")
    expect(row.get_by_role("cell", name="You", exact=True)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Retinol and sun sensitivity")
           .get_by_role("button", name="Claim “Retinol and sun sensitivity”")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Sunscreen for sensitive skin")
           .get_by_role("cell", name=second_reviewer.reviewer_profile.printed_name)).to_be_visible()
    screenshot("review-queue")
    post.workflow.refresh_from_db()
    assert post.workflow.assignee == reviewer
