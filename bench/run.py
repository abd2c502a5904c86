"""Run the benchmark: build (or reuse) a database per size, measure every page, check the budgets, report.

    python -m bench [--sizes 100,10000,100000] [--reps 40] [--no-gunicorn] [--quick] [--rows ROWS]

SQLite files live in bench/results/ (git-ignored) and are rebuilt only when the migrations, the builder or
the code that computes hashes and seals change; with DATABASE_URL=postgres://… the database is flushed and
rebuilt for each size instead. The budgets are absolute, on this 2-core machine (README: Performance);
the exit status is 1 when any budget fails.
"""

import argparse
import hashlib
import io
import json
import os
import queue
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Where the SQLite databases, collected static files and latest.json go (git-ignored).
RESULTS = Path(os.environ.get("BENCH_RESULTS") or ROOT / "bench" / "results")
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    # Seals and audit links are keyed: the cached databases verify only under this key.
    "RECORD_KEY": "bench-only-record-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    # The bench's chains are built in bulk, never checkpointed: keep a development folder's checkpoints out.
    "CHECKPOINT_STORAGE": str(RESULTS / "checkpoints"),
    "ALLOWED_HOSTS": "127.0.0.1,testserver",
    # The pathological row times each shape's preview, one after another: not the per-writer preview limit.
    "PREVIEWS_PER_10_SECONDS": "1000000",
    "SECURE_SSL_REDIRECT": "0",
    "LOG_LEVEL": "ERROR",
}
# Persistent connections, as a deployment keeps them (README: Performance); DB_CONN_MAX_AGE=0 opens one per
# request, which costs PostgreSQL a few milliseconds a page.
DEFAULT_CONN_MAX_AGE = "60"

# The budgets (issue 15.7). Time budgets hold at BUDGET_SIZE posts; the query budgets at every size.
BUDGET_SIZE = 100_000
MAX_QUERIES = 15
WORK_PAGES = ("queue: waiting", "queue: assigned", "queue: rereview", "queue: signed", "review page")
WORK_MEDIAN_MS, WORK_P95_MS = 25.0, 50.0
ARTICLE_MEDIAN_MS = 5.0
VERIFY_EVENTS, VERIFY_MAX_S = 1_000_000, 10.0
GUNICORN_MIN_RPS = 500.0
PATHOLOGICAL_MAX_S = 1.0
# Rows that are information only: bare Django, not a page of the product.
# The waiting tab as a reviewer's first page after a change anywhere: the queue counts its tabs again
# (review.queue.counts keeps them while nothing changes; the tabs' own rows are read with them kept).
RECOUNTED = "queue: waiting, counted afresh"
INFORMATION_ONLY = {"bare Django: queue", RECOUNTED}

# The modules whose output the builder stores: when one changes, a cached database would not verify.
HASHING_MODULES = ("content/hashing.py", "content/rendering.py", "review/audit.py", "review/keyed_hash.py",
                   "review/signing.py")


def _schema_key() -> str:
    """Changes whenever a migration, the builder or what it hashes with changes, so a cache is never stale."""
    digest = hashlib.sha256()
    files = sorted(ROOT.glob("*/migrations/*.py")) + [ROOT / "bench" / "build.py"]
    files += [ROOT / name for name in HASHING_MODULES if (ROOT / name).exists()]
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _use_database(name):
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    for conn in connections.all():
        conn.close()
    connections["default"].settings_dict["NAME"] = str(name)
    ContentType.objects.clear_cache()


def _timed_build(size: int, log) -> dict:
    from bench.build import build

    log(f"  building {size:,} posts …")
    started, cpu = time.perf_counter(), time.process_time()
    counts = build(size)
    # Wall time, and this process's CPU time, which other work on a shared machine inflates less.
    counts["build_s"] = round(time.perf_counter() - started, 1)
    counts["build_cpu_s"] = round(time.process_time() - cpu, 1)
    log(f"  built in {counts['build_s']} s ({counts['build_cpu_s']} s of CPU in this process)")
    return counts


