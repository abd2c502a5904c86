"""Sliding sessions that renew their expiry at most every few minutes, not on every request.

Renewing on every request (SESSION_SAVE_EVERY_REQUEST) is an UPDATE and a commit on every page a
signed-in user opens. Renewing once every SESSION_RENEW_AFTER seconds keeps the idle timeout
(SESSION_COOKIE_AGE) within that margin and leaves reading pages read-only.
"""

import time

from django.conf import settings

RENEWED_AT = "_renewed_at"


class SessionRenewalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session that exists and holds something (a signed-in user); an anonymous reader has none.
        if session is None or session.session_key is None or not session.keys():
            return response
        now = int(time.time())
        if now - session.get(RENEWED_AT, 0) >= settings.SESSION_RENEW_AFTER:
            session[RENEWED_AT] = now  # marks the session modified: SessionMiddleware saves it and resets the expiry
        return response
