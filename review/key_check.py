"""Whether the configured record keys can verify the newest records: asked by a system check, by the
guard that refuses writes (review.middleware) and by the scheduled work.

A database restored under another key would otherwise run on: articles would vanish from the site
(their seals no longer verify), and every new record would be sealed with the wrong key, so that
afterwards the trail verifies under neither key.
"""

import logging

from django.core.signals import setting_changed

from review import audit, keyring, signing
from review.models import Signature

logger = logging.getLogger(__name__)

# Rings of key ids found to match the records in this process; a matching ring keeps matching, since
# every record it writes is made with its newest key.
_matching: set[tuple[str, ...]] = set()


def newest_signature_problem() -> str:
    """Why the configured keys cannot verify the newest signature's seal, or "".

    A signature whose key is configured but whose seal fails was altered: the public site and the
    audit pack report that; it says nothing about the keys.
    """
    signature = Signature.objects.order_by("-signed_at", "-pk").first()
    if signature is None:
        return ""
    if signature.key_id == keyring.LEGACY:
        # Made before signatures named their key: only the seal can tell.
        return "" if signing.seal_matches(signature) else (
            f"the newest signature (#{signature.pk}) does not verify with any configured key")
    if not keyring.secrets_for(signature.key_id):
        return f"the newest signature (#{signature.pk}) was {keyring.not_configured(signature.key_id)}"
    return ""


def problem() -> str:
    """The sentence that explains why records cannot be written now, or ""."""
    ring = tuple(keyring.configured_ids())
    if ring in _matching:
        return ""
    found = audit.newest_event_problem(key_only=True) or newest_signature_problem()
    if found:
        sentence = (f"RECORD_KEY does not match the records: {found}. Writing is refused so that no record is "
                    f"sealed with the wrong key; configure the key that made them (RECORD_KEYS, newest first).")
        logger.error(sentence)
        return sentence
    if Signature.objects.exists() or audit.AuditEvent.objects.exists():
        _matching.add(ring)
    return ""


def forget(*, setting, **kwargs):
    if setting in ("RECORD_KEY", "RECORD_KEYS"):
        _matching.clear()


setting_changed.connect(forget, dispatch_uid="review.key_check.forget")
