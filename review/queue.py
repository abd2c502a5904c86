"""The approval queue: what waits, for whom, and what a reviewer signed lately; its reads and its rows.

Every tab reads one page of rows with plain querysets built on `review.rules`' twins, so a post is listed
with a Claim button exactly when `rules.may_claim` allows it; the counts of all tabs come beside them.
"""

from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, IntegerField, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timesince

from content.models import word_count
from review import reviewing, rules
from review.models import Signature, Workflow, printed_name
from review.states import Meaning, State

RECENTLY_SIGNED_LIMIT = 50
# Rows per page of a tab: a publisher's queue can hold hundreds of posts (see `make bench`).
PAGE_SIZE = 25


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    empty: str  # what the tab says when it has no rows


TABS = (
    Tab("waiting", "Waiting", "Nothing waits for review. Well done."),
    Tab("assigned", "Assigned to me", "No post is assigned to you."),
    Tab("rereview", "Re-review due", "No published post is due for re-review."),
    Tab("signed", "Recently signed", "You have not signed anything yet."),
)
TAB_KEYS = {tab.key for tab in TABS}


def not_involved(user):
    """Workflows of posts the user had no hand in: what they could review (separation of duties)."""
    return Workflow.objects.exclude(rules.involved_q(user))


# Posts with a due date (set by a publisher) first, the earliest due first; then the longest waiting
# (`workflow_due_idx`).
BY_DUE_DATE = (F("due_date").asc(nulls_last=True), "submitted_at", "pk")


def waiting(user, *, among=None):
    """Posts in review the user had no hand in, the earliest due date first, then the longest-waiting. `among`:
    `not_involved(user)`, when the caller has built it already."""
    among = not_involved(user) if among is None else among
    return among.filter(state=State.IN_REVIEW).order_by(*BY_DUE_DATE)


def assigned_to(user, now=None):
    return Workflow.objects.filter(rules.waits_for_reviewer_q(now), assignee=user).order_by(*BY_DUE_DATE)


def rereview_due(user, now=None):
    """Live posts whose review is due (`rules.rereview_due`), the longest overdue first (those never signed off
    before all others)."""
    return (not_involved(user).filter(rules.rereview_due_q(now))
            .order_by(F("review_due_at").asc(nulls_first=True), "post"))


def recently_signed(user):
    """The user's signatures, newest first, as the Recently signed tab shows them."""
    return (
        Signature.objects.filter(signer=user).order_by("-signed_at")
        .values("signed_at", "meaning", post_id=F("revision__post_id"), title=F("revision__title"),
                version=F("revision__number"), state=F("revision__post__workflow__state"),
                **{name: F(f"revision__post__author__{field}") for name, field in
                   (("author_first_name", "first_name"), ("author_last_name", "last_name"),
                    ("author_username", "username"))})
        [:RECENTLY_SIGNED_LIMIT]
    )


def tab_queryset(tab: str, user, now=None):
    if tab == "waiting":
        return waiting(user)
    if tab == "assigned":
        return assigned_to(user, now)
    if tab == "rereview":
        return rereview_due(user, now)
    raise KeyError(tab)


class Counted(Subquery):
    """How many rows a queryset has, as a value inside another query: `SELECT COUNT(*) FROM (<queryset>)`."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


# The tabs' counts, which every page a reviewer opens shows in its navigation, are kept in Django's cache for
# each reviewer under the queue's generation: a name for the present state of everything they count, renewed
# whenever a workflow, post, revision, signature or justification is saved or deleted (`forget_counts`,
# connected in `review.apps`) and again once that change is committed. A count that time alone changes (a
# review falling due) is kept only until the next such moment. With a cache per process (locmem, the
# default) the other processes see a change within COUNTS_TIMEOUT seconds; with a shared cache, at once.
GENERATION_KEY = "review:queue-generation"
COUNTS_TIMEOUT = 30


def generation() -> str:
    return cache.get_or_set(GENERATION_KEY, lambda: uuid4().hex, None)


def forget_counts(**kwargs) -> None:
    renew_generation()
    # A page that counted while the change was being committed may have kept the old rows under the new name.
    transaction.on_commit(renew_generation)


def renew_generation() -> None:
    cache.set(GENERATION_KEY, uuid4().hex, None)


def counts(user, now=None) -> dict[str, int]:
    """How many rows each tab has (`count_now`), as kept in the cache while nothing they count has changed."""
    now = now or timezone.now()
    key = f"review:queue-counts:{user.pk}:{generation()}"
    kept = cache.get(key)
    if kept is not None and kept["from"] <= now and (kept["until"] is None or now < kept["until"]):
        return kept["counts"]
    found = count_now(user, now)
    until = found.pop("next_due")
    cache.set(key, {"counts": found, "from": now, "until": until}, COUNTS_TIMEOUT)
    return found


def count_now(user, now=None) -> dict:
    """How many rows each tab has, in one query: each count reads one index (state and date with the post,
    assignee, signer). The user's own row carries them, as a query needs a row to select from. `next_due`: the
    next moment a live post's review falls due, when the re-review and assigned counts change by themselves."""
    now = now or timezone.now()
    among = not_involved(user)  # built once for both counts that need it
    never_current, no_longer_current = (among.filter(part).order_by().values("pk")
                                        for part in rules.rereview_due_parts(now))
    return get_user_model().objects.filter(pk=user.pk).values(
        waiting=Counted(waiting(user, among=among).order_by().values("pk")),
        assigned=Counted(assigned_to(user, now).order_by().values("pk")),
        # Its two disjoint halves (`rules.rereview_due_parts`), each counted along the review-due index.
        rereview=Counted(never_current) + Counted(no_longer_current),
        # No more than the tab lists: the count stops there.
        signed=Counted(Signature.objects.filter(signer=user).order_by().values("pk")[:RECENTLY_SIGNED_LIMIT]),
        next_due=Subquery(Workflow.objects.filter(state=State.PUBLISHED, review_due_at__gt=now)
                          .order_by("review_due_at").values("review_due_at")[:1]),
    ).get()


