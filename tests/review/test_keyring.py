"""Record keys rotate: new records use the newest key and name it, old records verify with theirs, and a
database restored under a key that did not make it is refused writes with a sentence that says so."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from review import audit, checks, keyring, selectors, signing
from review.models import AuditEvent, Signature
from review.states import State
from tests.review.test_keyed_hash import FROZEN_CHAIN, FROZEN_KEY, store_frozen_chain

OLD_KEY, NEW_KEY, WRONG_KEY = "the key of 2025", "the key of 2026", "a key that made nothing here"


@pytest.fixture
def published(post_in):
    def make(**kwargs):
        return post_in(State.PUBLISHED, **kwargs)

    return make


def test_new_records_name_the_newest_key_and_old_ones_keep_theirs(settings, published):
    settings.RECORD_KEY = OLD_KEY
    before = published(title="Written under the old key")
    settings.RECORD_KEYS = [NEW_KEY, OLD_KEY]

    after = published(title="Written under the new key")

    old_id, new_id = keyring.key_id(OLD_KEY.encode()), keyring.key_id(NEW_KEY.encode())
    assert {e.key_id for e in AuditEvent.objects.filter(post=before)} == {old_id}
    assert {e.key_id for e in AuditEvent.objects.filter(post=after)} == {new_id}
    assert Signature.objects.get(revision__post=before).key_id == old_id
    assert Signature.objects.get(revision__post=after).key_id == new_id
    assert audit.verify().ok
    assert selectors.public_post(before.slug) is not None
    assert selectors.public_post(after.slug) is not None


def test_dropping_a_key_from_the_ring_names_it_instead_of_calling_records_altered(settings, published):
    settings.RECORD_KEY = OLD_KEY
    published()
    settings.RECORD_KEYS = [NEW_KEY]

    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")

    old_id = keyring.key_id(OLD_KEY.encode())
    assert str(failure.value).startswith(
        f"Audit trail cannot be verified from event #1: event #1 was made with key {old_id}, "
        "which is not configured (RECORD_KEYS).")
    assert "altered" not in str(failure.value)


@pytest.fixture
def restored_under_a_wrong_key(settings, published, client):
    """Records written under one key, then the application started with another."""
    settings.RECORD_KEY = OLD_KEY
    post = published()
    settings.RECORD_KEY = WRONG_KEY
    return post


def test_a_wrong_key_refuses_writes_with_one_sentence(restored_under_a_wrong_key, client, author):
    client.force_login(author)
    events = AuditEvent.objects.count()

    response = client.post("/editor/new/", {"title": "A new post", "summary": "", "body": "Text."})

    old_id = keyring.key_id(OLD_KEY.encode())
    assert response.status_code == 503
    assert response.content.decode().startswith(
        f"RECORD_KEY does not match the records: the newest audit event (#{events}) was made with key {old_id}, "
        "which is not configured (RECORD_KEYS).")
    assert AuditEvent.objects.count() == events


def test_a_wrong_key_still_serves_reads(restored_under_a_wrong_key, client, author):
    client.force_login(author)

    assert client.get("/editor/").status_code == 200
    assert client.get("/blog/").status_code == 200


def test_a_wrong_key_fails_the_database_system_check(restored_under_a_wrong_key):
    [error] = checks.record_keys_match_the_records(databases=["default"])

    assert error.id == "review.E001"
    assert error.msg.startswith("RECORD_KEY does not match the records: ")


def test_a_wrong_key_makes_verify_audit_name_the_key_not_an_alteration(restored_under_a_wrong_key):
    with pytest.raises(CommandError, match="was made with key [0-9a-f]{16}, which is not configured") as failure:
        call_command("verify_audit")
    assert "altered" not in str(failure.value)


def test_the_right_key_behind_a_new_one_lets_writes_through(restored_under_a_wrong_key, settings, client, author):
    settings.RECORD_KEYS = [NEW_KEY, OLD_KEY]
    client.force_login(author)

    response = client.post("/editor/new/", {"title": "A new post", "summary": "", "body": "Text."})

    assert response.status_code == 302
    assert checks.record_keys_match_the_records(databases=["default"]) == []
    assert audit.verify().ok


def test_records_older_than_key_ids_verify_with_an_older_key_of_the_ring(db, settings):
    settings.RECORD_KEYS = [NEW_KEY, FROZEN_KEY]
    store_frozen_chain(key_id=keyring.LEGACY)

    result = audit.verify()

    assert (result.ok, result.count) == (True, len(FROZEN_CHAIN))
    assert checks.record_keys_match_the_records(databases=["default"]) == []


def test_records_older_than_key_ids_under_a_wrong_key_refuse_writes(db, settings):
    settings.RECORD_KEY = WRONG_KEY
    store_frozen_chain(key_id=keyring.LEGACY)

    [error] = checks.record_keys_match_the_records(databases=["default"])

    assert error.msg.startswith(f"RECORD_KEY does not match the records: the newest audit event "
                                f"(#{len(FROZEN_CHAIN)}) does not verify with any configured key")
    assert "does not verify with any configured key" in audit.verify().problem


def test_a_signature_whose_key_is_not_configured_is_not_valid(settings, published):
    settings.RECORD_KEY = OLD_KEY
    post = published()
    signature = Signature.objects.get(revision__post=post)
    settings.RECORD_KEY = NEW_KEY

    assert not signing.is_valid(signature, signature.revision)
    assert signing.seal_problem(signature) == (
        f"signature #{signature.pk} was made with key {keyring.key_id(OLD_KEY.encode())}, "
        "which is not configured (RECORD_KEYS)")


def test_a_wrong_key_stops_the_scheduled_work(restored_under_a_wrong_key):
    events = AuditEvent.objects.count()

    with pytest.raises(CommandError, match="^RECORD_KEY does not match the records: "):
        call_command("workflow_tick")

    assert AuditEvent.objects.count() == events
