"""What the editor's pages read: the writer's desk and one post's history, each in a fixed number of queries."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import (Case, CharField, Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value,
                              When)
from django.db.models.functions import Coalesce, Concat, Lower, NullIf, Trim

from content.models import Post, Revision
from review import rules
from review.models import AuditEvent, Comment, CommentReply, Signature
from review.states import WITH_AUTHOR_STATES, WITH_PUBLISHER_STATES, WITH_REVIEWER_STATES, State

PAGE_SIZE = 20
WORDS_PER_MINUTE = 200


# Counted per row shown, not by joining every comment of every post and grouping (3x slower at 10,000 posts).
_open_comment_count = (Comment.objects.filter(post=OuterRef("pk"), resolved_at__isnull=True).order_by()
                       .values("post").annotate(n=Count("pk")).values("n"))


def _name(prefix: str):
    """The name of the user at `prefix` as `get_full_name() or get_username()` gives it, worked out by the database."""
    full_name = Trim(Concat(f"{prefix}first_name", Value(" "), f"{prefix}last_name", output_field=CharField()))
    return Coalesce(NullIf(full_name, Value("")), f"{prefix}username", output_field=CharField())


# Who has the post now, in the words of the desk's "With" column: shown and sorted by, so one expression.
HOLDER = Case(
    When(workflow__state__in=WITH_AUTHOR_STATES, then=_name("author__")),
    When(workflow__state__in=WITH_REVIEWER_STATES, workflow__assignee__isnull=False,
         then=_name("workflow__assignee__")),
    When(workflow__state__in=WITH_REVIEWER_STATES, then=Value("Reviewers")),
    When(workflow__state__in=WITH_PUBLISHER_STATES, then=Value("Publisher")),
    When(workflow__state=State.PUBLISHED, then=Value("On the site")),
    default=Value("Nobody"), output_field=CharField(),
)

# The desk's sortable columns: the key in the address, and what the database orders by (ascending).
SORTS = {
    "title": (Lower("current_revision__title"),),
    "state": ("workflow__state",),
    "changed": ("workflow__changed_at",),
    "with": (Lower(HOLDER),),
    "comments": ("open_comments",),
    "author": (Lower("author__last_name"), Lower("author__first_name"), "author__username"),
    "due": ("workflow__due_date",),
}
DEFAULT_SORT = "-changed"


def state_q(state: str) -> Q:
    """Posts listed under a state filter. A live post whose new version is being written or reviewed stays
    under Published: it is on the site, whatever its working copy's state."""
    if state == State.PUBLISHED:
        return Q(workflow__state=State.PUBLISHED) | Q(live_revision__isnull=False)
    return Q(workflow__state=state)


def reviewed_by_q(reviewer) -> Q:
    """Posts a reviewer had to do with: assigned to them, commented on, or signed (any version)."""
    signed = Signature.objects.filter(signer=reviewer).values("revision__post_id")
    commented = Comment.objects.filter(author=reviewer).values("post_id")
    return Q(workflow__assignee=reviewer) | Q(pk__in=signed) | Q(pk__in=commented)


