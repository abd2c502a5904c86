"""Review attestations: each published article gets a signed statement of its review line, and the status list
says when one is no longer current (unpublished, replaced by a newer version or review, review lapsed)."""

import hashlib
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from review import attestations, public_signing, services
from review.models import Attestation, AuditHead, Signature
from review.states import State
from tests.factories import PASSWORD


@pytest.fixture
def publish(post_in, django_capture_on_commit_callbacks):
    """publish(**kwargs): a post published as the product does it, what happens on commit included."""

    def make(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post_in(State.PUBLISHED, **kwargs)

    return make


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def opened(attestation) -> dict:
    payload, kid = public_signing.open_document(attestation.document, public_signing.published_keys())
    assert kid == attestation.key_id
    return payload


def test_publishing_issues_an_attestation_of_what_the_page_shows(publish, settings):
    settings.SITE_URL = "https://clinic.example"
    post = publish(title="Laser & you: “aftercare”", summary="What to expect.")
    [attestation] = Attestation.objects.filter(post=post)
    revision, signature = post.live_revision, Signature.objects.get(revision=post.live_revision)

    payload = opened(attestation)

    assert payload == {
        "type": "medreview-review-attestation/1",
        "id": str(attestation.uid),
        "issuer": {"name": settings.SITE_NAME, "url": "https://clinic.example"},
        "url": f"https://clinic.example/blog/{post.slug}/",
        "title": "Laser & you: “aftercare”",
        "summary": "What to expect.",
        "body_html": revision.html,
        "body_sha256": hashlib.sha256(revision.html.encode()).hexdigest(),
        "content_hash": revision.content_hash,
        "version": 1,
        "published_at": public_signing.utc_iso(post.published_at),
        "reviewer": {"name": "Dr. Ian Tan", "credentials": "MBBS (Singapore)",
                     "registration_number": signature.registration_number,
                     "registering_body": "Singapore Medical Council"},
        "meaning": "Medical accuracy review",
        "statement": signature.statement,
        "signed_at": public_signing.utc_iso(signature.signed_at),
        "reviewed_on": timezone.localdate(signature.signed_at).isoformat(),
        "next_review": (timezone.localdate(signature.signed_at) + timedelta(days=365)).isoformat(),
        "checkpoint": {"seq": AuditHead.objects.get().seq, "hash": AuditHead.objects.get().hash,
                       "time": payload["checkpoint"]["time"]},
        "issued_at": public_signing.utc_iso(attestation.issued_at),
        "key_id": attestation.key_id,
    }
    assert attestations.status_of(attestation) == attestations.Status(True)


def test_an_article_is_attested_once_while_nothing_changes(publish):
    post = publish()

    assert attestations.attest(post) == Attestation.objects.get(post=post)
    assert Attestation.objects.filter(post=post).count() == 1


def test_a_post_that_is_not_public_gets_no_attestation(post_in):
    assert attestations.attest(post_in(State.APPROVED)) is None
    assert not Attestation.objects.exists()


def test_unpublishing_revokes_the_attestation(publish, publisher, committed):
    post = publish()
    with committed():
        services.post_unpublish(post, user=publisher, reason="Taken down while the clinic checks the prices.")

    status = attestations.status_of(Attestation.objects.get(post=post))

    assert (status.current, status.reason) == (False, "unpublished")
    assert status.since == post.audit_events.get(action="unpublish").created_at


def test_a_lapsed_review_revokes_the_attestation(publish):
    post = publish()
    later = timezone.now() + timedelta(days=366)
    with mock.patch("django.utils.timezone.now", return_value=later):
        status = attestations.status_of(Attestation.objects.get(post=post))

    post.workflow.refresh_from_db()
    assert (status.current, status.reason, status.since) == (False, "review_lapsed", post.workflow.review_due_at)


def test_a_lapsed_registration_revokes_the_attestation(publish, reviewer):
    post = publish()
    lapse_registration(reviewer)

    status = attestations.status_of(Attestation.objects.get(post=post))

    assert (status.current, status.reason) == (False, "review_lapsed")


def test_an_attestation_past_its_own_next_review_date_is_not_current(publish, settings):
    post = publish()
    settings.REVIEW_POLICY = {**settings.REVIEW_POLICY, "REREVIEW_DAYS": 800}
    services.refresh_reviews_due()  # the clinic now allows longer; what this attestation promised still stands
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(days=366)):
        status = attestations.status_of(Attestation.objects.get(post=post))
    assert (status.current, status.reason) == (False, "review_lapsed")


