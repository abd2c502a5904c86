"""The writer's and the publisher's day in a real browser, at 1280 px and on a 390 px phone (issue 17).

The writer logs in, lands on their desk, writes, submits, answers the doctor's comment and resubmits with a
note; the publisher is told the post is approved, sees who signed before publishing, schedules, publishes,
unpublishes with a reason and restores. The doctor's steps go through the services (their pages have their
own journey). Every page is checked for sideways scrolling.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from content.models import Post
from review import services
from review.models import Comment
from review.states import State
from tests.browser.steps import scripts_ready
from tests.factories import PASSWORD

ARTICLE = """Pico laser treatments may stimulate collagen production over several sessions.

## Aftercare

- Use SPF 50 every day.
- Avoid retinoids for five days.
"""
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture(scope="module", autouse=True)
def claims_classifier_trained():
    """Train the claims check's classifier (once per process) before the clock of any browser step starts: on a
    busy machine its first training outlasts a step's timeout."""
    from claims import classifier

    classifier.model()


def fits_the_width(page):
    """No page scrolls sideways: the document is no wider than the window."""
    page.wait_for_load_state()
    wide = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert wide[0] <= wide[1], f"{page.url} is {wide[0]} px wide in a {wide[1]} px window"


def state_badge(page):
    return page.locator(".post-meta [data-state]")


