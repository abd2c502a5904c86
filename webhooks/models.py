"""Webhook subscriptions, and the log of every message sent to them with each attempt."""

import uuid

from django.db import models
from django.utils import timezone

from webhooks.signing import new_secret


class Event(models.TextChoices):
    PUBLISHED = "article.published", "An article is published"
    UPDATED = "article.updated", "A new version of a published article goes live"
    UNPUBLISHED = "article.unpublished", "An article is unpublished"
    REVIEW_LAPSED = "article.review_lapsed", "An article's review has lapsed (a re-review is due)"
    REVIEW_RENEWED = "article.review_renewed", "A published article is reviewed again (new review date)"


class Subscription(models.Model):
    url = models.URLField("URL", max_length=500, help_text="Where to POST each event, e.g. "
                          "https://www.example-clinic.sg/medreview-hook. Redirects are not followed.")
    description = models.CharField(max_length=200, blank=True)
    secret = models.CharField(max_length=100, default=new_secret, editable=False,
                              help_text="Give this to the receiving site: it checks each delivery's signature with it.")
    events = models.JSONField(default=list, help_text="Which events to send.")
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["url"]

    def __str__(self):
        return self.description or self.url

    def wants(self, event: str) -> bool:
        return self.is_active and event in self.events


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class Delivery(models.Model):
    """One message to one subscriber, sent until it is accepted (any 2xx) or the retries run out."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        RETRYING = "retrying", "Failed; will retry"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed; retries used up"

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=Event.choices)
    message_id = models.CharField(max_length=40, unique=True, default=new_message_id, editable=False)
    # The body exactly as sent (and signed), every attempt alike.
    payload = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self):
        return f"{self.event} to {self.subscription} ({self.message_id})"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RETRYING)

    @property
    def may_send_again(self) -> bool:
        """Every message not yet accepted may be sent again; a delivered one never is."""
        return self.status != self.Status.DELIVERED


class Attempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    attempted_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveIntegerField(null=True, blank=True, help_text="The receiver's HTTP status.")
    error = models.CharField(max_length=500, blank=True, help_text="Why the receiver could not be reached.")
    response = models.CharField(max_length=500, blank=True, help_text="The start of the receiver's answer.")
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-attempted_at", "-pk"]

    def __str__(self):
        return f"{self.delivery.message_id} at {self.attempted_at:%Y-%m-%d %H:%M:%S}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
