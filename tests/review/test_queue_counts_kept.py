"""The queue's tab counts are kept in the cache while nothing they count changes (review.queue.counts): each change
made through the application, and time making a review due, shows in the very next count."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content.models import Revision
from review import queue, services
from review.models import ReviewPolicy, Workflow
from review.states import State
from tests import factories

QUEUE = "/review/"


def tab_counts(client) -> dict[str, int]:
    """The counts the queue page shows beside its tabs, as a reviewer reads them."""
    response = client.get(QUEUE)
    assert response.status_code == 200
    return {tab.key: n for tab, n in response.context["tabs"]}


def test_queue_counts_are_read_once_while_nothing_changes(reviewer, post_in):
    post_in(State.IN_REVIEW)
    first = queue.counts(reviewer)
    with CaptureQueriesContext(connection) as queries:
        again = queue.counts(reviewer)
    assert again == first and first["waiting"] == 1
    assert queries.captured_queries == []


def test_queue_counts_show_a_post_submitted_after_they_were_read(client, reviewer, author):
    client.force_login(reviewer)
    assert tab_counts(client)["waiting"] == 0
    factories.make_post(author=author, state=State.IN_REVIEW)
    assert tab_counts(client)["waiting"] == 1


def test_queue_counts_show_a_claim_and_a_signature_at_once(client, reviewer, post_in):
    post = post_in(State.IN_REVIEW)
    client.force_login(reviewer)
    assert tab_counts(client) == {"waiting": 1, "assigned": 0, "rereview": 0, "signed": 0}
    services.post_claim(post, user=reviewer)
    assert tab_counts(client) == {"waiting": 1, "assigned": 1, "rereview": 0, "signed": 0}
    services.revision_sign(factories.refresh(post), user=reviewer, password=factories.PASSWORD, attested=True)
    assert tab_counts(client) == {"waiting": 0, "assigned": 0, "rereview": 0, "signed": 1}


def test_queue_counts_leave_out_a_post_once_the_reviewer_has_had_a_hand_in_it(author_reviewer, other_author,
                                                                              reviewer, publisher):
    post = factories.make_post(author=other_author, reviewer=reviewer, publisher=publisher,
                               state=State.CHANGES_REQUESTED)
    services.post_resubmit(post, user=other_author)
    assert queue.counts(author_reviewer)["waiting"] == 1
    # A version written by the reviewer (as an earlier edit of theirs would be) makes it a post they may not review.
    Revision.objects.create(post=post, number=99, title="Their words", body="Their words", html="<p>x</p>",
                            author=author_reviewer, content_hash="0" * 64)
    assert queue.counts(author_reviewer)["waiting"] == 0


def test_queue_counts_show_a_review_falling_due_with_nothing_saved(reviewer, second_reviewer, post_in):
    post = post_in(State.PUBLISHED)
    due = Workflow.objects.get(post=post).review_due_at
    assert due is not None
    assert queue.counts(second_reviewer, due - timedelta(seconds=1))["rereview"] == 0
    with CaptureQueriesContext(connection) as queries:
        assert queue.counts(second_reviewer, due)["rereview"] == 1
    assert queries.captured_queries, "counted again: the review fell due after the kept counts were read"


def test_queue_counts_show_reviews_made_due_by_a_shorter_review_interval(second_reviewer, post_in):
    post_in(State.PUBLISHED)
    now = timezone.now()
    assert queue.counts(second_reviewer, now)["rereview"] == 0
    # The policy's interval shrinks to a day: every stored due date is recomputed by an update, not a save.
    ReviewPolicy.objects.create(rereview_days=1)
    assert queue.counts(second_reviewer, now + timedelta(days=2))["rereview"] == 1
    assert queue.counts(second_reviewer, now + timedelta(seconds=1))["rereview"] == 0


def test_navigation_count_on_a_review_page_follows_a_submission_at_once(client, reviewer, author, post_in):
    # Every page's navigation shows the queue's own waiting count, kept the same way.
    shown = post_in(State.IN_REVIEW)
    client.force_login(reviewer)
    page = f"/review/posts/{shown.pk}/"
    assert 'aria-label="1 waiting"' in client.get(page).content.decode()
    factories.make_post(author=author, state=State.IN_REVIEW, title="Sent in a moment later")
    assert 'aria-label="2 waiting"' in client.get(page).content.decode()
