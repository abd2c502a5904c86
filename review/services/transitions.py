"""The one path of every state change: lock, check the form is current, check, run, save, audit, notify."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from claims import findings as claim_findings
from claims.models import FindingJustification
from content.models import Post, word_count
from review import audit, messages, notifications, publication, reviewing, signals
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
    event = audit.record(
        name, actor=user, post=workflow.post, from_state=from_state, to_state=workflow.state,
        revision_hash=revision.content_hash if revision else "", detail=detail,
    )
    if name in publication.RECORDING_ACTIONS:
        publisher = user if user is not None else publication.scheduled_by(workflow.post)
        workflow.publication = publication.record_publication(workflow.post, event=event, publisher=publisher)
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
        found = claim_findings.revision_findings(revision)
        if not any(f.is_block for f in found):
            return None
        recorded = claim_findings.justifications_by_key(revision)
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
        missing = claim_findings.unjustified_blocks(found, {*recorded, *(claim_findings.justification_key(j) for j in added)})
        if missing:
            raise SubmitBlocked(messages.submit_blocked(claim_findings.describe(missing)), missing)
        for justification in added:
            audit.record("justify", actor=user, post=workflow.post, from_state=workflow.state,
                         to_state=workflow.state, revision_hash=revision.content_hash,
                         detail={"justification_id": justification.pk, **claim_findings.justification_record(justification)})
        return None

    return gate


def submission_gate(user, justifications: dict[str, str] | None):
    """A `during` step for submit and resubmit: a body with no words is refused next to Body, before any
    reviewer is told; then the claims check's gate."""
    claims = claims_gate(user, justifications)

    def gate(workflow: Workflow):
        if not word_count(workflow.post.current_revision.body):
            raise ValidationError({"body": messages.EMPTY_BODY})
        return claims(workflow)

    return gate


# What the writer says they changed when resubmitting; kept in the resubmit audit event (`resubmit_note`).
NOTE_MAX_CHARS = 2000


def post_submit(post, *, user, expected_state=None, expected_revision=None,
                justifications: dict[str, str] | None = None):
    """Send a draft to the reviewers; `justifications` maps finding keys (claims.findings) to the writer's reasons."""
    return transition_post(post, "submit", user=user, expected_state=expected_state,
                           expected_revision=expected_revision, during=submission_gate(user, justifications))


def post_resubmit(post, *, user, expected_state=None, expected_revision=None,
                  justifications: dict[str, str] | None = None, note: str = ""):
    """Send the revised post back to review, with the writer's optional note of what they changed."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX_CHARS:
        raise ValidationError({"note": messages.NOTE_TOO_LONG.format(limit=NOTE_MAX_CHARS)})
    return transition_post(post, "resubmit", user=user, expected_state=expected_state,
                           expected_revision=expected_revision, detail={"note": note} if note else None,
                           during=submission_gate(user, justifications))


def resubmit_note(post) -> str:
    """What the writer said they changed when they last resubmitted the post's current version; "" if nothing.

    The one accessor of the note: the review page and the editor read it here, from the audit event that keeps it.
    """
    revision = post.current_revision
    event = (post.audit_events.filter(action="resubmit").order_by("-seq")
             .values("detail", "revision_hash").first())
    if event is None or revision is None or event["revision_hash"] != revision.content_hash:
        return ""
    return reviewing.note_of(event["detail"])


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


def post_publish_now(post, *, user, expected_state=None, expected_revision=None):
    """A scheduled post past its time that the scheduler has not published yet: publish it as scheduled, now."""
    return transition_post(post, "publish_scheduled", user=user, expected_state=expected_state,
                           expected_revision=expected_revision)


def post_unschedule(post, *, user, expected_state=None, expected_revision=None):
    return transition_post(post, "unschedule", user=user, expected_state=expected_state,
                           expected_revision=expected_revision)


UNPUBLISH_REASON_MAX_CHARS = 2000


def post_unpublish(post, *, user, reason: str, expected_state=None, expected_revision=None):
    """Take the post off the site; the reason is required, kept in the audit trail and emailed to the author."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": messages.SAY_WHY_UNPUBLISH})
    if len(reason) > UNPUBLISH_REASON_MAX_CHARS:
        raise ValidationError({"reason": messages.NOTE_TOO_LONG.format(limit=UNPUBLISH_REASON_MAX_CHARS)})
    return transition_post(post, "unpublish", user=user, expected_state=expected_state,
                           expected_revision=expected_revision, detail={"reason": reason})


def post_archive(post, *, user, expected_state=None, expected_revision=None):
    return transition_post(post, "archive", user=user, expected_state=expected_state,
                           expected_revision=expected_revision)


def post_restore(post, *, user, expected_state=None, expected_revision=None):
    """Bring an archived post back: Approved when its working copy still carries current sign-offs, else a draft."""
    return transition_post(post, "restore", user=user, expected_state=expected_state,
                           expected_revision=expected_revision)


@transaction.atomic
def post_set_due_date(post, *, user, due_date, expected_state=None, expected_revision=None) -> Workflow:
    """A publisher sets (or clears, with None) the date by which the post's review should be done."""
    from review import rules

    workflow = lock(post)
    check_current(workflow, user=user, expected_state=expected_state, expected_revision=expected_revision)
    if not rules.may_set_due_date(workflow, user):
        raise PermissionDenied(messages.not_permitted("set the review date of"))
    if due_date is not None and due_date < timezone.localdate():
        raise ValidationError({"due_date": messages.DUE_DATE_PAST})
    workflow.due_date = due_date
    workflow.save(update_fields=["due_date"])
    audit.record("set_due_date", actor=user, post=workflow.post, from_state=workflow.state, to_state=workflow.state,
                 revision_hash=workflow.post.current_revision.content_hash,
                 detail={"due_date": due_date.isoformat() if due_date else None})
    return workflow


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
