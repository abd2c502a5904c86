"""Tests of the background work with the database backend, as deployed (the rest of the suite runs tasks at once)."""

import pytest


@pytest.fixture
def database_tasks(settings):
    """Tasks are rows in the database, run by a worker: what `make run` and production do."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

