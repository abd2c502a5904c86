"""Who may do what to a post, and when its review is due: each rule one predicate with its queryset twin.

A predicate answers for one workflow and one user (`may_claim(workflow, user)`); its twin (`claimable(user)`)
is the queryset of every workflow for which the predicate holds. A page that asks several predicates about one
post reads who had a hand in it once (`involved_users`) and passes that set as `involved_ids`; without it, each
predicate reads it itself. The queue, the buttons, the services, the
state machine's transitions and the scheduler call these and nothing else, and
`tests/review/test_rules.py` walks role × state × relation to check that each pair agrees.

People first (no post involved), then posts.
"""

from datetime import datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django_fsm import has_transition_perm

from content.models import Post, Revision
from review.states import DECISION_STATES, EDITABLE_STATES, REOPEN_ON_EDIT_STATES, State

# --- people


def is_active_user(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_publisher(user) -> bool:
    return is_active_user(user) and user.has_perm("review.publish_post")


def is_writer(user) -> bool:
    """Writes posts of their own."""
    return is_active_user(user) and user.has_perm("content.add_post")


def publishers():
    """Every active user who may publish (`is_publisher` for each of them): who hears that a post is approved."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.with_perm("review.publish_post", is_active=True, backend="config.auth.Backend")


def uses_editor(user) -> bool:
    return is_writer(user) or is_publisher(user)


def reviewer_profile(user):
    """The user's active reviewer profile, or None."""
    if not (is_active_user(user) and user.has_perm("review.sign_post")):
        return None
    profile = getattr(user, "reviewer_profile", None)
    return profile if profile is not None and profile.is_active else None


def is_reviewer(user) -> bool:
    """A medical reviewer with an active profile: they use the queue and read what was submitted."""
    return reviewer_profile(user) is not None


def lacks_reviewer_profile(user) -> bool:
    """In the reviewer group, but without an active reviewer profile: they cannot review until an administrator
    adds one (the name, credentials and registration a signature carries)."""
    return is_active_user(user) and user.has_perm("review.sign_post") and reviewer_profile(user) is None


def reviewer_lapsed(user) -> bool:
    """A reviewer whose registration is no longer verified: they read, but act on nothing until renewed."""
    profile = reviewer_profile(user)
    return profile is not None and profile.credentials_lapsed()


def must_set_own_password(user) -> bool:
    """Someone else set this reviewer's password last (review.identity): they sign again only once they have
    chosen their own. Read from the reviewer's profile, which comes with the signed-in user."""
    profile = getattr(user, "reviewer_profile", None)
    return profile is not None and profile.password_set_by_other


def reviewer_may_act(user) -> bool:
    return is_reviewer(user) and not reviewer_lapsed(user)


# Failed signing attempts are between the signer and the administrators (a lock-out may need lifting): a post's
# timeline leaves them out for its writer and publisher.
ADMIN_ONLY_EVENTS = frozenset({"sign_failed", "signing_locked"})


def sees_admin_only_events(user) -> bool:
    return is_active_user(user) and user.is_staff


def timeline_events_q(user) -> Q:
    """The audit events a post's timeline shows `user`."""
    return Q() if sees_admin_only_events(user) else ~Q(action__in=ADMIN_ONLY_EVENTS)


# --- when a live version's review is due


def sign_off_current_until(signed_at: datetime, verified_until, rereview_days: int) -> datetime:
    """The moment one sign-off stops being current: its interval runs out, or the signer's registration
    (verified until the end of that day, local time) lapses, whichever comes first."""
    until = signed_at + timedelta(days=rereview_days)
    if verified_until is not None:
        lapses = timezone.make_aware(datetime.combine(verified_until + timedelta(days=1), time.min))
        until = min(until, lapses)
    return until


def review_current_until(signatures, rereview_days: int) -> datetime | None:
    """When the live version stops carrying a current sign-off: the latest moment any of its valid
    signatures (with their reviewer loaded) stays current; None when it has none."""
    ends = [sign_off_current_until(s.signed_at, s.reviewer.verified_until, rereview_days) for s in signatures]
    return max(ends, default=None)


def rereview_due(workflow, now: datetime | None = None) -> bool:
    """A live post whose sign-off is no longer current. `Workflow.review_due_at` holds that moment, kept by
    `review.services.scheduler.refresh_review_due` whenever a signature, the policy or a registration changes."""
    now = now or timezone.now()
    return workflow.state == State.PUBLISHED and (workflow.review_due_at is None or workflow.review_due_at <= now)


def rereview_due_q(now: datetime | None = None) -> Q:
    never_current, no_longer_current = rereview_due_parts(now)
    return never_current | no_longer_current


def rereview_due_parts(now: datetime | None = None) -> tuple[Q, Q]:
    """`rereview_due_q` as its two disjoint halves: live with no current sign-off at all, and live with one that ran
    out. A count reads each along the (state, review_due_at) index; for their OR, SQLite without statistics walks
    every live post's entry instead."""
    now = now or timezone.now()
    # Published means live: each way into Published sets the live version, and the one that takes it away
    # (unpublish) leaves Published (review.models.Workflow; the transition matrix test checks it). So the
    # workflow's own row and index answer, without reading the posts.
    live = Q(state=State.PUBLISHED)
    return live & Q(review_due_at__isnull=True), live & Q(review_due_at__lte=now)


def carries_current_signoffs(workflow, now: datetime | None = None) -> bool:
    """The working copy carries every sign-off the policy asks for, each valid and still current (`sign_off_current_until`):
    what a restored post needs to go back to Approved rather than to a draft. A condition of the state machine,
    not a permission, so it has no queryset twin."""
    from review.models import ReviewPolicy, Signature, signoffs_missing

    revision = workflow.post.current_revision
    if revision is None:
        return False
    now = now or timezone.now()
    policy = ReviewPolicy.current()
    current = [s for s in Signature.objects.valid_for(revision)
               if sign_off_current_until(s.signed_at, s.reviewer.verified_until, policy.rereview_days) > now]
    return not signoffs_missing(revision, policy, signatures=current)


def waits_for_reviewer(workflow, now=None) -> bool:
    """In review, or live with its review due: a reviewer's decision is wanted."""
    return workflow.state == State.IN_REVIEW or rereview_due(workflow, now)


def waits_for_reviewer_q(now=None) -> Q:
    return Q(state=State.IN_REVIEW) | rereview_due_q(now)


# --- posts


def _workflows() -> QuerySet:
    from review.models import Workflow

    return Workflow.objects.all()


def involved_users(post_ids) -> dict[int, set[int]]:
    """For each post, everyone who wrote or edited any version of it, or justified wording the claims check
    blocks in it: separation of duties keeps them from reviewing it. One query for any number of posts."""
    found: dict[int, set[int]] = {pk: set() for pk in post_ids}
    for post_id, *people in Revision.objects.filter(post_id__in=post_ids).values_list(
            "post_id", "post__author_id", "author_id", "finding_justifications__author_id"):
        found[post_id].update(pk for pk in people if pk is not None)
    return found


def involved(workflow, user, *, involved_ids: set[int] | None = None) -> bool:
    """Whether the user had a hand in the post. `involved_ids`: the post's entry of `involved_users`, when the
    caller has read it already."""
    if involved_ids is None:
        involved_ids = involved_users([workflow.post_id])[workflow.post_id]
    return user.pk in involved_ids


def involved_posts(user) -> QuerySet:
    """The ids of the posts the user wrote, edited or justified blocked wording in (`involved_users` the other way
    round), each part read along the author index of its own table: as many rows as the user's own posts."""
    from claims.models import FindingJustification

    written = Post.objects.filter(author=user).order_by().values("pk")
    edited = Revision.objects.filter(author=user).order_by().values("post_id")
    justified = FindingJustification.objects.filter(author=user).order_by().values("revision__post_id")
    return written.union(edited, justified)


def involved_q(user) -> Q:
    # One uncorrelated subquery the database reads once per query, and the workflow's own post_id: the queue's
    # indexes hold it, so a count of posts in review never visits the posts table.
    return Q(post__in=involved_posts(user))


def may_see(workflow, user) -> bool:
    """Publishers see every post, writers their own, reviewers every post once it was submitted."""
    if not is_active_user(user):
        return False
    return (is_publisher(user) or (is_writer(user) and workflow.post.author_id == user.pk)
            or (is_reviewer(user) and workflow.submitted_at is not None))


def seeable(user) -> QuerySet:
    if not is_active_user(user):
        return _workflows().none()
    if is_publisher(user):
        return _workflows()
    allowed = Q(pk__in=[])
    if is_writer(user):
        allowed |= Q(post__author=user)
    if is_reviewer(user):
        allowed |= Q(submitted_at__isnull=False)
    return _workflows().filter(allowed)


def may_review(workflow, user, *, involved_ids: set[int] | None = None) -> bool:
    """A reviewer who may act and had no hand in the post (whatever its state)."""
    return reviewer_may_act(user) and not involved(workflow, user, involved_ids=involved_ids)


def reviewable(user) -> QuerySet:
    if not reviewer_may_act(user):
        return _workflows().none()
    return _workflows().exclude(involved_q(user))


def may_claim(workflow, user, now=None, *, involved_ids: set[int] | None = None) -> bool:
    """Take a post nobody has yet, that waits for a reviewer."""
    return (workflow.assignee_id is None and waits_for_reviewer(workflow, now)
            and may_review(workflow, user, involved_ids=involved_ids))


def claimable(user, now=None) -> QuerySet:
    return _workflows().filter(claimable_q(user, now))


def claimable_q(user, now=None) -> Q:
    """`claimable` as a condition on a workflow row, for a list to show beside each row whether it may be claimed
    (a correlated EXISTS made PostgreSQL hash every claimable workflow first: 20 ms at 100,000 posts)."""
    if not reviewer_may_act(user):
        return Q(pk__isnull=True)  # no row: a workflow always has a key
    return ~involved_q(user) & waits_for_reviewer_q(now) & Q(assignee__isnull=True)


def may_sign(workflow, user, now=None, *, involved_ids: set[int] | None = None,
             signer_ids: set[int] | None = None) -> bool:
    """Sign the version in review (once per signer), or the live version when its review is due. `signer_ids`:
    everyone with a signature recorded against the working copy, valid or not, when the caller has read them."""
    if not may_review(workflow, user, involved_ids=involved_ids):
        return False
    if workflow.state == State.IN_REVIEW:
        if signer_ids is not None:
            return user.pk not in signer_ids
        from review.models import Signature

        return not Signature.objects.filter(revision_id=workflow.post.current_revision_id, signer=user).exists()
    return rereview_due(workflow, now)


def signable(user, now=None) -> QuerySet:
    from review.models import Signature

    signed = Signature.objects.filter(signer=user).values("revision_id")
    return reviewable(user).filter(
        (Q(state=State.IN_REVIEW) & ~Q(post__current_revision__in=signed)) | rereview_due_q(now))


def may_request_changes(workflow, user, *, involved_ids: set[int] | None = None) -> bool:
    """Send the version in review back, or a live post (which then gets a new working draft)."""
    return workflow.state in DECISION_STATES and may_review(workflow, user, involved_ids=involved_ids)


def changes_requestable(user) -> QuerySet:
    return reviewable(user).filter(state__in=DECISION_STATES)


def may_write(workflow, user) -> bool:
    """Authors write their own posts; publishers may edit any (the state decides whether now)."""
    return is_active_user(user) and user.has_perm("content.change_post") and (
        workflow.post.author_id == user.pk or is_publisher(user))


def writable(user) -> QuerySet:
    if not (is_active_user(user) and user.has_perm("content.change_post")):
        return _workflows().none()
    return _workflows() if is_publisher(user) else _workflows().filter(post__author=user)


def may_edit(workflow, user) -> bool:
    """Save new text now: a draft, or an approved or live post (which reopens as a new working draft)."""
    return (workflow.state in EDITABLE_STATES or workflow.state in REOPEN_ON_EDIT_STATES) and may_write(workflow, user)


def editable(user) -> QuerySet:
    return writable(user).filter(state__in=[*EDITABLE_STATES, *REOPEN_ON_EDIT_STATES])


def may_submit(workflow, user) -> bool:
    """Send to review and take back: the post's author, or a publisher."""
    return is_active_user(user) and user.has_perm("review.submit_post") and (
        workflow.post.author_id == user.pk or is_publisher(user))


def may_comment(workflow, user, *, involved_ids: set[int] | None = None) -> bool:
    """Reviewers comment on what waits for them; the post's writers and publishers answer and resolve."""
    return ((workflow.state in DECISION_STATES or workflow.state == State.CHANGES_REQUESTED)
            and may_review(workflow, user, involved_ids=involved_ids)) or may_write(workflow, user)


def commentable(user) -> QuerySet:
    by_reviewer = changes_requestable(user) | reviewable(user).filter(state=State.CHANGES_REQUESTED)
    return by_reviewer | writable(user)


def publishes(workflow, user) -> bool:
    """The state machine's permission for a publisher's transitions (publish, schedule, unpublish, archive,
    restore); their source states and conditions are the machine's own."""
    return is_publisher(user)


def may_set_due_date(workflow, user, now=None) -> bool:
    """Publishers give a post that waits for a reviewer a date by which its review should be done."""
    return may_assign(workflow, user, now)


def due_date_settable(user, now=None) -> QuerySet:
    return assignable(user, now)


def may_change_address(workflow, user) -> bool:
    """Give a post another slug (its old address then redirects): publishers, in any state."""
    return is_publisher(user)


def address_changeable(user) -> QuerySet:
    return _workflows() if is_publisher(user) else _workflows().none()


def may_publish(workflow, user) -> bool:
    """Publish now: an approved post whose working copy carries every sign-off, by a publisher."""
    return has_transition_perm(workflow.publish, user)


def publishable(user) -> QuerySet:
    # Approval requires every sign-off, and any new text leaves `approved`: the state says it.
    return _workflows().filter(state=State.APPROVED) if is_publisher(user) else _workflows().none()


def may_assign(workflow, user, now=None) -> bool:
    """Publishers hand a post that waits for a reviewer to a named one."""
    return is_publisher(user) and waits_for_reviewer(workflow, now)


def assignable(user, now=None) -> QuerySet:
    return _workflows().filter(waits_for_reviewer_q(now)) if is_publisher(user) else _workflows().none()


def reviewers_who_may_act():
    """Every user who may review now: active, with the reviewer permission, an active profile and a registration
    still verified today (`reviewer_may_act` for each of them)."""
    from django.contrib.auth import get_user_model

    today = timezone.localdate()
    # The backend that holds permissions: django-axes' backend, listed before it, only refuses locked-out logins.
    return (get_user_model().objects.with_perm("review.sign_post", is_active=True, backend="config.auth.Backend")
            .filter(reviewer_profile__is_active=True)
            .filter(Q(reviewer_profile__verified_until__isnull=True) | Q(reviewer_profile__verified_until__gte=today))
            .select_related("reviewer_profile").order_by("reviewer_profile__display_name"))


def may_be_assigned(workflow, reviewer, *, involved_ids: set[int] | None = None) -> bool:
    """Whom a post may be handed to: a reviewer who may act and had no hand in it."""
    return may_review(workflow, reviewer, involved_ids=involved_ids)


def may_see_image(image, user) -> bool:
    """Writers see the pictures they uploaded; publishers see every one."""
    return is_publisher(user) or (uses_editor(user) and image.uploaded_by_id == user.pk)


def visible_images(user) -> QuerySet:
    from content.models import Image

    if is_publisher(user):
        return Image.objects.all()
    return Image.objects.filter(uploaded_by=user) if uses_editor(user) else Image.objects.none()