def waiting_count(user) -> int:
    """The Waiting tab's count, as every page's navigation shows it to reviewers."""
    return counts(user)["waiting"]


def rereview_page_ids(user, start: int, now=None) -> list[int]:
    """The ids of `rereview_due(user)[start:start + PAGE_SIZE]`, read half by half (`rules.rereview_due_parts`):
    each half walks the review-due index in the tab's order and stops at the page's end, where their OR would
    sort every due post first."""
    among = not_involved(user)
    never_current, no_longer_current = (among.filter(part).values_list("pk", flat=True)
                                        for part in rules.rereview_due_parts(now))
    # Both halves in the order of the index they walk (`workflow_review_due_post_idx`); the first half's dates
    # are all empty.
    ids = list(never_current.order_by("review_due_at", "post")[start:start + PAGE_SIZE])
    if len(ids) == PAGE_SIZE:
        return ids
    # The first half ends on this page (`ids` are its last, or it is empty) or before it (counted to know where).
    before = start + len(ids) if ids or not start else never_current.count()
    later = start + len(ids) - before
    return ids + list(no_longer_current.order_by("review_due_at", "post")[later:later + PAGE_SIZE - len(ids)])


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def rows(tab: str, user, page: int = 1, now=None) -> list[dict]:
    """One page of the tab's rows as plain values (`present` formats them)."""
    if tab not in TAB_KEYS:
        raise KeyError(tab)
    start = (page - 1) * PAGE_SIZE
    if tab == "signed":
        return list(recently_signed(user)[start:start + PAGE_SIZE])
    # The page's ids first, then only those rows with their details: otherwise the database carries every
    # matching row's text and "reviewed before?" check through the sort.
    if tab == "rereview":
        page_ids = rereview_page_ids(user, start, now)
    else:
        page_ids = list(tab_queryset(tab, user, now).values_list("pk", flat=True)[start:start + PAGE_SIZE])
    found = {row["pk"]: row for row in with_details(Workflow.objects.filter(pk__in=page_ids), user, now)}
    return [found[pk] for pk in page_ids if pk in found]


def with_details(workflows, user, now=None):
    """What a row of the queue shows, and whether this user may claim it (`rules.claimable`)."""
    signer_lapsed = Signature.objects.filter(revision=OuterRef("post__live_revision"),
                                             reviewer__verified_until__lt=timezone.localdate())
    return workflows.annotate(can_claim=ExpressionWrapper(rules.claimable_q(user, now), output_field=BooleanField()),
                              signer_lapsed=Exists(signer_lapsed)).values(
        "pk", "post_id", "state", "submitted_at", "review_due_at", "due_date", "assignee_id", "can_claim",
        "signer_lapsed",
        author_id=F("post__author_id"), live_revision_id=F("post__live_revision_id"),
        current_revision_id=F("post__current_revision_id"),
        title=F("post__current_revision__title"), body=F("post__current_revision__body"),
        live_title=F("post__live_revision__title"), live_body=F("post__live_revision__body"),
        author_first_name=F("post__author__first_name"), author_last_name=F("post__author__last_name"),
        author_username=F("post__author__username"),
        assignee_username=F("assignee__username"), assignee_honorific=F("assignee__reviewer_profile__honorific"),
        assignee_display_name=F("assignee__reviewer_profile__display_name"),
    )


