"""Which workflow changes are webhook events, and what each one says. Connected to review.signals in apps.py.

An event names the article and where to read it; the receiver reads it from the API, which applies the public
site's check, so a webhook never carries words that are not shown.
"""

from django.urls import reverse
from django.utils import timezone

from config.site import absolute_url
from webhooks.deliveries import emit
from webhooks.models import Event

GO_LIVE = {"publish", "publish_scheduled"}


def when(moment) -> str | None:
    """A moment as the API writes it: ISO 8601 in the site's time zone."""
    return timezone.localtime(moment).isoformat() if moment else None


def addresses(post) -> dict:
    return {"slug": post.slug, "url": absolute_url(reverse("public:article", args=[post.slug])),
            "api_url": absolute_url(reverse("api:article", args=[post.slug]))}


def live_facts(post) -> dict:
    """What the live version is: its signed title and content hash, and when it went live."""
    return {**addresses(post), "title": post.live_revision.title,
            "content_hash": post.live_revision.content_hash, "published_at": when(post.published_at)}


def on_transition(*, workflow, name, was_live, **kwargs):
    post = workflow.post
    if name in GO_LIVE:
        emit(Event.UPDATED if was_live else Event.PUBLISHED, live_facts(post))
    elif name == "unpublish" and was_live:
        # Only the address: the post's working copy may hold words nobody signed.
        emit(Event.UNPUBLISHED, addresses(post))
    elif name == "renew_review":
        emit(Event.REVIEW_RENEWED, {**live_facts(post), "next_review_due": when(workflow.review_due_at)})


def on_review_lapsed(*, workflow, **kwargs):
    emit(Event.REVIEW_LAPSED, {**live_facts(workflow.post), "review_due_at": when(workflow.review_due_at)})
