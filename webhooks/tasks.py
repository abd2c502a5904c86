"""Webhook deliveries as background tasks (django-tasks); the worker runs them, retries included."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from webhooks import deliveries


@task()
def deliver(delivery_id: int) -> str:
    """One attempt at one delivery; a failure queues the next attempt after its delay (webhooks.deliveries)."""
    return deliveries.attempt(delivery_id)


@task()
def send_overdue() -> int:
    """Each period (TASKS_PERIODIC): the safety net for a retry whose task was lost. Only deliveries overdue by more
    than a task's lease are queued again, so a retry merely waiting for a busy worker is not sent twice."""
    return deliveries.send_due(timezone.now() - timedelta(seconds=settings.TASKS_LEASE_SECONDS))
