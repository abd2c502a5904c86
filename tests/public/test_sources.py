"""The public article lists the sources its live revision cites: read from the HTML the reviewer read, found once per
content hash, never from the Markdown."""

from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.cache import cache

from public import articles
from review import services
from tests.factories import BODY

CITED_BODY = BODY + """
Most patients see improvement after three sessions.[^1] The guidance on sun protection is from the
[NHS](https://www.nhs.uk/conditions/sunburn/) and a review ([doi:10.1111/dsu.12345](https://doi.org/10.1111/dsu.12345)).

Read more in the [trial report][trial].

[^1]: Wu DC, et al. Picosecond lasers in aesthetic dermatology. *Dermatol Surg.* 2020;46(6):766-772.

[trial]: https://example.org/trial-report
"""


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def sources_section(html: str) -> str:
    return html.split('<section class="sources"')[1].split("</section>")[0]


def test_article_lists_footnotes_links_dois_and_references_as_sources(client, published):
    post = published(body=CITED_BODY)

    html = client.get(f"/blog/{post.slug}/").content.decode()

    section = sources_section(html)
    assert '<h2 id="sources-heading">Sources</h2>' in section
    items = section.split("<li>")[1:]
    assert len(items) == 4
    assert "Wu DC, et al. Picosecond lasers in aesthetic dermatology. Dermatol Surg. 2020;46(6):766-772." in items[0]
    assert 'href="https://www.nhs.uk/conditions/sunburn/"' in items[1]
    assert "doi:10.1111/dsu.12345" in items[2]
    assert 'href="https://example.org/trial-report"' in items[3]


def test_article_without_citations_has_no_sources_section(client, published):
    post = published()

    html = client.get(f"/blog/{post.slug}/").content.decode()

    assert "Sources" not in html


def test_sources_come_from_the_live_revision_not_the_working_draft(client, published, author):
    post = published(body=CITED_BODY)
    services.post_save_draft(post, user=author, title=post.title, summary="", body=BODY + "\nSee https://new.example/.")

    html = client.get(f"/blog/{post.slug}/").content.decode()

    assert "https://new.example/" not in html
    assert "example.org/trial-report" in sources_section(html)


def test_sources_are_found_once_per_content_hash_and_markdown_is_never_rendered(client, published):
    post = published(body=CITED_BODY)

    with mock.patch("content.rendering.render_markdown", side_effect=AssertionError("rendered per request")), \
            mock.patch.object(articles, "sources_in", wraps=articles.sources_in) as found:
        for _ in range(3):
            assert client.get(f"/blog/{post.slug}/").status_code == 200

    assert found.call_count == 1
    assert cache.get(f"article-sources:{articles.SOURCES_VERSION}:{post.live_revision.content_hash}")


def test_sources_come_only_from_the_stored_html_never_from_the_markdown():
    """A revision whose Markdown names an address its HTML does not show lists only what the HTML shows."""
    revision = SimpleNamespace(
        content_hash="not-a-real-hash", body="<style>a{background:url(https://hidden.example/)}</style> [NHS](https://www.nhs.uk/)",
        html='<p><a href="https://www.nhs.uk/" rel="noopener noreferrer">NHS</a></p>',
    )

    assert articles.sources_of(revision) == [articles.Source(text="NHS", url="https://www.nhs.uk/", doi="")]


def test_a_link_with_no_visible_text_is_not_a_source(client, published):
    post = published(body=BODY + "\nSee [](https://invisible.example/) and [\u200b](https://zero-width.example/) "
                                 "and [the NHS](https://www.nhs.uk/).")

    html = client.get(f"/blog/{post.slug}/").content.decode()

    assert "invisible.example" not in sources_section(html) and "zero-width.example" not in sources_section(html)
    assert 'href="https://www.nhs.uk/"' in sources_section(html)


@pytest.mark.parametrize("hidden", [
    "<style>p{background:url(https://hidden.example/a.png)}</style>",
    "<template>https://hidden.example/a</template>",
    "<noscript>https://hidden.example/a</noscript>",
    '<div hidden>https://hidden.example/a</div>',
])
def test_a_source_hidden_in_an_element_that_does_not_display_never_reaches_the_sources(author, hidden):
    from django.core.exceptions import ValidationError

    from tests.factories import make_post

    with pytest.raises(ValidationError) as refused:
        make_post(author=author, body=CITED_BODY + "\n" + hidden)

    assert "not display" in " ".join(refused.value.message_dict["body"])
