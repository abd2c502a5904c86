"""Signed-in sessions slide: each use renews the idle timeout, but at most once per SESSION_RENEW_AFTER."""

from datetime import timedelta
from unittest import mock

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_author


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def _at(moment):
    """Run the request at `moment`, for both the renewal clock and the session store."""
    patches = (mock.patch("django.utils.timezone.now", return_value=moment),
               mock.patch("config.middleware.time.time", return_value=moment.timestamp()))
    for patch in patches:
        patch.start()
    return patches


def _get_at(client, moment, url="/editor/"):
    patches = _at(moment)
    try:
        return client.get(url)
    finally:
        for patch in patches:
            patch.stop()


def test_session_reading_pages_does_not_write_the_session_every_time(client, db):
    client.force_login(make_author("writer"))
    client.get("/editor/")  # the first page after signing in renews it

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/editor/")

    assert response.status_code == 200
    assert not [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]


def test_session_is_renewed_once_the_renewal_interval_has_passed(client, db):
    client.force_login(make_author("writer"))
    start = timezone.now()
    _get_at(client, start)
    first = _expiry(client)

    _get_at(client, start + timedelta(seconds=settings.SESSION_RENEW_AFTER - 5))
    assert _expiry(client) == first  # within the interval: not written

    later = start + timedelta(seconds=settings.SESSION_RENEW_AFTER + 1)
    _get_at(client, later)
    assert _expiry(client) == later + timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_session_of_an_active_user_outlives_the_cookie_age(client, db):
    client.force_login(make_author("writer"))
    start = timezone.now()
    age = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    for step in range(3):  # a request a minute before each expiry keeps the user signed in
        response = _get_at(client, start + step * (age - timedelta(minutes=1)))
        assert response.status_code == 200, f"signed out at step {step}"


def test_session_idle_longer_than_the_cookie_age_signs_the_user_out(client, db):
    client.force_login(make_author("writer"))
    start = timezone.now()
    _get_at(client, start)

    response = _get_at(client, start + timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_session_ends_at_its_absolute_age_however_active_the_user(client, db, settings):
    assert settings.SESSION_ABSOLUTE_AGE == 24 * 3600
    client.force_login(make_author("writer"))
    start = timezone.now()
    hour = timedelta(hours=1)
    for step in range(24):  # a page every hour keeps the idle timeout from ever running out
        response = _get_at(client, start + step * hour)
        assert response.status_code == 200, f"signed out after {step} hours"

    response = _get_at(client, start + 24 * hour + timedelta(seconds=1))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert _get_at(client, start + 24 * hour + timedelta(seconds=2)).status_code == 302  # for good


def test_session_absolute_age_is_counted_from_signing_in_again(client, db, settings):
    settings.SESSION_ABSOLUTE_AGE = 3600
    user = make_author("writer")
    client.force_login(user)
    start = timezone.now()
    _get_at(client, start)
    assert _get_at(client, start + timedelta(seconds=3601)).status_code == 302

    patches = _at(start + timedelta(seconds=3700))
    try:
        client.force_login(user)
    finally:
        for patch in patches:
            patch.stop()
    _get_at(client, start + timedelta(seconds=3700))
    assert _get_at(client, start + timedelta(seconds=3700 + 3500)).status_code == 200
