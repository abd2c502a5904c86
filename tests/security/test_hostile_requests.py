"""Hostile requests that are not form fields: absurd numbers in the query, NUL bytes, foreign charsets."""

import pytest
from django.test import Client
from django.urls import reverse

from review.states import State

pytestmark = pytest.mark.django_db


# --- numbers no revision could have


@pytest.mark.parametrize("number", ["99999999999999999999999999", "-99999999999999999999999999", "7"])
def test_compare_with_a_revision_number_the_post_does_not_have_is_a_404(client, post_in, author, number):
    post = post_in(State.DRAFT)
    client.force_login(author)
    url = reverse("editor:post_diff", args=[post.pk])

    for query in ({"from": number, "to": 1}, {"from": 1, "to": number}):
        response = client.get(url, query)
        assert response.status_code == 404
        assert "Choose two revisions of this post to compare." in response.content.decode()


# --- NUL characters, which PostgreSQL cannot store or compare


NUL_REQUESTS = [
    ("get", "/editor/", {"q": "laser\x00"}),
    ("get", "/blog/", {"page": "\x00"}),
    ("post", "/accounts/login/", {"username": "author\x00", "password": "x"}),
]


@pytest.mark.parametrize(("method", "path", "data"), NUL_REQUESTS)
def test_a_parameter_with_a_nul_character_is_refused_with_a_400_page(client, author, method, path, data):
    client.force_login(author)
    response = getattr(client, method)(path, data)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert "<nav" in response.content.decode()  # a page of the site, not a bare text


def test_a_parameter_name_with_a_nul_character_is_refused(client, author):
    client.force_login(author)
    assert client.get("/editor/", {"q\x00": "x"}).status_code == 400


@pytest.mark.postgres
def test_editor_search_with_a_nul_character_is_a_400_on_postgresql(client, author):
    client.force_login(author)
    assert client.get("/editor/?q=%00").status_code == 400
    assert client.get("/editor/?q=laser").status_code == 200


# --- bodies in a charset other than UTF-8


def _form_post(charset, content_type="application/x-www-form-urlencoded"):
    """A login form sent as `charset` by a client that checks CSRF like a browser's session would."""
    browser = Client(enforce_csrf_checks=True)
    browser.get("/accounts/login/")
    token = browser.cookies["csrftoken"].value
    fields = {"csrfmiddlewaretoken": token, "username": "author", "password": "wrong"}
    if content_type.startswith("multipart"):
        body = "".join(f'--B\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
                       for name, value in fields.items()) + "--B--\r\n"
        content_type += "; boundary=B"
    else:
        body = "&".join(f"{name}={value}" for name, value in fields.items())
    encoded = body.encode("utf-16" if charset == "utf-16" else "latin-1")
    # generic() sends the bytes as they are; post() would re-encode them.
    return browser.generic("POST", "/accounts/login/", encoded, content_type=f"{content_type}; charset={charset}")


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "multipart/form-data"])
@pytest.mark.parametrize("charset", ["utf-16", "latin-1", "x-no-such-charset"])
def test_a_form_sent_in_another_charset_than_utf8_is_a_400_page(author, charset, content_type):
    response = _form_post(charset, content_type)
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()
    assert "<nav" in response.content.decode()


@pytest.mark.parametrize("charset", ["utf-8", "UTF8"])
def test_a_form_sent_as_utf8_is_read(author, charset):
    response = _form_post(charset)
    assert response.status_code == 200  # the login page again: wrong password
    assert "Please enter a correct username and password" in response.content.decode()
