"""A save refused by the database: the 503 page says nothing was saved and gives back what was typed."""

from unittest import mock

from django.db import OperationalError
from playwright.sync_api import expect

from content.models import Post


def test_a_save_the_database_refuses_gives_the_typed_text_back_on_the_503_page(page, login, author):
    login(author)
    page.get_by_role("link", name="New post").click()
    page.get_by_label("Title").fill("Written while the database was read-only")
    page.get_by_label("Summary").fill("A summary typed with care.")
    page.get_by_label("Body").fill("Every word of this must survive the outage.")

    # The live server runs in another thread with its own connection: the fault is injected in the model.
    with mock.patch.object(Post, "save", side_effect=OperationalError("attempt to write a readonly database")):
        page.get_by_role("button", name="Save draft").click()
        expect(page.get_by_role("heading", name="Nothing was saved")).to_be_visible()

    expect(page.get_by_label("Title")).to_have_value("Written while the database was read-only")
    expect(page.get_by_label("Summary")).to_have_value("A summary typed with care.")
    expect(page.get_by_label("Body")).to_have_value("Every word of this must survive the outage.")
    assert not Post.objects.exists()
