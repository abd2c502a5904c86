"""Approve and sign, and request changes, through the review page: every outcome a reviewer can meet."""

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from review import services
from review.models import AuditEvent, Comment, ReviewPolicy, Signature
from review.models import DEFAULT_CHECKLIST
from review.states import State
from tests import factories
from tests.factories import PASSWORD


def sign_form(post, *, password=PASSWORD, attest=True, checklist=DEFAULT_CHECKLIST, state=None, revision=None):
    post.refresh_from_db()
    post.workflow.refresh_from_db()
    data = {
        "password": password,
        "checklist": list(checklist),
        "expected_state": state or post.workflow.state,
        "expected_revision": revision or (post.live_revision_id if post.workflow.state == State.PUBLISHED
                                          else post.current_revision_id),
    }
    if attest:
        data["attest"] = "on"
    return data


def sign(client, post, data):
    return client.post(reverse("review:sign", args=[post.pk]), data)


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def test_sign_approves_post_and_seals_checklist(reviewer_client, reviewer, post_in):
    post = post_in(State.IN_REVIEW)

    response = sign(reviewer_client, post, sign_form(post))

    assert response.status_code == 302
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.APPROVED
    signature = Signature.objects.get(revision=post.current_revision)
    assert (signature.signer, signature.printed_name, signature.credentials) == (reviewer, "Dr. Ian Tan",
                                                                                 "MBBS (Singapore)")
    assert signature.revision_hash == post.current_revision.content_hash
    assert signature.details["checklist"] == list(DEFAULT_CHECKLIST)
    assert signature.is_valid
    follow = reviewer_client.get(response["Location"])
    assert "It is approved and can be published." in follow.content.decode()


def test_sign_with_incomplete_checklist_signs_nothing(reviewer_client, post_in):
    post = post_in(State.IN_REVIEW)

    response = sign(reviewer_client, post, sign_form(post, checklist=DEFAULT_CHECKLIST[:2]))

    assert response.status_code == 400
    assert "Complete the checklist before signing: No promise of results; Sources are cited." in response.content.decode()
    assert not Signature.objects.exists()
    assert not AuditEvent.objects.filter(action="sign_failed").exists()


def test_sign_without_attestation_signs_nothing(reviewer_client, post_in):
    post = post_in(State.IN_REVIEW)

    response = sign(reviewer_client, post, sign_form(post, attest=False))

    assert response.status_code == 400
    assert "Tick the attestation to sign." in response.content.decode()
    assert not Signature.objects.exists()


def test_sign_with_wrong_password_signs_nothing_and_says_so(reviewer_client, post_in):
    post = post_in(State.IN_REVIEW)

    response = sign(reviewer_client, post, sign_form(post, password="not my password"))

    assert response.status_code == 400
    html = response.content.decode()
    assert "That password is not correct. Nothing was signed." in html
    assert 'id="sign-panel" class="sign-panel">' in html  # the panel stays open, with the ticks kept
    assert 'value="Sources are cited" id="id_checklist_3" checked' in html
    assert not Signature.objects.exists()
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.IN_REVIEW
    assert AuditEvent.objects.filter(action="sign_failed").count() == 1


def test_sign_locks_out_after_five_wrong_passwords(reviewer_client, post_in):
    post = post_in(State.IN_REVIEW)
    for _ in range(5):
        assert sign(reviewer_client, post, sign_form(post, password="wrong")).status_code == 400

    response = sign(reviewer_client, post, sign_form(post))  # even the right password now

    assert response.status_code == 403
    assert "Signing is locked after too many wrong passwords" in response.content.decode()
    assert not Signature.objects.exists()
    assert AuditEvent.objects.filter(action="signing_locked").count() == 1


def test_sign_works_again_after_lockout_expires(reviewer_client, post_in):
    post = post_in(State.IN_REVIEW)
    for _ in range(5):
        sign(reviewer_client, post, sign_form(post, password="wrong"))

    later = timezone.now() + timedelta(minutes=16)
    with mock.patch("review.services.signoff.timezone.now", return_value=later):
        response = sign(reviewer_client, post, sign_form(post))

    assert response.status_code == 302
    assert Signature.objects.count() == 1


def test_sign_after_idle_session_requires_fresh_login(reviewer_client, post_in):
    post = post_in(State.IN_REVIEW)
    idle = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)

    with mock.patch("django.contrib.sessions.backends.db.timezone.now", return_value=idle):
        response = sign(reviewer_client, post, sign_form(post))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Signature.objects.exists()


def test_sign_within_session_timeout_keeps_session(reviewer_client, post_in):
    post = post_in(State.IN_REVIEW)
    active = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)

    with mock.patch("django.contrib.sessions.backends.db.timezone.now", return_value=active):
        response = sign(reviewer_client, post, sign_form(post))

    assert response.status_code == 302
    assert Signature.objects.count() == 1


def test_sign_from_stale_form_after_colleague_signed_is_409(client, reviewer, second_reviewer, post_in):
    post = post_in(State.IN_REVIEW)
    stale = sign_form(post)  # both doctors opened the page while it was in review
    services.revision_sign(post, user=second_reviewer, password=PASSWORD, attested=True)
    client.force_login(reviewer)

    response = sign(client, post, stale)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Dr. Goh Mei Lin approved it at" in html
    assert "so your action was not applied" in html
    assert Signature.objects.count() == 1
    assert AuditEvent.objects.filter(action="approve").count() == 1


