"""The public article lists the sources its live revision cites, found once per content hash and never by rendering Markdown."""

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
            mock.patch.object(articles.linter, "citations", wraps=articles.linter.citations) as found:
        for _ in range(3):
            assert client.get(f"/blog/{post.slug}/").status_code == 200

    assert found.call_count == 1
    assert cache.get(f"article-sources:{articles.SOURCES_VERSION}:{post.live_revision.content_hash}")
