"""The background worker: django-tasks-db's `db_worker`, with a clock beside it that enqueues the periodic tasks
and puts back the tasks of workers that died."""

import logging
import os
import threading

from django.db import close_old_connections, connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from background import jobs

logger = logging.getLogger(__name__)


def clock(stop: threading.Event, every: float) -> None:
    """Every `every` seconds: enqueue what is due this period (once across all workers), re-queue abandoned tasks."""
    while True:
        try:
            close_old_connections()
            jobs.requeue_abandoned()
            jobs.enqueue_periodic()
        except Exception:  # the database may be away for a while; the next beat tries again
            logger.exception("The worker's clock could not enqueue the periodic tasks.")
        finally:
            connection.close()
        if stop.wait(every):
            return


class Command(db_worker.Command):
    help = ("Run a background worker: the tasks framework's database worker (db_worker), plus the clock that "
            "enqueues the periodic tasks each period. Run one or more on each machine; see README: Background work.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--clock-interval", type=float, default=5.0,
                            help="Seconds between two looks of the clock at the periodic tasks (default: 5).")

    def handle(self, *args, **options):
        every = options.pop("clock_interval")
        # With --reload the first process only watches files and restarts the second, which does the work.
        if not options["reload"] or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            threading.Thread(target=clock, args=(threading.Event(), every), name="tasks-clock", daemon=True).start()
        super().handle(*args, **options)
