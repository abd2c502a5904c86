"""Faults: a step that fails part-way through a state change leaves the database exactly as it was; a mail
server that is down does not undo or hold up an action; a database restart loses nothing acknowledged.
"""

import logging
import socket
import threading
import time
from datetime import timedelta
from unittest import mock

import psycopg
import pytest
from django.core import signals
from django.db import OperationalError, connection, transaction
from django.db.utils import InterfaceError
from django.utils import timezone

from content import services as content_services
from content.models import Post, Revision
from review import audit, notifications, queue, services
from review.services import drafts as draft_services
from review.models import AuditEvent, AuditHead, Comment, Signature, Workflow
from review.states import State
from tests import factories
from tests.factories import PASSWORD


class InjectedFault(Exception):
    """The failure a test injects; nothing in the product catches it."""


def snapshot():
    """Every row a state change may write, in full."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Post, Workflow, Revision, Signature, Comment, AuditEvent, AuditHead)
    }


def failing(original, nth=1):
    """`original`, which on its `nth` call does its work and then raises: the hardest moment to fail."""
    calls = {"n": 0}

    def step(*args, **kwargs):
        result = original(*args, **kwargs)
        calls["n"] += 1
        if calls["n"] == nth:
            raise InjectedFault(f"injected after {getattr(original, '__qualname__', original)}")
        return result

    return step


# Each step of a state change, as something to patch: (object, attribute, which call fails).
STEPS = {
    "signature row": (Signature, "save", 1),
    "audit event": (AuditEvent, "save", 1),
    "second audit event": (AuditEvent, "save", 2),  # e.g. "approve" after "sign" was written
    "audit head": (AuditHead, "save", 1),
    "workflow save": (Workflow, "save", 1),
    "post save": (Post, "save", 1),
    "revision row": (Revision, "save", 1),
    "revision create": (content_services, "revision_create", 1),
    "comment row": (Comment, "save", 1),
    "comments carried forward": (draft_services, "comments_carry_forward", 1),
    "notification queued": (notifications, "queue", 1),
}

COMMON = ["audit event", "audit head", "workflow save", "post save"]
EDIT = ["revision row", "revision create", "workflow save", "post save", "audit event", "audit head",
        "comments carried forward"]
# action -> (the state it starts from, the steps it goes through)
ACTIONS = {
    "create": (None, ["post save", "workflow save", "revision row", "revision create", "audit event", "audit head"]),
    "edit draft": (State.DRAFT, EDIT),
    "edit published": (State.PUBLISHED, EDIT),
    "submit": (State.DRAFT, COMMON + ["notification queued"]),
    "withdraw": (State.IN_REVIEW, COMMON),
    "request changes": (State.IN_REVIEW, COMMON + ["comment row", "notification queued"]),
    "comment": (State.IN_REVIEW, ["comment row", "audit event", "audit head"]),
    "sign": (State.IN_REVIEW, COMMON + ["signature row", "second audit event", "notification queued"]),
    "renew review": (State.PUBLISHED, COMMON + ["signature row", "second audit event"]),
    "publish": (State.APPROVED, COMMON + ["notification queued"]),
    "schedule": (State.APPROVED, COMMON),
    "unschedule": (State.SCHEDULED, COMMON),
    "scheduled publication": (State.SCHEDULED, COMMON + ["notification queued"]),
    "unpublish": (State.PUBLISHED, COMMON),
    "archive": (State.DRAFT, COMMON),
    "restore": (State.ARCHIVED, COMMON),
}
CASES = [(action, step) for action, (_, steps) in ACTIONS.items() for step in steps]


def perform(action, post, *, author, reviewer, second_reviewer, publisher):
    if action == "create":
        return services.post_create(author=author, title="A new article", body="Text")
    if action.startswith("edit"):
        return services.post_save_draft(post, user=author, title=post.title, summary="", body="Changed text")
    if action == "comment":
        return services.comment_add(post=post, user=reviewer, body="Is there a source for this?")
    if action == "request changes":
        return services.post_request_changes(post, user=reviewer, comment="Please cite a source.")
    if action == "sign":
        return services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    if action == "renew review":
        return services.revision_sign(post, user=second_reviewer, password=PASSWORD, attested=True)
    if action == "schedule":
        return services.post_schedule(post, user=publisher, when=timezone.now() + timedelta(days=1))
    if action == "scheduled publication":
        return services.publish_due()
    if action in {"submit", "withdraw"}:
        return getattr(services, f"post_{action}")(post, user=author)
    if action == "unpublish":
        return services.post_unpublish(post, user=publisher, reason="The clinic stopped offering it.")
    return getattr(services, f"post_{action}")(post, user=publisher)


def test_every_fault_case_names_a_known_step():
    assert {step for _, step in CASES} == set(STEPS)
    assert len(CASES) >= 80


@pytest.mark.parametrize("action", ACTIONS)
def test_a_fault_in_any_step_of_a_state_change_leaves_the_database_as_it_was(
        action, post_in, author, reviewer, second_reviewer, publisher):
    start, steps = ACTIONS[action]
    post = post_in(start) if start else None
    if action == "scheduled publication":
        Workflow.objects.filter(post=post).update(scheduled_for=timezone.now() - timedelta(minutes=1))
    if action == "renew review":  # renewal is possible only once the review is due
        factories.make_review_due(post)
        post.workflow.refresh_from_db()
    people = dict(author=author, reviewer=reviewer, second_reviewer=second_reviewer, publisher=publisher)
    broken = []

    for step in steps:
        # Each step starts from the same database: what one step's run wrote is rolled back before the next.
        with transaction.atomic():
            before = snapshot()
            target, name, nth = STEPS[step]
            with mock.patch.object(target, name, failing(getattr(target, name), nth)):
                with pytest.raises(InjectedFault):
                    perform(action, post and Post.objects.get(pk=post.pk), **people)
            if snapshot() != before or not audit.verify().ok:
                broken.append(step)
            else:
                # The same action without the fault then goes through: nothing was left half-locked or half-done.
                perform(action, post and Post.objects.get(pk=post.pk), **people)
                assert snapshot() != before and audit.verify().ok, step
            transaction.set_rollback(True)

    assert broken == [], f"{action}: a fault in these steps left a trace: {broken}"


@pytest.fixture
def closed_port():
    """A loopback port that refuses connections for the whole test: bound but never listening, so that no other
    process (a live server, the other test worker) can take it meanwhile and answer as a mail server."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        yield s.getsockname()[1]


