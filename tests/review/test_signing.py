"""Electronic signatures: bound to the exact content, made only with the password, never by an editor."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from review import services, signing
from review.models import AuditEvent, ReviewPolicy, Signature, signoffs_missing
from review.states import State
from tests import factories
from tests.factories import PASSWORD, make_reviewer


def test_signature_records_the_signer_as_they_are_at_that_moment(post_in, reviewer):
    post = post_in(State.IN_REVIEW)
    signature = services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    reviewer.reviewer_profile.credentials = "MBBS, FRCP"
    reviewer.reviewer_profile.save()
    signature.refresh_from_db()
    assert signature.printed_name == "Dr. Ian Tan"
    assert signature.credentials == "MBBS (Singapore)"
    assert signature.get_meaning_display() == "Medical accuracy review"
    assert signature.statement.startswith("I have reviewed")
    assert signature.revision_hash == post.current_revision.content_hash
    assert signature.is_valid


def test_wrong_password_signs_nothing_and_is_audited(post_in, reviewer):
    post = post_in(State.IN_REVIEW)
    with pytest.raises(ValidationError, match="not correct"):
        services.revision_sign(post, user=reviewer, password="wrong", attested=True)
    assert Signature.objects.count() == 0
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.IN_REVIEW
    assert AuditEvent.objects.filter(action="sign_failed", actor=reviewer).count() == 1


def test_signing_without_the_attestation_is_refused(post_in, reviewer):
    post = post_in(State.IN_REVIEW)
    with pytest.raises(ValidationError, match="attestation"):
        services.revision_sign(post, user=reviewer, password=PASSWORD, attested=False)
    assert Signature.objects.count() == 0


def test_five_wrong_passwords_lock_signing_for_fifteen_minutes(post_in, reviewer):
    post = post_in(State.IN_REVIEW)
    for _ in range(5):
        with pytest.raises(ValidationError):
            services.revision_sign(post, user=reviewer, password="wrong", attested=True)
    assert AuditEvent.objects.filter(action="signing_locked", actor=reviewer).exists()
    with pytest.raises(services.SigningRefused, match="locked"):
        services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    assert Signature.objects.count() == 0


def test_nobody_signs_a_post_they_wrote(author_reviewer, reviewer, publisher):
    from tests.factories import make_post

    post = make_post(author=author_reviewer, reviewer=reviewer, publisher=publisher, state=State.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        services.revision_sign(post, user=author_reviewer, password=PASSWORD, attested=True)
    assert Signature.objects.count() == 0


def test_nobody_signs_a_post_they_edited(post_in, reviewer, publisher):
    from review import roles
    from django.contrib.auth.models import Group

    editor_doctor = make_reviewer("editing-doctor")
    editor_doctor.groups.add(Group.objects.get(name=roles.PUBLISHER))
    editor_doctor = type(editor_doctor).objects.get(pk=editor_doctor.pk)
    post = post_in(State.DRAFT)
    services.post_save_draft(post, user=editor_doctor, title=post.title, summary="", body="Edited by the doctor")
    services.post_submit(post, user=post.author)
    with pytest.raises(PermissionDenied):
        services.revision_sign(post, user=editor_doctor, password=PASSWORD, attested=True)


def test_lapsed_credentials_cannot_sign(post_in, reviewer):
    post = post_in(State.IN_REVIEW)
    reviewer.reviewer_profile.verified_until = timezone.localdate() - timezone.timedelta(days=1)
    reviewer.reviewer_profile.save()
    with pytest.raises(services.SigningRefused, match="verified only until"):
        services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)


def test_any_change_to_the_signed_content_voids_the_signature(post_in, reviewer, publisher):
    post = post_in(State.APPROVED)
    signature = Signature.objects.get(revision=post.current_revision)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE content_revision SET body = body || ' Guaranteed results.' WHERE id = %s",
                       [post.current_revision_id])
    post.refresh_from_db()
    signature.refresh_from_db()
    assert not signing.is_valid(signature, post.current_revision)
    assert signoffs_missing(post.current_revision) == {"medical": 1}
    with pytest.raises(services.WorkflowError, match="sign-off"):
        services.post_publish(post, user=publisher)
    assert not post.is_live


def test_a_tampered_signature_record_is_invalid(post_in):
    post = post_in(State.APPROVED)
    signature = Signature.objects.get(revision=post.current_revision)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE review_signature SET printed_name = 'Dr. Somebody Else' WHERE id = %s", [signature.pk])
    signature.refresh_from_db()
    assert not signature.is_valid


def test_editing_after_approval_leaves_the_signature_on_the_old_revision(post_in, author, publisher):
    post = post_in(State.APPROVED)
    signed = post.current_revision
    services.post_save_draft(post, user=author, title=post.title, summary="", body="Changed after sign-off")
    post.refresh_from_db()
    assert Signature.objects.get().revision == signed
    assert post.workflow.state == State.DRAFT
    assert signoffs_missing(post.current_revision) == {"medical": 1}


def test_two_signoffs_policy_approves_only_when_both_are_present(post_in, reviewer, second_reviewer):
    ReviewPolicy.objects.create(medical_signoffs=2)
    post = post_in(State.IN_REVIEW)
    services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.IN_REVIEW
    with pytest.raises(services.StaleAction, match="already signed"):
        services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    services.revision_sign(post, user=second_reviewer, password=PASSWORD, attested=True)
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.APPROVED
    assert Signature.objects.count() == 2


def test_re_review_of_a_published_post_renews_the_review_date(post_in, second_reviewer):
    post = post_in(State.PUBLISHED)
    first = Signature.objects.get()
    with pytest.raises(services.StaleAction, match="current until"):
        services.revision_sign(post, user=second_reviewer, password=PASSWORD, attested=True)
    factories.make_review_due(post)
    renewed = services.revision_sign(post, user=second_reviewer, password=PASSWORD, attested=True)
    post.refresh_from_db()
    assert post.workflow.state == State.PUBLISHED
    assert renewed.revision_id == post.live_revision_id == first.revision_id
    assert services.review_due_at(post) == ReviewPolicy.current().rereview_due(renewed.signed_at)


def test_a_reviewer_renews_their_own_sign_off_once_when_due_and_not_while_current(post_in, reviewer):
    post = post_in(State.PUBLISHED)
    with pytest.raises(services.StaleAction, match="current until"):
        services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    factories.make_review_due(post)
    services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    # A second click on the same form: the renewal just made is current, so nothing is signed twice.
    with pytest.raises(services.StaleAction, match="current until"):
        services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    assert Signature.objects.filter(revision=post.live_revision, signer=reviewer).count() == 2


def test_signatures_cannot_be_changed_or_deleted(post_in):
    from content.models import ImmutableError

    signature = Signature.objects.get(revision=post_in(State.APPROVED).current_revision)
    with pytest.raises(ImmutableError):
        signature.delete()
    with pytest.raises(ImmutableError):
        Signature.objects.filter(pk=signature.pk).update(printed_name="x")