def prepare_database(size: int, *, postgres: bool, log) -> dict:
    """A database holding `size` posts; SQLite files are cached between runs."""
    from django.core.management import call_command
    from django.db import connection

    if postgres:
        call_command("migrate", verbosity=0, interactive=False)
        call_command("flush", verbosity=0, interactive=False)
        counts = _timed_build(size, log)
        # Statistics for the planner and the visibility map for index-only scans, as autovacuum would make
        # them within a minute of a bulk load.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        counts["vacuum_s"] = round(time.perf_counter() - started, 1)
        return counts
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"bench-{size}.sqlite3"
    meta = path.with_suffix(".json")
    key = _schema_key()
    if path.exists() and meta.exists():
        cached = json.loads(meta.read_text())
        if cached.get("key") == key:
            _use_database(path)
            log(f"  reusing {path.name} (built in {cached['counts'].get('build_s')} s; schema unchanged)")
            return {**cached["counts"], "cached": True}
    building = path.with_suffix(".building")
    building.unlink(missing_ok=True)
    _use_database(building)
    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        # A file nobody reads until it is complete: no need to sync it, and room to cache its indexes.
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.execute("PRAGMA cache_size = -262144")
    counts = _timed_build(size, log)
    _use_database(":memory:")
    building.replace(path)
    meta.write_text(json.dumps({"key": key, "counts": counts}))
    _use_database(path)
    return counts


def _pages():
    """(name, url, floor url, role) for every page, with rows chosen the same way at every size."""
    from django.urls import reverse

    from content.models import Post
    from review.models import ReviewerProfile
    from review.states import State

    first_reviewer = ReviewerProfile.objects.order_by("slug").first()
    in_review = Post.objects.filter(workflow__state=State.IN_REVIEW, comments__isnull=False).order_by("pk").first()
    published = (Post.objects.filter(workflow__state=State.PUBLISHED, workflow__rereview_flagged_at__isnull=True)
                 .order_by("pk").first())
    pages = [
        ("editor dashboard", reverse("editor:dashboard"), "/__floor__/editor/", "publisher"),
        ("editor post page", reverse("editor:post", args=[in_review.pk]), f"/__floor__/posts/{in_review.pk}/",
         "publisher"),
    ]
    for tab in ("waiting", "assigned", "rereview", "signed"):
        pages.append((f"queue: {tab}", reverse("review:queue") + f"?tab={tab}", f"/__floor__/queue/{tab}/",
                      "reviewer"))
    pages.append((RECOUNTED, reverse("review:queue") + "?tab=waiting", "/__floor__/queue/waiting/", "reviewer"))
    # Not a page of the product: bare Django doing the waiting tab's job (bench/floor.queue_same_job).
    pages.append(("bare Django: queue", "/__floor__/queue-same-job/", "/__floor__/queue/waiting/", "reviewer"))
    pages += [
        ("review page", reverse("review:post", args=[in_review.pk]), f"/__floor__/posts/{in_review.pk}/",
         "reviewer"),
        ("public index", reverse("public:index"), "/__floor__/blog/", None),
        ("public article", reverse("public:article", args=[published.slug]), f"/__floor__/blog/{published.slug}/",
         None),
        ("reviewer page", reverse("public:reviewer", args=[first_reviewer.slug]),
         f"/__floor__/reviewers/{first_reviewer.slug}/", None),
        ("feed", reverse("public:feed"), "/__floor__/feed/", None),
        ("sitemap index", reverse("public:sitemap"), "/__floor__/sitemap-index.xml", None),
        ("sitemap: articles", reverse("public:sitemap_section", args=["articles"]), "/__floor__/sitemap.xml", None),
    ]
    return pages


def _clients():
    from django.contrib.auth import get_user_model
    from django.test import Client

    User = get_user_model()
    clients = {None: Client()}
    for role, username in (("publisher", "bench-publisher"), ("reviewer", "bench-reviewer-0")):
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients[role] = client
    return clients