@pytest.mark.parametrize("action", ["submit", "request changes", "sign", "publish"])
def test_a_mail_server_that_is_down_neither_undoes_nor_holds_up_the_action(
        action, settings, caplog, django_capture_on_commit_callbacks, post_in, author, reviewer, publisher, closed_port):
    start = {"submit": State.DRAFT, "request changes": State.IN_REVIEW, "sign": State.IN_REVIEW,
             "publish": State.APPROVED}[action]
    target = {"submit": State.IN_REVIEW, "request changes": State.CHANGES_REQUESTED, "sign": State.APPROVED,
              "publish": State.PUBLISHED}[action]
    # The same action once with mail working, so that what is timed below is the mail server being down and not a
    # test worker's first use of the claims classifier or the signing keys (a cold first submit took 6.5 s).
    with django_capture_on_commit_callbacks(execute=True):
        perform(action, post_in(start, title="Warming up"), author=author, reviewer=reviewer, second_reviewer=None,
                publisher=publisher)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 2
    post = post_in(start)
    events = AuditEvent.objects.count()

    began = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="review.notifications"):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            perform(action, post, author=author, reviewer=reviewer, second_reviewer=None, publisher=publisher)
    took = time.monotonic() - began

    assert callbacks, "an email was queued"
    post.workflow.refresh_from_db()
    assert post.workflow.state == target
    assert AuditEvent.objects.count() > events
    assert audit.verify().ok
    assert took < 5
    # What an administrator sees in the error log: which email could not be sent, and to whom.
    failures = [r for r in caplog.records if r.name == "review.notifications" and r.levelno == logging.ERROR]
    emails = [c for c in callbacks if getattr(c, "func", None) is not audit.witness_publication  # not checkpoints
              and "attempt" not in getattr(c, "keywords", {})  # nor the retries of an email
              and c is not queue.renew_generation]  # nor the queue's counts, renewed once the change is committed
    assert len(failures) == len(emails)
    assert post.title in failures[0].getMessage() and "@" in failures[0].getMessage()


