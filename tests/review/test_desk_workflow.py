"""The writer's and publisher's side of the workflow (issue 17): replies, the resubmission note, empty bodies,
unpublishing with a reason, restoring to Approved, and due dates."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from review import reviewing, services
from review.models import AuditEvent, Comment, ReviewerProfile, Signature, Workflow
from review.states import State
from tests import factories

pytestmark = pytest.mark.django_db


def test_comment_reply_by_the_author_is_kept_in_the_thread_and_audited(post_in, author):
    post = post_in(State.CHANGES_REQUESTED)
    comment = Comment.objects.get(post=post)

    reply = services.comment_reply(comment, user=author, body="  I added the 2021 source.  ")

    assert [r.body for r in comment.replies.all()] == ["I added the 2021 source."]
    assert reply.author == author
    assert Comment.objects.get(pk=comment.pk).is_open
    event = AuditEvent.objects.filter(post=post).latest("seq")
    assert (event.action, event.detail) == ("comment_reply", {"comment_id": comment.pk, "reply_id": reply.pk})


def test_comment_reply_and_resolve_closes_the_comment(post_in, author):
    post = post_in(State.CHANGES_REQUESTED)
    comment = Comment.objects.get(post=post)

    services.comment_reply(comment, user=author, body="Done.", resolve=True)

    comment.refresh_from_db()
    assert (comment.is_open, comment.resolved_by) == (False, author)


def test_comment_reply_empty_is_refused_next_to_the_body(post_in, author):
    comment = Comment.objects.get(post=post_in(State.CHANGES_REQUESTED))
    with pytest.raises(ValidationError) as refused:
        services.comment_reply(comment, user=author, body="   ")
    assert "body" in refused.value.error_dict
    assert not comment.replies.exists()


def test_comment_reply_by_another_writer_is_refused(post_in, other_author):
    comment = Comment.objects.get(post=post_in(State.CHANGES_REQUESTED))
    with pytest.raises(PermissionDenied):
        services.comment_reply(comment, user=other_author, body="Not my post.")


def test_comment_replies_move_with_their_comment_to_the_next_version(post_in, author):
    post = post_in(State.CHANGES_REQUESTED)
    comment = Comment.objects.get(post=post)
    services.comment_reply(comment, user=author, body="Working on it.")

    services.post_save_draft(post, user=author, title=post.title, summary="",
                             body=post.current_revision.body + "\n\nSource: AAD 2021.")

    post.refresh_from_db()
    comment.refresh_from_db()
    assert comment.revision_id == post.current_revision_id
    assert [r.body for r in comment.replies.all()] == ["Working on it."]


def test_submit_refuses_a_body_with_no_words_next_to_body(post_in, author, reviewer, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    post = factories.make_post(author=author, body="  \n\n  ")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as refused:
        services.post_submit(post, user=author)
    assert refused.value.error_dict["body"][0].messages == [
        "The body has no words yet. Write the article before sending it for review."]
    assert Workflow.objects.get(post=post).state == State.DRAFT
    assert mailoutbox == []


def test_resubmit_note_is_kept_in_the_audit_trail_and_read_by_its_accessor(post_in, author):
    post = post_in(State.CHANGES_REQUESTED)
    services.post_save_draft(post, user=author, title=post.title, summary="",
                             body=post.current_revision.body + "\n\nSource: AAD 2021.")
    post.refresh_from_db()

    services.post_resubmit(post, user=author, note="Cited the AAD guideline for the collagen claim.")

    post.refresh_from_db()
    assert services.resubmit_note(post) == "Cited the AAD guideline for the collagen claim."
    event = AuditEvent.objects.filter(post=post, action="resubmit").get()
    assert event.detail == {"note": "Cited the AAD guideline for the collagen claim."}


def test_resubmit_note_is_optional(post_in, author):
    post = post_in(State.CHANGES_REQUESTED)
    services.post_resubmit(post, user=author)
    post.refresh_from_db()
    assert services.resubmit_note(post) == ""
    assert post.workflow.state == State.IN_REVIEW


def test_resubmit_note_of_an_older_version_is_not_shown_for_a_newer_one(post_in, author, reviewer):
    post = post_in(State.CHANGES_REQUESTED)
    services.post_resubmit(post, user=author, note="First round.")
    services.post_request_changes(factories.refresh(post), user=reviewer, comment="Still no source.")
    services.post_save_draft(factories.refresh(post), user=author, title=post.title, summary="", body="New text here.")
    assert services.resubmit_note(factories.refresh(post)) == ""


@pytest.mark.parametrize("detail", [{"note": "Cited the AAD guideline."}, {"note": "  \n "}, {"note": None}, {}, None])
def test_resubmit_note_and_the_review_pages_notes_read_the_event_alike(post_in, author, detail):
    post = post_in(State.CHANGES_REQUESTED)
    services.transition_post(post, "resubmit", user=author, detail=detail)
    post = factories.refresh(post)

    notes = reviewing.notes_since(reviewing.trail(post), None)

    assert [n["note"] for n in notes] == ([services.resubmit_note(post)] if services.resubmit_note(post) else [])
    assert services.resubmit_note(post) == ("Cited the AAD guideline." if detail and (detail["note"] or "").strip()
                                            else "")


def test_unpublish_requires_a_reason_and_changes_nothing_without_one(post_in, publisher):
    post = post_in(State.PUBLISHED)
    with pytest.raises(ValidationError) as refused:
        services.post_unpublish(post, user=publisher, reason="  ")
    assert "reason" in refused.value.error_dict
    post = factories.refresh(post)
    assert (post.workflow.state, post.is_live) == (State.PUBLISHED, True)


def test_unpublish_keeps_the_reason_in_the_audit_trail(post_in, publisher):
    post = post_in(State.PUBLISHED)
    services.post_unpublish(post, user=publisher, reason="Prices changed; the article quotes old ones.")
    event = AuditEvent.objects.filter(post=post, action="unpublish").get()
    assert event.detail == {"reason": "Prices changed; the article quotes old ones."}


def test_restore_returns_to_approved_when_the_signed_version_is_unchanged(post_in, publisher):
    post = post_in(State.ARCHIVED)
    services.post_restore(post, user=publisher)
    assert Workflow.objects.get(post=post).state == State.APPROVED


def test_restore_returns_to_draft_when_the_sign_off_is_no_longer_current(post_in, publisher):
    post = post_in(State.ARCHIVED)
    signed_at = Signature.objects.get(revision=post.current_revision).signed_at
    a_year_on = signed_at + timedelta(days=366)
    with mock.patch("django.utils.timezone.now", return_value=a_year_on):
        services.post_restore(post, user=publisher)
    assert Workflow.objects.get(post=post).state == State.DRAFT


def test_restore_returns_to_draft_when_the_signers_registration_lapsed(post_in, publisher, reviewer):
    post = post_in(State.ARCHIVED)
    ReviewerProfile.objects.filter(user=reviewer).update(verified_until=timezone.localdate() - timedelta(days=1))
    services.post_restore(post, user=publisher)
    assert Workflow.objects.get(post=post).state == State.DRAFT


def test_restore_returns_to_draft_when_the_working_copy_was_edited_after_publication(post_in, publisher, author):
    post = post_in(State.PUBLISHED)
    services.post_save_draft(post, user=author, title=post.title, summary="", body="A new unsigned version.")
    services.post_unpublish(factories.refresh(post), user=publisher, reason="Off for now.")
    services.post_restore(factories.refresh(post), user=publisher)
    assert Workflow.objects.get(post=post).state == State.DRAFT


def test_due_date_set_by_a_publisher_on_a_post_in_review_is_audited(post_in, publisher):
    post = post_in(State.IN_REVIEW)
    due = timezone.localdate() + timedelta(days=3)
    services.post_set_due_date(post, user=publisher, due_date=due)
    assert Workflow.objects.get(post=post).due_date == due
    event = AuditEvent.objects.filter(post=post).latest("seq")
    assert (event.action, event.detail) == ("set_due_date", {"due_date": due.isoformat()})


def test_due_date_in_the_past_is_refused(post_in, publisher):
    post = post_in(State.IN_REVIEW)
    with pytest.raises(ValidationError) as refused:
        services.post_set_due_date(post, user=publisher, due_date=timezone.localdate() - timedelta(days=1))
    assert "due_date" in refused.value.error_dict


@pytest.mark.parametrize("who", ["author", "reviewer"])
def test_due_date_only_publishers_set_it(post_in, who, request):
    post = post_in(State.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        services.post_set_due_date(post, user=request.getfixturevalue(who), due_date=timezone.localdate())
