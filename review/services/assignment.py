"""Who works on a waiting post: a reviewer claims it, or a publisher assigns it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from review import audit, messages, notifications, rules
from review.models import Workflow
from review.services.errors import StaleAction, WorkflowError
from review.services.transitions import check_current, lock


def set_assignee(workflow: Workflow, reviewer) -> None:
    workflow.assignee = reviewer
    workflow.changed_at = timezone.now()
    workflow.save(update_fields=["assignee", "changed_at"])


@transaction.atomic
def post_claim(post, *, user, expected_state: str | None = None, expected_revision: int | None = None) -> Workflow:
    """A reviewer takes a waiting post, so colleagues see it is being handled."""
    workflow = lock(post)
    check_current(workflow, user=user, expected_state=expected_state, expected_revision=expected_revision)
    if workflow.assignee_id == user.pk:
        return workflow
    if workflow.assignee_id is not None:
        raise StaleAction(messages.already_taken(audit.actor_label(workflow.assignee)))
    if not rules.waits_for_reviewer(workflow):
        raise WorkflowError(messages.not_waiting(workflow))
    if not rules.may_claim(workflow, user):
        if rules.reviewer_lapsed(user):
            raise PermissionDenied(messages.registration_lapsed(user.reviewer_profile.verified_until))
        raise PermissionDenied(messages.INVOLVED if rules.is_reviewer(user) else messages.NOT_A_REVIEWER)
    set_assignee(workflow, user)
    audit.record("claim", actor=user, post=workflow.post, from_state=workflow.state, to_state=workflow.state,
                 detail={"assignee": user.pk})
    return workflow


@transaction.atomic
def post_assign(post, *, user, reviewer, expected_state: str | None = None,
                expected_revision: int | None = None) -> Workflow:
    """A publisher hands a waiting post to a named reviewer, who is told by email."""
    workflow = lock(post)
    check_current(workflow, user=user, expected_state=expected_state, expected_revision=expected_revision)
    if not rules.is_publisher(user):
        raise PermissionDenied(messages.ONLY_PUBLISHERS_ASSIGN)
    if not rules.may_assign(workflow, user):
        raise WorkflowError(messages.not_waiting(workflow))
    if reviewer is None or not rules.may_be_assigned(workflow, reviewer):
        raise ValidationError({"reviewer": messages.CHOOSE_REVIEWER})
    if workflow.assignee_id == reviewer.pk:
        return workflow
    set_assignee(workflow, reviewer)
    audit.record("assign", actor=user, post=workflow.post, from_state=workflow.state, to_state=workflow.state,
                 detail={"assignee": reviewer.pk})
    notifications.queue("assign", workflow=workflow, actor=user)
    return workflow
