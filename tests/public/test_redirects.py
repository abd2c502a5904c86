"""Moved addresses answer 301 to the page's address now, never through a chain or a loop."""

import pytest
from django.urls import reverse

from public.redirects import moved_to, record_move
from review.states import State
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(db):
    author, reviewer, publisher = factories.make_author(), factories.make_reviewer(), factories.make_publisher()
    return factories.make_post(author=author, reviewer=reviewer, publisher=publisher, state=State.PUBLISHED,
                               slug="after-laser")


def test_moved_address_answers_301_to_the_article(client, article):
    record_move(old_path="/blog/old-name/", new_path=reverse("public:article", args=[article.slug]))

    response = client.get("/blog/old-name/")

    assert response.status_code == 301
    assert response["Location"] == "/blog/after-laser/"
    assert client.get(response["Location"]).status_code == 200


def test_moved_twice_leads_straight_to_the_newest_address(client):
    record_move(old_path="/blog/first/", new_path="/blog/second/")
    record_move(old_path="/blog/second/", new_path="/blog/third/")

    assert moved_to("/blog/first/") == "/blog/third/"
    assert client.get("/blog/first/")["Location"] == "/blog/third/"


def test_moving_back_leaves_no_loop(client):
    record_move(old_path="/blog/a/", new_path="/blog/b/")
    record_move(old_path="/blog/b/", new_path="/blog/a/")

    assert moved_to("/blog/a/") is None
    assert moved_to("/blog/b/") == "/blog/a/"


def test_address_that_never_moved_stays_404(client):
    assert client.get("/blog/never-was/").status_code == 404


def test_old_address_with_a_query_answers_301(client, article):
    record_move(old_path="/2019/05/acne/?utm=x", new_path="/blog/after-laser/")
    record_move(old_path="/2019/06/laser/", new_path="/blog/after-laser/")

    assert client.get("/2019/05/acne/?utm=x")["Location"] == "/blog/after-laser/"
    assert client.get("/2019/06/laser/?fbclid=1")["Location"] == "/blog/after-laser/"


def test_posting_to_an_old_address_is_not_redirected(client):
    record_move(old_path="/blog/a/", new_path="/blog/b/")

    assert client.post("/blog/a/").status_code in (403, 404, 405)
