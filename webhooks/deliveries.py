"""Sending deliveries: one signed POST per attempt, retried with growing delays until accepted or given up."""

import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from background import jobs
from webhooks.models import Attempt, Delivery, Subscription
from webhooks.signing import signed_headers

USER_AGENT = "MedReview-Webhooks/1"


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer like any other non-2xx: the message is not delivered (and is retried)."""

    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(NoRedirects)


def message(event: str, data: dict) -> str:
    """The body of an event, as Standard Webhooks lays it out: type, timestamp, data."""
    return json.dumps({"type": event, "timestamp": timezone.localtime().isoformat(), "data": data},
                      ensure_ascii=False)


def emit(event: str, data: dict) -> list[Delivery]:
    """Queue `event` for every active subscription that wants it; sent once the caller's transaction commits."""
    body = message(event, data)
    made = [Delivery.objects.create(subscription=subscription, event=event, payload=body)
            for subscription in Subscription.objects.filter(is_active=True) if subscription.wants(event)]
    for delivery in made:
        queue(delivery)
    return made


def queue(delivery: Delivery, *, run_after=None) -> None:
    """Send the delivery (not before `run_after`) if, and only if, the caller's transaction commits."""
    from webhooks.tasks import deliver

    jobs.enqueue(jobs.deferred(deliver, run_after), delivery.pk)


def post(delivery: Delivery) -> Attempt:
    """One signed POST of the delivery's body; the attempt as it went (not yet saved)."""
    subscription = delivery.subscription
    body = delivery.payload.encode()
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT,
               **signed_headers(subscription.secret, delivery.message_id, int(time.time()), body)}
    request = urllib.request.Request(subscription.url, data=body, headers=headers, method="POST")
    attempt = Attempt(delivery=delivery, attempted_at=timezone.now())
    started = time.monotonic()
    try:
        with opener.open(request, timeout=settings.WEBHOOK_TIMEOUT) as answer:
            attempt.status_code = answer.status
            attempt.response = answer.read(500).decode(errors="replace")
    except urllib.error.HTTPError as refused:
        attempt.status_code = refused.code
        attempt.response = refused.read(500).decode(errors="replace")
    except (urllib.error.URLError, OSError, ValueError) as unreachable:
        attempt.error = str(getattr(unreachable, "reason", unreachable))[:500]
    attempt.duration_ms = round((time.monotonic() - started) * 1000)
    return attempt


def attempt(delivery_id: int) -> str:
    """Send the delivery once, unless it is delivered, given up, or another worker has just taken this attempt.
    Returns its status afterwards."""
    delivery = Delivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if delivery is None or not delivery.is_open:
        return delivery.status if delivery else "gone"
    # Take this attempt: if two workers hold the same delivery, only one moves its count on and sends.
    taken = Delivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts,
                                    status__in=[Delivery.Status.PENDING, Delivery.Status.RETRYING]
                                    ).update(attempts=delivery.attempts + 1)
    if not taken:
        return "taken"
    delivery.attempts += 1
    done = post(delivery)
    with transaction.atomic():
        done.save()
        if done.succeeded:
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
                Delivery.Status.DELIVERED, done.attempted_at, None)
        elif (delay := jobs.backoff(settings.WEBHOOK_RETRY_DELAYS, delivery.attempts)) is not None:
            delivery.status, delivery.next_attempt_at = Delivery.Status.RETRYING, timezone.now() + delay
            queue(delivery, run_after=delivery.next_attempt_at)
        else:
            delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None
        delivery.save(update_fields=["status", "delivered_at", "next_attempt_at"])
    return delivery.status


@transaction.atomic
def send_again(deliveries) -> int:
    """A publisher's "Send again": each delivery not yet delivered is sent once more now, with the same id and
    body (so a receiver that did get it drops it), and retried again on failure. Returns how many."""
    again = 0
    for delivery in deliveries:
        # A fresh round of retries (the attempts so far stay in the log), unless it was delivered meanwhile.
        reset = (Delivery.objects.filter(pk=delivery.pk).exclude(status=Delivery.Status.DELIVERED)
                 .update(status=Delivery.Status.PENDING, next_attempt_at=None, attempts=0))
        if reset:
            queue(delivery)
            again += 1
    return again


def send_due(now=None) -> int:
    """Queue every delivery whose retry time has come: for task backends that cannot run a task later
    (`supports_defer`), and as a safety net after a worker stopped mid-way. Returns how many."""
    due = Delivery.objects.filter(status__in=[Delivery.Status.PENDING, Delivery.Status.RETRYING],
                                  next_attempt_at__lte=now or timezone.now())
    count = 0
    with transaction.atomic():
        for delivery in due:
            queue(delivery)
            count += 1
    return count
