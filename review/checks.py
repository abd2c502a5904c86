"""System checks of the review app: the record keys must match the records (review.key_check), and a
production server needs its attestation key (review.public_signing)."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from review import key_check


@register(Tags.database)
def record_keys_match_the_records(app_configs=None, databases=None, **kwargs):
    """Run by `migrate` and `check --database default`: those are given the databases to query."""
    if not databases or "default" not in databases:
        return []
    try:
        problem = key_check.problem()
    except DatabaseError:
        return []  # not migrated yet: there are no records to match
    return [Error(problem, id="review.E001")] if problem else []


@register(Tags.security, deploy=True)
def attestation_key_exists(app_configs=None, **kwargs):
    path = Path(settings.ATTESTATION_KEY_FILE)
    if path.is_file():
        return []
    return [Error(
        f"ATTESTATION_KEY_FILE ({path}) does not exist, so no review attestation or audit checkpoint can be signed.",
        hint="Create one with `openssl genpkey -algorithm ed25519 -out FILE` (README: Keys) and set ATTESTATION_KEY_FILE.",
        id="review.E002",
    )]
