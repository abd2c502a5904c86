"""Every vector of the corpus comes out of the one renderer with nothing that could run."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from content.rendering import render_markdown
from tests.security.vectors import (OUTSIDE_HOST, active_content, element_ids, fetched_addresses, hidden_markup,
                                    load_sections, load_vectors)

VECTORS = load_vectors()
SECTIONS = load_sections()


def test_corpus_has_at_least_a_hundred_distinct_vectors():
    assert len(set(VECTORS)) == len(VECTORS) >= 100


@pytest.mark.parametrize("vector", VECTORS)
def test_render_markdown_leaves_no_active_content(vector):
    html = render_markdown(vector)
    assert active_content(html) == [], html


@pytest.mark.parametrize("vector", VECTORS)
def test_render_markdown_of_any_vector_fetches_nothing_and_hides_nothing(vector):
    html = render_markdown(vector)

    assert fetched_addresses(html) == [], html
    assert hidden_markup(html) == [], html


@pytest.mark.parametrize("vector", VECTORS)
def test_render_markdown_prefixes_every_id_so_none_is_the_pages_own(vector):
    html = render_markdown(vector)

    assert all(element_id.startswith("body-") for element_id in element_ids(html)), html
    assert all(href.startswith("#body-") for href in re.findall(r'href="(#[^"]*)"', html)), html


@pytest.mark.parametrize("vector", SECTIONS["loads from another host"])
def test_saving_a_body_that_loads_from_another_host_is_refused_naming_the_address(author, vector):
    messages = refusal(author, vector)

    assert any(OUTSIDE_HOST in message for message in messages), messages
    assert not any("Add a picture" in message for message in messages)


@pytest.mark.parametrize("vector", SECTIONS["elements that do not display"])
def test_saving_a_body_with_an_element_that_does_not_display_is_refused_naming_it(author, vector):
    messages = refusal(author, vector)

    markup = re.match(r"<(\w+)(?:\s+(\w+))?", vector)
    named = f"<{markup[1]}>" if markup[1] in ("style", "template", "noscript") else f"<{markup[1]} {markup[2]}>"
    assert any(named in message and "not display" in message for message in messages), messages


def test_an_outside_picture_is_refused_with_the_writing_forms_own_button_names(author):
    message = refusal(author, "![Handpiece](https://outside.example/a.jpg)")[0]

    assert message == ("The picture https://outside.example/a.jpg (<img>) is not one uploaded here, so what it shows "
                       "cannot be signed. Upload it under “Pictures” with “Upload picture”, then press “Insert into "
                       "body”.")
    for label in ("Pictures", "Upload picture", "Insert into body"):  # what the writing form shows
        assert label in (Path(__file__).parents[2] / "editor/templates/editor/_pictures.html").read_text() + (
            Path(__file__).parents[2] / "static/js/images.js").read_text()


def refusal(author, body) -> list[str]:
    """The messages next to Body when saving `body` is refused; nothing is saved."""
    from content.services import revision_create
    from tests.factories import make_post

    post = make_post(author=author)
    with pytest.raises(ValidationError) as caught:
        revision_create(post=post, author=author, title="Pico laser", summary="", body=body)
    assert post.revisions.count() == 1
    return caught.value.message_dict["body"]


def test_a_title_with_line_breaks_and_control_characters_is_saved_on_one_line(author):
    from review import services

    post = services.post_create(author=author, title="Pico laser\r\nSubject: spam\t\x00\u2028tips", body="Words.")
    assert post.current_revision.title == "Pico laser Subject: spam tips"


def test_no_page_uses_an_id_that_a_body_could_have():
    """Body ids all start with body-; no template's id does, so the two can never collide."""
    root = Path(__file__).parents[2]
    ids = [match for template in root.glob("*/templates/**/*.html")
           for match in re.findall(r'\bid="([^"]*)"', template.read_text(encoding="utf-8"))]
    assert ids and not [element_id for element_id in ids if element_id.startswith("body-")]


def test_review_page_has_one_signing_panel_whatever_ids_the_body_carries(client, author, reviewer):
    from review.states import State
    from tests.factories import make_post

    body = '<a id="sign-panel" href="#sign-panel">x</a> <sup id="comment-1">1</sup>\n\n<h2 id="sign-panel">Sign</h2>'
    post = make_post(author=author, state=State.IN_REVIEW, body=body)
    client.force_login(reviewer)

    page = client.get(f"/review/posts/{post.pk}/").content.decode()

    assert element_ids(page).count("sign-panel") == 1 and "comment-1" not in element_ids(page)
    assert element_ids(page).count("body-sign-panel") == 2
