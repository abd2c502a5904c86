"""The RSS feed of the newest reviewed articles."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from config.site import absolute_url
from public.articles import Article, articles_from
from review.selectors import public_posts

FEED_SIZE = 20


class LatestArticlesFeed(Feed):
    """Its links are absolute from SITE_URL: Django would otherwise complete them with the request's host."""

    def link(self):
        return absolute_url(reverse("public:index"))

    def feed_url(self):
        return absolute_url(reverse("public:feed"))

    def title(self):
        return f"{settings.SITE_NAME}: medically reviewed articles"

    def description(self):
        return "New articles, each signed off by a medical reviewer before publication."

    def items(self):
        return articles_from(public_posts()[:FEED_SIZE])

    def item_title(self, item: Article):
        return item.title

    def item_description(self, item: Article):
        """Plain text: readers treat <description> as HTML, so its characters are escaped as HTML first."""
        review = item.review
        signed = timezone.localtime(review.signed_at).strftime("%-d %b %Y")
        return escape(f"{item.summary}\n\nMedically reviewed by {review.printed_name}, {review.credentials}, "
                      f"on {signed}.")

    def item_link(self, item: Article):
        return absolute_url(item.url)

    def item_guid(self, item: Article):
        return f"medreview-post-{item.post.pk}"

    item_guid_is_permalink = False

    def item_author_name(self, item: Article):
        return item.author_name

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.modified_at
