"""Signing in lands each role on its own home; errors are pages of the site; signed-in pages are never cached."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from config.middleware import HOME_COOKIE
from review import roles
from review.states import State
from tests import factories


def log_in(client, user, **extra):
    return client.post(reverse("login"), {"username": user.username, "password": factories.PASSWORD}, **extra)


@pytest.mark.django_db
@pytest.mark.parametrize(("make", "home"), [
    (factories.make_reviewer, "/review/"),
    (factories.make_author, "/editor/"),
    (factories.make_publisher, "/editor/"),
])
def test_login_lands_each_role_on_its_home(make, home):
    response = log_in(Client(), make("someone"))
    assert response.status_code == 302 and response["Location"] == home


def test_login_with_several_roles_lands_where_they_worked_last(client, author_reviewer):
    assert log_in(client, author_reviewer)["Location"] == "/review/"  # never chosen: the queue first
    assert client.get("/editor/").cookies[HOME_COOKIE].value == "editor"
    client.post(reverse("logout"))
    assert log_in(client, author_reviewer)["Location"] == "/editor/"


def test_login_honours_next(client, reviewer):
    response = client.post(reverse("login") + "?next=/blog/", {"username": "reviewer", "password": factories.PASSWORD,
                                                               "next": "/blog/"})
    assert response["Location"] == "/blog/"


def test_reviewer_without_a_profile_is_told_what_is_missing(client, db):
    doctor = factories.user_with_roles(roles.REVIEWER, username="newdoc")
    assert log_in(client, doctor)["Location"] == "/review/"
    response = client.get("/review/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "no active reviewer profile yet" in text and "Ask an administrator" in text
    assert 'aria-label="Main"' in text and "Log out" in text  # a page of the site, with its navigation


def test_forbidden_page_says_why_with_navigation(client, author):
    client.force_login(author)
    response = client.get("/review/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "The review queue is for medical reviewers" in text and 'href="/editor/"' in text


def test_missing_page_is_a_page_of_the_site(client, author):
    client.force_login(author)
    response = client.get("/review/posts/999999/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "There is nothing at this address" in text and 'href="/editor/"' in text


def test_server_error_is_a_page_of_the_site(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    from config import views

    response = views.server_error(None)
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content and b'aria-label="Main"' in response.content


def test_signed_in_pages_are_never_stored(client, reviewer, post_in):
    post = post_in(State.IN_REVIEW)
    client.force_login(reviewer)
    for path in ("/review/", f"/review/posts/{post.pk}/", "/blog/"):
        assert "no-store" in client.get(path)["Cache-Control"], path


def test_public_pages_for_readers_stay_cacheable(client, post_in):
    post_in(State.PUBLISHED)
    assert "no-store" not in client.get("/blog/").get("Cache-Control", "")


def test_site_icon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".svg")
    assert b'rel="icon"' in client.get("/accounts/login/").content


def test_forgot_password_mails_a_link_to_the_site_address(client, author, settings):
    settings.SITE_URL = "https://clinic.example"
    assert b"Forgot password?" in client.get(reverse("login")).content
    response = client.post(reverse("password_reset"), {"email": author.email}, HTTP_HOST="testserver:8123")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if line.startswith("https://"))
    assert link.startswith("https://clinic.example/accounts/reset/")
    page = client.get(link.removeprefix("https://clinic.example"), follow=True)
    assert b"Choose a new password" in page.content
