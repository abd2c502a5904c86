"""The writing form's preview (editor.preview): one computation for the first render and every live update, by the
server's own rules, with positions the browser can use as they are."""

import re
from html import unescape

import pytest
from django.urls import reverse

from content.models import word_count
from content.services import slug_from_title
from editor import preview
from claims import findings as claim_findings
from review.states import State
from tests.factories import make_post

pytestmark = pytest.mark.django_db

RISKY = "Our laser gives 100% clearance with no downtime."


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


def live(client, **fields):
    response = client.post(reverse("editor:preview"), fields)
    assert response.status_code == 200
    return response.json()


def selections(findings_html: str) -> list[tuple[str, int, int]]:
    """(field, from, to) of each "select this wording" button in the claims check's list."""
    return [(field, int(a), int(b)) for field, a, b in re.findall(
        r'data-select-in="(\w+)" data-select-from="(\d+)" data-select-to="(\d+)"', findings_html)]


def in_browser(text: str, start: int, end: int) -> str:
    """text[start:end] with start and end counted as JavaScript counts: UTF-16 units."""
    return text.encode("utf-16-le")[start * 2:end * 2].decode("utf-16-le")


def test_preview_proposes_the_address_the_server_makes_from_the_title(author_client):
    data = live(author_client, title="Ωμέγα-3 oils", body="")

    assert data["slug"] == slug_from_title("Ωμέγα-3 oils") == "ωμέγα-3-oils"


def test_preview_proposes_a_free_address_and_a_post_keeps_its_own(author_client, author):
    post = make_post(author=author, title="Acne scars")

    assert live(author_client, title="Acne scars")["slug"] == f"{post.slug}-2"
    assert live(author_client, title="Acne scars", post=post.pk)["slug"] == post.slug


def test_preview_proposes_no_address_without_a_title(author_client):
    assert live(author_client, title="  ", body="Text")["slug"] == ""


def test_preview_counts_words_and_minutes_as_the_server_does(author_client):
    body = "Zero\ufeffwidth joins\x1cwords " * 150  # a script's /\s+/ counts these differently

    data = live(author_client, body=body)

    assert data["words"] == word_count(body) == 450
    assert data["minutes"] == 3


def test_preview_marks_the_wording_of_findings_as_the_first_render_does(author_client, author):
    post = make_post(author=author, body=RISKY)
    first = author_client.get(reverse("editor:post_edit", args=[post.pk])).content.decode()

    html = live(author_client, body=RISKY)["html"]

    assert html == '<p>Our laser gives <mark class="finding">100%</mark> clearance with <mark class="finding">no downtime</mark>.</p>'
    assert html in first


@pytest.mark.parametrize("typed", [
    "😀 Intro.\n\nSecond 😀 line.  \n\n" + RISKY,
    "\n\n  😀 Intro.\r\n\r\n" + RISKY + "\n\n",  # as a form posts it: CRLF, and blank lines saving drops
])
def test_preview_findings_select_their_wording_where_the_field_holds_it(author_client, typed):
    data = live(author_client, body=typed)
    field = typed.replace("\r\n", "\n")  # a textarea's value

    picked = [in_browser(field, a, b) for name, a, b in selections(data["findings_html"]) if name == "body"]

    assert picked == ["100%", "no downtime"]


def test_preview_findings_have_the_keys_the_saved_text_will_have(author_client, author):
    typed = "\n😀 Intro.  \r\n\r\n" + RISKY + "\n"
    post = make_post(author=author)
    author_client.post(reverse("editor:post_edit", args=[post.pk]), {
        "title": post.current_revision.title, "slug": post.slug, "body": typed,
        "base_revision": post.current_revision_id, "action": "save"})
    post.refresh_from_db()

    data = live(author_client, body=typed)

    saved_keys = [f.key for f in claim_findings.revision_findings(post.current_revision)]
    assert [f["key"] for f in data["findings"]] == saved_keys
    assert re.findall(r'data-finding-key="([^"]+)"', data["findings_html"]) == saved_keys


def test_preview_findings_list_asks_for_reasons_only_when_asked_and_keeps_them(author_client):
    quiet = live(author_client, body=RISKY)["findings_html"]
    key = "body:hundred-percent:16:20"
    asked = live(author_client, body=RISKY, justify="1", **{f"justify:{key}": "From <the> trial"})["findings_html"]

    assert "textarea" not in quiet and "data-justify-form" not in quiet
    assert 'data-justify-form="write-form"' in asked
    assert f'name="justify:{key}" form="write-form"' in asked
    assert "From &lt;the&gt; trial</textarea>" in asked


def test_writing_page_renders_the_same_findings_list_as_the_preview(author_client, author):
    post = make_post(author=author, body=RISKY)
    page = author_client.get(reverse("editor:post_edit", args=[post.pk])).content.decode()

    listed = live(author_client, title=post.current_revision.title, body=RISKY)["findings_html"]

    assert unescape(listed).strip() in unescape(page)


def test_multiline_article_blocked_on_submit_goes_to_review_with_the_reason(author_client, author):
    """The reason field is named by the finding's key in the saved text, though the form posts CRLF line ends."""
    post = make_post(author=author)
    url = reverse("editor:post_edit", args=[post.pk])

    def form(**extra):
        post.refresh_from_db()
        return {"title": post.current_revision.title, "slug": post.slug, "summary": "",
                "body": "Intro line.  \r\n\r\n" + RISKY + "\r\n", "base_revision": post.current_revision_id, **extra}

    refused = author_client.post(url, form(action="submit"))
    [name] = re.findall(r'name="(justify:[^"]+)"', refused.content.decode())
    accepted = author_client.post(url, form(action="submit", **{name: "The trial reported it."}))

    assert refused.status_code == 400 and accepted.status_code == 302
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.IN_REVIEW


def test_in_field_has_no_place_for_wording_that_saving_changed():
    # A tab in a title becomes a space when saved: the field does not hold the saved wording there.
    assert preview.in_field("best\tdeal", "best deal", [(0, 9)]) == [None]
    assert preview.in_field("x best\tdeal", "x best deal", [(2, 6)]) == [(2, 6)]


def test_preview_of_an_oversized_body_keeps_its_error_key(author_client, settings):
    settings.MAX_BODY_BYTES = 1024

    response = author_client.post(reverse("editor:preview"), {"body": "x" * 2048})

    assert response.status_code == 400 and "limit" in response.json()["error"]