def test_a_mail_backend_that_raises_does_not_reach_the_caller(django_capture_on_commit_callbacks, post_in,
                                                              author, caplog):
    post = post_in(State.DRAFT)
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionRefusedError):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            services.post_submit(post, user=author)
    assert callbacks
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.IN_REVIEW
    assert any(r.levelno == logging.ERROR for r in caplog.records)


# --- a database restart (PostgreSQL): every server-side connection to the test database is terminated.


def conninfo():
    db = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        dbname=db["NAME"], user=db["USER"] or None, password=db["PASSWORD"] or None,
        host=db["HOST"] or None, port=db["PORT"] or None,
    )


def terminate_backends(*, only_waiting=False) -> int:
    """What a server restart does to every session of the test database; returns how many were cut."""
    condition = " AND wait_event_type = 'Lock'" if only_waiting else ""
    with psycopg.connect(conninfo(), autocommit=True) as admin:
        return admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            f"WHERE datname = current_database() AND pid <> pg_backend_pid(){condition}"
        ).fetchone()[0]


def between_requests():
    signals.request_finished.send(sender=None)
    signals.request_started.send(sender=None)


@pytest.fixture
def persistent_connections(request):
    """CONN_MAX_AGE as a deployment sets it (0 or persistent), with health checks on, as config.settings sets them."""
    saved = {key: connection.settings_dict[key] for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    connection.settings_dict.update(CONN_MAX_AGE=request.param, CONN_HEALTH_CHECKS=True)
    connection.close()
    yield request.param
    connection.close()
    connection.settings_dict.update(saved)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("persistent_connections", [0, 600], indirect=True, ids=["conn_max_age_0", "persistent"])
def test_a_database_restart_between_requests_loses_nothing_acknowledged(
        persistent_connections, post_in, author, reviewer, publisher):
    post = post_in(State.DRAFT)
    between_requests()
    services.post_submit(post, user=author)  # acknowledged
    services.comment_add(post=post, user=reviewer, body="Reading it now.")  # acknowledged
    acknowledged = snapshot()

    assert terminate_backends() >= 1
    between_requests()

    assert snapshot() == acknowledged
    assert Workflow.objects.get(post=post).state == State.IN_REVIEW
    services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    services.post_publish(post, user=publisher)
    post.refresh_from_db()
    assert post.workflow.state == State.PUBLISHED and post.live_revision_id == post.current_revision_id
    assert audit.verify().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_cut_in_the_middle_of_an_action_leaves_nothing_half_done(post_in, author, reviewer):
    post = post_in(State.IN_REVIEW)
    before = snapshot()
    outcome = []

    def sign():
        try:
            outcome.append(services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True))
        except Exception as exc:  # the cut connection
            outcome.append(exc)
        finally:
            connection.close()

    # Hold the audit head so that the signing transaction stops after writing its signature, then cut it there.
    with psycopg.connect(conninfo()) as gate:
        gate.execute("SELECT 1 FROM review_audithead WHERE id = 1 FOR UPDATE")
        worker = threading.Thread(target=sign)
        worker.start()
        cut, deadline = 0, time.monotonic() + 20
        while not cut and time.monotonic() < deadline and worker.is_alive():
            time.sleep(0.05)
            cut = terminate_backends(only_waiting=True)
        gate.rollback()
        worker.join(20)

    assert cut == 1
    assert isinstance(outcome[0], (OperationalError, InterfaceError)), outcome
    assert snapshot() == before
    services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    assert Workflow.objects.get(post=post).state == State.APPROVED
