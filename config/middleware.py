"""Middleware of our own: session lifetime, refusing unreadable input, a 503 page when the database fails, signed-in
pages kept out of the browser's cache, and remembering which home (editor or queue) a user opened last.

Sessions slide: they renew their expiry at most every few minutes, not on every request. Renewing on
every request (SESSION_SAVE_EVERY_REQUEST) is an UPDATE and a commit on every page a signed-in user
opens. Renewing once every SESSION_RENEW_AFTER seconds keeps the idle timeout (SESSION_COOKIE_AGE)
within that margin and leaves reading pages read-only. On top of that, a session ends for good
SESSION_ABSOLUTE_AGE seconds after signing in, however active the user.
"""

import codecs
import logging
import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.sessions.backends.base import UpdateError
from django.db import DatabaseError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

RENEWED_AT = "_renewed_at"
SIGNED_IN_AT = "_signed_in_at"


class SessionRenewalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        try:  # the first to read the session, outside any view
            signed_in_at = session.get(SIGNED_IN_AT)
            if signed_in_at is not None and time.time() - signed_in_at > settings.SESSION_ABSOLUTE_AGE:
                logout(request)  # empties the session: the user signs in again
        except DatabaseError as exc:
            if not database_unavailable(exc):
                raise
            return database_unavailable_response(exc, request)
        response = self.get_response(request)
        # Only a session that exists and holds something (a signed-in user); an anonymous reader has none.
        if session.session_key is None or not session.keys():
            return response
        untouched = not session.modified
        now = int(time.time())
        if SESSION_KEY in session and SIGNED_IN_AT not in session:
            # Signing in empties or renews the session (django.contrib.auth.login): this is its first response.
            session[SIGNED_IN_AT] = now
        if now - session.get(RENEWED_AT, 0) >= settings.SESSION_RENEW_AFTER:
            session[RENEWED_AT] = now  # marks the session modified: SessionMiddleware saves it and resets the expiry
        if untouched and session.modified and response.status_code < 500:
            # Only our bookkeeping changed. Write it now, where a database that refuses writes costs the
            # renewal and not the page (SessionMiddleware would answer 400); SessionMiddleware then writes
            # it once more as it sets the renewed cookie.
            try:
                session.save()
            except UpdateError:
                session.modified = False
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


# PostgreSQL's read_only_sql_transaction: a standby, or default_transaction_read_only. Psycopg raises it as
# an InternalError, Django as its own, caused by psycopg's (which carries the SQLSTATE).
READ_ONLY_SQLSTATE = "25006"
RETRY_AFTER_SECONDS = 60


def database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` says the database is down, unreachable, busy or refusing writes, not that a query is wrong."""
    if isinstance(exc, OperationalError):
        return True
    return isinstance(exc, DatabaseError) and getattr(exc.__cause__, "sqlstate", None) == READ_ONLY_SQLSTATE


# Form fields that carry no typed text (the page's own bookkeeping), left off the 503 page's copy.
NOT_TYPED = {"action", "next", "expected_state", "expected_revision", "base_revision", "exact", "prefix", "suffix",
             "start", "end", "attest", "checklist", "acknowledged", "reviewer", "hero"}


def typed_text(request) -> list[tuple[str, str]]:
    """What the user typed into the form they sent, so that the 503 page can give it back."""
    if request is None or request.method != "POST" or request.content_type not in RequestInputMiddleware.FORM_TYPES:
        return []
    return [(name, value) for name, value in request.POST.items()
            if value.strip() and name not in NOT_TYPED and "password" not in name and not name.startswith("csrf")]


def database_unavailable_response(exc: BaseException, request=None) -> HttpResponse:
    """The 503 page, rendered without the request: its context (user, messages) would ask the database."""
    logger.error("Database unavailable: %s", exc, exc_info=exc)
    response = HttpResponse(render_to_string("503.html", {"sent": typed_text(request)}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """A database that is down or refuses writes gives a 503 page that says nothing was saved, not a bare 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if database_unavailable(exception):
            return database_unavailable_response(exception, request)
        return None


class SignedInNoStoreMiddleware:
    """Pages shown to a signed-in user are never kept by the browser: Back after signing must ask the server
    again, not show "Nobody has signed this version yet" from the cache, and a shared computer must not keep
    drafts or the review queue. Django's own never-cache headers, which include `no-store`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


# Which home a user with several roles opened last, remembered in the browser for the next login.
HOME_COOKIE = "medreview_home"
HOME_COOKIE_AGE = 365 * 24 * 3600


class LastHomeMiddleware:
    """Remember whether the editor or the review queue was used last (review.accounts.home_for reads it)."""

    HOMES = {"/editor/": "editor", "/review/": "review"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.method != "GET" or response.status_code != 200 or user is None or not user.is_authenticated:
            return response
        home = next((name for prefix, name in self.HOMES.items() if request.path.startswith(prefix)), None)
        if home and request.COOKIES.get(HOME_COOKIE) != home:
            response.set_cookie(HOME_COOKIE, home, max_age=HOME_COOKIE_AGE, samesite="Lax", httponly=True,
                                secure=settings.SESSION_COOKIE_SECURE)
        return response
