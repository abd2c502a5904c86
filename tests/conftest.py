"""Fixtures shared by every test: users in each role, and the rules for skipped tests."""

import os

import pytest

from tests import factories


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests create and check many passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def site_served_at_the_test_clients_host(settings):
    # Public absolute URLs come from SITE_URL; here the site is where the test client asks.
    # Tests of SITE_URL itself (tests/public/test_absolute_urls.py) set another address and host.
    settings.SITE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Background tasks run where they are enqueued (once the transaction commits), so a test sees their effect.
    Tests of the worker itself (tests/background) use the database backend and real worker processes."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_RETRY_DELAYS = [0, 0]


@pytest.fixture(scope="session")
def attestation_key_file(tmp_path_factory):
    from review import public_signing

    path = tmp_path_factory.mktemp("keys") / "attestation-key.pem"
    public_signing.new_key_file(path)
    return path


@pytest.fixture(autouse=True)
def witness_storage(settings, tmp_path, attestation_key_file):
    """Each test its own checkpoint storage: checkpoints of another test's chain would not match this one's."""
    settings.STORAGES = {**settings.STORAGES, "checkpoints": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "checkpoints")},
    }}
    settings.ATTESTATION_KEY_FILE = attestation_key_file


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache, as a freshly started server does: a test's rows are rolled back
    afterwards, and what was cached from them must not answer for the next test's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def database_use_is_marked(request):
    """A test that reaches the database through a fixture it names only at run time (request.getfixturevalue) has
    no uses_database marker, and the PostgreSQL run would leave it out: it must say so with @pytest.mark.django_db."""
    yield
    if "django_db_setup" in request.fixturenames and not request.node.get_closest_marker("uses_database"):
        pytest.fail("this test uses the database through a fixture it asks for at run time: "
                    "mark it @pytest.mark.django_db, so that it runs on PostgreSQL too")


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


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by markers
def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    for item in items:
        # pytest-django refuses database access to any other test, so a test without this marker behaves the same
        # whichever database is configured: scripts/test.sh runs only the marked ones again on PostgreSQL.
        # (pytest-django's live server opens the database for its test at run time.)
        if {"django_db_setup", "live_server"} & set(item.fixturenames) or item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.uses_database)

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
