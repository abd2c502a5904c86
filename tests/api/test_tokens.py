"""API tokens: made in the admin and shown once, stored as a hash, revoked at once, and rate-limited."""

import re

import pytest
from django.contrib.messages import get_messages

from api.models import ApiToken
from api.tokens import hash_of
from review.states import State


def test_api_token_made_in_the_admin_is_shown_once_and_stored_as_a_hash(admin_client, client, post_in):
    post_in(State.PUBLISHED)

    response = admin_client.post("/admin/api/apitoken/add/", {"name": "Clinic website", "scope": "read"}, follow=True)

    shown = " ".join(str(m) for m in get_messages(response.wsgi_request)) or response.content.decode()
    key = re.search(r"mrt_[A-Za-z0-9_-]{43}", shown)[0]
    token = ApiToken.objects.get()
    assert token.key_hash == hash_of(key) and key not in {token.prefix, token.key_hash, token.name}
    assert token.prefix == key[:12]
    assert client.get("/api/v1/articles/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    page = admin_client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    assert key not in page
    assert token.last_used_at is None and ApiToken.objects.get().last_used_at is not None


def test_api_token_revoked_in_the_admin_stops_working_at_once(admin_client, client, read_token):
    assert client.get("/api/v1/reviewers/", HTTP_AUTHORIZATION=f"Bearer {read_token}").status_code == 200
    token = ApiToken.objects.get()

    admin_client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})

    response = client.get("/api/v1/reviewers/", HTTP_AUTHORIZATION=f"Bearer {read_token}")
    assert response.status_code == 401
    assert response.json() == {"detail": "This token is not valid or has been revoked."}
    assert ApiToken.objects.get().revoked_at is not None  # kept, as a record of who had access


def test_api_token_scope_cannot_be_widened_after_it_is_made(admin_client, read_token):
    token = ApiToken.objects.get()

    admin_client.post(f"/admin/api/apitoken/{token.pk}/change/", {"name": "Renamed", "scope": "preview"})

    token.refresh_from_db()
    assert (token.name, token.scope) == ("Renamed", "read")


def test_api_token_cannot_be_deleted_in_the_admin(admin_client, read_token):
    token = ApiToken.objects.get()

    assert admin_client.get(f"/admin/api/apitoken/{token.pk}/delete/").status_code == 403


def test_api_use_is_rate_limited_per_token(settings, api, make_token):
    settings.API_RATE_LIMIT = "3/minute"
    other = make_token(name="Staging site")

    answers = [api("/api/v1/reviewers/").status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    refused = api("/api/v1/reviewers/")
    assert int(refused["Retry-After"]) > 0
    assert api("/api/v1/reviewers/", token=other).status_code == 200  # another token has its own allowance


def test_api_callers_without_a_token_are_counted_by_address_whatever_they_claim(settings, client):
    settings.API_RATE_LIMIT = "2/minute"

    answers = [client.get("/api/schema/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(3)]

    assert answers == [200, 200, 429]