def desk_posts(user, *, state: str = "", query: str = "", author=None, reviewer=None, changed_from=None,
               changed_to=None, sort: str = DEFAULT_SORT) -> QuerySet:
    """The ids of the user's posts (every post for publishers), filtered and sorted (newest change first by
    default), to paginate.

    Ids only: ordering whole rows with their comment counts would carry every matching post through
    the sort (60 ms for a publisher at 10,000 posts); `DeskPaginator` loads one page of them.
    """
    posts = Post.objects.all() if rules.is_publisher(user) else Post.objects.filter(author=user)
    if state:
        posts = posts.filter(state_q(state))
    if query:
        posts = posts.filter(current_revision__title__icontains=query)
    if author is not None:
        posts = posts.filter(author=author)
    if reviewer is not None:
        posts = posts.filter(reviewed_by_q(reviewer))
    if changed_from is not None:
        posts = posts.filter(workflow__changed_at__date__gte=changed_from)
    if changed_to is not None:
        posts = posts.filter(workflow__changed_at__date__lte=changed_to)
    # An inner join (every post has its workflow), so the database can walk the workflow's change index.
    posts = posts.filter(workflow__isnull=False)
    key = sort.lstrip("-")
    if key not in SORTS:
        key, sort = DEFAULT_SORT.lstrip("-"), DEFAULT_SORT
    if key == "comments":
        posts = posts.annotate(open_comments=Coalesce(Subquery(_open_comment_count, output_field=IntegerField()), 0))
    descending = sort.startswith("-")
    order = [(F(f) if isinstance(f, str) else f) for f in SORTS[key]]
    order = [f.desc(nulls_last=True) if descending else f.asc(nulls_last=True) for f in order]
    tiebreak = "-workflow__post_id" if descending else "workflow__post_id"
    return posts.order_by(*order, tiebreak).values_list("pk", flat=True)


def desk_authors(user) -> QuerySet:
    """Whom a publisher can filter the desk by: everyone who has written a post."""
    from django.contrib.auth import get_user_model

    return (get_user_model().objects.filter(pk__in=Post.objects.values("author_id"))
            .order_by("last_name", "first_name", "username"))


def desk_reviewers() -> QuerySet:
    """Whom the desk can be filtered by as reviewer: everyone with a reviewer profile."""
    from django.contrib.auth import get_user_model

    return (get_user_model().objects.filter(reviewer_profile__isnull=False).select_related("reviewer_profile")
            .order_by("reviewer_profile__display_name"))


def desk_rows(ids: list[int]) -> list[Post]:
    """The posts with these ids, in that order, with what the desk shows."""
    posts = (
        Post.objects.filter(pk__in=ids)
        .select_related("current_revision", "author", "workflow", "workflow__assignee")
        .annotate(open_comments=Coalesce(Subquery(_open_comment_count, output_field=IntegerField()), 0),
                  holder=HOLDER)
    )
    by_pk = {post.pk: post for post in posts}
    return [by_pk[pk] for pk in ids if pk in by_pk]


class DeskPaginator(Paginator):
    """Pages of `desk_posts` ids, each turned into its posts."""

    def page(self, number):
        page = super().page(number)
        page.object_list = desk_rows(list(page.object_list))
        return page


def visible_post(user, pk: int) -> Post | None:
    """The post, with everything its page shows in one row, if `user` may see it (`rules.may_see`); None otherwise."""
    return (
        Post.objects.filter(workflow__in=rules.seeable(user))
        # With its WordPress import record, if any: the page's notices (wpimport.templatetags) read it.
        .select_related("current_revision", "live_revision", "author", "workflow", "workflow__assignee",
                        "wordpress_origin")
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class PostHistory:
    revisions: list[Revision]
    comments: list[Comment]
    events: list[AuditEvent]


def post_history(post: Post, viewer) -> PostHistory:
    # The list needs no bodies: leave them in the database, however long the history.
    revisions = list(
        post.revisions.select_related("author").defer("body", "html", "summary").order_by("-number")
    )
    comments = post_comments(post)
    events = list(AuditEvent.objects.filter(rules.timeline_events_q(viewer), post=post).order_by("-seq"))
    return PostHistory(revisions=revisions, comments=comments, events=events)


def post_comments(post: Post) -> list[Comment]:
    """The post's comments, newest first, each with its replies: two queries however many."""
    return list(
        Comment.objects.filter(post=post)
        .select_related("author", "author__reviewer_profile", "revision", "resolved_by")
        .defer("revision__body", "revision__html").order_by("-created_at")
        .prefetch_related(Prefetch("replies", CommentReply.objects.select_related("author",
                                                                               "author__reviewer_profile")))
    )


def reading_minutes(words: int) -> int:
    return max(1, -(-words // WORDS_PER_MINUTE))
