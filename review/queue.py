"""The approval queue: what waits, for whom, and what a reviewer signed lately; its reads and its rows.

Every tab is one query for one page of rows, however many wait; the counts of all four tabs are one more.
Both are compiled to SQL once per process, and the rows are formatted once, in `present`.
"""

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from content.models import Post, word_count
from review.models import ReviewerProfile, Signature, Workflow, printed_name
from review.prepared import Prepared, PreparedCounts
from review.states import Meaning, State

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
_FLAGGED = Q(state=State.PUBLISHED, rereview_flagged_at__isnull=False, post__live_revision__isnull=False)


def _credentials_lapsed(today) -> Q:
    """Live and signed, but no signer's registration is still verified today: due even before workflow_tick
    flags it.

    Today's date is a parameter, not a database function, which SQLite would call back into Python for
    every row. "Some signer lapsed and none is current" is the same set as "signed and none current", and
    its first test is one uncorrelated subquery that starts from the (usually few) lapsed reviewers and
    reaches their signatures through the reviewer index, so it rejects almost every post at once.
    """
    lapsed_reviewers = ReviewerProfile.objects.filter(verified_until__lt=today).values("pk")
    signed_by_lapsed = Signature.objects.filter(reviewer__in=lapsed_reviewers).values("revision_id")
    signer_current = Q(reviewer__verified_until__isnull=True) | Q(reviewer__verified_until__gte=today)
    # As the workflow's own post_id, so the database starts from those few posts, not from every published one.
    live_and_signed_by_lapsed = Post.objects.filter(live_revision__in=signed_by_lapsed).values("pk")
    return (Q(post__in=live_and_signed_by_lapsed, state=State.PUBLISHED)
            & ~Exists(_LIVE_SIGNATURES.filter(signer_current)))


def lapsed_on() -> date | None:
    """Today, if some reviewer's registration has lapsed by today; None when none has (the usual case).

    One small query. The re-review filter takes its shape from the answer: building and planning the
    lapsed-signer subqueries for nothing would cost more than the rest of the queue's reads.
    """
    today = timezone.localdate()
    return today if ReviewerProfile.objects.filter(verified_until__lt=today).exists() else None


def rereview_due_filter(lapsed: date | None) -> Q:
    """Published posts whose sign-off is no longer current: flagged by workflow_tick, or with every signer's
    registration lapsed by the day `lapsed` (None: no registration has lapsed, so that set is empty)."""
    if lapsed is None:
        return _FLAGGED
    return _FLAGGED | _credentials_lapsed(lapsed)


def current_rereview_filter() -> Q:
    return rereview_due_filter(lapsed_on())


def _mine(user):
    """Workflows of posts the user (or user id) may review: never their own."""
    return Workflow.objects.exclude(post__author=user)


def waiting(user):
    """Posts in review, the longest-waiting first."""
    return _mine(user).filter(WAITING).order_by("submitted_at", "pk")


def assigned_to(user, due: Q | None = None):
    """`due`: the `current_rereview_filter()` the caller already has, if any."""
    due = current_rereview_filter() if due is None else due
    return _mine(user).filter(WAITING | due, assignee=user).order_by("submitted_at", "pk")


def rereview_due(user, due: Q | None = None):
    """Published posts whose sign-off is no longer current, the longest-overdue first."""
    due = current_rereview_filter() if due is None else due
    return _mine(user).filter(due).order_by(F("rereview_flagged_at").asc(nulls_first=True), "pk")


# What a row shows, read as plain values: the columns it prints and only those (a revision's body for its
# word count, but not its HTML, summary or pictures, which PostgreSQL would fetch out of line for every
# row). As model instances, the seven objects behind each row cost more than the query itself.
_AUTHOR_OF = {"author_first_name": "first_name", "author_last_name": "last_name", "author_username": "username"}


