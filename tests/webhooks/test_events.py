"""Which workflow changes send which webhook event, to whom, saying what."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from review import services
from review.states import State
from tests.factories import PASSWORD, make_review_due
from webhooks.models import Delivery, Event, Subscription


@pytest.fixture
def subscribed(db):
    return Subscription.objects.create(url="https://www.example-clinic.sg/hook", events=list(Event.values))


def sent(event=None) -> list[dict]:
    deliveries = Delivery.objects.order_by("pk")
    return [json.loads(d.payload) for d in deliveries if event is None or d.event == event]


def republish(post, *, author, reviewer, publisher, title):
    services.post_save_draft(post, user=author, title=title, summary="", body="Updated aftercare advice.")
    services.post_submit(post, user=author)
    services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    services.post_publish(post, user=publisher)


def test_webhook_publish_sends_article_published(subscribed, post_in):
    post = post_in(State.PUBLISHED)

    [message] = sent()
    assert message["type"] == "article.published"
    assert message["data"] == {
        "slug": post.slug, "url": f"http://testserver/blog/{post.slug}/",
        "api_url": f"http://testserver/api/v1/articles/{post.slug}/", "title": post.live_revision.title,
        "content_hash": post.live_revision.content_hash, "published_at": timezone.localtime(post.published_at).isoformat()}


def test_webhook_new_live_version_sends_article_updated(subscribed, post_in, author, reviewer, publisher):
    post = post_in(State.PUBLISHED)

    republish(post, author=author, reviewer=reviewer, publisher=publisher, title="Aftercare, revised")

    assert [m["type"] for m in sent()] == ["article.published", "article.updated"]
    assert sent("article.updated")[0]["data"]["title"] == "Aftercare, revised"


def test_webhook_edit_before_review_sends_nothing(subscribed, post_in, author):
    post = post_in(State.PUBLISHED)

    services.post_save_draft(post, user=author, title="Unreviewed title", summary="", body="Unreviewed words.")
    services.post_submit(post, user=author)

    assert [m["type"] for m in sent()] == ["article.published"]
    assert "Unreviewed" not in json.dumps(sent())


def test_webhook_unpublish_sends_only_the_address(subscribed, post_in, author, publisher):
    post = post_in(State.PUBLISHED)
    services.post_save_draft(post, user=author, title="Draft title nobody signed", summary="", body="Draft.")

    services.post_unpublish(post, user=publisher, reason="Out of date.")

    [message] = sent("article.unpublished")
    assert message["data"] == {"slug": post.slug, "url": f"http://testserver/blog/{post.slug}/",
                               "api_url": f"http://testserver/api/v1/articles/{post.slug}/"}


def test_webhook_lapsed_review_sends_article_review_lapsed_once(subscribed, post_in):
    post = post_in(State.PUBLISHED)
    make_review_due(post)

    services.flag_rereviews_due()
    services.flag_rereviews_due()

    [message] = sent("article.review_lapsed")
    assert message["data"]["slug"] == post.slug and message["data"]["review_due_at"]


def test_webhook_renewed_review_sends_article_review_renewed(subscribed, post_in, reviewer):
    post = post_in(State.PUBLISHED)
    make_review_due(post)

    services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)

    [message] = sent("article.review_renewed")
    assert message["data"]["content_hash"] == post.live_revision.content_hash


def test_webhook_goes_only_to_active_subscriptions_that_want_the_event(db, post_in, publisher):
    wants_unpublish = Subscription.objects.create(url="https://a.example/hook", events=["article.unpublished"])
    Subscription.objects.create(url="https://b.example/hook", events=list(Event.values), is_active=False)
    post = post_in(State.PUBLISHED)

    services.post_unpublish(post, user=publisher, reason="Out of date.")

    assert [(d.subscription, d.event) for d in Delivery.objects.all()] == [(wants_unpublish, "article.unpublished")]


def test_webhook_is_not_sent_when_the_change_is_refused(subscribed, post_in, author):
    post = post_in(State.APPROVED)

    with pytest.raises(PermissionDenied):
        services.post_publish(post, user=author)  # an author may not publish

    assert sent() == []
