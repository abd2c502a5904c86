"""Who may call the API (a bearer token, read or preview) and how often (a throttle per token)."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken
from api.tokens import token_for


class BearerTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer mrt_…`. The request's user stays anonymous; `request.auth` is the ApiToken."""

    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed('Send the token as "Authorization: Bearer <token>", with no spaces in it.')
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("This token is not valid.") from None
        token = token_for(key)
        if token is None:
            raise AuthenticationFailed("This token is not valid or has been revoked.")
        return AnonymousUser(), token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ReadsPublished(BasePermission):
    """Any live token reads what the public site shows."""

    message = "An API token is needed."

    def has_permission(self, request, view):
        return isinstance(request.auth, ApiToken)


class PreviewsDrafts(BasePermission):
    """Only a preview token reads what is not published."""

    message = "This token reads published articles only; drafts need a preview token."

    def has_permission(self, request, view):
        return isinstance(request.auth, ApiToken) and request.auth.previews_drafts


class TokenRateThrottle(SimpleRateThrottle):
    """API_RATE_LIMIT requests per token (or, without one, per address), counted in Django's default cache."""

    scope = "api"

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view):
        ident = f"token-{request.auth.pk}" if isinstance(request.auth, ApiToken) else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
