"""Changing where a post lives: its slug changes only here, audited, and its old address answers 301
(review.signals.address_changed)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from content.models import Post
from review import audit, messages, publication, rules, signals
from review.models import Workflow
from review.services.transitions import lock


def move(workflow: Workflow, *, user, slug: str) -> None:
    """On a locked workflow, with `slug` already checked: the post takes its new address, an audit event says
    so, a post that was ever public leaves its old address behind as a redirect, and a live one gets a new
    publication record for the new address (the same revision, times and publisher as before)."""
    post = workflow.post
    old = post.slug
    post.slug = slug
    post.save(update_fields=["slug"])
    revision = post.live_revision or post.current_revision
    event = audit.record("change_slug", actor=user, post=post, from_state=workflow.state, to_state=workflow.state,
                         revision_hash=revision.content_hash if revision else "", detail={"from": old, "to": slug})
    if post.first_published_at:
        signals.address_changed.send(sender=Post, kind="article", old_slug=old, new_slug=slug)
    if post.is_live:
        before = workflow.publication
        workflow.publication = publication.record_publication(
            post, event=event, publisher=before.publisher if before else user)


@transaction.atomic
def post_change_slug(post: Post, *, user, slug: str) -> Post:
    """Give `post` the address `slug` (letters, digits, hyphens; unused by any other post). Publishers only."""
    from review.services.drafts import checked_slug

    workflow = lock(post)
    if not rules.may_change_address(workflow, user):
        raise PermissionDenied(messages.MAY_NOT_MOVE)
    if not (slug or "").strip():
        raise ValidationError({"slug": messages.SLUG_REQUIRED})
    slug = checked_slug(slug, "", exclude_pk=post.pk)
    if slug != workflow.post.slug:
        move(workflow, user=user, slug=slug)
    return workflow.post
