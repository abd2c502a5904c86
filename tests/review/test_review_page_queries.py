"""The review page's SQL: a fixed number of queries however long the post's history, and who had a hand in the post
read once for every action the page offers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from review import services
from review.states import State
from tests import factories

# The session and the user, their permissions (config.auth: their own and their groups' in one), the version's
# signatures (which also say whether this reviewer signed it), the last signed version, the post's decisions, resubmissions and replies
# (review.reviewing.trail), the comments, who had a hand in the post, the claims check (the admin's rule overrides,
# the justifications). The Waiting count in the navigation was counted by the first page and is kept while nothing
# it counts changes (review.queue.counts), and the review policy as printed comes from the cache
# (review.selectors.display_policy). What an import from WordPress left to do comes with the post, and
# whether someone else set the reviewer's password (review.identity) with their profile.
REVIEWER_QUERIES = 11
# A publisher reads no Waiting count, and the reviewers they may assign it to.
PUBLISHER_QUERIES = 12


def page_queries(client, post):
    url = reverse("review:post", args=[post.pk])
    client.get(url)  # the first page after signing in renews the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def _with_history(post, *, author, reviewer, count):
    for n in range(count):
        services.comment_add(post=post, user=reviewer, body=f"Comment {n}", quote={"exact": "laser"})
    return factories.refresh(post)


@pytest.mark.parametrize("count", [1, 10])
def test_review_page_query_count_does_not_grow_with_comments(client, post_in, author, reviewer, count):
    post = _with_history(post_in(State.IN_REVIEW), author=author, reviewer=reviewer, count=count)
    client.force_login(reviewer)
    assert len(page_queries(client, post)) == REVIEWER_QUERIES


@pytest.mark.parametrize("count", [1, 10])
def test_review_page_query_count_for_a_publisher_does_not_grow_with_comments(client, post_in, author, reviewer,
                                                                            publisher, count):
    post = _with_history(post_in(State.IN_REVIEW), author=author, reviewer=reviewer, count=count)
    client.force_login(publisher)
    assert len(page_queries(client, post)) == PUBLISHER_QUERIES


@pytest.mark.parametrize("state", [State.IN_REVIEW, State.PUBLISHED, State.CHANGES_REQUESTED])
def test_review_page_reads_who_had_a_hand_in_the_post_once(client, post_in, reviewer, state):
    # Sign, request changes, comment and claim each ask whether the reader had a hand in the post: one read serves all.
    post = post_in(state)
    if state == State.PUBLISHED:
        factories.make_review_due(post)
    client.force_login(reviewer)
    involved_reads = [sql for sql in page_queries(client, post) if '"finding_justifications__author_id"' in sql]
    assert len(involved_reads) == 1
