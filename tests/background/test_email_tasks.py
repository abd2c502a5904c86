"""Emails are sent by a background task, retried with backoff, and a mail that finally fails is in the audit trail."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from review import notifications
from review.models import AuditEvent
from tests.background.worker import run_queued_tasks

pytestmark = pytest.mark.usefixtures("database_tasks")



def mail_rows():
    return DBTaskResult.objects.filter(task_path="review.tasks.deliver_email").order_by("enqueued_at")


def queue_one(post=None):
    with transaction.atomic():
        notifications.queue_email("Sign-ins are locked", ["owner@clinic.example"], {"post": post},
                                  template="review/email/lockout")


def test_queue_email_sends_nothing_until_the_worker_runs_it(db, mailoutbox):
    queue_one()
    assert mailoutbox == []

    run_queued_tasks()

    assert [(m.subject, m.to) for m in mailoutbox] == [("Sign-ins are locked", ["owner@clinic.example"])]
    assert mail_rows().get().status == TaskResultStatus.SUCCESSFUL


def test_a_refused_email_is_tried_again_later_and_sent(db, mailoutbox, settings):
    settings.EMAIL_RETRY_DELAYS = [60, 300]
    queue_one()
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionRefusedError("down")):
        run_queued_tasks()

    first, second = mail_rows()
    assert first.status == TaskResultStatus.FAILED and "ConnectionRefusedError: down" in first.traceback
    assert second.status == TaskResultStatus.READY and second.args_kwargs["kwargs"]["attempt"] == 2
    assert timedelta(seconds=55) < second.run_after - first.finished_at < timedelta(seconds=65)  # the backoff
    run_queued_tasks()
    assert mailoutbox == []  # not before its time

    DBTaskResult.objects.filter(pk=second.pk).update(run_after=timezone.now())  # a minute later
    run_queued_tasks()

    assert [m.subject for m in mailoutbox] == ["Sign-ins are locked"]
    assert not AuditEvent.objects.filter(action="notification_failed").exists()


def test_an_email_refused_at_every_attempt_is_recorded_once_in_the_audit_trail(post_in, settings):
    from review.states import State

    settings.EMAIL_RETRY_DELAYS = [0, 0]
    post = post_in(State.DRAFT)
    queue_one(post)
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionRefusedError("down")):
        run_queued_tasks()

    assert [row.status for row in mail_rows()] == [TaskResultStatus.FAILED] * 3
    failure = AuditEvent.objects.get(action="notification_failed")
    assert failure.post == post and failure.detail["subject"] == "Sign-ins are locked"
    assert failure.detail["error"] == "ConnectionRefusedError: down"


def test_an_attempt_run_twice_after_a_worker_died_queues_its_retry_once(db, settings):
    """A worker killed after queuing the retry, before recording the failure: the attempt is run again."""
    settings.EMAIL_RETRY_DELAYS = [60]
    queue_one()
    attempt = mail_rows().get()
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionRefusedError("down")):
        for _ in range(2):
            with pytest.raises(ConnectionRefusedError):
                attempt.task.call(*attempt.args_kwargs["args"], **attempt.args_kwargs["kwargs"])

    assert mail_rows().count() == 2  # the first attempt and one retry, not two