def lapse_registration(user):
    profile = user.reviewer_profile
    profile.verified_until = timezone.localdate() - timedelta(days=1)
    profile.save()
    services.refresh_reviews_signed_by(profile)


def test_a_renewed_review_supersedes_the_attestation_it_renews(publish, reviewer, second_reviewer, committed):
    post = publish()
    first = Attestation.objects.get(post=post)
    lapse_registration(reviewer)
    with committed():
        services.revision_sign(post, user=second_reviewer, password=PASSWORD, attested=True)

    renewed = attestations.newest_for(post)

    assert renewed != first and opened(renewed)["reviewer"]["name"] == "Dr. Goh Mei Lin"
    assert attestations.status_of(renewed).current
    assert attestations.status_of(first) == attestations.Status(False, "superseded", renewed.issued_at)


def test_a_newer_version_published_supersedes_the_attestation(publish, author, reviewer, publisher, committed):
    post = publish()
    first = Attestation.objects.get(post=post)
    services.post_save_draft(post, user=author, title=post.title, summary="", body="Revised advice.")
    post.refresh_from_db()
    services.post_submit(post, user=author)
    services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    assert attestations.status_of(first).current  # the old version is still the one on the site
    with committed():
        services.post_publish(post, user=publisher)

    assert opened(attestations.newest_for(post))["version"] == 2
    assert attestations.status_of(first).reason == "superseded"


def test_the_status_list_is_signed_and_names_only_attestations_no_longer_current(publish, publisher, committed):
    kept, withdrawn = publish(title="Kept"), publish(title="Withdrawn")
    with committed():
        services.post_unpublish(withdrawn, user=publisher, reason="Withdrawn by the clinic.")

    payload, _ = public_signing.open_document(attestations.status_list(), public_signing.published_keys())

    revoked = Attestation.objects.get(post=withdrawn)
    assert payload["type"] == "medreview-status-list/1"
    assert payload["not_current"] == {str(revoked.uid): {
        "reason": "unpublished", "since": public_signing.utc_iso(attestations.status_of(revoked).since)}}
    assert str(Attestation.objects.get(post=kept).uid) not in payload["not_current"]


def test_articles_published_without_an_attestation_are_attested_by_the_scheduled_work(post_in, capsys):
    post = post_in(State.PUBLISHED)  # on-commit work not run: as if published before attestations existed
    assert not Attestation.objects.exists()

    call_command("workflow_tick")
    call_command("workflow_tick")

    assert Attestation.objects.get().post == post
    assert "Attested 1 article(s)" in capsys.readouterr().out


def test_without_an_attestation_key_publishing_still_works_and_nothing_is_signed(publish, settings, tmp_path):
    settings.DEBUG = False
    settings.ATTESTATION_KEY_FILE = tmp_path / "absent.pem"

    post = publish()

    assert post.workflow.state == State.PUBLISHED
    assert not Attestation.objects.exists()


def test_the_page_regions_are_marked_with_the_digest_of_their_exact_bytes():
    marked = attestations.mark("body", "<p>Use SPF&nbsp;50.</p>")

    digest = hashlib.sha256("<p>Use SPF&nbsp;50.</p>".encode()).hexdigest()
    assert marked == (f"<!--medreview:begin body sha256={digest}--><p>Use SPF&nbsp;50.</p>"
                      f"<!--medreview:end body sha256={digest}-->")
