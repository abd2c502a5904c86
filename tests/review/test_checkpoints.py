"""Signed checkpoints, kept outside the database, catch a chain cut short or deleted, which its own links cannot."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from review import audit, checkpoints, public_signing
from review.models import AuditEvent, AuditHead
from review.states import State


def drop_publications_of(where, params=()):
    """Publication records refer to their audit events: whoever deletes those events must delete these first."""
    raw("UPDATE review_workflow SET publication_id = NULL")
    raw("DELETE FROM review_publication WHERE audit_event_id IN (SELECT id FROM review_auditevent WHERE "  # noqa: S608
        + where + ")", params)


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def stored_checkpoints():
    found, problems = checkpoints.found()
    assert problems == []
    return found


@pytest.fixture
def witnessed(post_in, django_capture_on_commit_callbacks):
    """Two articles published, each publication witnessed by a checkpoint once committed."""
    with django_capture_on_commit_callbacks(execute=True):
        post_in(State.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        post_in(State.PUBLISHED)
    return AuditEvent.objects.count()


def test_publishing_writes_a_signed_checkpoint_of_the_chain_head(witnessed):
    head = AuditHead.objects.get()

    newest = max(stored_checkpoints(), key=lambda c: c.time)

    assert (newest.seq, newest.hash, newest.count) == (head.seq, head.hash, witnessed)
    assert len(stored_checkpoints()) == 2


def test_a_checkpoint_is_not_repeated_while_the_chain_stands_still(witnessed):
    checkpoints.checkpoint_now()
    checkpoints.checkpoint_now()

    assert len(stored_checkpoints()) == 2


def test_workflow_tick_checkpoints_events_written_since(witnessed, post_in, capsys):
    post_in(State.IN_REVIEW)

    call_command("workflow_tick")

    assert max(c.seq for c in stored_checkpoints()) == AuditHead.objects.get().seq


def test_verify_audit_passes_when_the_chain_reaches_every_checkpoint(witnessed, capsys):
    call_command("verify_audit")

    assert capsys.readouterr().out.strip() == f"Audit trail intact: {witnessed} events verified."


def without_checkpoints(settings, tmp_path):
    return {**settings.STORAGES, "checkpoints": {**settings.STORAGES["checkpoints"],
                                                 "OPTIONS": {"location": str(tmp_path / "empty")}}}


def test_verify_audit_names_the_newest_events_deleted_with_the_head_moved_back(witnessed, settings, tmp_path):
    kept = witnessed - 5
    drop_publications_of("seq > %s", [kept])
    raw("DELETE FROM review_auditevent WHERE seq > %s", [kept])
    raw("UPDATE review_audithead SET seq = %s, hash = (SELECT hash FROM review_auditevent WHERE seq = %s)",
        [kept, kept])
    with override_settings(STORAGES=without_checkpoints(settings, tmp_path)):
        assert audit.verify().ok  # the chain's own links cannot tell

    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")

    message = str(failure.value)
    assert message.startswith(f"Audit trail broken at event #{kept + 1}: events #{kept + 1}–#{witnessed} are missing: "
                              "the checkpoint of ")
    assert message.endswith(f"saw the chain reach #{witnessed}, and it now ends at #{kept}. "
                            f"{kept} events before it verified.")


def test_verify_audit_names_every_event_missing_when_the_trail_is_deleted(witnessed, settings, tmp_path):
    drop_publications_of("1 = 1")
    raw("DELETE FROM review_auditevent")
    raw("DELETE FROM review_audithead")
    with override_settings(STORAGES=without_checkpoints(settings, tmp_path)):
        assert audit.verify().ok  # the chain's own links cannot tell

    with pytest.raises(CommandError, match=rf"^Audit trail broken at event #1: events #1–#{witnessed} are missing: "
                                           rf"the checkpoint of .* saw the chain reach #{witnessed}, and it is now "
                                           "empty"):
        call_command("verify_audit")


def test_verify_audit_notices_a_chain_rebuilt_under_the_key_past_a_checkpoint(witnessed):
    drop_publications_of("1 = 1")
    raw("DELETE FROM review_auditevent")
    raw("DELETE FROM review_audithead")
    for n in range(witnessed):  # someone with the record key writes a new history of the same length
        audit.record("note", detail={"n": n})

    with pytest.raises(CommandError, match=rf"event #\d+ is not the one the checkpoint of .* saw: the chain was "
                                           "rewritten up to there"):
        call_command("verify_audit")


def test_verify_audit_refuses_a_checkpoint_that_was_altered(witnessed):
    newest = max(stored_checkpoints(), key=lambda c: c.time)
    document = json.loads(checkpoints.read(newest.name))
    payload = json.loads(public_signing.unb64url(document["payload"]))
    document["payload"] = public_signing.b64url(public_signing.compact_json({**payload, "seq": 1}))
    storage = public_signing.storage()
    storage.delete(newest.name)
    storage.save(newest.name, public_signing.ContentFile(json.dumps(document).encode()))

    with pytest.raises(CommandError, match=f"checkpoint {newest.name} cannot be trusted: its signature does not "
                                           "verify with key"):
        call_command("verify_audit")


def test_checkpoints_signed_before_a_key_rotation_still_verify(witnessed, settings, tmp_path, post_in,
                                                              django_capture_on_commit_callbacks):
    settings.ATTESTATION_KEY_FILE = tmp_path / "next-key.pem"
    public_signing.new_key_file(settings.ATTESTATION_KEY_FILE)
    with django_capture_on_commit_callbacks(execute=True):
        post_in(State.PUBLISHED)

    keys = public_signing.published_keys()

    assert len(keys) == 2
    assert keys[0]["valid_until"] == keys[1]["valid_from"] and keys[1]["valid_until"] is None
    assert len(stored_checkpoints()) == 3
    assert audit.verify().ok

