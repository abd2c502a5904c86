"""The RSS feed and the sitemap: well-formed, and listing exactly the public articles."""

import html
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import feedparser
import pytest
from django.utils import timezone

from public.sitemaps import ArticleSitemap
from review.states import State

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _xml(client, url):
    parts = urlsplit(url)
    response = client.get(parts.path, {"p": parts.query.removeprefix("p=")} if parts.query else {})
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)


def sitemap_index(client) -> list[str]:
    """The address of every sitemap page that /sitemap.xml lists."""
    return [sitemap.findtext(f"{SITEMAP}loc") for sitemap in _xml(client, "/sitemap.xml").iter(f"{SITEMAP}sitemap")]


def sitemap_urls(client) -> list[tuple[str, str | None]]:
    """(loc, lastmod) of every URL on every page of the sitemap, following the index, in order."""
    return [(url.findtext(f"{SITEMAP}loc"), url.findtext(f"{SITEMAP}lastmod"))
            for page in sitemap_index(client) for url in _xml(client, page).iter(f"{SITEMAP}url")]


def test_feed_parses_without_errors_and_lists_published_articles_newest_first(client, published, post_in):
    older = published(title="Older article", summary="Older summary.")
    newer = published(title="Newer article")
    post_in(State.APPROVED, title="Not yet public")
    response = client.get("/blog/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert [entry.title for entry in feed.entries] == ["Newer article", "Older article"]
    entry = feed.entries[1]
    assert entry.link == f"http://testserver/blog/{older.slug}/"
    assert entry.summary.startswith("Older summary.")
    assert "Medically reviewed by Dr. Ian Tan, MBBS (Singapore)" in entry.summary
    assert entry.published_parsed is not None
    assert newer.slug in feed.entries[0].link


def test_feed_empty_site_is_still_valid(client, db):
    feed = feedparser.parse(client.get("/blog/feed/").content)
    assert feed.bozo == 0 and feed.entries == []


def test_sitemap_parses_as_xml_with_articles_and_last_modified_dates(client, published, post_in, reviewer):
    post = published()
    hidden = post_in(State.SCHEDULED)
    entries = dict(sitemap_urls(client))
    article_url = f"http://testserver/blog/{post.slug}/"
    assert entries[article_url] == timezone.localtime(post.published_at).date().isoformat()
    assert "http://testserver/blog/" in entries
    assert "http://testserver/editorial-policy/" in entries
    assert f"http://testserver/reviewers/{reviewer.reviewer_profile.slug}/" in entries
    assert not any(hidden.slug in loc for loc in entries)


def test_sitemap_is_an_index_of_the_sections(client, published):
    published()
    assert sitemap_index(client) == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-reviewers.xml",
    ]


def test_sitemap_pages_are_read_only_and_revalidated(client, published):
    published()
    for path in ("/sitemap.xml", "/sitemap-articles.xml"):
        response = client.get(path)
        assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=0", "must-revalidate"}, path
        assert client.post(path).status_code == 405, path


def test_sitemap_articles_come_a_page_at_a_time_each_listed_once(client, published, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    posts = [published(title=f"Article {n}") for n in range(5)]
    pages = [url for url in sitemap_index(client) if "/sitemap-articles.xml" in url]
    assert pages == ["http://testserver/sitemap-articles.xml", "http://testserver/sitemap-articles.xml?p=2",
                     "http://testserver/sitemap-articles.xml?p=3"]
    listed = [loc for loc, _ in sitemap_urls(client) if "/blog/" in loc and loc != "http://testserver/blog/"]
    assert sorted(listed) == sorted(f"http://testserver/blog/{post.slug}/" for post in posts)
    assert len(_xml(client, "/sitemap-articles.xml?p=3").findall(f"{SITEMAP}url")) == 1
    assert client.get("/sitemap-articles.xml", {"p": 4}).status_code == 404
    assert client.get("/sitemap-articles.xml", {"p": "x"}).status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_sitemap_of_an_empty_site_is_valid(client, db):
    assert [loc for loc, _ in sitemap_urls(client)] == ["http://testserver/blog/", "http://testserver/editorial-policy/"]


def test_feed_description_is_plain_text_that_readers_show_as_typed(client, published):
    summary = 'Fish & chips <img src=x onerror=alert(1)> <b>not bold</b> "quoted"'
    published(summary=summary)
    entry = feedparser.parse(client.get("/blog/feed/").content).entries[0]
    # RSS readers treat <description> as HTML: the summary's characters must reach them escaped as text.
    assert entry.summary_detail.type == "text/html"
    assert "<img" not in entry.summary and "<b>" not in entry.summary
    assert html.unescape(entry.summary).startswith(summary + "\n\nMedically reviewed by Dr. Ian Tan")
