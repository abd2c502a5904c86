"""Real worker processes (`manage.py run_worker`) on PostgreSQL: two at once do each thing once, and a worker
killed with SIGKILL in the middle of a task leaves nothing half-done; another worker does the task, once."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from background.models import Once
from review import audit
from review.models import AuditEvent, Workflow
from review.states import State
from tests.factories import make_post

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(name: str, **env) -> subprocess.Popen:
    """`manage.py run_worker` as production runs it, against this test's database, checkpoints and key."""
    environment = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "1",
                   "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
                   "CHECKPOINT_STORAGE": settings.STORAGES["checkpoints"]["OPTIONS"]["location"],
                   "ATTESTATION_KEY_FILE": str(settings.ATTESTATION_KEY_FILE), "REVIEW_DIGEST_HOUR": "0",
                   **{key: str(value) for key, value in env.items()}}
    environment.pop("TASKS_BACKEND", None)
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2",
         "--clock-interval", "0.3", "--worker-id", name],
        cwd=settings.BASE_DIR, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def stop(*workers) -> str:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    return "\n".join(worker.communicate(timeout=60)[0] for worker in workers)


def wait_for(condition, *, timeout: float, workers=()) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if any(worker.poll() is not None for worker in workers):
            return False
        time.sleep(0.2)
    return False


def due_posts(author, reviewer, publisher, count):
    posts = [make_post(author=author, reviewer=reviewer, publisher=publisher, state=State.SCHEDULED,
                       title=f"Due {n}") for n in range(count)]
    Workflow.objects.filter(post__in=posts).update(scheduled_for=timezone.now() - timedelta(minutes=1))
    return posts


def published_once(posts) -> bool:
    return all(AuditEvent.objects.filter(post=post, action="publish_scheduled").count() == 1 for post in posts)


def test_two_workers_enqueue_each_periodic_tick_once_and_publish_each_due_post_once(author, reviewer, publisher):
    posts = due_posts(author, reviewer, publisher, 6)
    make_post(author=author, reviewer=reviewer, publisher=publisher, state=State.IN_REVIEW, title="Waiting")
    periods = Once.objects.filter(key__startswith="periodic:review.tasks.workflow_tick:")  # the tick's periods

    workers = [start_worker(name, TASKS_PERIOD_SECONDS=2) for name in ("worker-a", "worker-b")]
    try:
        done = wait_for(lambda: published_once(posts) and periods.count() >= 4, timeout=120, workers=workers)
    finally:
        log = stop(*workers)
    assert done, log

    ticks = DBTaskResult.objects.filter(task_path="review.tasks.workflow_tick")
    assert ticks.count() == periods.count(), log  # two clocks, one tick per period
    assert published_once(posts)
    for post in posts:
        assert Workflow.objects.get(post=post).state == State.PUBLISHED
    digests = [row for row in DBTaskResult.objects.filter(task_path="review.tasks.deliver_email")
               if row.args_kwargs["kwargs"]["subject"].endswith("waiting for your review")]
    assert [row.args_kwargs["kwargs"]["to"] for row in digests] == [[reviewer.email]]  # once today, not per tick
    assert audit.verify().ok


def conninfo() -> str:
    db = connection.settings_dict
    return psycopg.conninfo.make_conninfo(dbname=db["NAME"], user=db["USER"] or None,
                                          password=db["PASSWORD"] or None, host=db["HOST"] or None,
                                          port=db["PORT"] or None)


def waiting_on_a_lock() -> int:
    with psycopg.connect(conninfo(), autocommit=True) as watcher:
        return watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                               "AND wait_event_type = 'Lock'").fetchone()[0]


def test_a_worker_killed_in_the_middle_of_the_tick_leaves_nothing_half_done_and_another_does_it_once(
        author, reviewer, publisher):
    posts = due_posts(author, reviewer, publisher, 3)
    events = AuditEvent.objects.count()

    # Hold the audit chain's head: the first worker's tick stops inside the transaction that publishes a post,
    # after changing its state and before its audit event. Kill the worker there.
    with psycopg.connect(conninfo()) as gate:
        gate.execute("SELECT 1 FROM review_audithead WHERE id = 1 FOR UPDATE")
        first = start_worker("worker-killed", TASKS_PERIOD_SECONDS=3600, TASKS_LEASE_SECONDS=3)
        stuck = wait_for(lambda: waiting_on_a_lock() >= 1, timeout=60, workers=[first])
        tick = DBTaskResult.objects.filter(task_path="review.tasks.workflow_tick").first()
        first.send_signal(signal.SIGKILL)
        log = first.communicate(timeout=30)[0]
        gate.rollback()
    assert stuck, log
    assert tick.status == TaskResultStatus.RUNNING and tick.worker_ids == ["worker-killed"]
    assert wait_for(lambda: waiting_on_a_lock() == 0, timeout=30)
    assert AuditEvent.objects.count() == events  # the killed transaction left nothing
    assert set(Workflow.objects.filter(post__in=posts).values_list("state", flat=True)) == {State.SCHEDULED}

    second = start_worker("worker-second", TASKS_PERIOD_SECONDS=3600, TASKS_LEASE_SECONDS=3)
    try:
        tick_done = wait_for(lambda: DBTaskResult.objects.get(pk=tick.pk).status == TaskResultStatus.SUCCESSFUL,
                             timeout=90, workers=[second])
    finally:
        log = stop(second)
    assert tick_done, log

    tick.refresh_from_db()
    assert tick.worker_ids == ["worker-killed", "worker-second"]  # the same task, taken over after its lease
    assert published_once(posts)
    assert set(Workflow.objects.filter(post__in=posts).values_list("state", flat=True)) == {State.PUBLISHED}
    assert audit.verify().ok
