"""The doctor's day in Chromium, on a desktop and on a phone: log in, land on the queue, open a post, comment on a
selection, request changes, see what the writer changed, sign. Each step checks what the doctor sees, and at
390 px that no page scrolls sideways."""

import os

import pytest
from playwright.sync_api import expect

from review import services
from review.models import Signature
from review.states import State
from tests.browser.conftest import SCREENSHOTS
from tests.browser.steps import (DESKTOP, PHONE, in_view, log_in, new_page, open_signing_panel, scripts_ready,
                                 select_passage, sideways_overflow)
from tests.factories import PASSWORD, make_post

BODY = """Pico laser treatments may **stimulate collagen production** in the weeks after treatment.

## Aftercare

- Use SPF 50 every day.
- Avoid retinoids for five days.

Most patients see smaller pores after three to five sessions, spaced four weeks apart, with redness that settles
within a day or two. Tell your doctor about any medicines you take before your first session.
"""
REVISED = BODY.replace("after treatment.", "after treatment, as a 2024 study of 40 patients found [1].\n\n"
                       "[1] Example et al., Journal of Skin Lasers, 2024.")


@pytest.fixture(params=[DESKTOP, PHONE], ids=["1280px", "390px"])
def screen(request, browser, live_server):
    page = new_page(browser, live_server.url, request.param)
    yield page
    page.context.close()


def shoot(page, name, *, full_page=True):
    """README tour: refreshed under `make screenshots` only; phone pictures are named "-phone"."""
    if os.environ.get("MEDREVIEW_SCREENSHOTS"):
        suffix = "-phone" if page.viewport_size["width"] < 500 else ""
        page.screenshot(path=str(SCREENSHOTS / f"{name}{suffix}.png"), full_page=full_page)


def test_doctor_reviews_requests_changes_sees_what_changed_and_signs(screen, author, reviewer):
    page = screen
    post = make_post(author=author, state=State.IN_REVIEW, title="Pico laser for open pores", body=BODY)

    # Log in: the doctor lands on the queue, not on the editor's 403.
    log_in(page, reviewer)
    assert page.url.endswith("/review/")
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    expect(page.get_by_text("No, first review")).to_be_visible()
    assert sideways_overflow(page) == 0

    # Open the post.
    page.get_by_role("link", name="Pico laser for open pores").click()
    expect(page.get_by_role("heading", name="First review: the whole text is new")).to_be_visible()
    scripts_ready(page, "review")
    assert sideways_overflow(page) == 0

    # Comment on a selection: a "Comment" button appears at it, and the box opens there.
    select_passage(page, "stimulate collagen production")
    at_selection = page.get_by_role("button", name="Comment", exact=True)
    expect(at_selection).to_be_visible()
    assert in_view(page, at_selection)
    at_selection.click()
    box = page.get_by_label("Comment", exact=True)
    expect(box).to_be_focused()
    assert in_view(page, box)
    expect(page.locator("[data-quote-preview]")).to_contain_text("stimulate collagen production")
    box.fill("Which study shows this? Please cite it.")
    assert sideways_overflow(page) == 0
    if page.viewport_size["width"] < 500:
        shoot(page, "review-comment-at-selection", full_page=False)
    page.get_by_role("button", name="Add comment").click()

    # Back where the doctor was: at the new comment, the passage marked.
    expect(page.get_by_text("Your comment was added.")).to_be_visible()
    assert "#comment-" in page.url
    comment = page.locator(".comment-list .comment").filter(has_text="Which study shows this?")
    expect(comment).to_be_visible()
    assert in_view(page, comment)
    expect(page.locator("mark.comment-mark")).to_have_text("stimulate collagen production")
    assert sideways_overflow(page) == 0

    # Request changes, reached without scrolling past the article: "Decide" is always at hand.
    decide = page.get_by_role("link", name="Decide")
    assert in_view(page, decide)
    decide.click()
    changes = page.get_by_label("What needs to change")
    expect(changes).to_be_visible()
    assert in_view(page, changes)
    page.get_by_role("button", name="Request changes").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Say what needs to change")
    expect(summary).to_be_focused()
    assert in_view(page, summary)
    page.get_by_label("What needs to change").fill("See my comment on the collagen claim.")
    page.get_by_role("button", name="Request changes").click()
    expect(page.get_by_text("went back to")).to_be_visible()
    assert page.url.endswith("/review/")

    # The writer cites a source and resubmits.
    post.refresh_from_db()
    services.post_save_draft(post, user=author, title=post.current_revision.title, summary="", body=REVISED)
    services.post_resubmit(post, user=author)

    # The queue says what happened before; the review page opens on the changes since then.
    page.goto("/review/")
    expect(page.get_by_text("Changes requested on v1")).to_be_visible()
    assert sideways_overflow(page) == 0
    if page.viewport_size["width"] < 500:
        shoot(page, "review-queue")  # the desktop queue's picture comes from test_review.py
    page.get_by_role("link", name="Pico laser for open pores").click()
    expect(page.get_by_role("heading", name="Changes since you last reviewed (v1 → v2)")).to_be_visible()
    expect(page.locator(".diff-text ins").first).to_be_visible()
    expect(page.locator(".diff-text ins").filter(has_text="Example")).to_have_count(1)
    earlier = page.locator(".earlier-comments li")
    expect(earlier.filter(has_text="Which study shows this?")).to_contain_text("Open")
    expect(earlier.filter(has_text="See my comment on the collagen claim.")).to_contain_text("Open")
    scripts_ready(page, "review")
    assert sideways_overflow(page) == 0
    shoot(page, "review-changes", full_page=False)

    # The switch: changes since the last signed version (none was signed: the whole text).
    page.get_by_role("link", name="The whole text (nothing signed yet)").click()
    expect(page.get_by_role("heading", name="First review: the whole text is new")).to_be_visible()
    page.get_by_role("link", name="Since you last reviewed (v1)").click()
    expect(page.get_by_role("heading", name="Changes since you last reviewed (v1 → v2)")).to_be_visible()

    # Sign.
    page.get_by_role("link", name="Decide").click()
    open_signing_panel(page, PASSWORD)
    assert sideways_overflow(page) == 0
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.get_by_text("It is approved and can be published.")).to_be_visible()
    assert Signature.objects.get().printed_name == "Dr. Ian Tan"

    # Back: the page comes from the server again, not the browser's cache from before signing.
    page.go_back()
    expect(page.locator(".signed-list")).to_contain_text("Dr. Ian Tan")
    expect(page.get_by_text("Nobody has signed this version yet.")).to_have_count(0)
    assert sideways_overflow(page) == 0
