"""The state machine: every (state × role × action), legal ones reaching their target, illegal ones changing nothing."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from content.models import Revision
from review import services
from review.models import AuditEvent, Comment, Signature
from review.states import State
from tests import factories
from tests.factories import PASSWORD, make_post

ACTIONS = ["edit", "submit", "withdraw", "resubmit", "request_changes", "sign", "publish", "schedule",
           "unschedule", "unpublish", "archive", "restore"]
ROLES = ["anonymous", "author", "other_author", "reviewer", "author_reviewer", "publisher"]

WRITERS = {"author", "publisher"}
# (state, action) -> the roles allowed to take it; anything else must be refused.
LEGAL = {
    (State.DRAFT, "edit"): WRITERS,
    (State.DRAFT, "submit"): WRITERS,
    (State.DRAFT, "archive"): {"publisher"},
    (State.IN_REVIEW, "withdraw"): WRITERS,
    (State.IN_REVIEW, "request_changes"): {"reviewer"},
    (State.IN_REVIEW, "sign"): {"reviewer"},
    (State.CHANGES_REQUESTED, "edit"): WRITERS,
    (State.CHANGES_REQUESTED, "resubmit"): WRITERS,
    (State.CHANGES_REQUESTED, "archive"): {"publisher"},
    (State.APPROVED, "edit"): WRITERS,
    (State.APPROVED, "publish"): {"publisher"},
    (State.APPROVED, "schedule"): {"publisher"},
    (State.APPROVED, "archive"): {"publisher"},
    (State.SCHEDULED, "edit"): WRITERS,
    (State.SCHEDULED, "unschedule"): {"publisher"},
    (State.PUBLISHED, "edit"): WRITERS,
    (State.PUBLISHED, "sign"): {"reviewer"},
    (State.PUBLISHED, "request_changes"): {"reviewer"},
    (State.PUBLISHED, "unpublish"): {"publisher"},
    (State.ARCHIVED, "restore"): {"publisher"},
}
TARGET = {
    "submit": State.IN_REVIEW, "withdraw": State.DRAFT, "resubmit": State.IN_REVIEW,
    "request_changes": State.CHANGES_REQUESTED, "publish": State.PUBLISHED, "schedule": State.SCHEDULED,
    "unschedule": State.APPROVED, "unpublish": State.ARCHIVED, "archive": State.ARCHIVED, "restore": State.APPROVED,
}


def expected_target(state, action):
    if action == "edit":
        return State.DRAFT if state in {State.APPROVED, State.SCHEDULED, State.PUBLISHED} else state
    if action == "sign":
        return State.APPROVED if state == State.IN_REVIEW else State.PUBLISHED
    return TARGET[action]


def act(action, post, user):
    if action == "edit":
        return services.post_save_draft(post, user=user, title=post.title, summary="New summary",
                                        body=post.current_revision.body + "\n\nA new paragraph.")
    if action == "sign":
        return services.revision_sign(post, user=user, password=PASSWORD, attested=True)
    if action == "request_changes":
        return services.post_request_changes(post, user=user, comment="Please cite a source.")
    if action == "schedule":
        return services.post_schedule(post, user=user, when=timezone.now() + timedelta(days=1))
    if action == "unpublish":
        return services.post_unpublish(post, user=user, reason="The clinic no longer offers this treatment.")
    return getattr(services, f"post_{action}")(post, user=user)


def snapshot(post):
    post.refresh_from_db()
    return (
        post.workflow.__class__.objects.get(pk=post.workflow.pk).state,
        post.current_revision_id, post.live_revision_id, post.published_at, post.slug,
        Revision.objects.filter(post=post).count(), Signature.objects.count(),
        AuditEvent.objects.count(), Comment.objects.count(),
    )


@pytest.mark.matrix
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", list(State))
def test_transition_matrix_allows_only_legal_moves(state, role, action, author, other_author, reviewer,
                                                   author_reviewer, publisher):
    post_author = author_reviewer if role == "author_reviewer" else author
    post = make_post(author=post_author, reviewer=reviewer, publisher=publisher, state=state)
    if state == State.PUBLISHED:
        # Its sign-off is due, so the reviewer who gave it may renew it (a current one is not signed twice).
        factories.make_review_due(post)
    user = {"anonymous": AnonymousUser(), "author": author, "other_author": other_author, "reviewer": reviewer,
            "author_reviewer": author_reviewer, "publisher": publisher}[role]
    # The post's own author who also reviews acts with an author's rights, never a reviewer's.
    acting_as = "author" if role == "author_reviewer" else role
    allowed = acting_as in LEGAL.get((state, action), set())

    before = snapshot(post)
    if allowed:
        act(action, post, user)
        post.workflow.refresh_from_db()
        assert post.workflow.state == expected_target(state, action)
    else:
        with pytest.raises((services.WorkflowError, PermissionDenied, ValidationError)):
            act(action, post, user)
        assert snapshot(post) == before
    # Published always means live (review.rules.rereview_due_parts reads the state alone).
    post.refresh_from_db()
    assert post.workflow.state != State.PUBLISHED or post.live_revision_id is not None


def test_editing_a_published_post_keeps_the_live_version(post_in, author):
    post = post_in(State.PUBLISHED)
    live = post.live_revision_id
    services.post_save_draft(post, user=author, title="A better title", summary="s", body="New text")
    post.refresh_from_db()
    assert post.workflow.state == State.DRAFT
    assert post.live_revision_id == live
    assert post.current_revision_id != live
    assert post.live_differs_from_working_copy


def test_republishing_an_edited_post_moves_the_live_version(post_in, author, reviewer, publisher):
    post = post_in(State.PUBLISHED)
    services.post_save_draft(post, user=author, title="A better title", summary="s", body="New text")
    services.post_submit(post, user=author)
    services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    services.post_publish(post, user=publisher)
    post.refresh_from_db()
    assert post.live_revision_id == post.current_revision_id
    assert post.live_revision.title == "A better title"


def test_a_post_in_review_is_frozen(post_in, author):
    post = post_in(State.IN_REVIEW)
    with pytest.raises(services.WorkflowError, match="with a reviewer"):
        services.post_save_draft(post, user=author, title="Changed", summary="", body="Changed")


def test_request_changes_needs_a_comment(post_in, reviewer):
    post = post_in(State.IN_REVIEW)
    with pytest.raises(ValidationError):
        services.post_request_changes(post, user=reviewer, comment="   ")
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.IN_REVIEW


def test_a_stale_form_is_refused_with_what_happened(post_in, author, reviewer):
    post = post_in(State.IN_REVIEW)
    services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    with pytest.raises(services.StaleAction, match="Dr. Ian Tan approved it"):
        services.post_withdraw(post, user=author, expected_state=State.IN_REVIEW)


def test_saving_over_someone_elses_newer_version_is_refused(post_in, author, publisher):
    post = post_in(State.DRAFT)
    base = post.current_revision_id
    services.post_save_draft(post, user=publisher, title=post.title, summary="", body="Publisher's text",
                             base_revision=base)
    with pytest.raises(services.StaleAction):
        services.post_save_draft(post, user=author, title=post.title, summary="", body="Author's text",
                                 base_revision=base)
    post.refresh_from_db()
    assert post.current_revision.body == "Publisher's text"


def test_duplicate_slugs_are_refused_clearly(author):
    services.post_create(author=author, title="Sunscreen", slug="sunscreen")
    with pytest.raises(ValidationError, match="already uses the address"):
        services.post_create(author=author, title="Other", slug="sunscreen")


def test_scheduled_posts_publish_once_when_due(post_in):
    post = post_in(State.SCHEDULED)
    assert services.publish_due() == []
    type(post.workflow).objects.filter(pk=post.workflow.pk).update(scheduled_for=timezone.now() - timedelta(minutes=1))
    assert services.publish_due() == [post.pk]
    assert services.publish_due() == []
    post.refresh_from_db()
    assert post.workflow.state == State.PUBLISHED and post.is_live