def _with_details(workflows):
    """What a row of the queue shows, for a page of workflows."""
    reviewed_before = Signature.objects.filter(revision__post=OuterRef("post"))
    return workflows.annotate(reviewed_before=Exists(reviewed_before)).values(
        "post_id", "state", "submitted_at", "rereview_flagged_at", "assignee_id", "reviewed_before",
        author_id=F("post__author_id"), live_revision_id=F("post__live_revision_id"),
        title=F("post__current_revision__title"), body=F("post__current_revision__body"),
        live_title=F("post__live_revision__title"), live_body=F("post__live_revision__body"),
        **{name: F(f"post__author__{field}") for name, field in _AUTHOR_OF.items()},
        assignee_username=F("assignee__username"), assignee_honorific=F("assignee__reviewer_profile__honorific"),
        assignee_display_name=F("assignee__reviewer_profile__display_name"),
    )


def recently_signed(user):
    """The user's signatures, newest first, as the Recently signed tab shows them."""
    return (
        Signature.objects.filter(signer=user).order_by("-signed_at")
        .values("signed_at", "meaning", post_id=F("revision__post_id"), title=F("revision__title"),
                version=F("revision__number"), state=F("revision__post__workflow__state"),
                **{name: F(f"revision__post__author__{field}") for name, field in _AUTHOR_OF.items()})
        [:RECENTLY_SIGNED_LIMIT]
    )


# The queue's two reads, compiled once per shape and run with the user's id: building and compiling them
# cost far more than running them (about 5 ms each at 10,000 posts on SQLite, against under 2 ms of SQL).
# A shape is what the SQL depends on besides the user: the tab, the page, and the day some registration
# lapsed, if any did, which puts that date into the query.
_UNKNOWN = object()


@lru_cache(maxsize=256)
def _page_read(tab: str, page: int, lapsed: date | None) -> Prepared:
    start = (page - 1) * PAGE_SIZE
    if tab == "signed":
        return Prepared(lambda user_id: recently_signed(user_id)[start:start + PAGE_SIZE], takes=(int,))
    due = rereview_due_filter(lapsed)
    ordering = {"waiting": waiting, "assigned": lambda user_id: assigned_to(user_id, due),
                "rereview": lambda user_id: rereview_due(user_id, due)}[tab]

    def build(user_id):
        # The page's ids first, and only those rows with their details: otherwise the database carries every
        # matching row's text and "reviewed before?" check through the sort (PostgreSQL, expecting a
        # thousand rows, even checked every signature of every post: 30 ms at 10,000 posts).
        ordered = ordering(user_id)
        page_ids = ordered.values("pk")[start:start + PAGE_SIZE]
        return _with_details(Workflow.objects.filter(pk__in=page_ids)).order_by(*ordered.query.order_by)

    return Prepared(build, takes=(int,))


def rows(tab: str, user, page: int = 1, lapsed=_UNKNOWN) -> list:
    """One page of the tab's rows, oldest first (newest first for what the user signed), as the dicts of
    `_with_details` or `recently_signed`; `present` formats them. `lapsed`: `lapsed_on()`, if the caller
    has it."""
    if tab not in TAB_KEYS:
        raise KeyError(tab)
    return _page_read(tab, page, lapsed_on() if lapsed is _UNKNOWN else lapsed)(user.pk)


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def _waiting_parts(user_id) -> dict:
    """The Waiting count as all posts in review less the user's own: counted apart, each follows one index
    (the state index alone, the author index for the few of one's own) instead of checking every post in
    review for its author (0.7 ms at a thousand waiting on SQLite, against 0.1 ms)."""
    return {"in review": Workflow.objects.filter(WAITING),
            "own in review": Workflow.objects.filter(WAITING, post__author=user_id)}


def _waiting_from(found: dict) -> int:
    return found.pop("in review") - found.pop("own in review")


@lru_cache(maxsize=16)
def _counts_read(lapsed: date | None) -> PreparedCounts:
    due = rereview_due_filter(lapsed)
    return PreparedCounts(lambda user_id: {
        **_waiting_parts(user_id),
        "assigned": assigned_to(user_id, due),
        "rereview": rereview_due(user_id, due),
        "signed": Signature.objects.filter(signer=user_id),
    }, takes=(int,))


def counts(user, lapsed=_UNKNOWN) -> dict[str, int]:
    """How many rows each tab has, in one round trip. Each count follows an index (state and date, author,
    assignee, signer), so the cost follows the length of the queue, not the size of the site."""
    found = _counts_read(lapsed_on() if lapsed is _UNKNOWN else lapsed)(user.pk)
    return {"waiting": _waiting_from(found), **found, "signed": min(found["signed"], RECENTLY_SIGNED_LIMIT)}


