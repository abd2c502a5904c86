"""The keyed hash that seals signatures and links the audit chain.

A plain SHA-256 could be recomputed by anyone who can write to the database, so a
rewritten row with a recomputed hash would pass. An HMAC needs RECORD_KEY, which lives
in the environment of the app servers, not in the database.
"""

import hashlib
import json
from functools import lru_cache

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


_BLOCK = 64  # SHA-256's block size
_INNER_PAD = bytes(byte ^ 0x36 for byte in range(256))
_OUTER_PAD = bytes(byte ^ 0x5C for byte in range(256))


@lru_cache(maxsize=8)
def _keyed_states(key: bytes):
    """HMAC's two SHA-256 states after absorbing the padded key (RFC 2104), computed once per key.

    `hmac.digest` starts over from the key on every call; copying these states instead makes each
    keyed hash about three times cheaper, which is most of the cost of verifying a long audit trail.
    """
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    return hashlib.sha256(key.translate(_INNER_PAD)), hashlib.sha256(key.translate(_OUTER_PAD))


def keyed_hash(value, *, key: bytes | None = None) -> str:
    """HMAC-SHA256 of `value`'s canonical JSON; pass `key` (record_key()) when hashing many values in a row."""
    inner_state, outer_state = _keyed_states(key or record_key())
    inner = inner_state.copy()
    inner.update(canonical_json(value))
    outer = outer_state.copy()
    outer.update(inner.digest())
    return outer.hexdigest()
