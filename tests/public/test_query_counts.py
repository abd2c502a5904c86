"""The article page, the index, the feed and the sitemap's pages cost the same number of queries for 1 post or 50."""

import pytest
from django.core.cache import cache

from public.sitemaps import ArticleSitemap
from tests.factories import make_post

# With the review policy in the cache (review.selectors.display_policy), as on a server that has answered once:
# lists: posts and signatures with reviewers (+ a count for the index's paginator);
# the article, when it is read and verified: its signatures with revision, post, author and reviewer
# (then kept in the cache for a few seconds, and served with no query)
ARTICLE_QUERIES = 1
INDEX_QUERIES = 3
FEED_QUERIES = 2
# the sitemap index: the policy page's date, the count of live posts, the reviewers (no signature is checked);
# a page of articles: that count, a page of posts, its signatures with reviewers
SITEMAP_INDEX_QUERIES = 3
SITEMAP_ARTICLES_QUERIES = 3
REVIEWER_QUERIES = 5  # profile, their count, a page of posts, signatures, theirs
# What a page that shows review dates reads more while the cache is empty: the review policy.
POLICY_QUERIES = 1


def assert_queries(client, django_assert_num_queries, url, queries, *, reads_policy=True, **headers):
    """GET `url` with an empty cache and again: `queries` (+ the policy the first time, if the page shows a
    review date) each time; both answers have the same status, which is returned."""
    cache.clear()
    with django_assert_num_queries(queries + (POLICY_QUERIES if reads_policy else 0)):
        status = client.get(url, **headers).status_code
    with django_assert_num_queries(queries):
        assert client.get(url, **headers).status_code == status
    return status


@pytest.fixture
def many_published(author, reviewer, publisher):
    def make(count):
        from review.states import State

        return [make_post(author=author, reviewer=reviewer, publisher=publisher, state=State.PUBLISHED,
                          title=f"Article {n}") for n in range(count)]

    return make


@pytest.mark.parametrize("count", [1, 50])
def test_article_page_query_count_is_constant(client, many_published, django_assert_num_queries, count):
    posts = many_published(count)
    with django_assert_num_queries(ARTICLE_QUERIES + POLICY_QUERIES):
        assert client.get(f"/blog/{posts[0].slug}/").status_code == 200
    with django_assert_num_queries(0):  # kept, verified, for public.views.ARTICLE_RECHECK_SECONDS
        assert client.get(f"/blog/{posts[0].slug}/").status_code == 200


@pytest.mark.parametrize("count", [1, 50])
def test_article_not_modified_query_count_is_constant(client, many_published, django_assert_num_queries, count):
    posts = many_published(count)
    etag = client.get(f"/blog/{posts[-1].slug}/")["ETag"]
    with django_assert_num_queries(0):
        assert client.get(f"/blog/{posts[-1].slug}/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    cache.clear()
    with django_assert_num_queries(ARTICLE_QUERIES + POLICY_QUERIES):
        assert client.get(f"/blog/{posts[-1].slug}/", HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.parametrize("count", [1, 50])
def test_index_query_count_is_constant(client, many_published, django_assert_num_queries, count):
    many_published(count)
    assert assert_queries(client, django_assert_num_queries, "/blog/", INDEX_QUERIES) == 200
    if count > 10:
        assert assert_queries(client, django_assert_num_queries, "/blog/?page=5", INDEX_QUERIES) == 200


@pytest.mark.parametrize("count", [1, 50])
def test_feed_query_count_is_constant(client, many_published, django_assert_num_queries, count):
    many_published(count)
    assert assert_queries(client, django_assert_num_queries, "/blog/feed/", FEED_QUERIES) == 200


@pytest.mark.parametrize("count", [1, 50])
def test_sitemap_index_query_count_is_constant(client, many_published, django_assert_num_queries, count):
    many_published(count)
    assert assert_queries(client, django_assert_num_queries, "/sitemap.xml", SITEMAP_INDEX_QUERIES,
                          reads_policy=False) == 200


@pytest.mark.parametrize("count", [1, 50])
def test_sitemap_articles_page_query_count_is_constant(client, many_published, django_assert_num_queries,
                                                       monkeypatch, count):
    monkeypatch.setattr(ArticleSitemap, "limit", 20)
    many_published(count)
    assert assert_queries(client, django_assert_num_queries, "/sitemap-articles.xml", SITEMAP_ARTICLES_QUERIES) == 200
    if count > 40:
        assert assert_queries(client, django_assert_num_queries, "/sitemap-articles.xml?p=3",
                              SITEMAP_ARTICLES_QUERIES) == 200


@pytest.mark.parametrize("count", [1, 50])
def test_reviewer_page_query_count_is_constant(client, many_published, reviewer, django_assert_num_queries, count):
    many_published(count)
    assert assert_queries(client, django_assert_num_queries, f"/reviewers/{reviewer.reviewer_profile.slug}/",
                          REVIEWER_QUERIES) == 200


def test_reviewer_page_lists_a_page_at_a_time(client, many_published, reviewer):
    from public.views import REVIEWER_PAGE_SIZE

    posts = many_published(REVIEWER_PAGE_SIZE + 1)
    first = client.get(f"/reviewers/{reviewer.reviewer_profile.slug}/").content.decode()
    second = client.get(f"/reviewers/{reviewer.reviewer_profile.slug}/?page=2").content.decode()
    newest_first = sorted(posts, key=lambda p: (p.first_published_at, p.pk), reverse=True)
    assert newest_first[0].live_revision.title in first and "Page 1 of 2" in first
    assert newest_first[-1].live_revision.title in second and newest_first[0].live_revision.title not in second
    assert client.get(f"/reviewers/{reviewer.reviewer_profile.slug}/?page=3").status_code == 404
