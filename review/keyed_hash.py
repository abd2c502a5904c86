"""The keyed hash that seals signatures and links the audit chain.

A plain SHA-256 could be recomputed by anyone who can write to the database, so a
rewritten row with a recomputed hash would pass. An HMAC needs RECORD_KEY, which lives
in the environment of the app servers, not in the database.
"""

import hashlib
import hmac
import json

from django.conf import settings


def canonical_json(value) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def keyed_hash(value) -> str:
    return hmac.new(settings.RECORD_KEY.encode("utf-8"), canonical_json(value), hashlib.sha256).hexdigest()
