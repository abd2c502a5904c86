"""`workflow_tick` from cron: publishes each due post exactly once, however often and on however many machines."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from review.models import AuditEvent, Workflow
from review.states import State
from tests.factories import make_post


def tick() -> str:
    out = StringIO()
    call_command("workflow_tick", stdout=out)
    return out.getvalue()


def make_due(author, reviewer, publisher, count):
    posts = [make_post(author=author, reviewer=reviewer, publisher=publisher, state=State.SCHEDULED,
                       title=f"Scheduled {n}") for n in range(count)]
    Workflow.objects.filter(post__in=posts).update(scheduled_for=timezone.now() - timedelta(minutes=1))
    return posts


def publications(posts) -> dict[int, int]:
    return {post.pk: AuditEvent.objects.filter(post=post, action="publish_scheduled").count() for post in posts}


def test_workflow_tick_run_twice_publishes_each_due_post_once(client, author, reviewer, publisher):
    posts = make_due(author, reviewer, publisher, 3)
    later = make_post(author=author, reviewer=reviewer, publisher=publisher, state=State.SCHEDULED, title="Later")
    assert tick().splitlines()[0] == "Published 3 scheduled post(s); flagged 0 re-review(s) due."
    assert tick().splitlines()[0] == "Published 0 scheduled post(s); flagged 0 re-review(s) due."
    assert publications(posts) == {post.pk: 1 for post in posts}
    assert Workflow.objects.get(post=later).state == State.SCHEDULED
    for post in posts:
        assert client.get(f"/blog/{post.slug}/").status_code == 200
    assert client.get(f"/blog/{later.slug}/").status_code == 404


def test_workflow_tick_run_twice_flags_a_due_re_review_once(published):
    post = published()
    with_due_review = timezone.now() + timedelta(days=366)
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=with_due_review):
        first, second = tick(), tick()
    assert "flagged 1 re-review(s)" in first
    assert "flagged 0 re-review(s)" in second
    assert AuditEvent.objects.filter(post=post, action="rereview_due").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_workflow_tick_run_concurrently_publishes_each_post_once(author, reviewer, publisher):
    posts = make_due(author, reviewer, publisher, 12)
    machines = 6
    start = threading.Barrier(machines)
    errors = []

    def machine():
        try:
            start.wait()
            tick()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=machine) for _ in range(machines)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert publications(posts) == {post.pk: 1 for post in posts}
    assert set(Workflow.objects.filter(post__in=posts).values_list("state", flat=True)) == {State.PUBLISHED}
    call_command("verify_audit", stdout=StringIO())
