"""Making, finding and revoking API tokens. A token is shown once, when it is made; the database keeps its hash."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from api.models import ApiToken

TOKEN_PREFIX = "mrt_"
# Using a token records when, at most this often, so reading the API does not write on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_of(key: str) -> str:
    # The token is 256 random bits: a plain SHA-256 cannot be reversed by guessing, unlike a password's.
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_issue(*, name: str, scope: str, created_by=None) -> tuple[ApiToken, str]:
    """A new token: its row and the token itself, which nobody can see again."""
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(name=name, scope=scope, prefix=key[:12], key_hash=hash_of(key),
                                    created_by=created_by)
    return token, key


def token_revoke(token: ApiToken) -> None:
    """From now on the token answers 401. Kept, not deleted, so the admin shows who had access and until when."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def token_for(key: str) -> ApiToken | None:
    """The live token `key` is, or None if it is unknown or revoked."""
    if not key.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.filter(key_hash=hash_of(key), revoked_at__isnull=True).first()
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
    return token