def test_sign_from_stale_form_after_author_changed_text_is_409(reviewer_client, author, post_in):
    post = post_in(State.IN_REVIEW)
    stale = sign_form(post)
    services.post_withdraw(post, user=author)
    services.post_save_draft(post, user=author, title="Changed title", summary="", body="Changed body.")
    services.post_submit(post, user=author)

    response = sign(reviewer_client, post, stale)

    assert response.status_code == 409
    assert not Signature.objects.exists()


def test_sign_own_post_is_refused(client, author_reviewer, reviewer, publisher):
    from tests.factories import make_post

    post = make_post(author=author_reviewer, state=State.IN_REVIEW)
    client.force_login(author_reviewer)

    response = sign(client, post, sign_form(post))

    assert response.status_code == 403
    assert not Signature.objects.exists()


def test_sign_second_of_two_required_approves(client, reviewer, second_reviewer, post_in):
    ReviewPolicy.objects.create(medical_signoffs=2)
    post = post_in(State.IN_REVIEW)
    client.force_login(reviewer)
    sign(client, post, sign_form(post))
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.IN_REVIEW
    client.force_login(second_reviewer)

    response = sign(client, post, sign_form(post))

    assert response.status_code == 302
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.APPROVED
    assert sorted(Signature.objects.values_list("printed_name", flat=True)) == ["Dr. Goh Mei Lin", "Dr. Ian Tan"]


def test_sign_rereview_renews_review_date_of_live_version(reviewer_client, post_in):
    post = post_in(State.PUBLISHED)
    factories.let_reviews_lapse()
    services.flag_rereviews_due()
    live = post.live_revision

    response = sign(reviewer_client, post, sign_form(post))

    assert response.status_code == 302
    post.refresh_from_db()
    post.workflow.refresh_from_db()
    assert (post.workflow.state, post.workflow.rereview_flagged_at, post.live_revision) == (State.PUBLISHED, None, live)
    assert Signature.objects.filter(revision=live).count() == 2


def test_request_changes_needs_a_comment(reviewer_client, post_in):
    post = post_in(State.IN_REVIEW)

    response = reviewer_client.post(reverse("review:request_changes", args=[post.pk]),
                                     {"comment": "  ", "expected_state": State.IN_REVIEW})

    assert response.status_code == 400
    assert "Say what needs to change before sending the post back." in response.content.decode()
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.IN_REVIEW


def test_request_changes_sends_post_back_with_comment(reviewer_client, reviewer, post_in):
    post = post_in(State.IN_REVIEW)

    response = reviewer_client.post(reverse("review:request_changes", args=[post.pk]),
                                     {"comment": "Please cite a source.", "expected_state": State.IN_REVIEW})

    assert response.status_code == 302
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.CHANGES_REQUESTED
    assert list(Comment.objects.values_list("author", "body")) == [(reviewer.pk, "Please cite a source.")]


def test_request_changes_after_colleague_approved_is_409(reviewer_client, second_reviewer, post_in):
    post = post_in(State.IN_REVIEW)
    services.revision_sign(post, user=second_reviewer, password=PASSWORD, attested=True)

    response = reviewer_client.post(reverse("review:request_changes", args=[post.pk]),
                                    {"comment": "Cite it.", "expected_state": State.IN_REVIEW})

    assert response.status_code == 409
    assert "Dr. Goh Mei Lin approved it" in response.content.decode()
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.APPROVED
    assert not Comment.objects.exists()


def test_request_changes_on_rereview_takes_post_back_to_author(reviewer_client, post_in):
    post = post_in(State.PUBLISHED)

    response = reviewer_client.post(reverse("review:request_changes", args=[post.pk]),
                                    {"comment": "Guidance changed in 2026.", "expected_state": State.PUBLISHED})

    assert response.status_code == 302
    post.refresh_from_db()
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.CHANGES_REQUESTED
    assert post.is_live  # readers keep the signed version meanwhile


def test_review_page_prints_a_changed_checklist_at_once(reviewer_client, post_in):
    post = post_in(State.IN_REVIEW)
    page = reverse("review:post", args=[post.pk])
    assert "Sources are cited" in reviewer_client.get(page).content.decode()
    ReviewPolicy.objects.create(checklist="Dosages checked against the label")
    html = reviewer_client.get(page).content.decode()
    assert "Dosages checked against the label" in html and "Sources are cited" not in html


def test_refused_signing_shows_the_checklist_in_force_not_a_kept_copy(reviewer_client, post_in):
    from dataclasses import asdict

    from django.core.cache import cache

    from review.selectors import POLICY_CACHE_KEY, display_policy

    post = post_in(State.IN_REVIEW)
    kept = display_policy()
    ReviewPolicy.objects.create(checklist="Dosages checked against the label")
    cache.set(POLICY_CACHE_KEY, asdict(kept))  # as another app server with its own cache may still hold it
    response = sign(reviewer_client, post, sign_form(post))  # the old checklist, ticked
    html = response.content.decode()
    assert response.status_code == 400 and Signature.objects.count() == 0
    assert "The checklist has changed since you opened this page. Tick each item as it stands now." in html
    assert 'value="Dosages checked against the label"' in html and 'value="Sources are cited"' not in html
