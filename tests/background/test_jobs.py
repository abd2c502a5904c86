"""background.jobs: enqueue with the transaction, once across workers, the periodic clock, abandoned tasks."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from background import jobs
from background.models import Once
from tests.background.worker import run_queued_tasks

pytestmark = pytest.mark.usefixtures("database_tasks")



def tick_rows():
    return DBTaskResult.objects.filter(task_path="review.tasks.workflow_tick")


def test_enqueue_with_the_database_backend_writes_nothing_when_the_transaction_rolls_back(db):
    from review.tasks import workflow_tick

    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.enqueue(workflow_tick)
        assert tick_rows().count() == 1  # written inside the transaction, invisible to workers until it commits
        raise RuntimeError("the action failed")
    assert tick_rows().count() == 0


def test_once_is_true_for_the_first_claim_of_a_key_only(db):
    assert jobs.once("digest:2026-11-30:7") is True
    assert jobs.once("digest:2026-11-30:7") is False
    assert jobs.once("digest:2026-12-01:7") is True


def test_once_claim_rolls_back_with_the_work_it_guards(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        assert jobs.once("tick") is True
        raise RuntimeError
    assert jobs.once("tick") is True


def test_enqueue_periodic_enqueues_each_periodic_task_once_per_period(db, settings):
    settings.TASKS_PERIOD_SECONDS = 60
    start = timezone.now().replace(second=0, microsecond=0)

    for seconds in (0, 10, 59):  # many workers' clocks look within one minute
        jobs.enqueue_periodic(start + timedelta(seconds=seconds))
    assert tick_rows().count() == 1
    jobs.enqueue_periodic(start + timedelta(seconds=60))
    assert tick_rows().count() == 2


def test_enqueue_periodic_forgets_keys_older_than_the_days_kept(db, settings):
    old = Once.objects.create(key="periodic:x:old", created_at=timezone.now() - timedelta(days=30))
    jobs.enqueue_periodic()
    assert not Once.objects.filter(pk=old.pk).exists()


def test_requeue_abandoned_puts_back_a_task_running_past_its_lease_only(db, settings):
    from review.tasks import workflow_tick

    settings.TASKS_LEASE_SECONDS = 60
    stale, fresh = workflow_tick.enqueue(), workflow_tick.enqueue()
    DBTaskResult.objects.filter(pk=stale.id).update(status=TaskResultStatus.RUNNING,
                                                   started_at=timezone.now() - timedelta(seconds=61))
    DBTaskResult.objects.filter(pk=fresh.id).update(status=TaskResultStatus.RUNNING, started_at=timezone.now())

    assert jobs.requeue_abandoned() == 1
    assert DBTaskResult.objects.get(pk=stale.id).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=fresh.id).status == TaskResultStatus.RUNNING


def test_a_queued_tick_run_by_the_worker_publishes_a_due_post(post_in, django_capture_on_commit_callbacks):
    from review.states import State
    from review.tasks import workflow_tick

    post = post_in(State.SCHEDULED)
    post.workflow.scheduled_for = timezone.now() - timedelta(minutes=1)
    post.workflow.save(update_fields=["scheduled_for"])
    result = workflow_tick.enqueue()

    run_queued_tasks()

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["published"] == [post.pk]
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.PUBLISHED
