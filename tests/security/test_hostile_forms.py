"""Hostile and unusual input through the editor's forms: oversized bodies, every script, duplicate slugs."""

import html
import unicodedata
from urllib.parse import quote

import feedparser
import pytest
from django.urls import reverse

from content.models import Post
from review import services
from review.states import State
from tests.factories import PASSWORD

# --- oversized bodies


def oversized(settings, unit="a"):
    """A Markdown body one character over the limit, in bytes of UTF-8."""
    return unit * (settings.MAX_BODY_BYTES // len(unit.encode()) + 1)


@pytest.mark.parametrize("unit", ["a", "😊"])
def test_editor_refuses_an_oversized_body_next_to_the_field_and_keeps_the_text(client, author, settings, unit):
    client.force_login(author)
    body = oversized(settings, unit)
    response = client.post(reverse("editor:post_create"),
                           {"title": "Très long — طويل", "summary": "A summary.", "body": body, "action": "save"})
    assert response.status_code == 400
    form = response.context["form"]
    assert f"the limit is {settings.MAX_BODY_BYTES // 1024} KB" in " ".join(form.errors["body"])
    page = response.content.decode()
    assert "Très long — طويل" in page and "A summary." in page and body in page
    assert not Post.objects.exists()


def test_editor_refuses_an_oversized_body_when_editing_and_keeps_the_text(client, post_in, author, settings):
    post = post_in(State.DRAFT)
    client.force_login(author)
    body = oversized(settings)
    response = client.post(reverse("editor:post_edit", args=[post.pk]), {
        "title": "Edited title", "summary": "", "body": body, "slug": post.slug,
        "base_revision": post.current_revision_id, "action": "save",
    })
    assert response.status_code == 400
    assert "the limit is" in " ".join(response.context["form"].errors["body"])
    assert body in response.content.decode()
    assert post.revisions.count() == 1


def test_preview_refuses_an_oversized_body_at_the_default_limit(client, author, settings):
    assert settings.MAX_BODY_BYTES == 200 * 1024
    client.force_login(author)
    response = client.post(reverse("editor:preview"), {"body": oversized(settings)})
    assert response.status_code == 400
    assert response.json()["error"].startswith("The body is 200 KB; the limit is 200 KB.")


def test_a_body_exactly_at_the_limit_is_accepted(client, author, settings):
    client.force_login(author)
    body = "a" * settings.MAX_BODY_BYTES
    assert client.post(reverse("editor:preview"), {"body": body}).status_code == 200
    response = client.post(reverse("editor:post_create"), {"title": "At the limit", "body": body, "action": "save"})
    assert response.status_code == 302


@pytest.mark.parametrize("name", ["editor:post_create", "editor:preview"])
def test_a_request_far_beyond_any_limit_is_a_clear_400(client, author, name):
    client.force_login(author)
    response = client.post(reverse(name), {"title": "Huge", "body": "a" * (3 * 1024 * 1024)})
    assert response.status_code == 400


# --- any script, round trip


TITLES = [
    "Skin care 👩🏽‍⚕️ after laser 🧑‍🤝‍🧑 and 🏳️‍🌈",
    "العناية بالبشرة بعد الليزر",
    "טיפוח העור אחרי לייזר",
    "Cafe\u0301 cre\u0300me, Ångström, Z̤̈alg̃o",
    "激光治疗后的皮肤护理",
    "लेज़र के बाद त्वचा की देखभाल",
    "Mixed: English عربي עברית 中文 हिन्दी 😊",
]


def publish(post, reviewer, publisher):
    services.post_submit(post, user=post.author)
    services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    services.post_publish(post, user=publisher)


@pytest.mark.parametrize("title", TITLES)
def test_text_in_any_script_survives_editor_revision_page_and_feed(client, author, reviewer, publisher, title):
    summary = f"Summary — {title}"
    body = f"## {title}\n\n{title} — paragraph.\n\n- {title}\n"
    client.force_login(author)
    response = client.post(reverse("editor:post_create"),
                           {"title": title, "summary": summary, "body": body, "action": "save"})
    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get()
    nfc = lambda text: unicodedata.normalize("NFC", text)  # noqa: E731
    revision = post.current_revision
    assert (revision.title, revision.summary, revision.body) == (nfc(title), nfc(summary), nfc(body).strip())
    publish(post, reviewer, publisher)

    assert post.slug == Post.objects.get().slug and post.slug.strip("-")
    url = reverse("public:article", args=[post.slug])
    assert url == f"/blog/{quote(post.slug)}/"
    client.logout()
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert f"<h1>{html.escape(nfc(title), quote=False)}" in text or html.escape(nfc(title)) in text
    assert html.escape(nfc(title), quote=False) + " — paragraph." in text
    assert html.escape(nfc(summary)) in text

    feed = feedparser.parse(client.get(reverse("public:feed")).content)
    (entry,) = feed.entries
    assert entry.title == nfc(title)
    assert entry.link.endswith(url)
    sitemap = client.get(reverse("public:sitemap_section", kwargs={"section": "articles"})).content.decode()
    assert f"<loc>http://testserver{url}</loc>" in sitemap


def test_a_slug_made_from_a_title_in_another_script_keeps_its_letters(author):
    post = services.post_create(author=author, title="लेज़र के बाद त्वचा", body="Words.")
    assert post.slug == "लेज़र-के-बाद-त्वचा"
    post = services.post_create(author=author, title="العناية بالبشرة", body="Words.")
    assert post.slug == "العناية-بالبشرة"


# --- duplicate slugs


def test_a_duplicate_slug_is_refused_next_to_the_slug_field(client, post_in, author):
    taken = post_in(State.DRAFT).slug
    client.force_login(author)
    response = client.post(reverse("editor:post_create"),
                           {"title": "Another", "summary": "Kept.", "body": "Kept body.", "slug": taken,
                            "action": "save"})
    assert response.status_code == 400
    assert response.context["form"].errors["slug"] == [f"Another post already uses the address “{taken}”. "
                                                       "Choose another."]
    assert "Kept body." in response.content.decode()
    assert Post.objects.count() == 1


def test_a_duplicate_unicode_slug_is_refused_when_editing(client, post_in, author):
    first = post_in(State.DRAFT, slug="العناية")
    second = post_in(State.DRAFT, title="Second")
    client.force_login(author)
    response = client.post(reverse("editor:post_edit", args=[second.pk]), {
        "title": "Second", "summary": "", "body": "Body.", "slug": first.slug,
        "base_revision": second.current_revision_id, "action": "save",
    })
    assert response.status_code == 400
    assert "already uses the address" in " ".join(response.context["form"].errors["slug"])


def test_the_same_title_twice_gets_a_second_slug_not_an_error(author):
    first = services.post_create(author=author, title="العناية بالبشرة", body="Words.")
    second = services.post_create(author=author, title="العناية بالبشرة", body="Words.")
    assert second.slug == f"{first.slug}-2"


def test_a_refused_two_megabyte_body_is_answered_at_once(client, author):
    """Neither rendered nor checked for claims: a refused body must not keep a worker busy (it took 39 s)."""
    import time

    client.force_login(author)
    body = ("Pico laser **stimulates** collagen production. " * 20 + "\n\n") * 2000
    # The worker's CPU time, which rendering and checking would use up, and not the wall clock, which on a machine
    # shared with other test runs also counts the time spent waiting for a CPU.
    started = time.process_time()
    response = client.post(reverse("editor:post_create"), {"title": "Big", "body": body, "action": "save"})
    assert response.status_code == 400 and "the limit is" in " ".join(response.context["form"].errors["body"])
    assert time.process_time() - started < 3
