"""The record keys: which HMAC keys seal signatures and link the audit chain, and the id each record names.

`RECORD_KEYS` lists the keys newest first (`RECORD_KEY` alone is a ring of one). New records are made
with the newest key and record its id; a record verifies with the key its id names, so a deployment
rotates by putting a new key in front and keeping the old ones behind it for as long as their records
must verify. A key's id is derived from the key itself (an HMAC of a fixed label), so it names the key
without revealing it, and a record made under another key is recognised as such instead of as altered.

Records written before key ids existed name no key (""): they verify with any configured key, the
oldest first, since they were all made with the one key there was then.
"""

import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings

ID_LABEL = b"medreview record key id"
LEGACY = ""


@dataclass(frozen=True)
class RecordKey:
    id: str
    secret: bytes


def key_id(secret: bytes) -> str:
    return hmac.new(secret, ID_LABEL, hashlib.sha256).hexdigest()[:16]


@lru_cache(maxsize=8)
def _ring(secrets: tuple[str, ...]) -> tuple[RecordKey, ...]:
    keys = []
    for text in secrets:
        secret = text.encode("utf-8")
        keys.append(RecordKey(key_id(secret), secret))
    return tuple(keys)


def ring() -> tuple[RecordKey, ...]:
    """The configured record keys, newest first."""
    return _ring(tuple(getattr(settings, "RECORD_KEYS", None) or [settings.RECORD_KEY]))


def newest() -> RecordKey:
    return ring()[0]


def newest_id() -> str:
    """The id new records carry (the default of their `key_id`)."""
    return newest().id


def configured_ids() -> list[str]:
    return [key.id for key in ring()]


def secrets_for(record_key_id: str) -> tuple[bytes, ...]:
    """The secrets a record naming `record_key_id` may have been made with: its key's, every key's for a record
    older than key ids (oldest first), none when its key is not configured."""
    keys = ring()
    if record_key_id == LEGACY:
        return tuple(key.secret for key in reversed(keys))
    return tuple(key.secret for key in keys if key.id == record_key_id)


def not_configured(record_key_id: str) -> str:
    """The sentence for a record whose key is not in the ring."""
    return f"made with key {record_key_id}, which is not configured (RECORD_KEYS)"
