"""Time-driven work: publishing scheduled posts, announcing due re-reviews and the reviewers' daily digest, safe on
several machines at once (`tick`, run by the background worker each minute and by `manage.py workflow_tick`); and
keeping each live post's review-due date (`Workflow.review_due_at`) true when what it depends on changes."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from background import jobs
from background.models import Once
from config.site import absolute_url
from review import attestations, audit, checkpoints, key_check, notifications, queue, rules, signals
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
        queue.forget_counts()  # an update sends no save signal


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


def digest_posts(user, now=None):
    """What waits for this reviewer: posts assigned to them, and posts nobody has claimed that they may review,
    the longest-waiting first (the same rules as the queue's tabs)."""
    waiting = queue.assigned_to(user, now) | rules.claimable(user, now)
    return waiting.select_related("post__current_revision").order_by("submitted_at", "pk").distinct()


def send_digests(now=None) -> list[int]:
    """Once a day, from REVIEW_DIGEST_HOUR, email each reviewer who has work waiting one list of it (never one
    email per post). Each reviewer's day is claimed in the transaction that queues their email, so several workers
    on several machines send it once. Returns the ids of the reviewers emailed."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < settings.REVIEW_DIGEST_HOUR:
        return []
    sent = []
    day = f"digest:{local.date().isoformat()}:"
    done = Once.objects.filter(key__startswith=day).values_list("key", flat=True)  # sent today: skip the reads
    reviewers = (get_user_model().objects.filter(is_active=True, reviewer_profile__is_active=True)
                 .exclude(email="").exclude(pk__in=[int(key.removeprefix(day)) for key in done])
                 .select_related("reviewer_profile").order_by("pk"))
    for user in reviewers:
        if not rules.reviewer_may_act(user):
            continue
        posts = [{"title": w.post.title, "link": absolute_url(reverse("review:post", args=[w.post_id])),
                  "state": w.get_state_display(), "assigned": w.assignee_id == user.pk,
                  "since": w.submitted_at or w.review_due_at} for w in digest_posts(user, now)]
        if not posts:
            continue
        with transaction.atomic():
            if not jobs.once(f"{day}{user.pk}"):
                continue
            count = len(posts)
            notifications.queue_email(
                f"{count} article{'s' if count != 1 else ''} waiting for your review", [user.email],
                {"user": user, "posts": posts, "date": local.date(), "queue_link": absolute_url(reverse("review:queue"))},
                template="review/email/digest")
            sent.append(user.pk)
    return sent


def tick(now=None) -> dict:
    """The periodic work: publish due scheduled posts, flag due re-reviews, send the daily digests, checkpoint the
    audit chain and attest articles published without an attestation. Each part is safe on several machines at
    once and leaves nothing half-done if its process dies (each post is its own transaction)."""
    problem = key_check.problem()
    if problem:
        raise RuntimeError(problem)
    published = publish_due()
    flagged = flag_rereviews_due(now)
    digests = send_digests(now)
    checkpoint = checkpoints.checkpoint_now()
    attested = attestations.attest_missing()
    return {"published": published, "flagged": flagged, "digests": digests,
            "checkpoint": checkpoint and {"seq": checkpoint["seq"], "time": checkpoint["time"]},
            "attested": [a.pk for a in attested or []]}
