"""Fixtures for the import: pictures stored in a folder of the test's own, and the command's output."""

import io

import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def run_import(db):
    """Run the command; return (stdout, stderr)."""
    def run(*args):
        out, err = io.StringIO(), io.StringIO()
        call_command("import_wordpress", *map(str, args), stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()
    return run
