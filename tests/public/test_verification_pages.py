"""How readers reach a review's proof: the article links its attestation and a "Verify this review" page that says,
plainly, who signed what and when, whether it is current, and how to check it without trusting the site."""

import re

import pytest

from review import attestations, public_signing, services
from review.models import Attestation, Signature
from tests.test_verify_review import VERIFIER


@pytest.fixture
def attested(published):
    """attested(**kwargs): a published article with its attestation (issued on commit in production)."""

    def make(**kwargs):
        post = published(**kwargs)
        attestations.attest(post)
        return post

    return make


def test_article_links_its_attestation_and_the_verify_page_beside_the_review_line(client, attested):
    post = attested()

    page = client.get(f"/blog/{post.slug}/").content.decode()

    assert (f'<link rel="alternate" type="application/vnd.medreview.attestation+json" '
            f'href="/blog/{post.slug}/attestation.json">') in page
    review_box = page[page.index('class="review-box"'):page.index("</section>", page.index('class="review-box"'))]
    assert "Medically reviewed by" in review_box
    assert f'<a href="/blog/{post.slug}/review/">Verify this review</a>' in review_box


def test_article_marks_the_regions_its_attestation_states(client, attested):
    post = attested(title="Laser & you")

    page = client.get(f"/blog/{post.slug}/").content.decode()

    names = re.findall(r"<!--medreview:begin ([a-z-]+) sha256=[0-9a-f]{64}-->", page)
    assert names == ["title", "summary", "reviewer", "credentials", "reviewed", "body"]
    body = attestations.mark("body", post.live_revision.html)
    assert body in page


def test_the_attestation_is_served_byte_for_byte_at_the_article_and_by_its_id(client, attested):
    post = attested()
    attestation = Attestation.objects.get(post=post)

    by_article = client.get(f"/blog/{post.slug}/attestation.json")
    by_id = client.get(f"/attestations/{attestation.uid}.json")

    assert by_article.content == by_id.content == attestation.document.encode()
    assert by_id["Content-Type"] == "application/json"
    assert "immutable" in by_id["Cache-Control"]
    assert by_id["Access-Control-Allow-Origin"] == "*"


def test_an_article_without_an_attestation_and_an_unknown_id_are_404(client, published):
    post = published()

    assert client.get(f"/blog/{post.slug}/attestation.json").status_code == 404
    assert client.get(f"/blog/{post.slug}/review/").status_code == 404
    assert client.get("/attestations/00000000-0000-0000-0000-000000000000.json").status_code == 404


def test_the_status_list_is_served_signed(client, attested, publisher):
    post = attested()
    services.post_unpublish(post, user=publisher, reason="Taken down while the clinic checks the prices.")

    response = client.get("/.well-known/medreview/status.json")

    payload, _ = public_signing.open_document(response.content, client.get("/.well-known/medreview/keys.json")
                                              .json()["keys"])
    assert list(payload["not_current"]) == [str(Attestation.objects.get(post=post).uid)]


def test_verify_page_says_who_signed_what_and_when_and_that_it_is_current(client, attested):
    post = attested()
    signature = Signature.objects.get(revision=post.live_revision)
    attestation = Attestation.objects.get(post=post)

    response = client.get(f"/blog/{post.slug}/review/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Verify this review</h1>" in page
    assert "<strong>Yes.</strong> The article on this site is the version the doctor below signed." in page
    assert (f"Dr. Ian Tan, MBBS (Singapore).\n    Registration number <strong>{signature.registration_number}</strong> "
            "with the Singapore Medical Council.") in page
    assert "as a “Medical accuracy review”" in page and signature.statement in page
    assert f"http://testserver/attestations/{attestation.uid}.json" in page
    assert f"python verify_review.py http://testserver/blog/{post.slug}/" in page


def test_verify_page_says_when_a_review_is_no_longer_current(client, attested, publisher):
    post = attested()
    services.post_unpublish(post, user=publisher, reason="Taken down while the clinic checks the prices.")

    page = client.get(f"/blog/{post.slug}/review/").content.decode()

    assert "<strong>No longer current:</strong> the article was taken off the site on " in page
    assert "<strong>Yes.</strong>" not in page


def test_the_verifier_itself_can_be_downloaded(client, db):
    response = client.get("/.well-known/medreview/verify_review.py")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == VERIFIER.read_bytes()
