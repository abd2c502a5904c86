"""The keyed hash that seals signatures and links the audit chain: HMAC-SHA256 over canonical JSON.

A plain SHA-256 could be recomputed by anyone who can write to the database, so a
rewritten row with a recomputed hash would pass. An HMAC needs RECORD_KEY, which lives
in the environment of the app servers, not in the database.
"""

import hashlib
import hmac
import json
from functools import lru_cache

from django.conf import settings

# Keys sorted, no spaces, UTF-8 as is: the same value always gives the same bytes. One encoder
# serves every call; json.dumps with these options would build a new one each time.
CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_json(value) -> bytes:
    return CANONICAL.encode(value).encode("utf-8")


def record_key() -> bytes:
    return settings.RECORD_KEY.encode("utf-8")


@lru_cache(maxsize=8)
def keyed_state(key: bytes) -> hmac.HMAC:
    """An HMAC that has absorbed `key`; each hash copies it instead of starting over from the key."""
    return hmac.new(key, digestmod=hashlib.sha256)


def keyed_hash(value, *, key: bytes | None = None) -> str:
    """HMAC-SHA256 of `value`'s canonical JSON; pass `key` (record_key()) when hashing many values in a row."""
    mac = keyed_state(key or record_key()).copy()
    mac.update(canonical_json(value))
    return mac.hexdigest()