@pytest.mark.parametrize("device", WIDTHS)
def test_writer_and_publisher_journey(page, login, author, reviewer, publisher, screenshot, device):
    width = WIDTHS[device]
    page.set_viewport_size({"width": width, "height": 900 if width > 500 else 844})

    def shot(name):
        screenshot(f"desk-{name}-{width}", full_page=True)

    # The writer logs in and lands on their desk.
    login(author)
    expect(page).to_have_url(re.compile(r"/editor/$"))
    expect(page.get_by_role("heading", name="My posts")).to_be_visible()
    fits_the_width(page)

    # Writes and submits.
    page.get_by_role("link", name="New post").click()
    scripts_ready(page, "editor")
    page.get_by_label("Title").fill("Caring for skin after Pico laser")
    page.get_by_label("Body").fill(ARTICLE)
    expect(page.locator("[data-preview]").get_by_role("heading", name="Aftercare")).to_be_visible()
    fits_the_width(page)
    page.get_by_role("button", name="Submit for review").click()
    expect(state_badge(page)).to_have_text("In review")
    expect(page.get_by_text("Submitted for review.")).to_be_visible()
    fits_the_width(page)
    post = Post.objects.get()

    # The doctor asks for a source on a passage.
    services.post_request_changes(post, user=reviewer, comment="Please cite a study for the collagen claim.",
                                  quote={"exact": "stimulate collagen production"})
    comment = Comment.objects.get(post=post)

    # The writer sees the comment as open, replies to it, and the thread shows the answer.
    page.goto("/editor/")
    row = page.locator("tbody tr", has_text="Caring for skin after Pico laser")
    expect(row.locator("[data-label='State']")).to_have_text("Changes requested")
    expect(row.locator("[data-label='Open comments']")).to_have_text("1")
    fits_the_width(page)
    row.get_by_role("link", name="Caring for skin after Pico laser").click()
    thread = page.locator(f"#comment-{comment.pk}")
    expect(thread.get_by_text("Open", exact=True)).to_be_visible()
    expect(thread.get_by_text("Please cite a study for the collagen claim.")).to_be_visible()
    thread.get_by_label("Your reply").fill("Added the 2021 split-face study as a footnote.")
    thread.get_by_role("button", name="Reply", exact=True).click()
    expect(page.get_by_text("Your reply was added.")).to_be_visible()
    thread = page.locator(f"#comment-{comment.pk}")
    expect(thread.get_by_text("Added the 2021 split-face study as a footnote.")).to_be_visible()
    expect(thread.get_by_text("Answered", exact=True)).to_be_visible()
    fits_the_width(page)
    shot("post-thread")

    # Revises the text with the thread beside it, and resubmits with a note of what changed.
    page.get_by_role("link", name="Edit post").click()
    scripts_ready(page, "editor")
    beside = page.locator("[data-writing-thread]")
    expect(beside.get_by_text("Please cite a study for the collagen claim.")).to_be_visible()
    expect(beside.get_by_text("Added the 2021 split-face study as a footnote.")).to_be_visible()
    page.get_by_label("Body").fill(ARTICLE.replace("several sessions.", "several sessions.[^1]\n\n[^1]: Split-face study, 2021."))
    page.get_by_label("What I changed (optional)").fill("Cited the split-face study for the collagen claim.")
    fits_the_width(page)
    shot("writing-with-thread")
    page.get_by_role("button", name="Submit for review").click()
    expect(state_badge(page)).to_have_text("In review")
    expect(page.locator("[data-resubmit-note]")).to_have_text("Cited the split-face study for the collagen claim.")
    expect(page.locator(".timeline").get_by_text("What changed: Cited the split-face study")).to_be_visible()
    fits_the_width(page)

    # The doctor signs.
    post.refresh_from_db()
    services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)

    # The publisher logs in, is told the post is approved, and sees who signed it before publishing.
    page.context.clear_cookies()
    login(publisher)
    expect(page).to_have_url(re.compile(r"/editor/$"))
    notice = page.locator("[data-ready-to-publish]")
    expect(notice).to_contain_text("Approved and waiting for you to publish")
    fits_the_width(page)
    shot("desk-publisher")
    notice.get_by_role("link", name="Caring for skin after Pico laser").click()
    check = page.locator("[data-publish-check]")
    profile = reviewer.reviewer_profile
    expect(check).to_contain_text(f"Signed by {profile.printed_name}, {profile.credentials}")
    expect(check).to_contain_text("Readers will see:")
    expect(check.locator(".review-line")).to_contain_text(f"Medically reviewed by {profile.printed_name}")
    expect(check.locator("[data-open-comments-warning]")).to_have_text(re.compile("1 comment is still open"))
    fits_the_width(page)
    shot("publish-check")

    # Schedules it, then changes their mind and publishes now.
    when = timezone.localtime() + timedelta(days=2)
    page.get_by_label("Publish on").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Schedule", exact=True).click()
    expect(state_badge(page)).to_have_text("Scheduled")
    expect(page.get_by_text(f"Scheduled to publish on {when:%d %b %Y at %H:%M}.")).to_be_visible()
    fits_the_width(page)
    page.get_by_role("button", name="Cancel schedule").click()
    expect(state_badge(page)).to_have_text("Approved")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(state_badge(page)).to_have_text("Published")
    expect(page.get_by_text("Published. It is on the public site now.")).to_be_visible()
    fits_the_width(page)

    # Unpublishing asks why first; the reason lands in the timeline.
    page.get_by_text("Unpublish…").click()
    reason = page.get_by_label("Why is it coming off the site?")
    expect(reason).to_be_visible()
    fits_the_width(page)
    shot("unpublish-confirm")
    page.get_by_role("button", name="Unpublish now").click()
    expect(state_badge(page)).to_have_text("Published")  # the browser asks for the reason; nothing was sent
    reason.fill("The clinic paused Pico laser treatments this month.")
    page.get_by_role("button", name="Unpublish now").click()
    expect(state_badge(page)).to_have_text("Archived")
    expect(page.locator(".timeline").get_by_text("Reason: The clinic paused Pico laser treatments this month.")
           ).to_be_visible()
    fits_the_width(page)

    # Restoring brings it back as approved: the signed words did not change.
    page.get_by_role("button", name="Restore").click()
    expect(state_badge(page)).to_have_text("Approved")
    expect(page.get_by_text("Restored as approved: the signed version is unchanged")).to_be_visible()
    expect(page.get_by_role("button", name="Publish", exact=True)).to_be_visible()
    fits_the_width(page)
    shot("restored")

    # The desk sorts and filters, and on a phone each value keeps its label.
    page.goto("/editor/?sort=title")
    row = page.locator("tbody tr", has_text="Caring for skin after Pico laser")
    expect(row.locator("[data-label='State']")).to_have_text("Approved")
    page.get_by_label("Author").select_option(label=author.get_full_name())
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    if width < 500:
        label = row.locator("[data-label='With']").evaluate("cell => getComputedStyle(cell, '::before').content")
        assert label == '"With"'
    fits_the_width(page)
    shot("desk-filtered")


def test_live_post_being_edited_stays_under_published_on_the_desk(page, login, post_in, author):
    post = post_in(State.PUBLISHED, body=ARTICLE)
    services.post_save_draft(post, user=author, title=post.title, summary="", body=ARTICLE + "\nA new paragraph.\n")
    page.set_viewport_size({"width": 390, "height": 844})
    login(author)
    page.get_by_label("State").select_option("published")
    page.get_by_role("button", name="Filter").click()
    row = page.locator("tbody tr", has_text=post.title)
    expect(row.locator("[data-label='State']")).to_contain_text("Published")
    expect(row.locator("[data-in-progress]")).to_have_text("new version in progress (draft)")
    fits_the_width(page)
