"""Writing: a new post, and new text for an existing one (which reopens an approved or live post as a draft)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from content import services as content_services
from content.models import Post
from review import audit, messages, rules
from review.models import Workflow
from review.services import addresses
from review.services.comments import comments_carry_forward
from review.services.errors import StaleAction, WorkflowError
from review.services.transitions import lock, run, save_workflow
from review.states import EDITABLE_STATES, FROZEN_STATES, REOPEN_ON_EDIT_STATES


@transaction.atomic
def post_create(*, author, title: str, summary: str = "", body: str = "", slug: str = "",
                hero: dict | None = None, imported_from: str = "") -> Post:
    """A new post with its first revision, in draft; `hero` is {"image": id, "alt": text} or None.

    `imported_from` names where an operator's import (manage.py import_wordpress) found the post: its author
    need not be able to write here yet (an account made inactive for them), and the audit records the import."""
    if not imported_from and not rules.is_writer(author):
        raise PermissionDenied("You may not write posts.")
    content_services.check_body_size(body)
    slug = checked_slug(slug, title)
    post = Post.objects.create(slug=slug, author=author)
    workflow = Workflow.objects.create(post=post)
    revision = content_services.revision_create(post=post, author=author, title=title, summary=summary, body=body,
                                                **content_services.hero_fields(None, hero))
    audit.record("create", actor=None if imported_from else author, post=post, to_state=workflow.state,
                 revision_hash=revision.content_hash,
                 detail={"revision": revision.number, **({"imported_from": imported_from} if imported_from else {})})
    return post


def checked_slug(slug: str, title: str, *, exclude_pk=None) -> str:
    slug = (slug or "").strip().lower()
    if not slug:
        return content_services.unique_slug(title, exclude_pk=exclude_pk)
    try:
        content_services.validate_slug(slug)
    except ValidationError:
        raise ValidationError({"slug": messages.SLUG_CHARACTERS})
    if Post.objects.exclude(pk=exclude_pk).filter(slug=slug).exists():
        raise ValidationError({"slug": messages.slug_taken(slug)})
    return slug


def edit_refusal(workflow: Workflow) -> str:
    """Why the post's state does not allow new text now, or "" when it does."""
    if workflow.state in EDITABLE_STATES or workflow.state in REOPEN_ON_EDIT_STATES:
        return ""
    return messages.edit_refusal(workflow, frozen=workflow.state in FROZEN_STATES)


@transaction.atomic
def post_save_draft(post, *, user, title: str, summary: str, body: str, slug: str | None = None,
                    base_revision: int | None = None, hero: dict | None = None) -> bool:
    """Save the user's text as a new revision. Returns False when nothing changed.

    `hero` is {"image": id or None, "alt": text}; None keeps the working copy's hero picture.

    `base_revision` is the revision the user started from: if someone saved since,
    the save is refused (409) rather than silently overwriting their work. New text for an
    approved, scheduled or live post first reopens it as a draft, through the same path as
    every other transition.
    """
    workflow = lock(post)
    post = workflow.post
    refusal_reason = edit_refusal(workflow)
    if refusal_reason:
        raise WorkflowError(refusal_reason)
    if not rules.may_write(workflow, user):
        raise PermissionDenied(messages.MAY_NOT_EDIT)
    if base_revision is not None and post.current_revision_id != base_revision:
        raise StaleAction(messages.NEWER_VERSION_SAVED)
    new_slug = checked_slug(slug, title, exclude_pk=post.pk) if slug is not None and slug != post.slug else post.slug
    hero_fields = content_services.hero_fields(post, hero)
    changed = content_services.revision_would_change(post, title=title, summary=summary, body=body, **hero_fields)
    if not changed and new_slug == post.slug:
        return False
    if new_slug != post.slug:
        if post.first_published_at:
            raise ValidationError({"slug": messages.SLUG_FIXED})
        addresses.move(workflow, user=user, slug=new_slug)
    if not changed:
        return True
    if workflow.state in REOPEN_ON_EDIT_STATES:
        run(workflow, "reopen", user=user)
    from_state = workflow.state
    revision = content_services.revision_create(post=post, author=user, title=title, summary=summary, body=body,
                                                **hero_fields)
    comments_carry_forward(post, to_revision=revision)
    save_workflow(workflow, user)
    audit.record("save", actor=user, post=post, from_state=from_state, to_state=workflow.state,
                 revision_hash=revision.content_hash, detail={"revision": revision.number})
    return True
