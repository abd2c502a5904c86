"""The keyed hash is standard HMAC-SHA256 over canonical JSON, whatever the key's length."""

import hashlib
import hmac

import pytest

from review.keyed_hash import canonical_json, keyed_hash

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
