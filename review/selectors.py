"""What the public site may know of the review workflow: which live articles carry a valid sign-off, by whom, and when.

This is the one interface between `public/` and the workflow. Every answer is checked
against the signatures themselves (`review.signing.is_valid`), so a signature or revision
altered behind the application's back yields no review line, and the article is not public.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef, QuerySet

from content.models import Post
from review import signing
from review.models import ReviewerProfile, ReviewPolicy, Signature
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

    @property
    def last_reviewed(self) -> date:
        return self.signed_at.date()


def _split_honorific(printed_name: str, honorific: str) -> tuple[str, str]:
    """The signed printed name, split into honorific and name, using the reviewer's honorific."""
    if honorific and printed_name.startswith(honorific + " "):
        return honorific, printed_name[len(honorific) + 1:]
    return "", printed_name


def _review(signature: Signature, policy) -> PublicReview:
    honorific, name = _split_honorific(signature.printed_name, signature.reviewer.honorific)
    return PublicReview(
        signature_id=signature.pk,
        honorific=honorific,
        name=name,
        credentials=signature.credentials,
        reviewer_slug=signature.reviewer.slug,
        signed_at=signature.signed_at,
        next_review_due=policy.rereview_due(signature.signed_at),
    )


def public_posts() -> QuerySet[Post]:
    """Live posts that have a medical signature recorded against the live revision's hash.

    A database-side pre-filter, so lists paginate correctly; the cryptographic check
    happens in `public_reviews_for`, and callers drop posts for which it finds nothing.
    """
    signed = Signature.objects.filter(
        revision=OuterRef("live_revision"),
        revision_hash=OuterRef("live_revision__content_hash"),
        meaning=PUBLIC_MEANING,
    )
    return (Post.objects.published().filter(Exists(signed))
            .select_related("live_revision", "author"))


def public_reviews_for(posts: Iterable[Post], *, policy=None) -> dict[int, PublicReview]:
    """For each post whose live revision carries a valid medical signature: its newest one, by post id.

    Two queries whatever the number of posts (signatures with reviewers, and the policy).
    `posts` must have `live_revision` loaded (as `public_posts()` does).
    """
    revisions = {post.live_revision_id: post for post in posts if post.live_revision_id}
    if not revisions:
        return {}
    signatures = (Signature.objects.filter(revision_id__in=revisions, meaning=PUBLIC_MEANING)
                  .select_related("reviewer").order_by("-signed_at", "-pk"))
    policy = policy or ReviewPolicy.current()
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
        if intact[revision.pk] and signing.is_valid(signature, revision):
            reviews[post.pk] = _review(signature, policy)
    return reviews


def public_review_for(post: Post) -> PublicReview | None:
    """The newest valid medical sign-off of the post's live revision, or None (then nothing of it is public)."""
    return public_reviews_for([post]).get(post.pk)


def reviewed_posts(profile: ReviewerProfile) -> list[tuple[Post, PublicReview]]:
    """Public articles whose live revision this reviewer validly signed, newest publication first."""
    signed_by_them = Signature.objects.filter(
        revision=OuterRef("live_revision"),
        revision_hash=OuterRef("live_revision__content_hash"),
        reviewer=profile,
    )
    posts = list(public_posts().filter(Exists(signed_by_them)).order_by("-first_published_at", "-pk"))
    reviews = public_reviews_for(posts)
    live = {post.live_revision_id: post.live_revision for post in posts}
    theirs = {
        signature.revision_id
        for signature in Signature.objects.filter(reviewer=profile, revision_id__in=live)
        if signing.is_valid(signature, live[signature.revision_id])
    }
    return [(post, reviews[post.pk]) for post in posts if post.pk in reviews and post.live_revision_id in theirs]


def public_reviewers() -> QuerySet[ReviewerProfile]:
    """Reviewers readers may see listed: the active ones."""
    return ReviewerProfile.objects.filter(is_active=True).order_by("display_name")


def reviewer_by_slug(slug: str) -> ReviewerProfile | None:
    return ReviewerProfile.objects.filter(slug=slug).first()


def rereview_interval_days() -> int:
    return ReviewPolicy.current().rereview_days
