"""Public absolute URLs (canonical links, JSON-LD, feed, sitemaps, robots.txt) come from SITE_URL, never the Host header."""

import json
import re

import feedparser
import pytest

SITE = "https://articles.clinic.example"
HOST = "127.0.0.1:6666"  # an allowed host with a port a visitor chose


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = SITE


def _get(client, path):
    response = client.get(path, HTTP_HOST=HOST)
    assert response.status_code == 200, path
    return response.content.decode()


def _absolute_urls(text):
    return re.findall(r"https?://[^\s\"'<>]+", text)


def test_article_canonical_link_and_structured_data_use_site_url(client, published, site_url):
    post = published()
    page = _get(client, f"/blog/{post.slug}/")
    assert f'<link rel="canonical" href="{SITE}/blog/{post.slug}/">' in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["url"] == f"{SITE}/blog/{post.slug}/"
    assert data["reviewedBy"]["url"].startswith(f"{SITE}/reviewers/")
    assert "6666" not in page


@pytest.mark.parametrize("path", ["/editorial-policy/", "/reviewers/{slug}/"])
def test_other_pages_canonical_links_use_site_url(client, published, reviewer, site_url, path):
    published()
    page = _get(client, path.format(slug=reviewer.reviewer_profile.slug))
    assert re.search(rf'<link rel="canonical" href="{re.escape(SITE)}/', page)
    assert "6666" not in page


def test_feed_links_use_site_url(client, published, site_url):
    post = published()
    feed = feedparser.parse(_get(client, "/blog/feed/"))
    assert feed.feed.link == f"{SITE}/blog/"
    assert feed.entries[0].link == f"{SITE}/blog/{post.slug}/"
    assert {link.href for link in feed.feed.links} == {f"{SITE}/blog/", f"{SITE}/blog/feed/"}


def test_sitemap_index_sections_and_robots_use_site_url(client, published, site_url):
    published()
    index = _get(client, "/sitemap.xml")
    sections = _absolute_urls(index)
    listed = [url for section in ("pages", "articles", "reviewers")
              for url in _absolute_urls(_get(client, f"/sitemap-{section}.xml"))]
    robots = _get(client, "/robots.txt")
    urls = [u for u in sections + listed + _absolute_urls(robots) if "sitemaps.org" not in u and "w3.org" not in u]
    assert f"{SITE}/sitemap-articles.xml" in sections
    assert f"Sitemap: {SITE}/sitemap.xml" in robots
    assert len(listed) >= 4
    assert [url for url in urls if not url.startswith(SITE + "/")] == []
