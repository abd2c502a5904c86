"""The sitemap: every public article with when it last changed, the reviewers' pages and the fixed pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from public.articles import Article, articles_from
from public.models import EditorialPolicy
from review import selectors


class ArticleSitemap(Sitemap):
    def items(self):
        return articles_from(selectors.public_posts().order_by("-first_published_at", "-pk"))

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
