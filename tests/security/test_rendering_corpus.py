"""Every vector of the corpus comes out of the one renderer with nothing that could run."""

import pytest

from content.rendering import render_markdown
from tests.security.vectors import active_content, load_vectors

VECTORS = load_vectors()


def test_corpus_has_at_least_a_hundred_distinct_vectors():
    assert len(set(VECTORS)) == len(VECTORS) >= 100


@pytest.mark.parametrize("vector", VECTORS)
def test_render_markdown_leaves_no_active_content(vector):
    html = render_markdown(vector)
    assert active_content(html) == [], html


@pytest.mark.parametrize("markdown", [
    '<img src="/media/a.jpg" srcset="javascript:alert(1) 1x">',
    '<img src="/media/a.jpg" srcset="/media/a-2x.jpg 2x, JavaScript:alert(1) 3x">',
    '<picture><source srcset="data:image/svg+xml,&lt;svg onload=alert(1)&gt;"><img src="/media/a.jpg"></picture>',
])
def test_render_markdown_drops_a_srcset_with_a_script_or_data_url(markdown):
    html = render_markdown(markdown)
    assert "srcset" not in html and "/media/a.jpg" in html


def test_render_markdown_keeps_an_ordinary_srcset():
    html = render_markdown('<img src="/media/a.jpg" srcset="/media/a.jpg 1x, https://cdn.example/a-2x.jpg 2x">')
    assert 'srcset="/media/a.jpg 1x, https://cdn.example/a-2x.jpg 2x"' in html


def test_a_title_with_line_breaks_and_control_characters_is_saved_on_one_line(author):
    from review import services

    post = services.post_create(author=author, title="Pico laser\r\nSubject: spam\t\x00\u2028tips", body="Words.")
    assert post.current_revision.title == "Pico laser Subject: spam tips"
