"""The audit trail: every change leaves a chained event, and verify_audit finds any edit, removal or re-ordering."""

from datetime import UTC, datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from content.models import ImmutableError
from review import audit
from review.models import AuditEvent
from review.states import State


@pytest.fixture
def history(post_in):
    post_in(State.PUBLISHED)
    post_in(State.CHANGES_REQUESTED)
    return list(AuditEvent.objects.order_by("seq"))


def test_every_state_change_appends_an_event_with_states_and_hash(history, publisher):
    actions = [event.action for event in history]
    assert actions[:5] == ["create", "submit", "sign", "approve", "publish"]
    publish = history[4]
    assert (publish.from_state, publish.to_state, publish.actor) == ("approved", "published", publisher)
    assert len(publish.revision_hash) == 64


def test_verify_audit_reports_the_count_when_intact(history, capsys):
    call_command("verify_audit")
    assert f"{len(history)} events verified" in capsys.readouterr().out


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_verify_audit_names_an_edited_event(history):
    raw("UPDATE review_auditevent SET actor_name = 'someone else' WHERE seq = 3")
    with pytest.raises(CommandError, match=r"event #3: event #3 was altered"):
        call_command("verify_audit")


def test_verify_audit_names_a_deleted_event(history):
    raw("DELETE FROM review_auditevent WHERE seq = 4")
    with pytest.raises(CommandError, match="event #4 is missing"):
        call_command("verify_audit")


def test_verify_audit_names_re_ordered_events(history):
    raw("UPDATE review_auditevent SET seq = 100000 WHERE seq = 2")
    raw("UPDATE review_auditevent SET seq = 2 WHERE seq = 3")
    raw("UPDATE review_auditevent SET seq = 3 WHERE seq = 100000")
    with pytest.raises(CommandError, match="event #2"):
        call_command("verify_audit")


def test_verify_audit_notices_a_cut_tail(history):
    raw("DELETE FROM review_auditevent WHERE seq = %s", [len(history)])
    with pytest.raises(CommandError, match="were removed"):
        call_command("verify_audit")


def test_audit_events_cannot_be_changed_through_the_orm(history):
    event = history[0]
    with pytest.raises(ImmutableError):
        event.save()
    with pytest.raises(ImmutableError):
        AuditEvent.objects.all().delete()
    assert audit.verify().ok


def test_a_rewritten_event_with_a_recomputed_plain_hash_is_still_caught(history):
    import hashlib
    import json

    event = history[2]
    forged = [event.seq, event.created_at.isoformat(), event.actor_id, "Dr. Nobody", event.action, event.post_id,
              event.from_state, event.to_state, event.revision_hash, event.detail, event.prev_hash]
    plain = hashlib.sha256(json.dumps(forged, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    raw("UPDATE review_auditevent SET actor_name = 'Dr. Nobody', hash = %s WHERE seq = 3", [plain])
    with pytest.raises(CommandError, match="event #3"):
        call_command("verify_audit")


def test_the_chain_does_not_verify_under_another_record_key(history, settings):
    settings.RECORD_KEY = "a key an attacker made up"
    assert not audit.verify().ok


@pytest.mark.parametrize("microsecond", [0, 500000, 100, 123456])
def test_verify_audit_accepts_events_written_at_any_fraction_of_a_second(db, microsecond):
    # The verifier reads timestamps as text; a whole second or trailing zeros must hash as written.
    moment = datetime(2026, 11, 23, 22, 0, 5, microsecond, tzinfo=UTC)
    with mock.patch("review.audit.timezone.now", return_value=moment):
        audit.record("note", detail={"n": 1})
        audit.record("note")

    result = audit.verify()

    assert result.ok, result.problem
    assert result.count == 2


TAMPERINGS = {
    "intact": [],
    "edited": ["UPDATE review_auditevent SET actor_name = 'someone else' WHERE seq = 7"],
    "deleted at a stretch's end": ["DELETE FROM review_auditevent WHERE seq = 4"],
    # Event 5 is a publication, whose record refers to it: whoever deletes it must delete that too.
    "deleted at a stretch's start": ["UPDATE review_workflow SET publication_id = NULL",
                                     "DELETE FROM review_publication WHERE audit_event_id IN "
                                     "(SELECT id FROM review_auditevent WHERE seq = 5)",
                                     "DELETE FROM review_auditevent WHERE seq = 5"],
    "re-ordered": ["UPDATE review_auditevent SET seq = 100000 WHERE seq = 2",
                   "UPDATE review_auditevent SET seq = 2 WHERE seq = 3",
                   "UPDATE review_auditevent SET seq = 3 WHERE seq = 100000"],
    "tail cut": ["DELETE FROM review_auditevent WHERE seq > 6"],
}


@pytest.mark.parametrize("tampering", TAMPERINGS)
def test_verify_in_stretches_finds_what_one_walk_finds(history, tampering):
    for sql in TAMPERINGS[tampering]:
        raw(sql)

    one_walk = audit.verify()

    assert len(history) == 8
    assert audit.verify(workers=3, min_stretch=1) == one_walk  # stretches: events 1-2, 3-4, and 5 on
    assert one_walk.ok == (tampering == "intact")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("tampering", ["intact", "edited", "deleted at a stretch's start"])
def test_verify_in_worker_processes_finds_what_one_walk_finds(post_in, tampering):
    post_in(State.PUBLISHED)
    post_in(State.CHANGES_REQUESTED)
    for sql in TAMPERINGS[tampering]:
        raw(sql)

    assert audit.can_fork()
    assert audit.verify(workers=3, min_stretch=1) == audit.verify()
