"""Fixtures for the API's tests: tokens of each scope, and a client that sends one."""

import pytest

from api.models import ApiToken
from api.tokens import token_issue, token_revoke


@pytest.fixture
def make_token(db):
    def make(scope=ApiToken.Scope.READ, *, revoked=False, name="Clinic website"):
        token, key = token_issue(name=name, scope=scope)
        if revoked:
            token_revoke(token)
        return key

    return make


@pytest.fixture
def read_token(make_token):
    return make_token(ApiToken.Scope.READ)


@pytest.fixture
def preview_token(make_token):
    return make_token(ApiToken.Scope.PREVIEW)


@pytest.fixture
def api(client, read_token):
    """api(path, token=read token, **headers): a GET to the API as the clinic's website sends it."""

    def get(path, token=read_token, **headers):
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return client.get(path, **headers)

    return get
