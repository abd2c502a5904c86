"""`make run` tells the application the address it serves at, so that links in emails lead there."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def site_url_under_make_run(*arguments, env_site_url=None) -> str:
    """SITE_URL as `make run`'s commands see it: a probe added before run's own recipe prints it and stops."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    env = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    if env_site_url:
        env["SITE_URL"] = env_site_url
    result = subprocess.run(
        ["make", "-s", "-o", ".venv/.installed", "--eval", "run: probe",
         "--eval", 'probe: ; @echo "$$SITE_URL"; exit 3', "run", *arguments],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    return result.stdout.strip()


def test_make_run_links_to_the_port_it_serves_on():
    assert site_url_under_make_run("PORT=8123") == "http://127.0.0.1:8123"
    assert site_url_under_make_run("HOST=192.168.1.20", "PORT=9000") == "http://192.168.1.20:9000"


def test_make_run_keeps_a_site_url_given_in_the_environment():
    assert site_url_under_make_run("PORT=8123", env_site_url="https://clinic.example") == "https://clinic.example"
