"""Login lock-out (django-axes): by account and by address, a page saying when, audited, told, and liftable."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.db.models import F
from django.test import Client
from django.utils import timezone

from review.audit import verify
from review.models import AuditEvent
from tests.factories import PASSWORD, make_author

pytestmark = pytest.mark.django_db

LIMIT = 5


@pytest.fixture(autouse=True)
def lockout_settings(settings):
    assert settings.AXES_FAILURE_LIMIT == LIMIT and settings.AXES_COOLOFF_TIME == timedelta(minutes=15)


@pytest.fixture
def administrator(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@clinic.example", PASSWORD)


def log_in(client, username, password, *, address="203.0.113.7", path="/accounts/login/"):
    """The real login form, posted as a browser at `address` would."""
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client):
    return SESSION_KEY in client.session


def fail(client, username, times, **kwargs):
    return [log_in(client, username, "wrong-password", **kwargs).status_code for _ in range(times)]


def test_account_is_locked_after_the_limit_with_a_page_saying_when_to_try_again(client, author):
    assert fail(client, "author", LIMIT - 1) == [200] * (LIMIT - 1)  # the form again, "Please enter a correct…"
    before = timezone.now()

    response = log_in(client, "author", "wrong-password")

    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed logins for this account or from this address." in page
    until = timezone.localtime(before + timedelta(minutes=15))
    assert f"You can try again after {until:%H:%M} on {until.day} {until:%b %Y}" in page
    assert '<label for="id_password">Password</label>' in page and "<nav" in page  # the site's login page
    assert 14 * 60 < int(response["Retry-After"]) <= 15 * 60


def test_a_locked_account_refuses_even_the_right_password_until_the_cool_off_has_passed(client, author):
    fail(client, "author", LIMIT)

    response = log_in(client, "author", PASSWORD)
    assert response.status_code == 429 and not signed_in(client)

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=15, seconds=1))
    response = log_in(client, "author", PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_an_account_is_locked_whichever_addresses_the_guesses_come_from(client, author, other_author):
    for number in range(LIMIT):
        fail(client, "author", 1, address=f"198.51.100.{number}")

    assert log_in(Client(), "author", PASSWORD, address="192.0.2.99").status_code == 429
    assert log_in(Client(), "other-author", PASSWORD, address="192.0.2.99").status_code == 302


def test_an_address_is_locked_whichever_accounts_it_guesses(client, author):
    for number in range(LIMIT):
        fail(client, f"guess-{number}", 1, address="203.0.113.9")

    assert log_in(Client(), "author", PASSWORD, address="203.0.113.9").status_code == 429
    assert log_in(Client(), "author", PASSWORD, address="192.0.2.10").status_code == 302


def test_admin_login_is_locked_too(client, administrator):
    statuses = fail(client, "root", LIMIT, path="/admin/login/")
    assert statuses == [200] * (LIMIT - 1) + [429]
    assert log_in(client, "root", PASSWORD, path="/admin/login/").status_code == 429
    assert not signed_in(client)


def test_a_lockout_is_one_audit_event_with_account_address_and_end(client, author):
    fail(client, "author", LIMIT + 3)  # three more refused while locked

    events = list(AuditEvent.objects.filter(action__startswith="login_"))
    assert [event.action for event in events] == ["login_locked_out"]
    detail = events[0].detail
    assert (detail["username"], detail["unknown_account"], detail["address"], detail["failures"]) == (
        "author", False, "203.0.113.7", LIMIT)
    assert detail["path"] == "/accounts/login/" and detail["until"]
    assert events[0].actor_name == "system"
    assert verify().ok


def test_a_name_that_is_no_account_is_not_written_into_the_audit_trail(client):
    fail(client, "my-secret-password-typed-as-name", LIMIT)

    detail = AuditEvent.objects.get(action="login_locked_out").detail
    assert (detail["username"], detail["unknown_account"]) == ("", True)
    assert "my-secret" not in str(detail)


def test_a_lockout_emails_the_account_owner_and_the_administrators(client, author, administrator, mailoutbox,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        fail(client, "author", LIMIT + 2)

    assert sorted(tuple(message.to) for message in mailoutbox) == [(author.email,), ("root@clinic.example",)]
    to_owner = next(message for message in mailoutbox if message.to == [author.email])
    assert "were locked after 5 failed attempts, the last from the address 203.0.113.7" in to_owner.body
    assert "You can sign in again after" in to_owner.body
    to_admins = next(message for message in mailoutbox if message.to == ["root@clinic.example"])
    assert to_admins.subject == "Login lock-out: “author” from 203.0.113.7"
    assert "http://testserver/admin/axes/accessattempt/" in to_admins.body


def test_an_administrator_lifts_a_lockout_in_the_admin_and_it_is_audited(client, author, administrator):
    fail(client, "author", LIMIT)
    admin_client = Client()
    admin_client.force_login(administrator)
    changelist = admin_client.get("/admin/axes/accessattempt/")
    assert changelist.status_code == 200 and "Lift the lock-out" in changelist.content.decode()

    response = admin_client.post("/admin/axes/accessattempt/", {
        "action": "lift_lockout", "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
    })

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    lifted = AuditEvent.objects.get(action="login_lockout_lifted")
    assert lifted.actor_id == administrator.pk
    assert (lifted.detail["username"], lifted.detail["address"], lifted.detail["failures"]) == (
        "author", "203.0.113.7", LIMIT)
    assert log_in(client, "author", PASSWORD).status_code == 302 and signed_in(client)
    assert verify().ok


def test_deleting_failed_attempts_in_the_admin_is_audited_as_lifting(client, author, administrator):
    fail(client, "author", LIMIT)
    admin_client = Client()
    admin_client.force_login(administrator)
    attempt = AccessAttempt.objects.get()

    response = admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="login_lockout_lifted", actor_id=administrator.pk).count() == 1


def test_the_right_password_before_the_limit_signs_in(client):
    make_author("writer")
    fail(client, "writer", LIMIT - 1)
    assert log_in(client, "writer", PASSWORD).status_code == 302
