"""The review page: the article as the public sees it, the diff since the last signature, checklist, sign-offs."""

import re

import pytest
from django.urls import reverse

from review import services
from review.models import ReviewPolicy
from review.states import State
from tests import factories
from tests.factories import PASSWORD


def page_of(client, post):
    return client.get(reverse("review:post", args=[post.pk]))


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def test_review_page_shows_stored_html_as_public_sees_it(reviewer_client, post_in):
    post = post_in(State.IN_REVIEW, body="Pico laser has **no downtime** & <no> fuss.\n\n## Aftercare\n\n- Use SPF 50 every day.")

    response = page_of(reviewer_client, post)

    assert response.status_code == 200
    shown = response.content.decode().split("data-annotate-root")[1].split(">", 1)[1].split("</div>\n    </article>")[0]
    # Byte for byte the stored HTML; the claims check's wording is only wrapped in <mark>, as the page says.
    assert "finding-mark" in shown
    assert re.sub(r'<mark class="finding-mark"[^>]*>|</mark>', "", shown) == post.current_revision.html


def test_review_page_first_review_shows_everything_as_new(reviewer_client, post_in):
    post = post_in(State.IN_REVIEW)

    html = page_of(reviewer_client, post).content.decode()

    assert "First review: the whole text is new" in html
    assert "<ins>Caring for your skin after laser" in html
    assert "<del>" not in html.split('class="diff-text"')[1]


def test_review_page_diff_shows_words_changed_since_last_signature(reviewer_client, post_in, author):
    post = post_in(State.APPROVED, body="Use SPF 30 every day.")
    services.post_save_draft(post, user=author, title=post.title, summary=post.current_revision.summary,
                             body="Use SPF 50 every day.")
    services.post_submit(post, user=author)

    html = page_of(reviewer_client, post).content.decode()

    assert "Changes since the last signed version" in html
    assert "Use SPF <del>30</del><ins>50</ins> every day." in html


def test_review_page_shows_default_checklist(reviewer_client, post_in):
    html = page_of(reviewer_client, post_in(State.IN_REVIEW)).content.decode()

    for item in ("Claims are accurate and current", "Risks and side effects are stated", "No promise of results",
                 "Sources are cited"):
        assert item in html


def test_review_page_checklist_comes_from_policy(reviewer_client, post_in):
    ReviewPolicy.objects.create(checklist="Dosages checked\nNo before/after photos")

    html = page_of(reviewer_client, post_in(State.IN_REVIEW)).content.decode()

    assert "Dosages checked" in html and "No before/after photos" in html
    assert "Sources are cited" not in html


def test_review_page_has_decision_buttons_and_signing_fields(reviewer_client, post_in):
    html = page_of(reviewer_client, post_in(State.IN_REVIEW)).content.decode()

    assert ">Request changes</button>" in html
    assert ">Approve and sign</button>" in html
    assert '<label for="id_password">Password</label>' in html
    assert '<label for="id_attest">I have reviewed' in html
    assert ">Sign</button>" in html


def test_review_page_multi_signoff_shows_who_signed_already(client, reviewer, second_reviewer, post_in):
    ReviewPolicy.objects.create(medical_signoffs=2)
    post = post_in(State.IN_REVIEW)
    services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    client.force_login(second_reviewer)

    html = page_of(client, post).content.decode()

    assert "<strong>Dr. Ian Tan</strong>, MBBS (Singapore)" in html
    assert "Still needed: 1 × Medical accuracy review." in html
    assert ">Approve and sign</button>" in html


def test_review_page_signer_waiting_for_others_cannot_sign_twice(reviewer_client, reviewer, post_in):
    ReviewPolicy.objects.create(medical_signoffs=2)
    post = post_in(State.IN_REVIEW)
    services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)

    html = page_of(reviewer_client, post).content.decode()

    assert "You have signed this version. It waits for the other sign-offs." in html
    assert ">Approve and sign</button>" not in html


def test_review_page_refuses_author(client, author, post_in):
    post = post_in(State.IN_REVIEW)
    client.force_login(author)

    assert page_of(client, post).status_code == 403


def test_review_page_publisher_may_assign_but_not_sign(client, publisher, post_in):
    post = post_in(State.IN_REVIEW)
    client.force_login(publisher)

    html = page_of(client, post).content.decode()

    assert '<label for="assign-reviewer">Assign to</label>' in html
    assert ">Approve and sign</button>" not in html


def test_review_page_unknown_post_is_404(reviewer_client):
    assert reviewer_client.get("/review/posts/999999/").status_code == 404


def test_review_page_rereview_shows_live_version_unchanged(reviewer_client, post_in):
    post = post_in(State.PUBLISHED)
    # While the review is current there is nothing to sign (the service would refuse it).
    assert ">Approve and sign</button>" not in page_of(reviewer_client, post).content.decode()
    factories.make_review_due(post)

    html = page_of(reviewer_client, post).content.decode()

    assert "Changes since it was signed" in html
    assert "nothing has changed since" in html
    assert ">Approve and sign</button>" in html
