"""A smoke run of the benchmark (10 posts, one request per page, no gunicorn), so `make bench` cannot rot.

Nothing here is timed (timings are noise on a shared machine), and the query budget is the benchmark's
own target: the pages' query-count tests live beside each app's tests.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGES = {"editor dashboard", "editor post page", "queue: waiting", "queue: assigned", "queue: rereview",
         "queue: signed", "review page", "public index", "public article", "reviewer page", "feed",
         "sitemap index", "sitemap: articles", "bare Django: queue"}


def test_bench_smoke_run_builds_a_verifiable_database_and_measures_every_page(tmp_path):
    env = {**os.environ, "BENCH_RESULTS": str(tmp_path)}
    env.pop("DATABASE_URL", None)  # the smoke run builds its own SQLite file; never touch another database
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--sizes", "10", "--reps", "1", "--no-gunicorn", "--quiet"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((tmp_path / "latest.json").read_text())
    (run,) = report["runs"]
    assert run["data"]["posts"] == 10
    assert {row["page"] for row in run["pages"]} == PAGES
    assert run["verify"]["events"] == run["data"]["audit_events"] == 100
    assert all(row["queries"] > 0 and row["floor_queries"] > 0 for row in run["pages"])
    assert {target["target"] for target in report["targets"]} >= {"every page <= 15 queries at 10 posts"}
