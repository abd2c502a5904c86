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


@pytest.fixture
def seconds_ago(monkeypatch):
    """`with seconds_ago(n):` what runs inside reads the clock (time.time, by which caches set expiry) n seconds
    behind: whatever it keeps in the cache is as old as if it had been kept n seconds ago."""
    import contextlib
    import time

    @contextlib.contextmanager
    def back(seconds):
        real = time.time
        with monkeypatch.context() as patch:
            patch.setattr(time, "time", lambda: real() - seconds)
            yield

    return back
