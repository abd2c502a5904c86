"""The editor in a real browser: writing with a live preview, review round-trips, publishing, keyboard use."""

import re

from playwright.sync_api import expect

from content.models import Post
from review import services
from review.states import State
from tests.browser.steps import scripts_ready


ARTICLE = """Pico laser treatments may stimulate collagen production over several sessions.

## Aftercare

- Use SPF 50 every day.
- Avoid retinoids for five days.
"""


def test_writing_a_draft_previews_live_saves_and_submits(page, login, author, screenshot):
    login(author)
    page.get_by_role("link", name="New post").click()
    scripts_ready(page, "editor")
    page.get_by_label("Title").fill("5 tips to minimise open pores")
    expect(page.get_by_label("Slug")).to_have_value("5-tips-to-minimise-open-pores")
    page.get_by_label("Summary").fill("What Pico Laser can and cannot do for large pores.")
    page.get_by_label("Body").fill(ARTICLE)
    preview = page.locator("[data-preview]")
    expect(preview.get_by_role("heading", name="Aftercare")).to_be_visible()
    expect(page.locator("[data-words]")).to_have_text(str(len(ARTICLE.split())))
    page.evaluate("window.scrollTo(0, 0)")
    screenshot("editor-writing", full_page=False)

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    expect(page.get_by_label("Body")).to_have_value(re.compile(r"^Pico laser treatments"))
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("[data-state]")).to_have_text("In review")
    post = Post.objects.get()
    assert post.workflow.state == State.IN_REVIEW
    assert post.current_revision.body.startswith("Pico laser treatments")


def test_changes_requested_shows_the_quoted_comment_and_resubmits(page, login, post_in, author, reviewer, screenshot):
    post = post_in(State.IN_REVIEW, body=ARTICLE)
    services.post_request_changes(post, user=reviewer, comment="Please cite a study for the collagen claim.",
                                  quote={"exact": "stimulate collagen production"})
    login(author)
    page.get_by_role("link", name=post.title).click()
    expect(page.get_by_text("Please cite a study for the collagen claim.")).to_be_visible()
    expect(page.locator("mark.quote")).to_have_text("stimulate collagen production")
    screenshot("editor-post", full_page=False)

    page.get_by_role("link", name="Edit post").click()
    scripts_ready(page, "editor")
    page.get_by_label("Body").fill(ARTICLE.replace("over several sessions.", "over several sessions [1]."))
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("[data-state]")).to_have_text("In review")
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.IN_REVIEW


def test_publishing_then_editing_keeps_the_live_version(page, login, post_in, author, publisher):
    post = post_in(State.APPROVED, body=ARTICLE)
    login(publisher)
    page.goto(f"/editor/posts/{post.pk}/")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("[data-state]")).to_have_text("Published")
    post.refresh_from_db()
    live = post.live_revision_id
    assert live == post.current_revision_id

    page.context.clear_cookies()
    login(author)
    page.goto(f"/editor/posts/{post.pk}/edit/")
    expect(page.get_by_text("the live version stays on the site")).to_be_visible()
    page.get_by_label("Body").fill(ARTICLE + "\nAsk your doctor about downtime.\n")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("link", name="Back to the post’s page").click()
    expect(page.get_by_text("differs from what is live")).to_be_visible()
    post.refresh_from_db()
    assert post.live_revision_id == live
    assert post.current_revision_id != live


def test_writing_form_works_with_the_keyboard_only(page, login, author):
    login(author)
    page.goto("/editor/new/")
    scripts_ready(page, "editor")
    page.get_by_label("Title").focus()
    page.keyboard.type("Sunscreen after laser")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Slug")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Summary")).to_be_focused()
    page.keyboard.type("Why SPF matters.")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Body")).to_be_focused()
    page.keyboard.type("Use SPF 50 every day.")
    expect(page.locator("[data-preview]")).to_have_text("Use SPF 50 every day.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save draft")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    assert Post.objects.get().current_revision.body == "Use SPF 50 every day."


def test_leaving_with_unsaved_changes_asks_first(page, login, author):
    login(author)
    page.goto("/editor/new/")
    scripts_ready(page, "editor")
    page.get_by_label("Body").fill("Half a thought")
    expect(page.locator("[data-preview]")).to_have_text("Half a thought")  # no request left in flight
    page.on("dialog", lambda dialog: dialog.dismiss())

    with page.expect_event("dialog") as asked:
        page.get_by_role("link", name="Back to my posts").click(no_wait_after=True)

    assert asked.value.type == "beforeunload"
    expect(page.get_by_label("Body")).to_have_value("Half a thought")
    assert page.url.endswith("/editor/new/")


def test_text_typed_before_the_script_runs_gets_its_preview_claims_check_and_address(page, login, author):
    login(author)
    held = []
    page.route("**/static/js/editor.js", lambda route: held.append(route))  # the script waits for the test
    with page.expect_request("**/static/js/editor.js"):
        page.goto("/editor/new/", wait_until="commit")
    page.get_by_label("Title").fill("Ωμέγα-3 oils")
    page.get_by_label("Body").fill("## Aftercare\n\nOur laser gives 100% clearance.")
    for _ in range(100):  # the route handler runs while Playwright talks to the browser
        if held:
            break
        page.evaluate("0")
    assert held and "editor" not in (page.locator("html").get_attribute("data-ready") or "")
    expect(page.locator("[data-preview]")).to_have_text("")

    held[0].continue_()
    scripts_ready(page, "editor")

    expect(page.locator("[data-preview]").get_by_role("heading", name="Aftercare")).to_be_visible()
    expect(page.locator("[data-findings-list] li")).to_have_count(1)
    expect(page.locator("[data-findings-list] li")).to_contain_text("100%")
    expect(page.get_by_label("Slug")).to_have_value("ωμέγα-3-oils")
    expect(page.locator("[data-words]")).to_have_text("7")
