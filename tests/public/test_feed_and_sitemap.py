"""The RSS feed and the sitemap: well-formed, and listing exactly the public articles."""

import xml.etree.ElementTree as ET

import feedparser
from django.utils import timezone

from review.states import State

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


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
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    entries = {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in root.iter(f"{SITEMAP}url")}
    article_url = f"http://testserver/blog/{post.slug}/"
    assert entries[article_url] == timezone.localtime(post.published_at).date().isoformat()
    assert "http://testserver/blog/" in entries
    assert "http://testserver/editorial-policy/" in entries
    assert f"http://testserver/reviewers/{reviewer.reviewer_profile.slug}/" in entries
    assert not any(hidden.slug in loc for loc in entries)
