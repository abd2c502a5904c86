"""The approval queue's reads: what waits, for whom, and what a reviewer signed lately.

Every tab is one query for one page of rows, however many wait; the counts are two more.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from review.models import Signature, Workflow
from review.states import State

RECENTLY_SIGNED_LIMIT = 50
# Rows per page of a tab: a publisher's queue can hold hundreds of posts (see `make bench`).
PAGE_SIZE = 25


@dataclass(frozen=True)
class Tab:
    key: str
    label: str


TABS = (
    Tab("waiting", "Waiting"),
    Tab("assigned", "Assigned to me"),
    Tab("rereview", "Re-review due"),
    Tab("signed", "Recently signed"),
)
TAB_KEYS = {tab.key for tab in TABS}

WAITING = Q(state=State.IN_REVIEW)
_LIVE_SIGNATURES = Signature.objects.filter(revision=OuterRef("post__live_revision"))


def rereview_due_filter() -> Q:
    """Published posts whose sign-off is no longer current: flagged by workflow_tick, or, even before it runs,
    live and signed with no signer's registration still verified today.

    Today's date is a parameter, not a database function, which SQLite would call back into Python for
    every row. "Some signer lapsed and none is current" is the same set as "signed and none current",
    and its first test is one uncorrelated subquery that rejects almost every post at once.
    """
    today = timezone.localdate()
    # Computed once per query, not per row: revisions that some lapsed signer signed (usually few or none).
    signed_by_lapsed = Signature.objects.filter(reviewer__verified_until__lt=today).values("revision_id")
    signer_current = Q(reviewer__verified_until__isnull=True) | Q(reviewer__verified_until__gte=today)
    credentials_lapsed = (Q(state=State.PUBLISHED, post__live_revision__isnull=False)
                          & Q(post__live_revision__in=signed_by_lapsed)
                          & ~Exists(_LIVE_SIGNATURES.filter(signer_current)))
    return (Q(state=State.PUBLISHED, rereview_flagged_at__isnull=False, post__live_revision__isnull=False)
            | credentials_lapsed)


def _rows(user):
    reviewed_before = Signature.objects.filter(revision__post=OuterRef("post"))
    return (
        Workflow.objects.exclude(post__author=user)
        .select_related("post__current_revision", "post__live_revision", "post__author", "assignee__reviewer_profile")
        .annotate(reviewed_before=Exists(reviewed_before))
    )


def waiting(user):
    """Posts in review, the longest-waiting first."""
    return _rows(user).filter(WAITING).order_by("submitted_at", "pk")


def assigned_to(user):
    return _rows(user).filter(WAITING | rereview_due_filter(), assignee=user).order_by("submitted_at", "pk")


def rereview_due(user):
    """Published posts whose sign-off is no longer current, the longest-overdue first."""
    return _rows(user).filter(rereview_due_filter()).order_by(F("rereview_flagged_at").asc(nulls_first=True), "pk")


def recently_signed(user):
    return (
        Signature.objects.filter(signer=user)
        .select_related("revision__post__author", "revision__post__workflow")
        .order_by("-signed_at")[:RECENTLY_SIGNED_LIMIT]
    )


def rows(tab: str, user, page: int = 1):
    """One page of the tab's rows, oldest first (newest first for what the user signed)."""
    start = (page - 1) * PAGE_SIZE
    tab_rows = {"waiting": waiting, "assigned": assigned_to, "rereview": rereview_due, "signed": recently_signed}
    return tab_rows[tab](user)[start:start + PAGE_SIZE]


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def counts(user) -> dict[str, int]:
    # Only posts in review or published can be in any tab: the state index skips the rest.
    due = rereview_due_filter()
    mine = Workflow.objects.filter(state__in=[State.IN_REVIEW, State.PUBLISHED]).exclude(post__author=user).aggregate(
        waiting=Count("pk", filter=WAITING),
        assigned=Count("pk", filter=Q(assignee=user) & (WAITING | due)),  # cheap test first
        rereview=Count("pk", filter=due),
    )
    signed = Signature.objects.filter(signer=user).count()
    return {**mine, "signed": min(signed, RECENTLY_SIGNED_LIMIT)}


def assignable_reviewers():
    """Everyone who may be handed a post to review, for the publisher's assign menu."""
    return (
        get_user_model().objects.filter(is_active=True, reviewer_profile__is_active=True)
        .select_related("reviewer_profile").order_by("reviewer_profile__display_name")
    )
