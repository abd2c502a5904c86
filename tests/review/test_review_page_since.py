"""The review page picks up where the reviewer left off: the changes since they sent it back, the writer's notes,
earlier comments with their status; and it says before any work starts when the reviewer may not act."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from review import audit, services
from review.models import Comment, ReviewerProfile
from review.services.transitions import transition_post
from review.states import State
from tests.factories import BODY, PASSWORD

REVISED = BODY.replace("collagen production**.", "collagen production** (Example et al., 2024).")


def page_of(client, post, **query):
    return client.get(reverse("review:post", args=[post.pk]), query).content.decode()


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def resubmitted(post_in, author):
    """Sent back on version 1 with a comment on a passage; version 2 resubmitted."""
    post = post_in(State.CHANGES_REQUESTED)
    post.refresh_from_db()
    services.post_save_draft(post, user=author, title=post.current_revision.title, summary="", body=REVISED)
    services.post_resubmit(post, user=author)
    post.refresh_from_db()
    return post


def test_review_page_opens_on_changes_since_the_reviewer_sent_it_back(reviewer_client, resubmitted):
    html = page_of(reviewer_client, resubmitted)

    assert "Changes since you last reviewed (v1 → v2)" in html
    assert "<ins>production** (Example et al., 2024).</ins>" in html
    assert "<del>production**.</del>" in html
    assert 'class="badge status-open">Open</span>' in html and "Please cite a source for the collagen claim." in html
    assert "The writer left no note when resubmitting." in html


def test_review_page_switches_to_changes_since_the_last_signed_version(reviewer_client, resubmitted):
    html = page_of(reviewer_client, resubmitted, since="signed")

    assert "First review: the whole text is new" in html  # nothing was ever signed
    assert "Changes since you last reviewed" not in html and 'aria-current="true">The whole text' in html


def test_review_page_names_another_reviewers_send_back(client, second_reviewer, resubmitted):
    client.force_login(second_reviewer)

    assert "Changes since version 1 was sent back (v1 → v2)" in page_of(client, resubmitted)


def test_review_page_shows_the_writers_note_from_the_resubmission(reviewer_client, post_in, author):
    post = post_in(State.CHANGES_REQUESTED)
    services.post_save_draft(post, user=author, title=post.current_revision.title, summary="", body=REVISED)
    transition_post(post, "resubmit", user=author, detail={"note": "Cited the 2024 study for the collagen claim."})

    html = page_of(reviewer_client, post)

    assert "Cited the 2024 study for the collagen claim." in html


def test_review_page_marks_comments_answered_and_resolved(reviewer_client, reviewer, author, resubmitted):
    asked = Comment.objects.get()
    resolved = services.comment_add(post=resubmitted, user=reviewer, body="Also state the number of sessions.")
    services.comment_resolve(resolved, user=reviewer)
    # A reply is written to the audit trail as "comment_reply" with the comment's id.
    audit.record("comment_reply", actor=author, post=resubmitted, detail={"comment_id": asked.pk, "reply_id": 1})

    html = page_of(reviewer_client, resubmitted)

    assert f'<li id="comment-{asked.pk}" class="comment"' in html
    assert html.count('status-answered">Answered') == 2  # in the changes' summary and in the thread
    assert 'status-resolved">Resolved' in html


def test_queue_and_review_page_say_a_lapsed_registration_before_work_starts(reviewer_client, reviewer, post_in):
    post = post_in(State.IN_REVIEW)
    ReviewerProfile.objects.filter(user=reviewer).update(verified_until=timezone.localdate() - timedelta(days=1))

    queue = reviewer_client.get(reverse("review:queue")).content.decode()
    page = page_of(reviewer_client, post)

    assert "Your registration was verified only until" in queue
    top = page.split('class="review-layout"')[0]
    assert "data-lapsed>Your registration was verified only until" in top


def test_comment_returns_to_the_comment_just_added(reviewer_client, post_in):
    post = post_in(State.IN_REVIEW)

    response = reviewer_client.post(reverse("review:comment", args=[post.pk]), {"body": "Cite it, please."})

    comment = Comment.objects.get()
    assert response["Location"] == f"/review/posts/{post.pk}/#comment-{comment.pk}"


def test_sign_lists_every_problem_at_the_top_of_the_form(reviewer_client, post_in):
    post = post_in(State.IN_REVIEW)

    response = reviewer_client.post(reverse("review:sign", args=[post.pk]), {
        "password": "wrong", "expected_state": State.IN_REVIEW, "expected_revision": post.current_revision_id})

    html = response.content.decode()
    assert response.status_code == 400
    summary = html.split('data-error-summary>')[1].split("</div>")[0]
    assert "please fix these 3 things" in summary
    for field, words in (("checklist", "Complete the checklist"), ("password", "That password is not correct"),
                         ("attest", "Tick the attestation")):
        assert f'href="#sign-{field}">{words}' in summary
        assert f'id="sign-{field}"' in html
    assert 'name="password" id="id_password" autocomplete="current-password" aria-invalid="true"' in html
    assert 'value="wrong"' not in html  # a password is never written back into a page


def test_signing_twice_from_the_same_page_says_you_already_did(reviewer_client, post_in):
    post = post_in(State.IN_REVIEW)
    form = {"password": PASSWORD, "attest": "on", "checklist": ["Claims are accurate and current",
            "Risks and side effects are stated", "No promise of results", "Sources are cited"],
            "expected_state": State.IN_REVIEW, "expected_revision": post.current_revision_id}
    reviewer_client.post(reverse("review:sign", args=[post.pk]), form)

    again = reviewer_client.post(reverse("review:sign", args=[post.pk]), form)

    assert again.status_code == 409
    html = again.content.decode()
    assert "You already approved it at" in html and "your action was not applied" not in html


def test_review_page_compares_with_the_signed_version_once_a_later_one_was_signed(reviewer_client, resubmitted,
                                                                                  reviewer, author, publisher):
    services.revision_sign(resubmitted, user=reviewer, password=PASSWORD, attested=True)
    services.post_publish(resubmitted, user=publisher)
    resubmitted.refresh_from_db()
    services.post_save_draft(resubmitted, user=author, title=resubmitted.current_revision.title, summary="",
                             body=REVISED + "\nAsk about sessions.\n")
    services.post_submit(resubmitted, user=author)

    html = page_of(reviewer_client, resubmitted)

    assert "Changes since the last signed version (v2 → v3)" in html and "last reviewed" not in html
