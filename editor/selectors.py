"""What the editor's pages read: the writer's desk and one post's history, each in a fixed number of queries."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from content.models import Post, Revision
from review import rules
from review.models import AuditEvent, Comment
from review.states import WITH_AUTHOR_STATES, WITH_PUBLISHER_STATES, WITH_REVIEWER_STATES, State

PAGE_SIZE = 20
WORDS_PER_MINUTE = 200


# Counted per row shown, not by joining every comment of every post and grouping (3x slower at 10,000 posts).
_open_comment_count = (Comment.objects.filter(post=OuterRef("pk"), resolved_at__isnull=True).order_by()
                       .values("post").annotate(n=Count("pk")).values("n"))


def desk_posts(user, *, state: str = "", query: str = "") -> QuerySet:
    """The ids of the user's posts (every post for publishers), newest change first, to paginate.

    Ids only: ordering whole rows with their comment counts would carry every matching post through
    the sort (60 ms for a publisher at 10,000 posts); `DeskPaginator` loads one page of them.
    """
    posts = Post.objects.all() if user.has_perm("review.publish_post") else Post.objects.filter(author=user)
    if state:
        posts = posts.filter(workflow__state=state)
    if query:
        posts = posts.filter(current_revision__title__icontains=query)
    # An inner join (every post has its workflow), so the database can walk the workflow's change index.
    return (posts.filter(workflow__isnull=False).order_by("-workflow__changed_at", "-workflow__post_id")
            .values_list("pk", flat=True))


def desk_rows(ids: list[int]) -> list[Post]:
    """The posts with these ids, in that order, with what the desk shows."""
    posts = (
        Post.objects.filter(pk__in=ids)
        .select_related("current_revision", "author", "workflow", "workflow__assignee")
        .annotate(open_comments=Coalesce(Subquery(_open_comment_count, output_field=IntegerField()), 0))
    )
    by_pk = {post.pk: post for post in posts}
    return [by_pk[pk] for pk in ids if pk in by_pk]


class DeskPaginator(Paginator):
    """Pages of `desk_posts` ids, each turned into its posts."""

    def _get_page(self, object_list, *args, **kwargs):
        return super()._get_page(desk_rows(list(object_list)), *args, **kwargs)


def visible_post(user, pk: int) -> Post | None:
    """The post, with everything its page shows in one row, if `user` may see it (`rules.may_see`); None otherwise."""
    return (
        Post.objects.filter(workflow__in=rules.seeable(user))
        .select_related("current_revision", "live_revision", "author", "workflow", "workflow__assignee")
        .filter(pk=pk)
        .first()
    )


def holder(post: Post) -> str:
    """Who has the post now, in the words of the desk's "With" column."""
    state = post.workflow.state
    if state in WITH_AUTHOR_STATES:
        return _name(post.author)
    if state in WITH_REVIEWER_STATES:
        return _name(post.workflow.assignee) if post.workflow.assignee_id else "Reviewers"
    if state in WITH_PUBLISHER_STATES:
        return "Publisher"
    return "On the site" if state == State.PUBLISHED else "Nobody"


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


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
    comments = list(
        Comment.objects.filter(post=post).select_related("author", "author__reviewer_profile", "revision")
        .defer("revision__body", "revision__html").order_by("-created_at")
    )
    events = list(AuditEvent.objects.filter(rules.timeline_events_q(viewer), post=post).order_by("-seq"))
    return PostHistory(revisions=revisions, comments=comments, events=events)


def reading_minutes(words: int) -> int:
    return max(1, -(-words // WORDS_PER_MINUTE))
