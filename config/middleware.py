"""Middleware of our own: session lifetime, and refusing unreadable input.

Sessions slide: they renew their expiry at most every few minutes, not on every request. Renewing on
every request (SESSION_SAVE_EVERY_REQUEST) is an UPDATE and a commit on every page a signed-in user
opens. Renewing once every SESSION_RENEW_AFTER seconds keeps the idle timeout (SESSION_COOKIE_AGE)
within that margin and leaves reading pages read-only. On top of that, a session ends for good
SESSION_ABSOLUTE_AGE seconds after signing in, however active the user.
"""

import codecs
import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.shortcuts import render

RENEWED_AT = "_renewed_at"
SIGNED_IN_AT = "_signed_in_at"


class SessionRenewalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        signed_in_at = session.get(SIGNED_IN_AT)
        if signed_in_at is not None and time.time() - signed_in_at > settings.SESSION_ABSOLUTE_AGE:
            logout(request)  # empties the session: the user signs in again
        response = self.get_response(request)
        # Only a session that exists and holds something (a signed-in user); an anonymous reader has none.
        if session.session_key is None or not session.keys():
            return response
        now = int(time.time())
        if SESSION_KEY in session and SIGNED_IN_AT not in session:
            # Signing in empties or renews the session (django.contrib.auth.login): this is its first response.
            session[SIGNED_IN_AT] = now
        if now - session.get(RENEWED_AT, 0) >= settings.SESSION_RENEW_AFTER:
            session[RENEWED_AT] = now  # marks the session modified: SessionMiddleware saves it and resets the expiry
        return response


class RequestInputMiddleware:
    """Refuses, with a 400 page, input that no page of the site can read.

    - A body in another charset than UTF-8: Django refuses it only once something reads the form, and
      then again in its own error page, which ends as a bare 500. Every form of ours is UTF-8.
    - A NUL character in any GET or POST parameter: PostgreSQL can neither store nor compare it, so a
      search for it was a 500; no field of ours accepts one.

    It runs after the authentication middleware (the page shows who is signed in) and before the CSRF
    middleware, the first to read a form.
    """

    FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        charset = request.content_params.get("charset")
        if charset is not None:
            if _codec_name(charset) != "utf-8":
                return bad_request(request, f"This form was sent as “{charset[:40]}”; forms here are read as UTF-8 only.")
            request.encoding = "utf-8"  # "UTF8" and "utf_8" too, which Django's form parser would refuse
        parameters = [request.GET]
        if request.method == "POST" and request.content_type in self.FORM_TYPES:
            parameters.append(request.POST)
        if any("\x00" in name or any("\x00" in value for value in values)
               for found in parameters for name, values in found.lists()):
            return bad_request(request, "It contained a NUL character, which no field accepts.")
        return self.get_response(request)


def _codec_name(charset: str) -> str | None:
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return None


def bad_request(request, problem: str):
    return render(request, "400.html", {"problem": problem}, status=400)
