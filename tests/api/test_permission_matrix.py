"""Every API route against every kind of caller: no token, a read token, a preview token, a revoked one."""

import pytest
from django.urls import reverse

from api import urls as api_urls
from api.models import ApiToken
from review.states import State

CALLERS = ["none", "read", "preview", "revoked"]
PUBLISHED = {"none": 401, "read": 200, "preview": 200, "revoked": 401}
UNPUBLISHED = {"none": 401, "read": 403, "preview": 200, "revoked": 401}
DOCUMENTATION = {"none": 200, "read": 200, "preview": 200, "revoked": 401}
EXPECTED = {
    "articles": PUBLISHED,
    "article": PUBLISHED,
    "reviewers": PUBLISHED,
    "reviewer": PUBLISHED,
    "drafts": UNPUBLISHED,
    "draft": UNPUBLISHED,
    "schema": DOCUMENTATION,
    "docs": DOCUMENTATION,
}


def test_permission_matrix_covers_every_api_route():
    assert {pattern.name for pattern in api_urls.urlpatterns} == set(EXPECTED)


@pytest.fixture
def routes(post_in, reviewer):
    """Each route's address, with a published article and a reviewer to name."""
    post = post_in(State.PUBLISHED)
    slugs = {"article": post.slug, "draft": post.slug, "reviewer": reviewer.reviewer_profile.slug}
    return {name: reverse(f"api:{name}", args=[slugs[name]] if name in slugs else []) for name in EXPECTED}


@pytest.mark.parametrize("route", sorted(EXPECTED))
@pytest.mark.parametrize("caller", CALLERS)
def test_api_route_answers_each_caller_as_its_scope_allows(client, routes, make_token, route, caller):
    headers = {}
    if caller != "none":
        key = make_token(ApiToken.Scope.PREVIEW if caller == "preview" else ApiToken.Scope.READ,
                         revoked=caller == "revoked")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"

    response = client.get(routes[route], **headers)

    assert response.status_code == EXPECTED[route][caller]
    if response.status_code == 401:
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize("state", [State.DRAFT, State.IN_REVIEW, State.CHANGES_REQUESTED, State.APPROVED,
                                   State.SCHEDULED, State.ARCHIVED])
def test_api_unpublished_post_is_invisible_without_a_preview_token(api, post_in, preview_token, state):
    post = post_in(state, title="Unreviewed words about lasers")

    assert api(f"/api/v1/articles/{post.slug}/").status_code == 404
    assert api("/api/v1/articles/").json()["results"] == []
    assert api(f"/api/v1/drafts/{post.slug}/").status_code == 403
    expected = 404 if state == State.ARCHIVED else 200
    assert api(f"/api/v1/drafts/{post.slug}/", token=preview_token).status_code == expected


def test_api_token_sent_otherwise_than_as_bearer_is_refused(client, read_token, post_in):
    post_in(State.PUBLISHED)

    assert client.get("/api/v1/articles/", HTTP_AUTHORIZATION=f"Token {read_token}").status_code == 401
    assert client.get(f"/api/v1/articles/?token={read_token}").status_code == 401
    assert client.get("/api/v1/articles/", HTTP_AUTHORIZATION="Bearer mrt_not-a-real-token").status_code == 401
    assert client.get("/api/v1/articles/", HTTP_AUTHORIZATION="Bearer").status_code == 401
