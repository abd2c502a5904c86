"""A smoke run of the benchmark (`python -m bench --quick`), so `make bench` cannot rot.

Two tiny databases, three requests a page, pathological bodies of 1 KB, a 1-megapixel upload, no gunicorn.
Nothing here is timed (timings are noise on a shared machine): the time budgets hold at 100,000 posts, so
the quick run reports them as skipped. It checks the query budgets, but whether they pass is the bench's
verdict, reported by `make bench`, not this test's: the pages' query-count tests live beside each app's tests.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from content.pathological import SHAPES

ROOT = Path(__file__).resolve().parents[2]
PAGES = {"editor dashboard", "editor post page", "queue: waiting", "queue: assigned", "queue: rereview",
         "queue: signed", "review page", "public index", "public article", "reviewer page", "feed",
         "sitemap index", "sitemap: articles", "bare Django: queue", "queue: waiting, counted afresh"}


def test_bench_quick_run_builds_verifiable_databases_and_reports_every_budget(tmp_path):
    env = {**os.environ, "BENCH_RESULTS": str(tmp_path)}
    env.pop("DATABASE_URL", None)  # the smoke run builds its own SQLite files; never touch another database
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--quiet"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )
    assert (tmp_path / "latest.json").exists(), result.stdout + result.stderr
    report = json.loads((tmp_path / "latest.json").read_text())
    status = {budget["budget"]: budget["status"] for budget in report["budgets"]}
    assert result.returncode == (1 if "FAIL" in status.values() else 0), result.stdout + result.stderr
    assert [run["size"] for run in report["runs"]] == [10, 40]
    for run in report["runs"]:
        assert {row["page"] for row in run["pages"]} == PAGES
        assert run["verify"]["events"] == run["data"]["audit_events"] == 10 * run["size"]
        # Every page reads the database, except the public article, whose verified page is kept for a few
        # seconds in Django's cache (public.views.ARTICLE_RECHECK_SECONDS) and then served with no query.
        assert all(row["queries"] > 0 for row in run["pages"] if row["page"] != "public article")
        assert all(row["floor_queries"] > 0 for row in run["pages"])
        assert all(0 < row["cpu_median_ms"] for row in run["pages"])  # this process's CPU time, beside wall time
    assert status["every page <= 15 queries"] in {"PASS", "FAIL"}
    assert status["the same query count at every size"] in {"PASS", "FAIL"}
    assert {s for budget, s in status.items() if "quer" not in budget} == {"SKIP"}
    assert [row["shape"] for row in report["pathological"]["shapes"]] == list(SHAPES)
    odd = [row for row in report["pathological"]["shapes"] if row["status"] != 200 or not 0 < row["bytes"] <= 1024]
    assert odd == []
    assert report["upload"]["requests"] == 1 and report["upload"]["median_s"] > 0
