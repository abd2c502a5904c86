"""The sitemap: every public article with when it last changed, the reviewers' pages and the fixed pages.

`/sitemap.xml` is an index of the sections; the articles section comes a page at a time, and only the
articles of the page asked for are verified.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from config import site
from public.articles import Article, public_article_pages
from public.models import EditorialPolicy
from review import selectors


class PublicSitemap(Sitemap):
    """Addresses on SITE_URL's host and scheme, whatever host the request named."""

    @property
    def protocol(self):
        return site.protocol()

    def get_domain(self, site_=None):
        return site.domain()


class ArticleSitemap(PublicSitemap):
    limit = 1000

    def items(self):
        """Lazy and unverified: `paginator` verifies one page of it at a time."""
        return selectors.public_posts()

    @property
    def paginator(self):
        return public_article_pages(self.limit)

    def get_latest_lastmod(self):
        # Django's default takes the newest lastmod of all items, verifying every article for the index.
        return None

    def location(self, item: Article):
        return item.url

    def lastmod(self, item: Article):
        return item.last_changed


class ReviewerSitemap(PublicSitemap):
    def items(self):
        return list(selectors.public_reviewers())

    def location(self, item):
        return reverse("public:reviewer", args=[item.slug])


class PageSitemap(PublicSitemap):
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
