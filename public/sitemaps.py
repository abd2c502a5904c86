"""The sitemap: every public article with when it last changed, the reviewers' pages and the fixed pages.

`/sitemap.xml` is an index of the sections; the articles section comes a page at a time, and only the
articles of the page asked for are verified.
"""

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.urls import reverse

from public.articles import Article, articles_from
from public.models import EditorialPolicy
from review import selectors


class ArticlePaginator(Paginator):
    """Public posts a page at a time: each page holds the articles of its posts that pass verification."""

    def _get_page(self, object_list, *args, **kwargs):
        return super()._get_page(articles_from(object_list), *args, **kwargs)


class ArticleSitemap(Sitemap):
    limit = 1000

    def items(self):
        """Lazy and unverified: `paginator` verifies one page of it at a time."""
        return selectors.public_posts().order_by("-first_published_at", "-pk")

    @property
    def paginator(self):
        paginator = ArticlePaginator(self.items(), self.limit)
        paginator.count = selectors.public_post_count()  # counting what public_posts() checks costs a scan
        return paginator

    def get_latest_lastmod(self):
        # Django's default takes the newest lastmod of all items, verifying every article for the index.
        return None

    def location(self, item: Article):
        return item.url

    def lastmod(self, item: Article):
        return item.last_changed


class ReviewerSitemap(Sitemap):
    def items(self):
        return list(selectors.public_reviewers())

    def location(self, item):
        return reverse("public:reviewer", args=[item.slug])


class PageSitemap(Sitemap):
    def items(self):
        return ["public:index", "public:editorial_policy"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        if item == "public:editorial_policy":
            policy = EditorialPolicy.current()
            return policy.updated_at if policy else None
        return None


SITEMAPS = {"pages": PageSitemap, "articles": ArticleSitemap, "reviewers": ReviewerSitemap}
