"""Run the benchmark: build (or reuse) a database per size, measure every page and its floor, report.

    python -m bench [--sizes 100,10000] [--reps 40] [--no-gunicorn]

SQLite files live in bench/results/ (git-ignored) and are rebuilt only when the migrations or the
builder change; with DATABASE_URL set, PostgreSQL is flushed and rebuilt for each size instead.
"""

import argparse
import hashlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
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
    "SECURE_SSL_REDIRECT": "0",
    "LOG_LEVEL": "ERROR",
}
# Targets of issue 8.
MAX_QUERIES = 15
QUEUE_MAX_RATIO, QUEUE_MAX_MEDIAN_MS = 1.5, 50.0
ARTICLE_MAX_RATIO = 1.2
VERIFY_MAX_S = 2.0
GUNICORN_MIN_SHARE = 0.70


def _schema_key() -> str:
    """Changes whenever a migration or the builder changes, so a cached database is never stale."""
    digest = hashlib.sha256()
    files = sorted(ROOT.glob("*/migrations/*.py")) + [ROOT / "bench" / "build.py"]
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


def prepare_database(size: int, *, postgres: bool, log) -> dict:
    """A database holding `size` posts; SQLite files are cached between runs."""
    from django.core.management import call_command
    from django.db import connection

    from bench.build import build

    if postgres:
        call_command("migrate", verbosity=0, interactive=False)
        call_command("flush", verbosity=0, interactive=False)
        started = time.perf_counter()
        counts = build(size)
        counts["build_s"] = round(time.perf_counter() - started, 1)
        # Statistics for the planner, as autovacuum would gather them within a minute of a bulk load.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return counts
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"bench-{size}.sqlite3"
    meta = path.with_suffix(".json")
    key = _schema_key()
    if path.exists() and meta.exists():
        cached = json.loads(meta.read_text())
        if cached.get("key") == key:
            _use_database(path)
            log(f"  reusing {path.relative_to(ROOT)} (schema unchanged)")
            return {**cached["counts"], "cached": True}
    building = path.with_suffix(".building")
    building.unlink(missing_ok=True)
    _use_database(building)
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    counts = build(size)
    counts["build_s"] = round(time.perf_counter() - started, 1)
    _use_database(":memory:")
    building.replace(path)
    meta.write_text(json.dumps({"key": key, "counts": counts}))
    _use_database(path)
    return counts


def _pages(size: int):
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
    # Not a page of the product: bare Django doing the waiting tab's job, against the same floor (see
    # bench/floor.queue_same_job), to read the queue's ratios by.
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


def measure_pages(size: int, reps: int, log) -> list[dict]:
    clients = _clients()
    results = []
    for name, url, floor_url, role in _pages(size):
        client = clients[role]
        for _ in range(2 if reps > 1 else 0):  # warm caches, templates, connections
            _get(client, url)
            _get(client, floor_url)
        queries, sql = _queries(client, url)
        floor_queries, _ = _queries(client, floor_url)
        page_times, floor_times = [], []
        for _ in range(reps):  # interleaved, so a burst of load hits both alike
            started = time.perf_counter()
            _get(client, url)
            page_times.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            _get(client, floor_url)
            floor_times.append((time.perf_counter() - started) * 1000)
        row = {
            "page": name, "url": url, "queries": queries, "floor_queries": floor_queries,
            "median_ms": round(statistics.median(page_times), 2), "p95_ms": round(_percentile(page_times, 0.95), 2),
            "floor_median_ms": round(statistics.median(floor_times), 2),
            "floor_p95_ms": round(_percentile(floor_times, 0.95), 2),
        }
        row["ratio"] = round(row["median_ms"] / row["floor_median_ms"], 2) if row["floor_median_ms"] else None
        row["sql"] = sql
        results.append(row)
        log(f"  {name:<18} {queries:>3} q  {row['median_ms']:>8.2f} ms  (floor {row['floor_median_ms']:.2f} ms, "
            f"x{row['ratio']})")
    return results


def measure_verify() -> dict:
    from review import audit

    started = time.perf_counter()
    result = audit.verify()
    elapsed = time.perf_counter() - started
    if not result.ok:
        raise RuntimeError(f"verify_audit failed on the bench database: {result.problem}")
    return {"events": result.count, "seconds": round(elapsed, 3)}


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


def measure_gunicorn(database_url: str, article_path: str, floor_path: str, *, seconds: int, rounds: int, log):
    port = _free_port()
    env = {**os.environ, **BENCH_ENV, "DJANGO_SETTINGS_MODULE": "bench.settings", "ALLOWED_HOSTS": "127.0.0.1",
           "DATABASE_URL": database_url}
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
                  "rounds": rounds, "seconds_each": seconds, "connections": 8,
                  "load_generator": "wrk" if shutil.which("wrk") else "bench.loadgen"}
        result["share"] = round(result["article_rps"] / result["floor_rps"], 2)
        log(f"  gunicorn: article {result['article_rps']} req/s, floor {result['floor_rps']} req/s "
            f"({result['share']:.0%})")
        return result
    finally:
        process.terminate()
        process.wait(timeout=30)


# --- report