def assignable_reviewers():
    """Everyone who may be handed a post to review, for the publisher's assign menu."""
    return rules.reviewers_who_may_act()


def reads_live(state: str, live_revision_id: int | None) -> bool:
    """Whether a reviewer reads the live version (a re-review) rather than the working copy."""
    return state == State.PUBLISHED and live_revision_id is not None


def under_review(post, state: str):
    """The revision a reviewer reads: the live version for a re-review, the working copy otherwise."""
    return post.live_revision if reads_live(state, post.live_revision_id) else post.current_revision


# --- what a row shows


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the waiting, assigned or re-review tab."""

    post_id: int
    author_id: int
    assignee_id: int | None
    state: str
    revision_id: int  # the version the row's actions are for
    url: str  # the review page
    title: str
    author: str
    since: str  # ISO date and time: submitted, or (re-review tab) when the review became due
    since_text: str
    waiting: str
    words: int
    reviewed_before: str  # the latest decision on an earlier version: "Changes requested on v1", "No, first review"
    reviewer: str  # "You", a colleague's name, or "" while nobody has it
    rereview: bool
    signer_lapsed: bool  # a signer's registration has lapsed (a reason the review may be due)
    can_claim: bool
    eligible_reviewers: tuple = ()
    due_text: str = ""  # the publisher's due date for the review, if any
    overdue: bool = False  # for a publisher's assign menu: (user id, printed name)


@dataclass(frozen=True, slots=True)
class SignedRow:
    """One line of the Recently signed tab."""

    url: str
    title: str
    author: str
    signed: str  # ISO date and time
    signed_text: str
    version: int
    meaning: str
    state: str
    state_label: str


def author_name(row: dict) -> str:
    """As `get_full_name|default:username` writes it."""
    return f"{row['author_first_name']} {row['author_last_name']}".strip() or row["author_username"]


def present(tab: str, found: list[dict], user, now: datetime, *, reviewers=None) -> list[Row] | list[SignedRow]:
    """The rows of `rows(tab, ...)`, formatted for the page. `reviewers`: for a publisher, everyone who may be
    assigned a post; each row offers those who had no hand in it (`rules.involved_users`)."""
    here = timezone.get_current_timezone()
    if tab == "signed":
        return [
            SignedRow(url=reverse("review:post", args=[s["post_id"]]), title=s["title"], author=author_name(s),
                      signed=(signed := s["signed_at"].astimezone(here)).isoformat(),
                      signed_text=date_format(signed, "j M Y, H:i"), version=s["version"],
                      meaning=Meaning(s["meaning"]).label, state=s["state"], state_label=State(s["state"]).label)
            for s in found
        ]
    involved = rules.involved_users([w["post_id"] for w in found]) if reviewers else {}
    decisions = reviewing.latest_decisions([w["post_id"] for w in found])
    shown = []
    for w in found:
        live = reads_live(w["state"], w["live_revision_id"])
        since = w["review_due_at"] if tab == "rereview" else w["submitted_at"]
        local = since.astimezone(here) if since else None
        if w["assignee_id"] is None:
            reviewer = ""
        elif w["assignee_id"] == user.pk:
            reviewer = "You"
        else:
            reviewer = (printed_name(w["assignee_honorific"] or "", w["assignee_display_name"] or "")
                        or w["assignee_username"])
        shown.append(Row(
            post_id=w["post_id"], author_id=w["author_id"], assignee_id=w["assignee_id"], state=w["state"],
            revision_id=w["current_revision_id"], url=reverse("review:post", args=[w["post_id"]]),
            title=w["live_title"] if live else w["title"], author=author_name(w),
            since=local.isoformat() if local else "",
            since_text=date_format(local, "j M Y" if tab == "rereview" else "j M Y, H:i") if local else "",
            waiting=timesince(local, now) if local and local <= now else "",
            words=word_count(w["live_body"] if live else w["body"]),
            reviewed_before=reviewing.decision_text(decisions.get(w["post_id"])), reviewer=reviewer, rereview=w["state"] == State.PUBLISHED,
            signer_lapsed=w["signer_lapsed"], can_claim=w["can_claim"],
            eligible_reviewers=tuple((r.pk, r.reviewer_profile.printed_name) for r in reviewers or ()
                                     if r.pk not in involved.get(w["post_id"], ())),
            due_text=date_format(w["due_date"], "j M Y") if w["due_date"] else "",
            overdue=w["due_date"] is not None and w["due_date"] < timezone.localdate(now),
        ))
    return shown
