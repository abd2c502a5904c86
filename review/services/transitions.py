"""The one path of every state change: lock, check the form is current, check, run, save, audit, notify."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from claims.models import FindingJustification
from content.models import Post
from review import audit, findings, messages, notifications, signals
from review.models import Workflow
from review.services.errors import StaleAction, SubmitBlocked, WorkflowError


def lock(post: Post) -> Workflow:
    """The post's workflow, locked for this transaction, with the post fresh from the database.

    Only the workflow row is locked (`of=("self",)`): locking the joined post row too made
    PostgreSQL deadlock with any transaction that wrote a row pointing at the post (a comment,
    an audit event) and so checked its deferred foreign key at commit while holding the audit head.
    """
    workflow = Workflow.objects.select_for_update(of=("self",)).select_related("post").get(post_id=post.pk)
    workflow.post.refresh_from_db()
    return workflow


def conflict(workflow: Workflow, user=None) -> str:
    last = workflow.post.audit_events.order_by("-seq").first()
    return messages.conflict(last, workflow.get_state_display(), user=user)


def check_current(workflow: Workflow, *, user=None, expected_state: str | None = None,
                  expected_revision: int | None = None) -> None:
    """Refuse (409) a form loaded for another state or another version of the post than the one it has now."""
    if expected_state is not None and workflow.state != expected_state:
        raise StaleAction(conflict(workflow, user))
    if expected_revision is not None and workflow.post.current_revision_id != expected_revision:
        raise StaleAction(conflict(workflow, user))


def save_workflow(workflow: Workflow, user=None) -> None:
    try:
        workflow.changed_at = timezone.now()
        workflow.save()
    except ConcurrentTransition as exc:
        raise StaleAction(conflict(workflow, user)) from exc


def run(workflow: Workflow, name: str, *, user, detail: dict | None = None, during=None, **kwargs) -> Workflow:
    """On a locked workflow: check the transition and its permission, run it, let `during(workflow)` add its
    side effects (returning more audit detail, or None), save, audit and queue notifications.

    `user` is None only for the scheduler, whose transitions carry no permission.
    """
    method = getattr(workflow, name)
    if not can_proceed(method):
        raise WorkflowError(messages.refusal(workflow, name))
    if user is not None and not has_transition_perm(method, user):
        raise PermissionDenied(messages.not_permitted(name))
    from_state = workflow.state
    was_live = workflow.post.is_live
    method(**kwargs)
    if during is not None:
        detail = {**(detail or {}), **(during(workflow) or {})}
    save_workflow(workflow, user)
    workflow.post.save()
    from review.services import scheduler  # the scheduler runs transitions too

    scheduler.refresh_review_due(workflow)
    revision = workflow.post.current_revision
    audit.record(
        name, actor=user, post=workflow.post, from_state=from_state, to_state=workflow.state,
        revision_hash=revision.content_hash if revision else "", detail=detail,
    )
    notifications.queue(name, workflow=workflow, actor=user)
    signals.post_transitioned.send(sender=Workflow, workflow=workflow, name=name, was_live=was_live, actor=user)
    return workflow


@transaction.atomic
def transition_post(post: Post, name: str, *, user, expected_state: str | None = None,
                    expected_revision: int | None = None, detail: dict | None = None, during=None,
                    **kwargs) -> Workflow:
    """Run the transition `name` on `post` for `user`, if the form was loaded for the post as it is now."""
    workflow = lock(post)
    check_current(workflow, user=user, expected_state=expected_state, expected_revision=expected_revision)
    return run(workflow, name, user=user, detail=detail, during=during, **kwargs)


JUSTIFICATION_MAX_CHARS = 2000


def claims_gate(user, justifications: dict[str, str] | None):
    """A `during` step for submit and resubmit: refuse while a `block` finding stands unjustified; store and
    audit the writer's new reasons."""

    def gate(workflow: Workflow):
        revision = workflow.post.current_revision
        found = findings.revision_findings(revision)
        if not any(f.is_block for f in found):
            return None
        recorded = findings.justifications_by_key(revision)
        added = []
        for finding in found:
            if not finding.is_block or finding.key in recorded:
                continue
            reason = ((justifications or {}).get(finding.key) or "").strip()
            if len(reason) > JUSTIFICATION_MAX_CHARS:
                raise ValidationError({"justifications": messages.justification_too_long(JUSTIFICATION_MAX_CHARS)})
            if reason:
                added.append(FindingJustification.objects.create(
                    revision=revision, field=finding.field, rule=finding.rule, text=finding.text,
                    start=finding.start, end=finding.end, justification=reason, author=user,
                ))
        missing = findings.unjustified_blocks(found, {*recorded, *(findings.justification_key(j) for j in added)})
        if missing:
            raise SubmitBlocked(messages.submit_blocked(findings.describe(missing)), missing)
        for justification in added:
            audit.record("justify", actor=user, post=workflow.post, from_state=workflow.state,
                         to_state=workflow.state, revision_hash=revision.content_hash,
                         detail={"justification_id": justification.pk, **findings.justification_record(justification)})
        return None

    return gate


