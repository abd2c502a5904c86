"""What the public site may know of the review workflow: which live articles carry a valid sign-off, by whom, and when.

This is the one interface between `public/` and the workflow. Every answer is checked
against the signatures themselves (`review.signing.is_valid`), so a signature or revision
altered behind the application's back yields no review line, and the article is not public.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from content.models import Post
from review import publication, signing
from review.models import Policy, ReviewerProfile, ReviewPolicy, Signature
from review.states import Meaning

# The review line promises a medical review; only signatures with this meaning can make it.
PUBLIC_MEANING = Meaning.MEDICAL


@dataclass(frozen=True)
class PublicReview:
    """The facts behind one article's "Medically reviewed by" line, as they were signed."""

    signature_id: int
    honorific: str
    name: str  # without the honorific
    credentials: str
    reviewer_slug: str
    signed_at: datetime
    next_review_due: datetime

    @property
    def printed_name(self) -> str:
        return f"{self.honorific} {self.name}".strip()


# The public pages read the review policy on every request only to print when the next review is due, and the
# review page to print which sign-offs are needed and the checklist: it is kept in Django's cache for
# POLICY_TIMEOUT seconds and dropped whenever the policy is saved or deleted (`forget_display_policy`, connected in
# `review.apps`). With a cache per process, the default, the other processes see a change within the timeout;
# with a shared cache, at once. The workflow (who must sign, the checklist a signature is checked against) always
# reads the database.
POLICY_CACHE_KEY = "review:display-policy:1"  # bump the number when `Policy` changes its fields
POLICY_TIMEOUT = 60


def display_policy() -> Policy:
    kept = cache.get(POLICY_CACHE_KEY)
    if kept is not None:
        return Policy(**kept)
    policy = ReviewPolicy.current()
    cache.set(POLICY_CACHE_KEY, asdict(policy), POLICY_TIMEOUT)
    return policy


def forget_display_policy() -> None:
    cache.delete(POLICY_CACHE_KEY)


def forget_saved_policy(**kwargs) -> None:
    forget_display_policy()
    # A page that read the old row while the change was being saved may have kept it: drop it again once the
    # change is committed, when every later read sees the new row.
    transaction.on_commit(forget_display_policy)


# What the public pages show changes, through the application, only when one of these is saved or deleted: a
# post (publish, unpublish, a new live version), a signature (a re-review), the review policy, a reviewer's
# profile (name, link) or a user (an author's name). `public_generation()` names the present state of all of
# them: what a public page keeps in the cache under it is dropped by any such change (connected in `review.apps`).
PUBLIC_GENERATION_KEY = "review:public-generation"
# Settings a public page shows something of.
PUBLIC_SETTINGS = {"REVIEW_POLICY", "SITE_NAME", "TIME_ZONE"}


def public_generation() -> str:
    return cache.get_or_set(PUBLIC_GENERATION_KEY, lambda: uuid4().hex, None)


def forget_public_facts() -> None:
    cache.set(PUBLIC_GENERATION_KEY, uuid4().hex, None)


def forget_saved_public_fact(*, update_fields=None, **kwargs) -> None:
    """Whatever a page kept goes at once. (A page read while the change is being committed may keep the old rows
    under the new name; what public pages keep expires within seconds, see public.views.ARTICLE_RECHECK_SECONDS.)"""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # signing in changes nothing a public page shows
    forget_public_facts()


def forget_changed_setting(*, setting, **kwargs) -> None:
    if setting == "REVIEW_POLICY":
        forget_display_policy()
    if setting in PUBLIC_SETTINGS:
        forget_public_facts()


def _split_honorific(printed_name: str, honorific: str) -> tuple[str, str]:
    """The signed printed name, split into honorific and name, using the reviewer's honorific."""
    if honorific and printed_name.startswith(honorific + " "):
        return honorific, printed_name[len(honorific) + 1:]
    return "", printed_name


