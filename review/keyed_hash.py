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


def canonical_json(value) -> bytes:
    return _CANONICAL.encode(value).encode("utf-8")


def keyed_hash(value) -> str:
    return hmac.digest(settings.RECORD_KEY.encode("utf-8"), canonical_json(value), hashlib.sha256).hex()
