"""Fixtures for the public site's tests: published articles and a fast password hasher."""

import pytest

from review.states import State
from tests.factories import BODY

LONG_BODY = BODY + """
## Before your treatment

Stop retinoids a week before.

### On the day

Come with clean skin.

## Results

Most people need three to five sessions.
"""


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Signing re-checks the password; the default hasher would make 50 posts take minutes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def published(post_in):
    """published(**kwargs): a post driven through review to the public site."""

    def make(**kwargs):
        return post_in(State.PUBLISHED, **kwargs)

    return make
