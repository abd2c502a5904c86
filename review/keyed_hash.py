"""The keyed hash that seals signatures and links the audit chain: HMAC-SHA256 over canonical JSON.

A plain SHA-256 could be recomputed by anyone who can write to the database, so a
rewritten row with a recomputed hash would pass. An HMAC needs a record key, which lives
in the environment of the app servers, not in the database (review.keyring).
"""

import hashlib
import hmac
import json
from functools import lru_cache

from review import keyring

# Keys sorted, no spaces, UTF-8 as is: the same value always gives the same bytes. One encoder
# serves every call; json.dumps with these options would build a new one each time.
CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_json(value) -> bytes:
    return CANONICAL.encode(value).encode("utf-8")


def record_key() -> bytes:
    """The newest record key's secret: what new records are made with."""
    return keyring.newest().secret


@lru_cache(maxsize=8)
def keyed_state(key: bytes) -> hmac.HMAC:
    """An HMAC that has absorbed `key`; each hash copies it instead of starting over from the key."""
    return hmac.new(key, digestmod=hashlib.sha256)


def keyed_hash(value, *, key: bytes | None = None) -> str:
    """HMAC-SHA256 of `value`'s canonical JSON; pass `key` (record_key()) when hashing many values in a row."""
    mac = keyed_state(key or record_key()).copy()
    mac.update(canonical_json(value))
    return mac.hexdigest()


def matches(value, stored: str, record_key_id: str) -> bool:
    """Whether `stored` is the keyed hash of `value` under the key `record_key_id` names (see keyring.secrets_for)."""
    return any(hmac.compare_digest(keyed_hash(value, key=secret), stored)
               for secret in keyring.secrets_for(record_key_id))