_waiting_count = PreparedCounts(_waiting_parts, takes=(int,))


def waiting_count(user) -> int:
    """The Waiting tab's count alone, as every page's navigation shows it to reviewers."""
    return _waiting_from(_waiting_count(user.pk))


def assignable_reviewers():
    """Everyone who may be handed a post to review, for the publisher's assign menu."""
    return (
        get_user_model().objects.filter(is_active=True, reviewer_profile__is_active=True)
        .select_related("reviewer_profile").order_by("reviewer_profile__display_name")
    )


# --- what a row shows
#
# A tab's 25 rows are most of the page's work. They are formatted here, once, into plain values the
# template prints as they are: Django's `{% url %}`, `date` and `timesince` per cell, and a claim form with
# its own CSRF field per row, cost more than all the tab's queries together (see `make bench`).


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the waiting, assigned or re-review tab."""

    post_id: int
    author_id: int
    assignee_id: int | None
    state: str
    url: str  # the review page
    claim_url: str
    title: str
    author: str
    since: str  # ISO date and time: submitted, or (re-review tab) flagged as due
    since_text: str
    lapsed_registration: bool  # re-review tab: due because the signers' registrations lapsed, not flagged
    waiting: str
    words: int
    reviewed_before: bool
    reviewer: str  # "You", a colleague's name, or "" while nobody has it
    rereview: bool


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


_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(moment: datetime) -> str:
    """As the `date:"j M Y"` filter writes it, at a tenth of its cost."""
    return f"{moment.day} {_MONTHS[moment.month]} {moment.year}"


def _day_and_time(moment: datetime) -> str:
    """`date:"j M Y, H:i"`."""
    return f"{_day(moment)}, {moment:%H:%M}"


def _url_of(name: str):
    """`reverse(name, args=[pk])` as a function of `pk`, reversed once: the text around the pk is fixed."""
    marker = 987654321
    before, after = reverse(name, args=[marker]).split(str(marker))
    return lambda pk: f"{before}{pk}{after}"


def reads_live(state: str, live_revision_id: int | None) -> bool:
    """Whether a reviewer reads the live version (a re-review) rather than the working copy."""
    return state == State.PUBLISHED and live_revision_id is not None


def under_review(post, state: str):
    """The revision a reviewer reads: the live version for a re-review, the working copy otherwise."""
    return post.live_revision if reads_live(state, post.live_revision_id) else post.current_revision


def _author(row: dict) -> str:
    """As `get_full_name|default:username` writes it."""
    return f"{row['author_first_name']} {row['author_last_name']}".strip() or row["author_username"]


def present(tab: str, found: list[dict], user, now: datetime) -> list[Row] | list[SignedRow]:
    """The rows of `rows(tab, ...)`, formatted for the page."""
    review_url = _url_of("review:post")
    here = timezone.get_current_timezone()
    if tab == "signed":
        return [
            SignedRow(url=review_url(s["post_id"]), title=s["title"], author=_author(s),
                      signed=(signed := s["signed_at"].astimezone(here)).isoformat(), signed_text=_day_and_time(signed),
                      version=s["version"], meaning=Meaning(s["meaning"]).label, state=s["state"],
                      state_label=State(s["state"]).label)
            for s in found
        ]
    claim_url = _url_of("review:claim")
    shown = []
    for w in found:
        live = reads_live(w["state"], w["live_revision_id"])
        since = w["rereview_flagged_at"] if tab == "rereview" else w["submitted_at"]
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
            url=review_url(w["post_id"]), claim_url=claim_url(w["post_id"]),
            title=w["live_title"] if live else w["title"], author=_author(w),
            since=local.isoformat() if local else "", lapsed_registration=tab == "rereview" and local is None,
            since_text=(_day(local) if tab == "rereview" else _day_and_time(local)) if local else "",
            waiting=timesince(local, now) if local else "", words=word_count(w["live_body"] if live else w["body"]),
            reviewed_before=w["reviewed_before"], reviewer=reviewer, rereview=w["state"] == State.PUBLISHED,
        ))
    return shown
