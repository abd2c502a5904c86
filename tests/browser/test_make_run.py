"""Issue 19 / 17.14: under exactly the processes `make run` starts (scripts/run.sh: the web server and one
background worker), a post scheduled for the next minute is published on time, with nothing run by hand."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "medreview-demo"
APPROVED_DEMO_POST = "Preparing your skin before an aesthetic procedure"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture
def make_run(tmp_path, attestation_key_file):
    """scripts/run.sh (what `make run` runs) on its own SQLite database and port; stopped as Ctrl-C would."""
    port = free_port()
    env = {**os.environ, "PY": os.environ.get("PY", sys.executable), "HOST": "127.0.0.1",
           "PORT": str(port), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "MEDIA_ROOT": str(tmp_path / "media"), "CHECKPOINT_STORAGE": str(tmp_path / "checkpoints"),
           "ATTESTATION_KEY_FILE": str(attestation_key_file), "SITE_URL": f"http://127.0.0.1:{port}"}
    for name in ("TASKS_BACKEND", "TASKS_PERIOD_SECONDS", "CACHE_BACKEND"):
        env.pop(name, None)
    process = subprocess.Popen(["bash", "scripts/run.sh"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    output = []
    try:
        for line in process.stdout:  # migrating a new database and loading the demo take a while: wait for them
            output.append(line)
            if "Quit the server with" in line:
                break
        assert process.poll() is None, "".join(output)
        threading.Thread(target=lambda: output.extend(process.stdout), daemon=True).start()
        base = f"http://127.0.0.1:{port}"
        # The server binds its port right after saying so: wait until it answers (a thousand refused attempts could
        # all come before that on a busy machine, and the test then met a closed port).
        deadline = time.monotonic() + 60
        while not answers(base + "/blog/"):
            assert time.monotonic() < deadline and process.poll() is None, "".join(output)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)  # what Ctrl-C does: scripts/run.sh stops the server and the worker
        process.wait(timeout=60)
    assert process.returncode in (0, 143), "".join(output)


def test_make_run_publishes_a_post_scheduled_for_the_next_minute_without_anything_run_by_hand(browser, make_run):
    context = browser.new_context(base_url=make_run, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("publisher")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/editor/")
    page.get_by_role("table").get_by_role("link", name=APPROVED_DEMO_POST).click()

    # The next whole minute the form can take ("Publish on" has minutes), at least 15 seconds away.
    local = timezone.now().astimezone(ZoneInfo(settings.TIME_ZONE))
    when = (local + timedelta(seconds=75)).replace(second=0, microsecond=0)
    page.get_by_label("Publish on").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Schedule").click()
    state = page.locator(".post-meta [data-state]")
    expect(state).to_have_attribute("data-state", "scheduled")

    # What the publisher does: look again until it says Published (at most the minute plus the worker's tick).
    deadline = when + timedelta(seconds=90)
    while True:
        page.reload()
        try:
            expect(state).to_have_attribute("data-state", "published", timeout=3_000)
            break
        except AssertionError:
            assert timezone.now() < deadline, "still not published 90 s after its time"
    page.goto("/blog/hydration-before-procedures/")
    expect(page.get_by_role("heading", level=1)).to_have_text(APPROVED_DEMO_POST)
    context.close()