def post_submit(post, *, user, expected_state=None, expected_revision=None,
                justifications: dict[str, str] | None = None):
    """Send a draft to the reviewers; `justifications` maps finding keys (review.findings) to the writer's reasons."""
    return transition_post(post, "submit", user=user, expected_state=expected_state,
                           expected_revision=expected_revision, during=claims_gate(user, justifications))


def post_resubmit(post, *, user, expected_state=None, expected_revision=None,
                  justifications: dict[str, str] | None = None):
    return transition_post(post, "resubmit", user=user, expected_state=expected_state,
                           expected_revision=expected_revision, during=claims_gate(user, justifications))


def post_withdraw(post, *, user, expected_state=None, expected_revision=None):
    return transition_post(post, "withdraw", user=user, expected_state=expected_state,
                           expected_revision=expected_revision)


def post_publish(post, *, user, expected_state=None, expected_revision=None):
    return transition_post(post, "publish", user=user, expected_state=expected_state,
                           expected_revision=expected_revision)


def post_schedule(post, *, user, when, expected_state=None, expected_revision=None):
    if when <= timezone.now():
        raise ValidationError({"when": messages.FUTURE_TIME})
    return transition_post(post, "schedule", user=user, expected_state=expected_state,
                           expected_revision=expected_revision, when=when,
                           detail={"scheduled_for": when.isoformat()})


def post_unschedule(post, *, user, expected_state=None, expected_revision=None):
    return transition_post(post, "unschedule", user=user, expected_state=expected_state,
                           expected_revision=expected_revision)


def post_unpublish(post, *, user, expected_state=None, expected_revision=None):
    return transition_post(post, "unpublish", user=user, expected_state=expected_state,
                           expected_revision=expected_revision)


def post_archive(post, *, user, expected_state=None, expected_revision=None):
    return transition_post(post, "archive", user=user, expected_state=expected_state,
                           expected_revision=expected_revision)


def post_restore(post, *, user, expected_state=None, expected_revision=None):
    return transition_post(post, "restore", user=user, expected_state=expected_state,
                           expected_revision=expected_revision)


def post_request_changes(post, *, user, comment: str, expected_state=None, expected_revision=None,
                         quote: dict | None = None):
    """Send the post back to its author; a comment saying what to change is required. Returns the comment."""
    from review.services.comments import check_comment_length, comment_create

    if not (comment or "").strip():
        raise ValidationError({"comment": messages.SAY_WHAT_CHANGES})
    check_comment_length(comment, field="comment")
    made = []

    def add_comment(workflow):
        made.append(comment_create(post=workflow.post, user=user, body=comment, quote=quote))
        return {"comment_id": made[0].pk}

    transition_post(post, "request_changes", user=user, expected_state=expected_state,
                    expected_revision=expected_revision, during=add_comment)
    return made[0]
