"""Webhook deliveries as background tasks (django-tasks); the worker runs them, retries included."""

from django_tasks import task

from webhooks import deliveries


@task()
def deliver(delivery_id: int) -> str:
    """One attempt at one delivery; a failure queues the next attempt after its delay (webhooks.deliveries)."""
    return deliveries.attempt(delivery_id)
