"""Emails about the workflow, sent after the transaction commits; a failure never undoes the action."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from config.site import absolute_url
from review import audit, reviewing
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
}

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
    if action in {"request_changes", "approve", "publish", "publish_scheduled"}:
        email = workflow.post.author.email
        return [email] if email else []
    return []


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
    subject = SUBJECTS[action].format(title=post.title)
    transaction.on_commit(lambda: send(subject, to, context))


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
        notes = reviewing.notes_since(post, None)
        return {"note": notes[-1]["note"] if notes else ""}
    if action == "approve":
        return {"signatures": Signature.objects.valid_for(post.current_revision)}
    if action == "rereview_due" and post.live_revision_id:
        return {"signatures": Signature.objects.valid_for(post.live_revision)}
    return {}


def queue_email(subject: str, to: list[str], context: dict, *, template: str) -> None:
    """Send an email of another kind than the workflow's (`template`.txt and .html) once the transaction commits."""
    transaction.on_commit(lambda: send(subject, to, context, template=template))


def send(subject: str, to: list[str], context: dict, *, template: str = "review/email/notification") -> bool:
    try:
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"{template}.txt", context),
            to=to,
        )
        message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
        message.send()
        return True
    except Exception as exc:  # the action stands; an administrator sees the failure
        logger.exception("Could not send %r to %s", subject, ", ".join(to))
        record_failure(subject, to, context, exc)
        return False


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
