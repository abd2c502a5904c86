"""While the database refuses writes, a write is a 503 page that says nothing was saved; reading pages still work."""

import contextlib
import time
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.urls import reverse

from content.models import Post
from review.models import Comment
from review.states import State
from tests.factories import PASSWORD

WRITES = ("INSERT", "UPDATE", "DELETE")


@contextlib.contextmanager
def writes_refused():
    """What SQLite answers when its file is read-only, for every statement that writes."""

    def refuse(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(WRITES):
            raise OperationalError("attempt to write a readonly database")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


@contextlib.contextmanager
def read_only_postgresql():
    """Every transaction from now on is read-only, as on a standby or with default_transaction_read_only."""
    with connection.cursor() as cursor:
        cursor.execute("SET SESSION default_transaction_read_only = on")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION default_transaction_read_only = off")


def renewal_due():
    """Run the request as if the session was last renewed long ago."""
    later = time.time() + settings.SESSION_RENEW_AFTER + 5
    return mock.patch("config.middleware.time.time", return_value=later)


def assert_unavailable_page(response, typed=()):
    assert response.status_code == 503
    page = response.content.decode()
    assert "Nothing was saved" in page and "<h1>" in page  # a page of the site
    assert response["Retry-After"]
    for text in typed:  # given back, to copy
        assert f">{text}</textarea>" in page


def check_writes_are_503_and_reads_work(client, author, reviewer, post_in, refused):
    draft = post_in(State.DRAFT)
    in_review = post_in(State.IN_REVIEW)
    posts_before = Post.objects.count()
    client.force_login(author)
    client.get("/editor/")  # the session's first renewal is written while the database still takes writes

    with refused():
        response = client.post(reverse("editor:post_create"),
                               {"title": "Written offline", "summary": "", "body": "Every word kept.", "action": "save"})
        assert_unavailable_page(response, typed=["Written offline", "Every word kept."])

        with renewal_due():
            assert client.get("/editor/").status_code == 200  # renewing the session is skipped, not fatal
            assert client.get(reverse("editor:post", args=[draft.pk])).status_code == 200
        assert client.get("/blog/").status_code == 200
    assert Post.objects.count() == posts_before

    client.force_login(reviewer)
    client.get("/review/")
    with refused():
        response = client.post(reverse("review:comment", args=[in_review.pk]), {"body": "Check the dose."})
        assert_unavailable_page(response, typed=["Check the dose."])
        with renewal_due():
            assert client.get(reverse("review:post", args=[in_review.pk])).status_code == 200
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_writes_are_a_503_page_and_reading_pages_work_while_sqlite_refuses_writes(client, author, reviewer, post_in):
    check_writes_are_503_and_reads_work(client, author, reviewer, post_in, writes_refused)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_writes_are_a_503_page_and_reading_pages_work_on_a_read_only_postgresql(client, author, reviewer, post_in):
    check_writes_are_503_and_reads_work(client, author, reviewer, post_in, read_only_postgresql)


@pytest.mark.django_db
def test_a_database_that_is_down_gives_the_503_page_not_a_bare_error(client, author):
    client.force_login(author)

    def down(execute, sql, params, many, context):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    with connection.execute_wrapper(down):
        response = client.get("/editor/")

    assert_unavailable_page(response)


@pytest.mark.django_db
def test_an_anonymous_login_while_writes_are_refused_is_the_503_page(client, author):
    with writes_refused():
        response = client.post("/accounts/login/", {"username": "author", "password": PASSWORD})
    assert_unavailable_page(response, typed=["author"])
    assert PASSWORD not in response.content.decode()