def table(report: dict) -> str:
    sizes = [run["size"] for run in report["runs"]]
    header = "| page | " + " | ".join(f"{s:,} posts: queries · median · p95 · × floor" for s in sizes) + " |"
    lines = [header, "|---|" + "---|" * len(sizes)]
    by_size = [{row["page"]: row for row in run["pages"]} for run in report["runs"]]
    for name in by_size[0]:
        cells = []
        for rows in by_size:
            row = rows[name]
            cells.append(f"{row['queries']} · {row['median_ms']:.1f} ms · {row['p95_ms']:.1f} ms · {row['ratio']:.2f}×")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    verify = " | ".join(f"{run['verify']['events']:,} events in {run['verify']['seconds']:.2f} s"
                        for run in report["runs"])
    lines.append(f"| verify_audit | {verify} |")
    return "\n".join(lines)


def check_targets(report: dict) -> list[tuple[str, bool, str]]:
    runs = report["runs"]
    big = {row["page"]: row for row in runs[-1]["pages"]}
    checks = []
    worst = max(big.values(), key=lambda r: r["queries"])
    checks.append((f"every page <= {MAX_QUERIES} queries at {runs[-1]['size']:,} posts",
                   worst["queries"] <= MAX_QUERIES, f"most: {worst['page']} with {worst['queries']}"))
    if len(runs) > 1:
        small = {row["page"]: row["queries"] for row in runs[0]["pages"]}
        differ = [name for name, row in big.items() if row["queries"] != small[name]]
        checks.append(("query counts identical at every size", not differ, ", ".join(differ) or "all equal"))
    queue = [row for name, row in big.items() if name.startswith("queue")]
    checks.append((f"approval queue <= {QUEUE_MAX_RATIO}x floor",
                   all(r["ratio"] <= QUEUE_MAX_RATIO for r in queue),
                   ", ".join(f"{r['page'][7:]} {r['ratio']}x" for r in queue)))
    checks.append((f"approval queue median < {QUEUE_MAX_MEDIAN_MS:.0f} ms",
                   all(r["median_ms"] < QUEUE_MAX_MEDIAN_MS for r in queue),
                   ", ".join(f"{r['page'][7:]} {r['median_ms']} ms" for r in queue)))
    article = big["public article"]
    checks.append((f"public article <= {ARTICLE_MAX_RATIO}x floor", article["ratio"] <= ARTICLE_MAX_RATIO,
                   f"{article['ratio']}x"))
    verify = runs[-1]["verify"]
    checks.append((f"verify_audit over {verify['events']:,} events < {VERIFY_MAX_S:.0f} s",
                   verify["seconds"] < VERIFY_MAX_S, f"{verify['seconds']} s"))
    if report.get("gunicorn"):
        share = report["gunicorn"]["share"]
        checks.append((f"gunicorn article >= {GUNICORN_MIN_SHARE:.0%} of floor req/s", share >= GUNICORN_MIN_SHARE,
                       f"{share:.0%}"))
    return checks


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,10000", help="post counts, comma-separated")
    parser.add_argument("--reps", type=int, default=40, help="timed requests per page and per floor")
    parser.add_argument("--no-gunicorn", action="store_true", help="skip the load test through gunicorn")
    parser.add_argument("--gunicorn-seconds", type=int, default=8)
    parser.add_argument("--gunicorn-rounds", type=int, default=2)
    parser.add_argument("--json", default=str(RESULTS / "latest.json"), help="where to write the results")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    log = (lambda *a: None) if args.quiet else (lambda *a: print(*a, flush=True))

    database_url = os.environ.get("DATABASE_URL", "")
    postgres = database_url.startswith(("postgres://", "postgresql://"))
    os.environ.update(BENCH_ENV)
    if not postgres:
        RESULTS.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{RESULTS / 'unused.sqlite3'}"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings, setup_test_environment

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
            "runs": [],
        }
        log(f"MedReview benchmark on {connection.vendor}, {args.reps} requests per page; "
            f"load average {load[0]:.2f} on {os.cpu_count()} CPUs")
        for size in sizes:
            log(f"\n{size:,} posts")
            counts = prepare_database(size, postgres=postgres, log=log)
            log(f"  data: {counts}")
            run = {"size": size, "data": counts, "pages": measure_pages(size, args.reps, log),
                   "verify": measure_verify()}
            log(f"  verify_audit: {run['verify']['events']:,} events in {run['verify']['seconds']} s")
            report["runs"].append(run)
        if not args.no_gunicorn:
            last = report["runs"][-1]
            article = next(r for r in last["pages"] if r["page"] == "public article")
            db_url = database_url if postgres else f"sqlite:///{connection.settings_dict['NAME']}"
            slug = article["url"].rstrip("/").rsplit("/", 1)[-1]
            report["gunicorn"] = measure_gunicorn(db_url, article["url"], f"/__floor__/blog/{slug}/",
                                                  seconds=args.gunicorn_seconds, rounds=args.gunicorn_rounds, log=log)
        report["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    report["targets"] = [{"target": t, "holds": ok, "measured": m} for t, ok, m in check_targets(report)]
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(report, indent=1, default=str))
    print()
    print(table(report))
    if report.get("gunicorn"):
        g = report["gunicorn"]
        print(f"\ngunicorn, 4 workers, {g['load_generator']}: article {g['article_rps']} req/s, "
              f"floor {g['floor_rps']} req/s ({g['share']:.0%})")
    print(f"\nload average at start {report['load_average_at_start']}, at end {report['load_average_at_end']} "
          f"on {report['cpus']} CPUs")
    print("\nTargets:")
    for target in report["targets"]:
        print(f"  [{'ok' if target['holds'] else 'FAIL'}] {target['target']}: {target['measured']}")
    print(f"\nResults: {args.json}")
    return 0
