"""verify_review.py, the standalone verifier, against a live server: a genuine page passes; a page whose body,
title, reviewer or date was changed in the database fails and says what changed; a revoked review fails."""

import ast
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from content.models import Revision
from review import keyed_hash, keyring, public_signing, publication, services, signing
from review.models import Publication, Signature
from review.states import State
from tests.public.test_tampering import tamper

VERIFIER = Path(__file__).resolve().parent.parent / "verify_review.py"


def verify(url: str) -> tuple[int, str]:
    # -I: the verifier sees neither this project nor its directory, only the standard library and site-packages.
    result = subprocess.run([sys.executable, "-I", str(VERIFIER), url], capture_output=True, text=True, timeout=60)
    return result.returncode, result.stdout + result.stderr


@pytest.fixture
def article(live_server, settings, post_in):
    """A published article whose attestation names the live server's address."""
    settings.SITE_URL = live_server.url
    post = post_in(State.PUBLISHED, title="Caring for your skin after laser",
                   summary="What to expect in the week after a laser treatment.")
    return post, f"{live_server.url}/blog/{post.slug}/"


def rewrite_behind_the_application(post, *, revision=None, signature=None):
    """Change what the article shows as someone holding the database and the record key could: the revision is
    re-hashed and the signature re-sealed, so the site's own checks pass and it serves the change. Only the
    attestation, signed with a key the database never holds, still tells."""
    live = Revision.objects.get(pk=post.live_revision_id)
    sealed = Signature.objects.get(revision=live)
    for field, value in (revision or {}).items():
        setattr(live, field, value)
    for field, value in (signature or {}).items():
        setattr(sealed, field, value)
    live.content_hash = live.compute_hash()
    sealed.revision_hash = live.content_hash
    sealed.seal = signing.signature_seal(sealed)
    tamper(Revision, live.pk, **{**(revision or {}), "content_hash": live.content_hash})
    tamper(Signature, sealed.pk, **{**(signature or {}), "revision_hash": sealed.revision_hash, "seal": sealed.seal})
    record = Publication.objects.get(post=post)
    record.revision_hash = live.content_hash
    resealed = keyed_hash.keyed_hash(publication.record_fields(record), key=keyring.secrets_for(record.key_id)[0])
    tamper(Publication, record.pk, revision_hash=record.revision_hash, seal=resealed)


def test_verify_review_passes_a_genuine_page_and_says_what_it_checked(article):
    post, url = article

    code, output = verify(url)

    assert code == 0, output
    lines = output.splitlines()
    assert lines[0] == f"Checking {url}"
    for expected in ("ok    page fetched", "ok    attestation ", "ok    signature verifies with key ",
                     f"ok    address: {url}", "ok    title: “Caring for your skin after laser”",
                     "ok    summary: “What to expect in the week after a laser treatment.”",
                     "ok    body: identical byte for byte", "ok    reviewer: Dr. Ian Tan",
                     "ok    credentials: MBBS (Singapore); registration ", "ok    review date: ",
                     "ok    next review due by ", "ok    status list signed ", "ok    status: current",
                     "ok    audit checkpoint #"):
        assert any(line.strip().startswith(expected.strip()) for line in lines), (expected, output)
    assert lines[-1].startswith("Verified: this page shows the article Dr. Ian Tan signed on ")


def test_verify_review_fails_a_page_whose_body_changed_and_shows_where(article):
    post, url = article
    html = Revision.objects.get(pk=post.live_revision_id).html
    rewrite_behind_the_application(post, revision={"html": html.replace("SPF 50", "SPF 15")})

    code, output = verify(url)

    assert code == 1, output
    [failure] = [line for line in output.splitlines() if "FAIL" in line]
    assert failure.strip().startswith("FAIL  body: the page differs from the signed text from character ")
    assert "SPF 15" in failure and "SPF 50" in failure
    assert output.splitlines()[-1] == "NOT VERIFIED: 1 check(s) failed."


def test_verify_review_fails_a_page_whose_title_changed(article):
    post, url = article
    rewrite_behind_the_application(post, revision={"title": "Laser cures acne for good"})

    code, output = verify(url)

    assert code == 1, output
    assert [line.strip() for line in output.splitlines() if "FAIL" in line] == [
        "FAIL  title: the page shows “Laser cures acne for good”, the reviewer signed "
        "“Caring for your skin after laser”"]


def test_verify_review_fails_a_page_whose_reviewer_changed(article):
    post, url = article
    rewrite_behind_the_application(post, signature={"printed_name": "Dr. Famous Name"})

    code, output = verify(url)

    assert code == 1, output
    assert [line.strip() for line in output.splitlines() if "FAIL" in line] == [
        "FAIL  reviewer: the page names “Dr. Famous Name”, the attestation “Dr. Ian Tan”"]


def test_verify_review_fails_a_page_whose_review_date_changed(article):
    post, url = article
    signed_at = Signature.objects.get(revision_id=post.live_revision_id).signed_at
    rewrite_behind_the_application(post, signature={"signed_at": signed_at + timedelta(days=40)})

    code, output = verify(url)

    assert code == 1, output
    [failure] = [line.strip() for line in output.splitlines() if "FAIL" in line]
    shown = timezone.localdate(signed_at + timedelta(days=40)).isoformat()
    signed = timezone.localdate(signed_at).isoformat()
    assert failure.startswith(f"FAIL  review date: the page says {shown}, the reviewer signed on {signed} (")


def test_verify_review_fails_a_review_that_lapsed(article, reviewer):
    post, url = article
    profile = reviewer.reviewer_profile
    profile.verified_until = timezone.localdate() - timedelta(days=1)  # the reviewer's registration lapsed
    profile.save()
    services.refresh_reviews_signed_by(profile)

    code, output = verify(url)

    assert code == 1, output
    [failure] = [line.strip() for line in output.splitlines() if "FAIL" in line]
    assert failure.startswith("FAIL  status: no longer current (review lapsed since ")


def test_verify_review_fails_an_unpublished_article(article, publisher):
    post, url = article
    services.post_unpublish(post, user=publisher, reason="Taken down while the clinic checks the prices.")

    code, output = verify(url)

    assert code == 2, output
    assert output.strip().endswith(f"CANNOT VERIFY: {url} answered HTTP 404")


def test_verify_review_needs_only_the_standard_library_and_cryptography():
    imported = set()
    for node in ast.walk(ast.parse(VERIFIER.read_text())):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module.split(".")[0])

    assert imported - set(sys.stdlib_module_names) == {"cryptography"}


def test_verify_review_passes_an_article_attested_before_the_key_was_rotated(article, settings, tmp_path, post_in):
    post, url = article
    settings.ATTESTATION_KEY_FILE = tmp_path / "next-key.pem"
    public_signing.new_key_file(settings.ATTESTATION_KEY_FILE)
    post_in(State.PUBLISHED, title="Published under the new key")  # the new key signs, and is published

    code, output = verify(url)

    assert code == 0, output
    assert len(public_signing.published_keys()) == 2
