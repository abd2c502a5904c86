"""Webhook deliveries over real HTTP on loopback: signed, run by the background worker, retried with backoff."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from review.states import State
from webhooks.deliveries import emit, send_due
from webhooks.models import Delivery, Event

# Deliveries commit, queue their task on commit and run in the worker: real transactions, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def database_tasks(settings):
    """Tasks are rows in the database, run by a worker, as deployed (the rest of the suite runs them at once)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def delivery_tasks():
    return DBTaskResult.objects.filter(task_path="webhooks.tasks.deliver")


def test_webhook_delivery_is_queued_with_the_transaction_that_makes_it(subscription, receiver, run_worker):
    with pytest.raises(RuntimeError), transaction.atomic():
        emit(Event.PUBLISHED, {"slug": "acne"})
        # Written in the same transaction as the delivery: a worker dying just after the commit cannot lose it.
        assert delivery_tasks().count() == 1
        raise RuntimeError("the publication failed")
    assert (Delivery.objects.count(), delivery_tasks().count()) == (0, 0)
    run_worker()
    assert receiver.received == []

    with transaction.atomic():
        emit(Event.PUBLISHED, {"slug": "acne"})
    run_worker()
    assert [r.message["data"] for r in receiver.received] == [{"slug": "acne"}]


def test_webhook_delivery_is_signed_and_reaches_the_receiver(post_in, subscription, receiver, run_worker):
    post = post_in(State.PUBLISHED)

    run_worker()

    [got] = receiver.received
    assert got.signature_valid
    assert got.headers["content-type"] == "application/json"
    delivery = Delivery.objects.get()
    assert got.headers["webhook-id"] == delivery.message_id
    assert abs(int(got.headers["webhook-timestamp"]) - timezone.now().timestamp()) < 60
    assert got.message["type"] == "article.published"
    assert got.message["data"]["slug"] == post.slug
    assert got.message["data"]["api_url"] == f"http://testserver/api/v1/articles/{post.slug}/"
    assert got.message["data"]["content_hash"] == post.live_revision.content_hash
    assert (delivery.status, delivery.attempts) == (Delivery.Status.DELIVERED, 1)
    assert [a.status_code for a in delivery.attempt_log.all()] == [204]


def test_webhook_receiver_that_fails_then_recovers_gets_the_message_once_delivered(
        settings, post_in, subscription, receiver, run_worker):
    settings.WEBHOOK_RETRY_DELAYS = [0, 0, 0]  # retries due at once, so one run of the worker sees them all
    receiver.answers = [500, 503]

    post_in(State.PUBLISHED)
    run_worker()

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.DELIVERED, 3)
    assert [a.status_code for a in delivery.attempt_log.order_by("attempted_at", "pk")] == [500, 503, 204]
    # Every attempt is the same message (one id, one body) and each is signed afresh.
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1
    assert len({r.body for r in receiver.received}) == 1
    assert all(r.signature_valid for r in receiver.received)


def test_webhook_retry_waits_its_backoff_delay(settings, post_in, subscription, receiver, run_worker):
    settings.WEBHOOK_RETRY_DELAYS = [300, 1800]
    receiver.answers = [502]

    post_in(State.PUBLISHED)
    run_worker()

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.RETRYING and len(receiver.received) == 1
    waiting = DBTaskResult.objects.get(status="READY")
    assert waiting.run_after == delivery.next_attempt_at
    assert timedelta(seconds=290) < delivery.next_attempt_at - timezone.now() <= timedelta(seconds=300)

    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())  # five minutes pass
    run_worker()

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED and len(receiver.received) == 2


def test_webhook_delivery_gives_up_after_its_retries_and_can_be_sent_again(
        settings, admin_client, post_in, subscription, receiver, run_worker):
    settings.WEBHOOK_RETRY_DELAYS = [0]
    receiver.answers = [500, 500]

    post_in(State.PUBLISHED)
    run_worker()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 2)

    log = admin_client.get(f"/admin/webhooks/delivery/{delivery.pk}/change/").content.decode()
    assert delivery.message_id in log and "500" in log
    admin_client.post("/admin/webhooks/delivery/", {"action": "send_again", "_selected_action": [delivery.pk]})
    run_worker()

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    assert [r.headers["webhook-id"] for r in receiver.received] == [delivery.message_id] * 3


def test_webhook_redirect_is_not_followed(post_in, subscription, receiver, run_worker, settings):
    settings.WEBHOOK_RETRY_DELAYS = []
    receiver.answers = [302]

    post_in(State.PUBLISHED)
    run_worker()

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert [a.status_code for a in delivery.attempt_log.all()] == [302]
    assert len(receiver.received) == 1


def test_webhook_unreachable_receiver_is_logged_and_retried(settings, post_in, subscription, run_worker):
    settings.WEBHOOK_RETRY_DELAYS = [600]
    subscription.url = "http://127.0.0.1:9/nobody-listens"
    subscription.save()

    post_in(State.PUBLISHED)
    run_worker()

    delivery = Delivery.objects.get()
    [attempt] = delivery.attempt_log.all()
    assert delivery.status == Delivery.Status.RETRYING
    assert attempt.status_code is None and attempt.error


def test_webhook_retry_whose_task_was_lost_is_sent_by_send_due(post_in, subscription, receiver, run_worker):
    post_in(State.PUBLISHED)
    DBTaskResult.objects.all().delete()  # as if the worker's queue had lost it
    Delivery.objects.update(status=Delivery.Status.RETRYING, next_attempt_at=timezone.now() - timedelta(seconds=1))

    assert send_due() == 1
    run_worker()

    assert Delivery.objects.get().status == Delivery.Status.DELIVERED and len(receiver.received) == 1


def test_webhook_periodic_safety_net_requeues_only_retries_overdue_past_a_lease(settings, post_in, subscription,
                                                                              receiver, run_worker):
    from webhooks.tasks import send_overdue

    assert "webhooks.tasks.send_overdue" in settings.TASKS_PERIODIC
    post_in(State.PUBLISHED)
    DBTaskResult.objects.all().delete()  # as if the worker's queue had lost it
    waiting = timezone.now() - timedelta(seconds=settings.TASKS_LEASE_SECONDS // 2)
    Delivery.objects.update(status=Delivery.Status.RETRYING, next_attempt_at=waiting)

    assert send_overdue.call() == 0  # due a moment ago: its task may just be waiting for a busy worker

    Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=settings.TASKS_LEASE_SECONDS + 1))
    assert send_overdue.call() == 1
    run_worker()
    assert Delivery.objects.get().status == Delivery.Status.DELIVERED and len(receiver.received) == 1