def _get(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    return len(captured.captured_queries), [q["sql"] for q in captured.captured_queries]


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


# Rows of the report that are not pages, for --rows.
EXTRA_ROWS = ("verify_audit", "pathological", "upload", "gunicorn")


def wanted(name: str, rows: list[str] | None) -> bool:
    """Whether --rows asks for this row: every row without it, else those whose name starts with one given."""
    return rows is None or any(name.startswith(prefix) for prefix in rows)


def measure_pages(reps: int, log, rows: list[str] | None = None) -> list[dict]:
    from review.queue import renew_generation as forget_counts

    clients = _clients()
    results = []
    for name, url, floor_url, role in _pages():
        if not wanted(name, rows):
            continue
        client = clients[role]
        for _ in range(2):  # warm caches, templates, connections: counts and times are those of a warm server
            _get(client, url)
            _get(client, floor_url)
        if name == "public article" and "Medically reviewed by" not in _get(client, url).content.decode():
            raise RuntimeError(f"{url} shows no review line: the bench database's signatures do not verify")
        afresh = forget_counts if name == RECOUNTED else (lambda: None)
        afresh()
        queries, sql = _queries(client, url)
        floor_queries, _ = _queries(client, floor_url)
        page_times, floor_times, page_cpu = [], [], []
        for _ in range(reps):  # interleaved, so a burst of load hits both alike
            afresh()
            started, cpu = time.perf_counter(), time.process_time()
            _get(client, url)
            page_times.append((time.perf_counter() - started) * 1000)
            page_cpu.append((time.process_time() - cpu) * 1000)
            started = time.perf_counter()
            _get(client, floor_url)
            floor_times.append((time.perf_counter() - started) * 1000)
        row = {
            "page": name, "url": url, "queries": queries, "floor_queries": floor_queries,
            "median_ms": round(statistics.median(page_times), 2), "p95_ms": round(_percentile(page_times, 0.95), 2),
            "floor_median_ms": round(statistics.median(floor_times), 2),
            "floor_p95_ms": round(_percentile(floor_times, 0.95), 2),
            # This process's CPU time (Django and, on SQLite, the database): what other work on a shared machine
            # inflates least. Information only.
            "cpu_median_ms": round(statistics.median(page_cpu), 2),
            "sql": sql,
        }
        results.append(row)
        log(f"  {name:<18} {queries:>3} q  median {row['median_ms']:>7.2f} ms  p95 {row['p95_ms']:>7.2f} ms  "
            f"(floor {row['floor_median_ms']:.2f} ms; CPU median {row['cpu_median_ms']:.2f} ms)")
    return results


def measure_verify() -> dict:
    """`manage.py verify_audit` as an operator runs it (its default workers), timed."""
    from django.core.management import CommandError, call_command

    from review.models import AuditEvent

    out = io.StringIO()
    started = time.perf_counter()
    try:
        call_command("verify_audit", stdout=out)
    except CommandError as exc:
        raise RuntimeError(f"verify_audit failed on the bench database: {exc}") from exc
    elapsed = time.perf_counter() - started
    return {"events": AuditEvent.objects.count(), "seconds": round(elapsed, 3), "said": out.getvalue().strip()}


def _database_url() -> str:
    from django.db import connection

    url = os.environ["DATABASE_URL"]
    return f"sqlite:///{connection.settings_dict['NAME']}" if url.startswith("sqlite") else url


# --- pathological bodies


def measure_pathological(size: int, *, stop_after: float, log) -> list[dict]:
    """Every shape of content.pathological through the preview, in a worker process (bench.pathological) that
    is stopped when a shape takes more than `stop_after` seconds (the rest then run in a new one)."""
    from bench.pathological import SHAPES

    media = RESULTS / "pathological-media"  # the worker's picture; its database rows are rolled back
    env = {**os.environ, "DATABASE_URL": _database_url(), "MEDIA_ROOT": str(media)}
    remaining, results = list(SHAPES), []
    try:
        results = _pathological_rounds(remaining, size, env, stop_after, log)
    finally:
        shutil.rmtree(media, ignore_errors=True)
    return results


def _pathological_rounds(remaining, size, env, stop_after, log) -> list[dict]:
    results = []
    while remaining:
        worker = subprocess.Popen([sys.executable, "-m", "bench.pathological", str(size), *remaining], cwd=ROOT,
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines = queue.Queue()

        def read(stream=worker.stdout, lines=lines):
            for line in stream:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=read, daemon=True).start()
        startup = 60  # Django's start and the warm-up request, before the first shape's clock
        try:
            for name in list(remaining):
                try:
                    line = lines.get(timeout=stop_after + startup)
                except queue.Empty:
                    results.append({"shape": name, "bytes": None, "seconds": None, "stopped_after": stop_after})
                    remaining.remove(name)
                    log(f"  {name:<22} stopped after {stop_after:.0f} s")
                    break
                startup = 0
                if line is None:
                    worker.wait()
                    raise RuntimeError(f"the pathological worker failed:\n{worker.stderr.read()}")
                row = json.loads(line)
                if row["status"] != 200:
                    raise RuntimeError(f"the preview answered {row['status']} for the shape {name!r}")
                results.append(row)
                remaining.remove(name)
                log(f"  {name:<22} {row['bytes']:>7,} bytes  {shape_cpu_seconds(row):>7.3f} s CPU  {row['seconds']:>7.3f} s wall")
        finally:
            worker.kill()
            worker.wait()
    return results


# --- gunicorn


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _load(url: str, seconds: int, connections: int) -> float:
    """Requests per second against `url` from a second process: wrk if installed, else bench.loadgen."""
    if shutil.which("wrk"):
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", url],
            capture_output=True, text=True, timeout=seconds + 30, check=True,
        ).stdout
        if "Non-2xx" in out:
            raise RuntimeError(f"{url} answered errors under load:\n{out}")
        return float(next(line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec")))
    out = subprocess.run(
        [sys.executable, "-m", "bench.loadgen", url, str(seconds), str(connections)],
        capture_output=True, text=True, timeout=seconds + 30, check=True, cwd=ROOT,
    ).stdout
    return float(json.loads(out)["rps"])


def measure_gunicorn(article_path: str, floor_path: str, *, seconds: int, rounds: int, log):
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "ALLOWED_HOSTS": "127.0.0.1",
           "DATABASE_URL": _database_url()}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "config.wsgi:application", "--workers", "4", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        for path in (article_path, floor_path):  # every worker loads its code before the clock starts
            _load(base + path, 2, 8)
        article, floor = [], []
        for _ in range(rounds):
            article.append(_load(base + article_path, seconds, 8))
            floor.append(_load(base + floor_path, seconds, 8))
        result = {"article_rps": round(statistics.median(article), 1), "floor_rps": round(statistics.median(floor), 1),
                  "rounds": rounds, "seconds_each": seconds, "connections": 8, "workers": 4,
                  "load_generator": "wrk" if shutil.which("wrk") else "bench.loadgen"}
        log(f"  gunicorn: article {result['article_rps']} req/s (floor {result['floor_rps']} req/s)")
        return result
    finally:
        process.terminate()
        process.wait(timeout=30)


# --- budgets and report


def check_budgets(report: dict) -> list[dict]:
    """Each budget with PASS, FAIL, or SKIP where the run did not measure at the budget's scale."""
    checks = []

    def check(budget, passed, measured):
        status = "SKIP" if passed is None else "PASS" if passed else "FAIL"
        checks.append({"budget": budget, "status": status, "measured": measured})

    runs = report["runs"]
    pages_at = {run["size"]: {row["page"]: row for row in run["pages"] if row["page"] not in INFORMATION_ONLY}
                for run in runs}
    worst = [(size, max(rows.values(), key=lambda r: r["queries"])) for size, rows in pages_at.items() if rows]
    check(f"every page <= {MAX_QUERIES} queries",
          all(row["queries"] <= MAX_QUERIES for _, row in worst) if worst else None,
          "; ".join(f"{size:,} posts: most {row['queries']} ({row['page']})" for size, row in worst)
          or "no page measured")
    if len(runs) > 1 and worst:
        first = pages_at[runs[0]["size"]]
        differ = sorted({name for rows in pages_at.values() for name, row in rows.items()
                         if row["queries"] != first[name]["queries"]})
        check("the same query count at every size", not differ,
              "differ: " + ", ".join(f"{name} ({', '.join(str(rows[name]['queries']) for rows in pages_at.values())})"
                                     for name in differ) if differ else "all equal")
    else:
        check("the same query count at every size", None, "one size measured" if worst else "no page measured")

    big = next((run for run in runs if run["size"] == BUDGET_SIZE), None)
    not_measured = f"not measured at {BUDGET_SIZE:,} posts"

    def at_budget_size(budget, page, metric, limit):
        row = pages_at[BUDGET_SIZE].get(page) if big else None
        check(budget, row[metric] <= limit if row else None, f"{row[metric]} ms" if row else not_measured)

    for name in WORK_PAGES:
        at_budget_size(f"{name}: median <= {WORK_MEDIAN_MS:.0f} ms at {BUDGET_SIZE:,} posts", name, "median_ms",
                       WORK_MEDIAN_MS)
        at_budget_size(f"{name}: p95 <= {WORK_P95_MS:.0f} ms at {BUDGET_SIZE:,} posts", name, "p95_ms", WORK_P95_MS)
    at_budget_size(f"public article: median <= {ARTICLE_MEDIAN_MS:.0f} ms at {BUDGET_SIZE:,} posts",
                   "public article", "median_ms", ARTICLE_MEDIAN_MS)
    verify = big["verify"] if big and big["verify"] and big["verify"]["events"] >= VERIFY_EVENTS else None
    check(f"verify_audit <= {VERIFY_MAX_S:.0f} s for {VERIFY_EVENTS:,} events",
          verify["seconds"] <= VERIFY_MAX_S if verify else None,
          f"{verify['events']:,} events in {verify['seconds']} s" if verify else not_measured)
    gunicorn = report.get("gunicorn")
    on_big = gunicorn is not None and gunicorn["size"] == BUDGET_SIZE
    check(f"public article through gunicorn >= {GUNICORN_MIN_RPS:.0f} requests/s",
          gunicorn["article_rps"] >= GUNICORN_MIN_RPS if on_big else None,
          f"{gunicorn['article_rps']} requests/s" if on_big else
          f"run at {gunicorn['size']:,} posts only" if gunicorn else "not run")
    shapes = report.get("pathological")
    if shapes and shapes["shapes"] and shapes["bytes"] >= shapes["max_body_bytes"]:
        over = [row for row in shapes["shapes"] if shape_cpu_seconds(row) > PATHOLOGICAL_MAX_S]
        check(f"every pathological body (render and claims check) <= {PATHOLOGICAL_MAX_S:.0f} s of CPU", not over,
              f"worst: {_shape_time(shapes['worst'])}" + (f"; {len(over)} of {len(shapes['shapes'])} over"
                                                           if over else ""))
    else:
        check(f"every pathological body (render and claims check) <= {PATHOLOGICAL_MAX_S:.0f} s of CPU", None,
              f"bodies of {shapes['bytes']:,} bytes, not MAX_BODY_BYTES" if shapes else "not run")
    return checks


def shape_cpu_seconds(row) -> float:
    """What a pathological shape is judged by: the CPU time of its preview request (a stopped shape: infinite).

    Wall time on this shared machine mostly measures the other processes; it is reported beside it.
    """
    if row["seconds"] is None:
        return float("inf")
    return row.get("cpu_seconds", row["seconds"])


def _shape_time(row) -> str:
    if row["seconds"] is None:
        return f"{row['shape']} (stopped after {row['stopped_after']:.0f} s)"
    return f"{row['shape']} ({shape_cpu_seconds(row):.3f} s CPU, {row['seconds']:.3f} s wall)"


def table(report: dict) -> str:
    sizes = [run["size"] for run in report["runs"]]
    lines = ["| page | " + " | ".join(f"{s:,} posts: queries · median · p95 (floor median; CPU median)" for s in sizes)
             + " |",
             "|---|" + "---|" * len(sizes)]
    by_size = [{row["page"]: row for row in run["pages"]} for run in report["runs"]]
    for name in by_size[0]:
        cells = [f"{r['queries']} · {r['median_ms']:.1f} ms · {r['p95_ms']:.1f} ms ({r['floor_median_ms']:.1f} ms; "
                 f"CPU {r['cpu_median_ms']:.1f} ms)" for r in (rows[name] for rows in by_size)]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("| verify_audit | " + " | ".join(
        f"{run['verify']['events']:,} events in {run['verify']['seconds']:.2f} s" if run["verify"] else "not run"
        for run in report["runs"]) + " |")
    lines.append("| build: wall (CPU of the builder) | " + " | ".join(
        f"{run['data'].get('build_s', '?')} s ({run['data'].get('build_cpu_s', '?')} s)"
        + (" cached" if run["data"].get("cached") else "") for run in report["runs"]) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=f"100,10000,{BUDGET_SIZE}", help="post counts, comma-separated")
    parser.add_argument("--reps", type=int, default=40, help="timed requests per page and per floor")
    parser.add_argument("--quick", action="store_true",
                        help="the smoke run: 10 and 40 posts, 3 requests a page, bodies of 1 KB, a 1-megapixel "
                             "picture, no gunicorn")
    parser.add_argument("--no-gunicorn", action="store_true", help="skip the load test through gunicorn")
    parser.add_argument("--gunicorn-seconds", type=int, default=8)
    parser.add_argument("--gunicorn-rounds", type=int, default=2)
    parser.add_argument("--body-bytes", type=int, help="size of the pathological bodies (default MAX_BODY_BYTES)")
    parser.add_argument("--stop-after", type=float, default=10.0,
                        help="seconds after which a pathological body is stopped and counted as over budget")
    parser.add_argument("--megapixels", type=float, default=12.0, help="size of the uploaded JPEG")
    parser.add_argument("--uploads", type=int, default=3, help="timed picture uploads")
    parser.add_argument("--json", default=str(RESULTS / "latest.json"), help="where to write the results")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--rows", help="only these rows, comma-separated name prefixes: pages (e.g. 'queue,review "
                                       f"page'), {', '.join(EXTRA_ROWS)}; the others are skipped")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.reps, args.no_gunicorn = "10,40", 3, True
        args.body_bytes, args.stop_after, args.megapixels, args.uploads = 1024, 10.0, 1.0, 1
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = [name.strip() for name in args.rows.split(",") if name.strip()] if args.rows is not None else None
    log = (lambda *a: None) if args.quiet else (lambda *a: print(*a, flush=True))

    database_url = os.environ.get("DATABASE_URL", "")
    postgres = database_url.startswith(("postgres://", "postgresql://"))
    os.environ.update(BENCH_ENV)
    os.environ.setdefault("DB_CONN_MAX_AGE", DEFAULT_CONN_MAX_AGE)
    if not postgres:
        RESULTS.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{RESULTS / 'unused.sqlite3'}"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings, setup_test_environment

    from bench.upload import measure_upload

    setup_test_environment()  # the test client's template and query instrumentation
    static_root = RESULTS / "static"
    with override_settings(ROOT_URLCONF="bench.urls", STATIC_ROOT=static_root):
        call_command("collectstatic", interactive=False, verbosity=0)
        load = os.getloadavg()
        report = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": connection.vendor,
            "python": sys.version.split()[0],
            "cpus": os.cpu_count(),
            "load_average_at_start": [round(x, 2) for x in load],
            "reps": args.reps,
            "debug": settings.DEBUG,
            "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
            "runs": [],
        }
        log(f"MedReview benchmark on {connection.vendor}, {args.reps} requests per page; "
            f"load average {load[0]:.2f} on {os.cpu_count()} CPUs")
        for size in sizes:
            log(f"\n{size:,} posts")
            counts = prepare_database(size, postgres=postgres, log=log)
            # Nothing kept in the cache from the previous database (queue counts, pages) answers for this one.
            cache.clear()
            log(f"  data: {counts}")
            run = {"size": size, "data": counts, "pages": measure_pages(args.reps, log, rows), "verify": None}
            if wanted("verify_audit", rows):
                run["verify"] = measure_verify()
                log(f"  verify_audit: {run['verify']['events']:,} events in {run['verify']['seconds']} s")
            report["runs"].append(run)

        # On the last (largest) database: the pathological bodies, the picture upload, gunicorn.
        body_bytes = args.body_bytes or settings.MAX_BODY_BYTES
        shapes = []
        if wanted("pathological", rows):
            log(f"\nPathological bodies of {body_bytes:,} bytes through the preview (render and claims check)")
            shapes = measure_pathological(body_bytes, stop_after=args.stop_after, log=log)
            worst = max(shapes, key=shape_cpu_seconds)
            report["pathological"] = {"bytes": body_bytes, "max_body_bytes": settings.MAX_BODY_BYTES,
                                      "stop_after_s": args.stop_after, "shapes": shapes, "worst": worst}
        if wanted("upload", rows):
            log(f"\nPicture upload: {args.uploads} × a {args.megapixels:g}-megapixel JPEG")
            report["upload"] = measure_upload(_clients()["publisher"], megapixels=args.megapixels,
                                              reps=args.uploads)
            log(f"  {report['upload']}")
        if not args.no_gunicorn and wanted("gunicorn", rows):
            last = report["runs"][-1]
            article = next(r for r in last["pages"] if r["page"] == "public article")
            slug = article["url"].rstrip("/").rsplit("/", 1)[-1]
            report["gunicorn"] = {"size": last["size"], **measure_gunicorn(
                article["url"], f"/__floor__/blog/{slug}/", seconds=args.gunicorn_seconds,
                rounds=args.gunicorn_rounds, log=log)}
        report["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    report["budgets"] = check_budgets(report)
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(report, indent=1, default=str))
    print()
    print(f"{report['database']}, {args.reps} requests per page, DB_CONN_MAX_AGE={report['conn_max_age']}")
    print(table(report))
    if shapes:
        slowest = sorted(shapes, key=shape_cpu_seconds, reverse=True)
        over = sum(1 for row in shapes if shape_cpu_seconds(row) > PATHOLOGICAL_MAX_S)
        print(f"\nPathological bodies of {body_bytes:,} bytes, render and claims check through the preview "
              f"({len(shapes)} shapes, {over} over {PATHOLOGICAL_MAX_S:g} s of CPU); slowest: "
              + ", ".join(_shape_time(row) for row in slowest[:6]))
    if report.get("upload"):
        upload = report["upload"]
        print(f"Picture upload ({upload['width']}×{upload['height']} JPEG, {upload['bytes'] / 1e6:.1f} MB), "
              f"renditions off the request: median {upload['median_s']} s over {upload['requests']}; the worker's "
              f"renditions {upload['renditions_median_s']} s (information)")
    if report.get("gunicorn"):
        g = report["gunicorn"]
        print(f"gunicorn, {g['workers']} workers, {g['load_generator']} {g['connections']} connections, "
              f"{g['rounds']} × {g['seconds_each']} s at {g['size']:,} posts: article {g['article_rps']} req/s, "
              f"floor {g['floor_rps']} req/s")
    print(f"load average at start {report['load_average_at_start']}, at end {report['load_average_at_end']} "
          f"on {report['cpus']} CPUs")
    print("\nBudgets:")
    for budget in report["budgets"]:
        print(f"  {budget['status']:<4}  {budget['budget']}: {budget['measured']}")
    print(f"\nResults: {args.json}")
    return 1 if any(budget["status"] == "FAIL" for budget in report["budgets"]) else 0
