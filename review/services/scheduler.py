"""Time-driven work: publishing scheduled posts and announcing due re-reviews, safe on several machines at once;
and keeping each live post's review-due date (`Workflow.review_due_at`) true when what it depends on changes."""

from django.db import transaction
from django.utils import timezone

from review import audit, notifications, rules, signals
from review.models import ReviewPolicy, Signature, Workflow
from review.services.transitions import run
from review.states import State


def review_due_at(post, policy=None):
    """When the live version stops carrying a current sign-off, or None if it has none (then it is due now)."""
    if not post.is_live:
        return None
    policy = policy or ReviewPolicy.current()
    return rules.review_current_until(Signature.objects.valid_for(post.live_revision), policy.rereview_days)


def refresh_review_due(workflow: Workflow, policy=None) -> None:
    """Store `review_due_at` for the workflow's post as it is now (called on every transition and signature)."""
    due = review_due_at(workflow.post, policy)
    # A review current again (renewed, or a longer interval) may be announced as due again later.
    flagged = workflow.rereview_flagged_at if due is None or due <= timezone.now() else None
    if (due, flagged) != (workflow.review_due_at, workflow.rereview_flagged_at):
        workflow.review_due_at, workflow.rereview_flagged_at = due, flagged
        Workflow.objects.filter(pk=workflow.pk).update(review_due_at=due, rereview_flagged_at=flagged)


def refresh_reviews_due(workflows=None) -> int:
    """Recompute `review_due_at` for live posts (all, or the given queryset): after the policy's interval or a
    reviewer's registration dates change. Returns how many changed."""
    policy = ReviewPolicy.current()
    workflows = Workflow.objects.all() if workflows is None else workflows
    changed = 0
    for workflow in workflows.filter(post__live_revision__isnull=False).select_related("post__live_revision"):
        before = workflow.review_due_at
        refresh_review_due(workflow, policy)
        changed += workflow.review_due_at != before
    return changed


def refresh_reviews_signed_by(profile) -> int:
    """After a reviewer's registration dates changed: the live posts they signed."""
    signed = Signature.objects.filter(reviewer=profile).values("revision_id")
    return refresh_reviews_due(Workflow.objects.filter(post__live_revision__in=signed))


def publish_due() -> list[int]:
    """Publish every scheduled post whose time has come; safe to run on several machines at once."""
    now = timezone.now()
    published = []
    due = Workflow.objects.filter(state=State.SCHEDULED, scheduled_for__lte=now).values_list("post_id", flat=True)
    for post_id in list(due):
        with transaction.atomic():
            workflow = (Workflow.objects.select_for_update(skip_locked=True, of=("self",))
                        .filter(post_id=post_id, state=State.SCHEDULED, scheduled_for__lte=now)
                        .select_related("post").first())
            if workflow is None:
                continue  # another machine has it, or it was unscheduled
            run(workflow, "publish_scheduled", user=None)
            published.append(post_id)
    return published


def flag_rereviews_due(now=None) -> list[int]:
    """Announce, once per due period, each live post whose review is due (`review.rules.rereview_due`): an audit
    event and an email to the reviewers."""
    now = now or timezone.now()
    flagged = []
    candidates = Workflow.objects.filter(rules.rereview_due_q(now), rereview_flagged_at__isnull=True)
    for post_id in list(candidates.values_list("post_id", flat=True)):
        with transaction.atomic():
            # Lock only the workflow row: PostgreSQL refuses FOR UPDATE on the nullable live_revision join.
            workflow = (Workflow.objects.select_for_update(skip_locked=True, of=("self",))
                        .filter(rules.rereview_due_q(now), post_id=post_id, rereview_flagged_at__isnull=True)
                        .select_related("post", "post__live_revision").first())
            if workflow is None:
                continue
            workflow.rereview_flagged_at = now
            workflow.save(update_fields=["rereview_flagged_at"])
            lapsed = any(s.reviewer.credentials_lapsed() for s in
                         Signature.objects.filter(revision=workflow.post.live_revision).select_related("reviewer"))
            audit.record("rereview_due", post=workflow.post, from_state=workflow.state, to_state=workflow.state,
                         revision_hash=workflow.post.live_revision.content_hash,
                         detail={"due": workflow.review_due_at.isoformat() if workflow.review_due_at else None,
                                 "credentials_lapsed": lapsed})
            notifications.queue("rereview_due", workflow=workflow, actor=None)
            signals.review_lapsed.send(sender=Workflow, workflow=workflow)
            flagged.append(post_id)
    return flagged
