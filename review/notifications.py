"""Emails about the workflow and the accounts: rendered when the action happens, sent by a background task once
its transaction commits, retried with backoff; a failure never undoes the action, and a mail that finally fails is
recorded in the audit trail.

To send a new kind of email, write `review/templates/<name>.txt` and `.html` and call
`queue_email(subject, to, context, template=<name>)` inside the action's transaction."""

import logging
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from background import jobs
from config.site import absolute_url
from review import audit
from review.models import Signature

logger = logging.getLogger(__name__)

SUBJECTS = {
    "archive": "Archived: {title}",
    "restore": "Restored: {title}",
    "submit": "Waiting for your review: {title}",
    "resubmit": "Revised and waiting for your review: {title}",
    "request_changes": "Changes requested: {title}",
    "approve": "Approved: {title}",
    "publish": "Published: {title}",
    "publish_scheduled": "Published on schedule: {title}",
    "rereview_due": "Re-review due: {title}",
    "assign": "Assigned to you for review: {title}",
    "unpublish": "Taken off the site: {title}",
}

DEFAULT_TEMPLATE = "review/email/notification"

# Who acts next on the email's news: reviewers open the review page, authors their editor.
FOR_REVIEWERS = {"submit", "resubmit", "rereview_due", "assign"}


def reviewer_emails(workflow) -> list[str]:
    if workflow.assignee_id and workflow.assignee.email:
        return [workflow.assignee.email]
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True, reviewer_profile__is_active=True)
        .exclude(pk=workflow.post.author_id)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def recipients(action: str, workflow) -> list[str]:
    if action in {"archive", "restore"}:  # the author hears what became of their post
        return [workflow.post.author.email] if workflow.post.author.email else []
    if action == "assign":
        return [workflow.assignee.email] if workflow.assignee_id and workflow.assignee.email else []
    if action in {"submit", "resubmit", "rereview_due"}:
        return reviewer_emails(workflow)
    if action in {"request_changes", "approve", "publish", "publish_scheduled", "unpublish"}:
        email = workflow.post.author.email
        to = [email] if email else []
        if action == "approve":  # the publisher acts next
            to += [e for e in publisher_emails() if e not in to]
        return to
    return []


def publisher_emails() -> list[str]:
    from review import rules

    return list(rules.publishers().exclude(email="").values_list("email", flat=True))


def queue(action: str, *, workflow, actor) -> None:
    """Send the email for `action` once the surrounding transaction has committed."""
    if action not in SUBJECTS:
        return
    to = recipients(action, workflow)
    if not to:
        return
    post = workflow.post
    context = {
        "action": action,
        "post": post,
        "title": post.title,
        "actor": audit.actor_label(actor),
        "state": workflow.get_state_display(),
        "site_url": settings.SITE_URL,
        "link": absolute_url(
            reverse("review:post" if action in FOR_REVIEWERS else "editor:post", args=[post.pk])
        ),
        **_details(action, workflow, actor),
    }
    queue_email(SUBJECTS[action].format(title=post.title), to, context, template=DEFAULT_TEMPLATE)


def _details(action: str, workflow, actor) -> dict:
    """What the email needs beyond the title: the reviewer's words, or who signed."""
    post = workflow.post
    if action == "request_changes":
        comment = post.comments.filter(author=actor).order_by("-created_at", "-pk").first()
        # Everything still open goes back with the post: the author needs each comment on a passage to act.
        passages = [c for c in post.comments.filter(resolved_at__isnull=True).order_by("created_at", "pk")
                    if c.pk != getattr(comment, "pk", None)]
        return {"comment": comment, "passages": passages}
    if action == "resubmit":
        from review.services import resubmit_note  # services send these emails: imported when one is written

        return {"note": resubmit_note(post)}
    if action == "approve":
        return {"signatures": Signature.objects.valid_for(post.current_revision)}
    if action == "unpublish":
        event = post.audit_events.filter(action="unpublish").order_by("-seq").values("detail").first()
        return {"reason": (event or {}).get("detail", {}).get("reason", "")}
    if action == "rereview_due" and post.live_revision_id:
        return {"signatures": Signature.objects.valid_for(post.live_revision)}
    return {}


def queue_email(subject: str, to: list[str], context: dict, *, template: str) -> None:
    """Send an email (`template`.txt and .html, rendered now with `context`) in the background once the current
    transaction commits; nothing is sent if it rolls back. Retried with backoff (EMAIL_RETRY_DELAYS)."""
    from review.tasks import deliver_email

    post = context.get("post")
    jobs.enqueue(deliver_email, key=uuid.uuid4().hex, post_id=getattr(post, "pk", None), **render(subject, to, context, template=template))


def render(subject: str, to: list[str], context: dict, *, template: str = None) -> dict:
    """The email as plain values a task can carry: subject, recipients, text and HTML bodies."""
    template = template or DEFAULT_TEMPLATE
    return {"subject": subject, "to": list(to), "text": render_to_string(f"{template}.txt", context),
            "html": render_to_string(f"{template}.html", context)}


def deliver(*, subject: str, to: list[str], text: str, html: str) -> None:
    """Hand the email to the mail server now; raises if it is refused."""
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()


def send(subject: str, to: list[str], context: dict, *, template: str = None) -> bool:
    """Send an email now, in this process, without retrying; a failure is logged and recorded, never raised."""
    try:
        deliver(**render(subject, to, context, template=template))
        return True
    except Exception as exc:  # the action stands; an administrator sees the failure
        logger.exception("Could not send %r to %s", subject, ", ".join(to))
        record_failure(subject, to, context, exc)
        return False


def give_up(subject: str, to: list[str], post, exc: Exception, *, attempts: int) -> None:
    """The last attempt at an email failed: log it (with its recipients) and record it in the audit trail."""
    logger.error("Could not send %r to %s after %d attempt(s): %s", subject, ", ".join(to), attempts, exc)
    record_failure(subject, to, {"post": post}, exc)


def record_failure(subject: str, to: list[str], context: dict, exc: Exception) -> None:
    """Put an undelivered email in the audit trail, where the admin's Audit events list shows it."""
    try:
        with transaction.atomic():
            audit.record(
                "notification_failed", post=context.get("post"),
                detail={"subject": subject, "recipients": len(to), "error": f"{type(exc).__name__}: {exc}"[:300]},
            )
    except Exception:  # the database is unreachable too; the log line above is all we can leave
        logger.exception("Could not record the failed email %r", subject)
