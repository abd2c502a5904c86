"""Issue 17.14: a scheduled post past its time, not yet published, says so and offers "Publish now"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from review.actions import allowed_actions
from review.models import AuditEvent, Workflow
from review.states import State

WARNING = "is not published yet: the background worker may be stopped or behind."


@pytest.fixture
def overdue(post_in):
    post = post_in(State.SCHEDULED)
    Workflow.objects.filter(post=post).update(scheduled_for=timezone.now() - timedelta(minutes=5))
    post.workflow.refresh_from_db()
    return post


def test_overdue_scheduled_post_warns_and_offers_publish_now_to_the_publisher(client, publisher, overdue):
    client.force_login(publisher)
    page = client.get(f"/editor/posts/{overdue.pk}/").content.decode()

    assert WARNING in page and "Publish it now, or cancel the schedule." in page
    assert ">Publish now</button>" in page and ">Cancel schedule</button>" in page


def test_publish_now_publishes_the_overdue_post_once(client, publisher, overdue):
    client.force_login(publisher)
    response = client.post(f"/editor/posts/{overdue.pk}/actions/publish_scheduled/", {
        "expected_state": State.SCHEDULED, "expected_revision": overdue.current_revision_id}, follow=True)

    assert "Published. It is on the public site now." in response.content.decode()
    overdue.workflow.refresh_from_db()
    assert overdue.workflow.state == State.PUBLISHED
    event = AuditEvent.objects.get(post=overdue, action="publish_scheduled")
    assert event.actor == publisher
    assert client.get(f"/blog/{overdue.slug}/").status_code == 200


def test_overdue_warning_shows_the_author_without_the_button(client, author, overdue):
    client.force_login(author)
    page = client.get(f"/editor/posts/{overdue.pk}/").content.decode()
    assert WARNING in page and "Publish now" not in page
    assert client.post(f"/editor/posts/{overdue.pk}/actions/publish_scheduled/", {
        "expected_state": State.SCHEDULED, "expected_revision": overdue.current_revision_id}).status_code == 403


def test_scheduled_post_before_its_time_has_no_warning_and_no_publish_now(client, publisher, post_in):
    post = post_in(State.SCHEDULED)
    client.force_login(publisher)
    page = client.get(f"/editor/posts/{post.pk}/").content.decode()
    assert WARNING not in page and "Publish now" not in page
    assert allowed_actions(post.workflow, publisher) == ["unschedule"]
