"""Comments anchored to passages (TextQuoteSelector in code points), resolving them, and carrying them forward."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from review import services
from review.anchoring import text_of
from review.models import AuditEvent, Comment
from review.states import State

EMOJI_BODY = "Smile 😀 after care.\n\nUse SPF 50 every day, even indoors 🌞.\n\nAvoid retinoids for five days."


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def comment_on(client, post, body, **quote):
    return client.post(reverse("review:comment", args=[post.pk]), {"body": body, **quote})


def test_comment_on_passage_stores_code_point_positions(reviewer_client, post_in):
    post = post_in(State.IN_REVIEW, body=EMOJI_BODY)
    text = text_of(post.current_revision.html)
    start = text.index("SPF 50")
    # A browser would send UTF-16 offsets one higher for each emoji before the quote; ours are code points.
    response = comment_on(reviewer_client, post, "Is SPF 30 enough?", exact="SPF 50", prefix="Use ",
                          suffix=" every day", start=start, end=start + 6)

    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.quote_exact, comment.quote_start, comment.quote_end) == ("SPF 50", start, start + 6)
    assert text[comment.quote_start:comment.quote_end] == "SPF 50"
    assert comment.quote_prefix.endswith("Use ") and comment.quote_suffix.startswith(" every day")
    assert comment.revision == post.current_revision


def test_comment_with_wrong_positions_is_anchored_by_its_quote(reviewer_client, post_in):
    post = post_in(State.IN_REVIEW, body=EMOJI_BODY)
    text = text_of(post.current_revision.html)

    comment_on(reviewer_client, post, "Why five?", exact="five days", prefix="retinoids for ", suffix=".",
               start=0, end=9)

    comment = Comment.objects.get()
    assert text[comment.quote_start:comment.quote_end] == "five days"


def test_comment_on_passage_not_in_text_is_refused_and_keeps_text(reviewer_client, post_in):
    post = post_in(State.IN_REVIEW)

    response = comment_on(reviewer_client, post, "My careful remark", exact="words that are not there")

    assert response.status_code == 400
    html = response.content.decode()
    assert "The selected passage is not in this version of the post." in html
    assert "My careful remark" in html
    assert not Comment.objects.exists()


def test_comment_empty_is_refused(reviewer_client, post_in):
    post = post_in(State.IN_REVIEW)

    response = comment_on(reviewer_client, post, "")

    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_comment_shows_on_review_page_with_its_quote(reviewer_client, post_in):
    post = post_in(State.IN_REVIEW)
    comment_on(reviewer_client, post, "Cite a study.", exact="stimulate collagen production")

    response = reviewer_client.get(reverse("review:post", args=[post.pk]))

    html = response.content.decode()
    assert '<blockquote class="quote">stimulate collagen production</blockquote>' in html
    [anchor] = response.context["anchors"]
    in_browser = text_of(post.current_revision.html).encode("utf-16-le")  # what the page's script counts in
    assert in_browser[anchor["from"] * 2:anchor["to"] * 2].decode("utf-16-le") == "stimulate collagen production"


def test_comment_resolve_marks_it_resolved_once(reviewer_client, reviewer, post_in):
    post = post_in(State.IN_REVIEW)
    comment = services.comment_add(post=post, user=reviewer, body="Cite a study.")
    url = reverse("review:resolve", args=[post.pk, comment.pk])

    assert reviewer_client.post(url).status_code == 302
    assert reviewer_client.post(url).status_code == 302

    comment.refresh_from_db()
    assert comment.resolved_by == reviewer
    assert AuditEvent.objects.filter(action="comment_resolved").count() == 1
    assert "Resolved by" in reviewer_client.get(reverse("review:post", args=[post.pk])).content.decode()


def test_comment_by_someone_unrelated_is_refused(client, other_author, post_in):
    post = post_in(State.IN_REVIEW)

    with pytest.raises(PermissionDenied):
        services.comment_add(post=post, user=other_author, body="Drive-by remark")

    assert not Comment.objects.exists()


def test_comments_carry_to_next_revision_where_quote_still_found(post_in, reviewer, author):
    post = post_in(State.IN_REVIEW)
    kept = services.comment_add(post=post, user=reviewer, body="Cite it.",
                                quote={"exact": "stimulate collagen production"})
    dropped = services.comment_add(post=post, user=reviewer, body="How long?",
                                   quote={"exact": "Avoid retinoids for five days"})
    general = services.comment_add(post=post, user=reviewer, body="Nice article overall.")
    services.post_request_changes(post, user=reviewer, comment="See my comments.")
    post.refresh_from_db()

    services.post_save_draft(post, user=author, title=post.current_revision.title, summary="",
                             body="New intro paragraph.\n\nPico laser may **stimulate collagen production** [1].")

    post.refresh_from_db()
    new = post.current_revision
    for c in (kept, dropped, general):
        c.refresh_from_db()
    assert kept.revision == new
    assert text_of(new.html)[kept.quote_start:kept.quote_end] == "stimulate collagen production"
    assert dropped.revision.number == 1 and dropped.is_open
    assert general.revision == new


def test_resolved_comments_stay_on_their_revision(post_in, reviewer, author):
    post = post_in(State.IN_REVIEW)
    comment = services.comment_add(post=post, user=reviewer, body="Cite it.",
                                   quote={"exact": "stimulate collagen production"})
    services.comment_resolve(comment, user=reviewer)
    services.post_request_changes(post, user=reviewer, comment="One more thing.")
    post.refresh_from_db()

    services.post_save_draft(post, user=author, title="T", summary="", body=post.current_revision.body + "\nMore.")

    comment.refresh_from_db()
    assert comment.revision.number == 1


# --- length


def test_comment_longer_than_the_limit_is_refused_next_to_the_field_and_keeps_the_text(reviewer_client, post_in):
    post = post_in(State.IN_REVIEW)
    body = ("Please check the dose. " * 218).strip()  # 5,013 characters
    assert len(body) > services.COMMENT_MAX_CHARS == 5000

    response = comment_on(reviewer_client, post, body)

    assert response.status_code == 400
    assert "Keep a comment under 5,000 characters." in response.context["comment_form"].errors["body"]
    assert body in response.content.decode()
    assert not Comment.objects.exists()


def test_comment_at_the_limit_is_accepted(reviewer_client, post_in):
    post = post_in(State.IN_REVIEW)
    assert comment_on(reviewer_client, post, "a" * services.COMMENT_MAX_CHARS).status_code == 302


def test_what_needs_to_change_longer_than_the_limit_is_refused_and_keeps_the_text(reviewer_client, post_in):
    post = post_in(State.IN_REVIEW)
    words = "x" * (services.COMMENT_MAX_CHARS + 1)

    response = reviewer_client.post(reverse("review:request_changes", args=[post.pk]),
                                    {"comment": words, "expected_state": State.IN_REVIEW})

    assert response.status_code == 400
    assert "Keep a comment under 5,000 characters." in response.context["changes_form"].errors["comment"]
    assert words in response.content.decode()
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.IN_REVIEW


def test_comment_service_refuses_a_comment_longer_than_the_limit(post_in, reviewer):
    post = post_in(State.IN_REVIEW)
    with pytest.raises(ValidationError) as refused:
        services.comment_add(post=post, user=reviewer, body="a" * (services.COMMENT_MAX_CHARS + 1))
    assert "Keep a comment under 5,000 characters." in str(refused.value)
