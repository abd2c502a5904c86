"""The article page, the index, the feed and the sitemap's pages cost the same number of queries for 1 post or 50."""

import pytest

from public.sitemaps import ArticleSitemap
from tests.factories import make_post

# lists: posts, signatures with reviewers, review policy (+ a count for the index's paginator);
# the article: its signatures with revision, post, author and reviewer, and the review policy (which
# a server process keeps for a minute, but never inside a transaction such as a test's)
ARTICLE_QUERIES = 2
INDEX_QUERIES = 4
FEED_QUERIES = 3
# the sitemap index: the policy page's date, the count of live posts, the reviewers (no signature is checked);
# a page of articles: that count, a page of posts, its signatures with reviewers, the review policy
SITEMAP_INDEX_QUERIES = 3
SITEMAP_ARTICLES_QUERIES = 4
REVIEWER_QUERIES = 6  # profile, their count, a page of posts, signatures, policy, theirs


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
    with django_assert_num_queries(ARTICLE_QUERIES):
        assert client.get(f"/blog/{posts[0].slug}/").status_code == 200


@pytest.mark.parametrize("count", [1, 50])
def test_article_not_modified_query_count_is_constant(client, many_published, django_assert_num_queries, count):
    posts = many_published(count)
    etag = client.get(f"/blog/{posts[-1].slug}/")["ETag"]
    with django_assert_num_queries(ARTICLE_QUERIES):
        assert client.get(f"/blog/{posts[-1].slug}/", HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.parametrize("count", [1, 50])
def test_index_query_count_is_constant(client, many_published, django_assert_num_queries, count):
    many_published(count)
    with django_assert_num_queries(INDEX_QUERIES):
        assert client.get("/blog/").status_code == 200
    if count > 10:
        with django_assert_num_queries(INDEX_QUERIES):
            assert client.get("/blog/?page=5").status_code == 200


@pytest.mark.parametrize("count", [1, 50])
def test_feed_query_count_is_constant(client, many_published, django_assert_num_queries, count):
    many_published(count)
    with django_assert_num_queries(FEED_QUERIES):
        assert client.get("/blog/feed/").status_code == 200


@pytest.mark.parametrize("count", [1, 50])
def test_sitemap_index_query_count_is_constant(client, many_published, django_assert_num_queries, count):
    many_published(count)
    with django_assert_num_queries(SITEMAP_INDEX_QUERIES):
        assert client.get("/sitemap.xml").status_code == 200


@pytest.mark.parametrize("count", [1, 50])
def test_sitemap_articles_page_query_count_is_constant(client, many_published, django_assert_num_queries,
                                                       monkeypatch, count):
    monkeypatch.setattr(ArticleSitemap, "limit", 20)
    many_published(count)
    with django_assert_num_queries(SITEMAP_ARTICLES_QUERIES):
        assert client.get("/sitemap-articles.xml").status_code == 200
    if count > 40:
        with django_assert_num_queries(SITEMAP_ARTICLES_QUERIES):
            assert client.get("/sitemap-articles.xml?p=3").status_code == 200


@pytest.mark.parametrize("count", [1, 50])
def test_reviewer_page_query_count_is_constant(client, many_published, reviewer, django_assert_num_queries, count):
    many_published(count)
    with django_assert_num_queries(REVIEWER_QUERIES):
        assert client.get(f"/reviewers/{reviewer.reviewer_profile.slug}/").status_code == 200


def test_reviewer_page_lists_a_page_at_a_time(client, many_published, reviewer):
    from public.views import REVIEWER_PAGE_SIZE

    posts = many_published(REVIEWER_PAGE_SIZE + 1)
    first = client.get(f"/reviewers/{reviewer.reviewer_profile.slug}/").content.decode()
    second = client.get(f"/reviewers/{reviewer.reviewer_profile.slug}/?page=2").content.decode()
    newest_first = sorted(posts, key=lambda p: (p.first_published_at, p.pk), reverse=True)
    assert newest_first[0].live_revision.title in first and "Page 1 of 2" in first
    assert newest_first[-1].live_revision.title in second and newest_first[0].live_revision.title not in second
    assert client.get(f"/reviewers/{reviewer.reviewer_profile.slug}/?page=3").status_code == 404