def _review(signature: Signature, post: Post, policy) -> PublicReview:
    honorific, name = _split_honorific(signature.printed_name, signature.reviewer.honorific)
    return PublicReview(
        signature_id=signature.pk,
        honorific=honorific,
        name=name,
        credentials=signature.credentials,
        # The address the signature sealed (review.signing.signer_record); it redirects if the reviewer's slug
        # changed since. Signatures older than the signer record have only the profile's.
        reviewer_slug=(signature.details.get("signer") or {}).get("reviewer_slug") or signature.reviewer.slug,
        signed_at=signature.signed_at,
        # The one rule of when a review is due (review.rules), as the queue and the scheduler read it.
        next_review_due=post.workflow.review_due_at or policy.rereview_due(signature.signed_at),
    )


def public_post(slug: str) -> tuple[Post, PublicReview] | None:
    """The live post at `slug` with the newest valid medical sign-off of its live revision, or None.

    One query: the post, its live revision and author come with the signatures of that revision
    (a live post without one is not public anyway). The checks are those of `public_reviews_for`.
    """
    signatures = (Signature.objects.filter(revision__post__slug=slug, revision__post__live_revision=F("revision"),
                                           meaning=PUBLIC_MEANING)
                  .select_related("revision__post__author", "revision__post__workflow__publication", "reviewer")
                  .annotate(**{publication.NEWEST_EVENT: publication.newest_event("revision__post")})
                  .order_by("-signed_at", "-pk"))
    intact = None
    for signature in signatures:
        revision = signature.revision
        if intact is None:
            post = revision.post
            post.live_revision = revision  # the same row
            setattr(post, publication.NEWEST_EVENT, getattr(signature, publication.NEWEST_EVENT))
            intact = publication.shows(post) and revision.is_intact
            if not intact:
                return None
        if signing.is_valid(signature, revision, revision_intact=intact):
            return post, _review(signature, post, display_policy())
    return None


def review_line_preview(post: Post, *, signatures: list[Signature] | None = None) -> PublicReview | None:
    """The review line the post will carry once its working copy is published (shown to the publisher beside
    Publish): the newest valid medical sign-off of that copy, by the same rule as `public_post`; None if none.
    `signatures`: the working copy's valid signatures (`Signature.objects.valid_for`), when the caller has them."""
    revision = post.current_revision
    if revision is None:
        return None
    if signatures is None:
        signatures = Signature.objects.valid_for(revision)
    newest = max((s for s in signatures if s.meaning == PUBLIC_MEANING), key=lambda s: (s.signed_at, s.pk),
                 default=None)
    return _review(newest, post, display_policy()) if newest is not None else None


def public_posts() -> QuerySet[Post]:
    """Live posts that have a medical signature recorded against the live revision's hash, newest
    publication first (the order of every public list, along `post_first_published_idx`).

    A database-side pre-filter, so lists paginate correctly; the cryptographic checks (of the signatures and
    of the publication record, `review.publication.shows`) happen in `public_reviews_for`, and callers drop
    posts for which it finds nothing.
    """
    signed = Signature.objects.filter(
        revision=OuterRef("live_revision"),
        revision_hash=OuterRef("live_revision__content_hash"),
        meaning=PUBLIC_MEANING,
    )
    # Not also "its publication record names the live revision": `shows` checks that, and as a join condition
    # PostgreSQL's planner took it to leave one row, sorted every live post and read a page of ten in 56 ms at
    # 10,000 posts (2 ms along the index).
    return (Post.objects.published().filter(Exists(signed))
            .select_related("live_revision", "author", "workflow__publication")
            .annotate(**{publication.NEWEST_EVENT: publication.newest_event()})
            .order_by("-first_published_at", "-pk"))


def changed_since(posts: QuerySet[Post], since: datetime) -> QuerySet[Post]:
    """Of `posts` (a `public_posts()` queryset), those whose page may have changed since `since`: published
    (or given a new live version) then, or signed again (a re-review). A pre-filter like `public_posts()`."""
    signed_since = Signature.objects.filter(revision=OuterRef("live_revision"), meaning=PUBLIC_MEANING,
                                            signed_at__gte=since)
    return posts.filter(Q(published_at__gte=since) | Exists(signed_since))


