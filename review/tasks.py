"""The review workflow's background tasks (Django's tasks framework): sending an email, and the periodic tick."""

import logging

from django.conf import settings
from django_tasks import task

from background import jobs

logger = logging.getLogger(__name__)


@task()
def deliver_email(*, subject: str, to: list[str], text: str, html: str, key: str, post_id: int | None = None,
                  attempt: int = 1) -> None:
    """Send one email; when the mail server refuses it, try again later (EMAIL_RETRY_DELAYS), and after the last
    attempt record the failure in the audit trail. Each failed attempt shows in the admin with its error."""
    from content.models import Post
    from review import notifications

    message = {"subject": subject, "to": to, "text": text, "html": html}
    try:
        notifications.deliver(**message)
    except Exception as exc:
        if jobs.retry_later(deliver_email, attempt=attempt, delays=settings.EMAIL_RETRY_DELAYS, key=key,
                            post_id=post_id, **message):
            logger.warning("Attempt %d at %r failed (%s); trying again later.", attempt, subject, exc)
        else:
            notifications.give_up(subject, to, Post.objects.filter(pk=post_id).first(), exc, attempts=attempt)
        raise


@task()
def workflow_tick() -> dict:
    """The periodic work (`manage.py workflow_tick` does the same by hand); safe on several workers at once."""
    from review.services import scheduler

    return scheduler.tick()
