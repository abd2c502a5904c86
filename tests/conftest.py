"""Fixtures shared by every test: users in each role, and the rules for skipped tests."""

import os

import pytest

from tests import factories


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests create and check many passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    # Nothing cached by one test reaches the next: a rolled-back user's id is given again to the next test's
    # user, and the per-writer preview limit (editor.views) counts by id.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def author(db):
    return factories.make_author("author")


@pytest.fixture
def other_author(db):
    return factories.make_author("other-author")


@pytest.fixture
def reviewer(db):
    return factories.make_reviewer("reviewer", display_name="Ian Tan", credentials="MBBS (Singapore)")


@pytest.fixture
def second_reviewer(db):
    return factories.make_reviewer("reviewer2", display_name="Goh Mei Lin")


@pytest.fixture
def publisher(db):
    return factories.make_publisher("publisher")


@pytest.fixture
def author_reviewer(db):
    """Someone who writes and also reviews: they may never sign their own post."""
    from review import roles

    user = factories.user_with_roles(roles.AUTHOR, roles.REVIEWER, username="writer-doctor")
    factories.ReviewerProfileFactory(user=user)
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def post_in(author, reviewer, publisher):
    """post_in(State.X): a fresh post by `author`, driven to that state."""

    def make(state, **kwargs):
        return factories.make_post(author=author, reviewer=reviewer, publisher=publisher, state=state, **kwargs)

    return make


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: run through `make test`, which starts one"))


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and os.environ.get("CI") == "true" and exitstatus == 0:
        reporter.write_line(f"CI=true: {len(skipped)} test(s) were skipped, which counts as a failure.", red=True)
        session.exitstatus = 1