def public_post_count() -> int:
    """How many posts are live, for a list's page count: an index-only count, without `public_posts()`'s
    signature check on every live post (38 ms at 10,000 posts on SQLite).

    Publishing requires a medical signature, so the two agree unless a signature or revision was altered
    behind the application's back; then the altered post is still left out of the pages, and the last
    page is only shorter than the count promised.
    """
    return Post.objects.published().count()


def public_reviews_for(posts: Iterable[Post], *, policy=None) -> dict[int, PublicReview]:
    """For each post the public may see: its live revision's newest valid medical signature, by post id.

    This decides what is public, for every page, feed, sitemap and API that lists posts (`public_post` applies
    the same checks to one): the post's publication record must verify and match it (`review.publication.shows`)
    and its live revision must carry a valid medical signature. One query whatever the number of posts
    (signatures with reviewers), and the policy at most once a minute. `posts` come from `public_posts()` (which
    loads what these checks read); a post without it is not shown.
    """
    revisions = {post.live_revision_id: post for post in posts if post.live_revision_id and publication.shows(post)}
    if not revisions:
        return {}
    signatures = (Signature.objects.filter(revision_id__in=revisions, meaning=PUBLIC_MEANING)
                  .select_related("reviewer").order_by("-signed_at", "-pk"))
    policy = policy or display_policy()
    reviews: dict[int, PublicReview] = {}
    intact: dict[int, bool] = {}
    for signature in signatures:
        post = revisions[signature.revision_id]
        if post.pk in reviews:
            continue
        revision = post.live_revision
        # Hashing the revision is the expensive part of the check: once per revision.
        if revision.pk not in intact:
            intact[revision.pk] = revision.is_intact
        if intact[revision.pk] and signing.is_valid(signature, revision, revision_intact=True):
            reviews[post.pk] = _review(signature, post, policy)
    return reviews


def public_review_for(post: Post) -> PublicReview | None:
    """The newest valid medical sign-off of the post's live revision, or None (then nothing of it is public)."""
    return public_reviews_for(public_posts().filter(pk=post.pk)).get(post.pk)


def reviewer_posts(profile: ReviewerProfile) -> QuerySet[Post]:
    """Public posts whose live revision this reviewer signed, newest publication first: a database-side
    pre-filter to paginate; `reviewed_posts` checks a page of them."""
    signed_by_them = Signature.objects.filter(
        revision=OuterRef("live_revision"),
        revision_hash=OuterRef("live_revision__content_hash"),
        reviewer=profile,
    )
    return public_posts().filter(Exists(signed_by_them))


def reviewer_post_count(profile: ReviewerProfile) -> int:
    """How many live posts this reviewer signed, for the page count: from their signatures (indexed by
    reviewer), not by checking every live post. As with `public_post_count`, a post whose signature was
    altered is still left out of the pages, which are then shorter than counted."""
    return (Signature.objects.filter(reviewer=profile, revision__post__live_revision=F("revision"))
            .values("revision_id").distinct().count())


def reviewed_posts(profile: ReviewerProfile, posts: Iterable[Post]) -> list[tuple[Post, PublicReview]]:
    """Of `posts` (a page of `reviewer_posts`), those whose live revision this reviewer validly signed."""
    posts = list(posts)
    reviews = public_reviews_for(posts)
    # public_reviews_for found these revisions intact: hash none of them again.
    live = {post.live_revision_id: post.live_revision for post in posts if post.pk in reviews}
    theirs = {
        signature.revision_id
        for signature in Signature.objects.filter(reviewer=profile, revision_id__in=live)
        if signing.is_valid(signature, live[signature.revision_id], revision_intact=True)
    }
    return [(post, reviews[post.pk]) for post in posts if post.pk in reviews and post.live_revision_id in theirs]


def public_reviewers() -> QuerySet[ReviewerProfile]:
    """Reviewers readers may see listed: the active ones."""
    return ReviewerProfile.objects.filter(is_active=True).order_by("display_name")


def reviewer_by_slug(slug: str) -> ReviewerProfile | None:
    return ReviewerProfile.objects.filter(slug=slug).first()


def rereview_interval_days() -> int:
    return display_policy().rereview_days
