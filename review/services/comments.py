"""Comments on a post: adding one (optionally on a quoted passage), resolving, and carrying open ones forward."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from review import anchoring, audit, messages, rules
from review.models import Comment, CommentReply
from review.services.transitions import check_current, lock

COMMENT_MAX_CHARS = 5000


def check_comment_length(body: str, *, field: str = "body") -> None:
    """Refuse a comment over COMMENT_MAX_CHARS, next to `field` (a comment, or "What needs to change")."""
    if len(body.strip()) > COMMENT_MAX_CHARS:
        raise ValidationError({field: f"Keep a comment under {COMMENT_MAX_CHARS:,} characters."})


def anchor(revision, quote: dict) -> anchoring.Anchor | None:
    """The quoted passage found in `revision`; the positions are recomputed here, never trusted."""
    exact = quote.get("exact") or ""
    if not exact.strip():
        return None
    found = anchoring.locate(
        anchoring.text_of(revision.html), exact=exact, prefix=quote.get("prefix") or "",
        suffix=quote.get("suffix") or "", start=quote.get("start"),
    )
    if found is None:
        raise ValidationError({"quote": messages.QUOTE_GONE})
    return found


def comment_create(*, post, user, body: str, quote: dict | None = None) -> Comment:
    """The comment row alone, on the post's working copy; callers hold the post's lock and audit it."""
    if not (body or "").strip():
        raise ValidationError({"body": messages.EMPTY_COMMENT})
    check_comment_length(body)
    if not rules.may_comment(post.workflow, user):
        raise PermissionDenied(messages.MAY_NOT_COMMENT)
    found = anchor(post.current_revision, quote or {})
    return Comment.objects.create(
        post=post,
        revision=post.current_revision,
        author=user,
        body=body.strip(),
        quote_exact=found.exact if found else "",
        quote_prefix=found.prefix if found else "",
        quote_suffix=found.suffix if found else "",
        quote_start=found.start if found else None,
        quote_end=found.end if found else None,
    )


@transaction.atomic
def comment_add(*, post, user, body: str, quote: dict | None = None, expected_revision: int | None = None) -> Comment:
    """Add a comment to the version the user read (`expected_revision`); a newer version refuses it (409)."""
    workflow = lock(post)
    check_current(workflow, user=user, expected_revision=expected_revision)
    post = workflow.post
    comment = comment_create(post=post, user=user, body=body, quote=quote)
    audit.record("comment", actor=user, post=post, revision_hash=post.current_revision.content_hash,
                 detail={"comment_id": comment.pk})
    return comment


def comments_carry_forward(post, *, to_revision) -> int:
    """Move the post's open comments onto `to_revision` where their passage is still found.

    Comments whose passage is gone stay on the revision they were made on, still open,
    so the author can see what was asked. Returns how many comments moved.
    """
    text = None
    moved = 0
    for comment in Comment.objects.filter(post=post, resolved_at__isnull=True).exclude(revision=to_revision):
        if comment.quote_exact:
            if text is None:
                text = anchoring.text_of(to_revision.html)
            found = anchoring.locate(text, exact=comment.quote_exact, prefix=comment.quote_prefix,
                                     suffix=comment.quote_suffix, start=comment.quote_start)
            if found is None:
                continue
            comment.quote_prefix, comment.quote_suffix = found.prefix, found.suffix
            comment.quote_start, comment.quote_end = found.start, found.end
        comment.revision = to_revision
        comment.save(update_fields=["revision", "quote_prefix", "quote_suffix", "quote_start", "quote_end"])
        moved += 1
    return moved


@transaction.atomic
def comment_resolve(comment: Comment, *, user) -> Comment:
    """Mark a comment as dealt with; resolving it twice changes nothing."""
    comment = Comment.objects.select_for_update(of=("self",)).select_related("post").get(pk=comment.pk)
    if not rules.may_comment(comment.post.workflow, user):
        raise PermissionDenied("You may not resolve comments on this post.")
    if comment.resolved_at is not None:
        return comment
    comment.resolved_at, comment.resolved_by = timezone.now(), user
    comment.save(update_fields=["resolved_at", "resolved_by"])
    audit.record("comment_resolved", actor=user, post=comment.post, detail={"comment_id": comment.pk})
    return comment


@transaction.atomic
def comment_reply(comment: Comment, *, user, body: str, resolve: bool = False) -> CommentReply:
    """Answer in a comment's thread (whoever may comment on the post); `resolve` also marks it dealt with."""
    comment = Comment.objects.select_for_update(of=("self",)).select_related("post").get(pk=comment.pk)
    if not (body or "").strip():
        raise ValidationError({"body": messages.EMPTY_COMMENT})
    check_comment_length(body)
    if not rules.may_comment(comment.post.workflow, user):
        raise PermissionDenied(messages.MAY_NOT_COMMENT)
    reply = CommentReply.objects.create(comment=comment, author=user, body=body.strip())
    audit.record("comment_reply", actor=user, post=comment.post,
                 detail={"comment_id": comment.pk, "reply_id": reply.pk})
    if resolve:
        comment_resolve(comment, user=user)
    return reply
