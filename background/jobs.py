"""How the project hands work to Django's tasks framework (django-tasks, database backend): enqueue with the
transaction that asked for it, retry with backoff, do a thing once across every worker, run the periodic tasks,
and give the task of a worker that died to another."""

import logging
from datetime import datetime, timedelta, timezone as dt_timezone
from functools import partial

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from background.models import Once

logger = logging.getLogger(__name__)


def stores_in_database(task) -> bool:
    """Whether enqueuing `task` writes a row in the default database, and so commits or rolls back with it."""
    backend = task.get_backend()
    return isinstance(backend, DatabaseBackend) and backend.options.get("database", DEFAULT_DB_ALIAS) == DEFAULT_DB_ALIAS


def enqueue(task, /, *args, **kwargs) -> None:
    """Run `task(*args, **kwargs)` in the background if, and only if, the surrounding transaction commits.

    With the database backend the task's row is written inside the transaction (both or neither, even if the
    process dies a moment after the commit); with any other backend it is handed over once the commit is done.
    """
    if stores_in_database(task):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(partial(task.enqueue, *args, **kwargs))


def once(key: str) -> bool:
    """Claim `key` in the current transaction: True for the first claimant on any machine, False for every other.

    Call it inside the transaction of the work it guards: if that work rolls back, so does the claim."""
    try:
        with transaction.atomic():
            Once.objects.create(key=key)
    except IntegrityError:
        return False
    return True


def deferred(task, run_after):
    """`task`, to run no earlier than `run_after` where its backend can wait (`supports_defer`); where it cannot,
    or with no `run_after`, `task` as it is (to run as soon as a worker is free)."""
    return task.using(run_after=run_after) if run_after and task.get_backend().supports_defer else task


def backoff(delays, attempt: int) -> timedelta | None:
    """How long to wait after failed attempt number `attempt` (from 1): `delays[attempt - 1]` seconds; None when
    every attempt has been used."""
    return timedelta(seconds=delays[attempt - 1]) if attempt <= len(delays) else None


def retry_later(task, *, attempt: int, delays, key: str, **kwargs) -> bool:
    """Enqueue attempt `attempt + 1` of `task` after its `backoff`, once per attempt of one `key`; False when every
    attempt has been used."""
    delay = backoff(delays, attempt)
    if delay is None:
        return False
    with transaction.atomic():
        if once(f"retry:{key}:{attempt + 1}"):
            enqueue(deferred(task, timezone.now() + delay if delay else None), attempt=attempt + 1, key=key, **kwargs)
    return True


def period_start(now, seconds: int):
    """The start of the period of `seconds` that `now` falls in (periods count from the Unix epoch)."""
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=dt_timezone.utc)


def enqueue_periodic(now=None) -> list[str]:
    """Enqueue each task of TASKS_PERIODIC once per TASKS_PERIOD_SECONDS, whichever worker's clock gets there first.

    The key of the period is written in the same transaction as the task's row, so two workers on two machines
    cannot both enqueue it, and a worker that dies half-way leaves neither."""
    now = now or timezone.now()
    start = period_start(now, settings.TASKS_PERIOD_SECONDS)
    enqueued = []
    for path in settings.TASKS_PERIODIC:
        with transaction.atomic():
            if once(f"periodic:{path}:{start.isoformat()}"):
                enqueue(import_string(path))
                enqueued.append(path)
    if enqueued:  # once a period, forget the keys no period will ask for again
        Once.objects.filter(created_at__lt=now - timedelta(days=settings.TASKS_KEEP_KEYS_DAYS)).delete()
    return enqueued


def requeue_abandoned(now=None) -> int:
    """Put back in the queue every task that has been running longer than TASKS_LEASE_SECONDS: its worker died
    (SIGKILL, a lost machine) or hung. Every task here is idempotent, so one that was merely slow and runs twice
    does no harm. Returns how many were put back."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.TASKS_LEASE_SECONDS)
    abandoned = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
    count = abandoned.update(status=TaskResultStatus.READY)
    if count:
        logger.warning("Put back %d task(s) whose worker stopped answering for %ss.", count,
                       settings.TASKS_LEASE_SECONDS)
    return count


def retry(results) -> int:
    """Enqueue a fresh copy of each failed task result (the admin's "Retry"); returns how many."""
    count = 0
    for result in results:
        if result.status != TaskResultStatus.FAILED:
            continue
        result.task.enqueue(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
        count += 1
    return count
