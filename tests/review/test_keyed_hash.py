"""The keyed hash is standard HMAC-SHA256 over canonical JSON, whatever the key's length, and gives the
same bytes as the hand-written HMAC it replaced: seals and chains written before still verify."""

import hashlib
import hmac
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model

from content.models import Post
from review import audit, signing
from review.keyed_hash import canonical_json, keyed_hash
from review.models import AuditEvent, AuditHead

VALUES = [[1, "2026-11-23T10:00:00+00:00", None, "Dr. Tan", {"b": 1, "a": "ü"}], "plain", {"k": [1, 2.5]}]


@pytest.mark.parametrize("key", [b"k", b"x" * 63, b"x" * 64, b"x" * 65, "schlüssel-🔑".encode() * 20])
@pytest.mark.parametrize("value", VALUES)
def test_keyed_hash_is_hmac_sha256_of_the_canonical_json(key, value):
    expected = hmac.new(key, canonical_json(value), hashlib.sha256).hexdigest()

    assert keyed_hash(value, key=key) == expected


def test_keyed_hash_differs_with_the_key():
    assert keyed_hash(VALUES[0], key=b"one key") != keyed_hash(VALUES[0], key=b"another key")


def test_keyed_hash_uses_the_record_key_by_default(settings):
    settings.RECORD_KEY = "the-record-key"

    assert keyed_hash(VALUES[0]) == hmac.new(b"the-record-key", canonical_json(VALUES[0]), hashlib.sha256).hexdigest()


# Written by the implementation before this one (its own RFC 2104 padding and CPython's C JSON encoder),
# on 30 Nov 2026, and frozen here: the same values must keep giving the same hashes.
FROZEN_KEY = "frozen-fixture-record-key"
FROZEN_VALUE = [1, "ü", None, {"b": 1, "a": 2}]
FROZEN_HASHES = {
    b"test-only-secret-key": "eb4cf3f588384e4a9b67cfa07d35919101c82e80fb8bf04c8fa57879b8897065",
    b"long-key-" * 12: "d2d6d332a137454d1721ab9ad866799a6a3eb8c965994dfe49f180bbc9bba170",  # longer than a block
}
FROZEN_SIGNATURES = [
    ("Dr. Ian Tan", {"checklist": ["Claims are accurate and current"]},
     datetime(2026, 11, 23, 2, 0, 5, 123456, tzinfo=UTC),
     "1881c5c9277ad670f6ee2213d23a109d9589b1162b19051c3379724bdf68fc13"),
    ("Dr. Goh Mei Lin", {"claims": {"findings_acknowledged": ["body:warn:12:20"], "justifications_seen": []},
                         "note": "Ümlaut – “quotes” 🔬"},
     datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
     "c1ea6c32da02845f8272b4bcbbb50b53937437fab5b001e217abf8dfa321744e"),
    ("A/Prof. Zoë Ng", {}, datetime(2025, 12, 31, 23, 59, 59, 500000, tzinfo=UTC),
     "38ec275a255d1b347dc6304c0d917432e1b0ce6ca014a2b2a2545366199debcd"),
]
# seq is the position; (created_at, actor_id, actor_name, action, post_id, from, to, revision_hash, detail, hash)
FROZEN_CHAIN = [
    (datetime(2026, 11, 23, 22, 0, 5, tzinfo=UTC), None, "system", "note", None, "", "", "", {},
     "94941262117f3bc74aa61bdcb721d3135fd0c78520b64705eb93a72f41843609"),
    (datetime(2026, 11, 23, 22, 0, 5, 100, tzinfo=UTC), 3, "Dr. Ian Tan", "comment", 7, "in_review", "in_review",
     "a" * 64, {"comment_id": 4}, "eed2e7b8bfda8bd1852db78fd3d4a8b8d90f55ceee3ec4083fd37323f02248df"),
    (datetime(2026, 11, 23, 22, 0, 6, 500000, tzinfo=UTC), 4, "Zoë “Publisher” 🔑", "publish", 7, "approved",
     "published", "b" * 64, {"nested": {"z": [1, 2.5, None, True], "a": "ü"}},
     "01994ea9245196bc5accbcac28aae9148d87b631d297497bac3e530c6f72ca0d"),
    (datetime(2026, 11, 24, 1, 2, 3, 123456, tzinfo=UTC), None, "system", "rereview_due", 7, "published",
     "published", "b" * 64, {"due": "2027-11-24"}, "bc5e619f71187db659f43d99cc3e4189b09b7a04fabc55799fd925c8a53328c2"),
]


@pytest.mark.parametrize("key, expected", FROZEN_HASHES.items())
def test_keyed_hash_gives_the_hashes_written_before(key, expected):
    assert keyed_hash(FROZEN_VALUE, key=key) == expected


@pytest.mark.parametrize("number, name, details, signed_at, expected", [(n, *s) for n, s in enumerate(FROZEN_SIGNATURES, 1)])
def test_signature_seals_written_before_still_match(settings, number, name, details, signed_at, expected):
    settings.RECORD_KEY = FROZEN_KEY

    sealed = signing.seal(
        revision_id=number, revision_hash=f"{number:064x}", signer_id=10 + number, printed_name=name,
        credentials="MBBS (Singapore), MRCP (UK)", registration_number=f"M{number}0000A", meaning="medical",
        signed_at=signed_at, statement=signing.ATTESTATION, details=details,
    )

    assert sealed == expected


def store_frozen_chain(*, key_id: str | None = None):
    """The frozen chain as rows; `key_id` "" stores it as written before events named their key."""
    # The hashes cover the ids of actors 3 and 4 and of post 7.
    users = {pk: get_user_model().objects.create(pk=pk, username=f"frozen-{pk}") for pk in (3, 4)}
    Post.objects.create(pk=7, slug="frozen", author=users[3])
    prev = audit.GENESIS
    for seq, (created_at, actor_id, actor_name, action, post_id, from_state, to_state, revision_hash, detail,
              stored) in enumerate(FROZEN_CHAIN, 1):
        AuditEvent.objects.create(
            seq=seq, created_at=created_at, actor_id=actor_id, actor_name=actor_name, action=action, post_id=post_id,
            from_state=from_state, to_state=to_state, revision_hash=revision_hash, detail=detail, prev_hash=prev,
            hash=stored, **({} if key_id is None else {"key_id": key_id}))
        prev = stored
    AuditHead.objects.create(pk=1, seq=len(FROZEN_CHAIN), hash=prev)


def test_an_audit_chain_written_before_still_verifies(db, settings):
    settings.RECORD_KEY = FROZEN_KEY
    store_frozen_chain()

    result = audit.verify()

    assert (result.ok, result.count, result.problem) == (True, len(FROZEN_CHAIN), "")


def test_an_audit_chain_written_before_key_ids_still_verifies(db, settings):
    settings.RECORD_KEY = FROZEN_KEY
    store_frozen_chain(key_id="")

    result = audit.verify()

    assert (result.ok, result.count, result.problem) == (True, len(FROZEN_CHAIN), "")
