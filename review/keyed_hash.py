"""The keyed hash that seals signatures and links the audit chain.

A plain SHA-256 could be recomputed by anyone who can write to the database, so a
rewritten row with a recomputed hash would pass. An HMAC needs RECORD_KEY, which lives
in the environment of the app servers, not in the database.
"""

import hashlib
import hmac
import json

from django.conf import settings


# One encoder for every call: json.dumps with these options would build a new one each time,
# which dominates verifying a long audit trail.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
# JSONEncoder.encode still builds its C encoder on every call; build it once, with exactly the arguments
# `encode` would pass it (no circular check: what we hash is plain data, never self-referencing).
_C_ENCODER = (
    json.encoder.c_make_encoder(None, _CANONICAL.default, json.encoder.encode_basestring, None, ":", ",",
                                True, False, True)
    if json.encoder.c_make_encoder is not None else None
)


def canonical_json(value) -> bytes:
    if _C_ENCODER is None or isinstance(value, str):
        return _CANONICAL.encode(value).encode("utf-8")
    return "".join(_C_ENCODER(value, 0)).encode("utf-8")


def record_key() -> bytes:
    return settings.RECORD_KEY.encode("utf-8")


def keyed_hash(value, *, key: bytes | None = None) -> str:
    """HMAC-SHA256 of `value`'s canonical JSON; pass `key` (record_key()) when hashing many values in a row."""
    return hmac.digest(key or record_key(), canonical_json(value), hashlib.sha256).hex()
