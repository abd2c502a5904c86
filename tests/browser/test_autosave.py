"""Typing is never lost: a closed tab or an expired session gives the text back on return, in a real browser.
The copy lives in the browser (localStorage) and is dropped once the server has taken the save."""

import re

from django.conf import settings
from playwright.sync_api import expect

from content.models import Post
from review.states import State
from tests.browser.steps import scripts_ready
from tests.factories import PASSWORD, make_post

TYPED = "Pico laser treatments may stimulate collagen production.\n\n## Aftercare\n\n- Use SPF 50 every day."


def open_form(page, url):
    page.goto(url)
    scripts_ready(page, "editor", "autosave")


def type_and_wait_until_kept(page, **fields):
    for label, text in fields.items():
        page.get_by_label(label, exact=True).fill(text)
    expect(page.locator("[data-autosave-status]")).to_be_visible()


def restore_offer(page):
    return page.get_by_role("button", name="Restore unsaved text")


def test_text_typed_in_a_closed_tab_is_offered_back_and_dropped_once_saved(page, login, author):
    login(author)
    open_form(page, "/editor/new/")
    type_and_wait_until_kept(page, Title="Pico laser for pores", Body=TYPED)
    context = page.context
    page.close()  # no save, no goodbye

    again = context.new_page()
    open_form(again, "/editor/new/")
    expect(again.get_by_label("Body")).to_have_value("")
    expect(again.locator("[data-autosave-offer]")).to_contain_text("was not saved")
    restore_offer(again).click()

    expect(again.get_by_label("Title")).to_have_value("Pico laser for pores")
    expect(again.get_by_label("Body")).to_have_value(TYPED)
    expect(again.locator("[data-preview]").get_by_role("heading", name="Aftercare")).to_be_visible()
    expect(again.get_by_label("Slug")).to_have_value("pico-laser-for-pores")
    again.get_by_role("button", name="Save draft").click()
    expect(again.get_by_text("Draft saved.")).to_be_visible()
    assert Post.objects.get().current_revision.body == TYPED

    open_form(again, "/editor/new/")
    expect(again.locator("[data-autosave-offer]")).to_be_hidden()
    open_form(again, f"/editor/posts/{Post.objects.get().pk}/edit/")
    expect(again.locator("[data-autosave-offer]")).to_be_hidden()


def test_text_typed_when_the_session_expired_comes_back_after_logging_in(page, login, author):
    post = make_post(author=author, state=State.DRAFT, title="Sunscreen after laser")
    login(author)
    open_form(page, f"/editor/posts/{post.pk}/edit/")
    type_and_wait_until_kept(page, Body=TYPED)

    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)  # the session expired; the CSRF cookie stays
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    page.get_by_label("Username").fill(author.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(rf"/editor/posts/{post.pk}/edit/$"))  # back where the text was typed
    scripts_ready(page, "editor", "autosave")
    expect(page.get_by_label("Body")).not_to_have_value(TYPED)  # the server never got it
    restore_offer(page).click()
    expect(page.get_by_label("Body")).to_have_value(TYPED)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    post.refresh_from_db()
    assert post.current_revision.body == TYPED


def test_discarded_text_is_not_offered_again(page, login, author):
    post = make_post(author=author, state=State.DRAFT)
    login(author)
    open_form(page, f"/editor/posts/{post.pk}/edit/")
    type_and_wait_until_kept(page, Summary="A summary nobody saved.")
    page.on("dialog", lambda dialog: dialog.accept())  # "leave with unsaved changes?" yes
    page.reload()
    scripts_ready(page, "editor", "autosave")

    page.get_by_role("button", name="Discard").click()
    expect(page.locator("[data-autosave-offer]")).to_be_hidden()
    open_form(page, f"/editor/posts/{post.pk}/edit/")

    expect(page.locator("[data-autosave-offer]")).to_be_hidden()
    expect(page.get_by_label("Summary")).to_have_value(post.current_revision.summary)


def test_text_typed_on_an_older_version_is_checked_against_the_newer_one(page, login, author):
    from review import services

    post = make_post(author=author, state=State.DRAFT, body="First words.")
    login(author)
    open_form(page, f"/editor/posts/{post.pk}/edit/")
    type_and_wait_until_kept(page, Body="My words, never saved.")
    context = page.context
    page.close()
    services.post_save_draft(post, user=author, title=post.current_revision.title, summary="",
                             body="Someone else's words.", base_revision=post.current_revision_id)

    again = context.new_page()
    open_form(again, f"/editor/posts/{post.pk}/edit/")
    expect(again.locator("[data-autosave-offer]")).to_contain_text("the post has been saved since")
    restore_offer(again).click()
    again.get_by_role("button", name="Save draft").click()

    expect(again.locator("#form-errors")).to_be_visible()  # refused (409), not saved over the newer version
    expect(again.get_by_label("Body")).to_have_value("My words, never saved.")
    post.refresh_from_db()
    assert post.current_revision.body == "Someone else's words."
