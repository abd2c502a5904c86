"""review.actions: the buttons each role sees on a post in each state."""

import pytest

from review.actions import allowed_actions
from review.rules import may_edit as can_edit
from review.states import State

pytestmark = pytest.mark.django_db

EXPECTED = {
    # state: (author's actions, publisher's actions)
    State.DRAFT: (["submit"], ["submit", "archive"]),
    State.IN_REVIEW: (["withdraw"], ["withdraw"]),
    State.CHANGES_REQUESTED: (["resubmit"], ["resubmit", "archive"]),
    State.APPROVED: ([], ["publish", "schedule", "archive"]),
    State.SCHEDULED: ([], ["unschedule"]),
    State.PUBLISHED: ([], ["unpublish"]),
    State.ARCHIVED: ([], ["restore"]),
}


@pytest.mark.parametrize("state", list(EXPECTED))
@pytest.mark.parametrize("role", ["author", "publisher", "reviewer", "other_author"])
def test_allowed_actions_match_each_role_and_state(post_in, request, state, role):
    post = post_in(state)
    user = request.getfixturevalue(role)
    expected = {"author": EXPECTED[state][0], "publisher": EXPECTED[state][1]}.get(role, [])
    assert allowed_actions(post.workflow, user) == expected


@pytest.mark.parametrize(("state", "editable"), [
    (State.DRAFT, True), (State.CHANGES_REQUESTED, True), (State.APPROVED, True), (State.SCHEDULED, True),
    (State.PUBLISHED, True), (State.IN_REVIEW, False), (State.ARCHIVED, False),
])
def test_can_edit_follows_the_state_for_the_author(post_in, author, other_author, state, editable):
    post = post_in(state)
    assert can_edit(post.workflow, author) is editable
    assert can_edit(post.workflow, other_author) is False
