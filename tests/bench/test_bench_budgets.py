"""The bench's budgets: what passes, what fails, and what a run too small to judge leaves unchecked."""

import pytest

from bench.run import WORK_PAGES, check_budgets

PAGE_NAMES = [*WORK_PAGES, "editor dashboard", "public article", "bare Django: queue"]


def _run(size, *, queries=6, median=10.0, p95=20.0, verify_s=5.0, **overrides):
    pages = []
    for name in PAGE_NAMES:
        row = {"page": name, "queries": queries, "median_ms": median, "p95_ms": p95, "floor_median_ms": 1.0}
        if name == "public article":
            row.update(median_ms=median / 5, p95_ms=p95 / 5)
        row.update(overrides.get(name, {}))
        pages.append(row)
    return {"size": size, "pages": pages, "verify": {"events": 10 * size, "seconds": verify_s}}


def _report(*runs, rps=800.0, shape_seconds=0.2):
    return {
        "runs": list(runs),
        "gunicorn": {"size": runs[-1]["size"], "article_rps": rps},
        "pathological": {"bytes": 204800, "max_body_bytes": 204800,
                         "shapes": [{"shape": "open brackets", "seconds": shape_seconds, "stopped_after": 10.0}],
                         "worst": {"shape": "open brackets", "seconds": shape_seconds, "stopped_after": 10.0}},
    }


def _status(report):
    return {budget["budget"]: budget["status"] for budget in check_budgets(report)}


def test_budgets_pass_a_run_within_every_budget():
    status = _status(_report(_run(100), _run(100_000), rps=800.0))
    assert set(status.values()) == {"PASS"}


@pytest.mark.parametrize(("report", "budget"), [
    (_report(_run(100, **{"review page": {"queries": 16}}), _run(100_000, **{"review page": {"queries": 16}})),
     "every page <= 15 queries"),
    (_report(_run(100), _run(100_000, **{"queue: signed": {"queries": 7}})), "the same query count at every size"),
    (_report(_run(100_000, **{"queue: waiting": {"median_ms": 25.5}})),
     "queue: waiting: median <= 25 ms at 100,000 posts"),
    (_report(_run(100_000, **{"review page": {"p95_ms": 50.1}})), "review page: p95 <= 50 ms at 100,000 posts"),
    (_report(_run(100_000, **{"public article": {"median_ms": 5.2}})),
     "public article: median <= 5 ms at 100,000 posts"),
    (_report(_run(100_000, verify_s=10.5)), "verify_audit <= 10 s for 1,000,000 events"),
    (_report(_run(100_000), rps=499.0), "public article through gunicorn >= 500 requests/s"),
    (_report(_run(100_000), shape_seconds=None), "every pathological body (render and claims check) <= 1 s of CPU"),
    (_report(_run(100_000), shape_seconds=1.2), "every pathological body (render and claims check) <= 1 s of CPU"),
])
def test_budgets_fail_what_is_over_its_budget(report, budget):
    status = _status(report)
    assert status[budget] == "FAIL"
    assert list(status.values()).count("FAIL") == 1


def test_budgets_judge_a_pathological_body_by_its_cpu_time_not_the_busy_machine_wall_time():
    within, over = _report(_run(100_000)), _report(_run(100_000))
    within["pathological"]["shapes"][0].update(seconds=3.0, cpu_seconds=0.6)
    over["pathological"]["shapes"][0].update(seconds=0.9, cpu_seconds=1.1)
    budget = "every pathological body (render and claims check) <= 1 s of CPU"
    assert (_status(within)[budget], _status(over)[budget]) == ("PASS", "FAIL")


def test_budgets_leave_the_bare_django_rows_unchecked():
    status = _status(_report(_run(100, **{"bare Django: queue": {"queries": 30}}),
                             _run(100_000, **{"bare Django: queue": {"queries": 40, "median_ms": 99.0}})))
    assert set(status.values()) == {"PASS"}


def test_budgets_skip_the_time_budgets_below_100000_posts():
    report = _report(_run(10, median=99.0, p95=99.0, verify_s=99.0), _run(40, median=99.0, p95=99.0), rps=1.0)
    report["pathological"]["bytes"] = 1024
    status = _status(report)
    assert status["every page <= 15 queries"] == "PASS"
    assert status["the same query count at every size"] == "PASS"
    assert {s for budget, s in status.items() if "queries" not in budget and "query" not in budget} == {"SKIP"}



def test_budgets_skip_what_a_run_of_some_rows_left_out():
    # `--rows "queue: waiting"`: one page, no verify_audit, no pathological bodies, no gunicorn.
    run = _run(100_000, **{"queue: waiting": {"median_ms": 30.0}})
    run["pages"] = [row for row in run["pages"] if row["page"] == "queue: waiting"]
    run["verify"] = None
    status = _status({"runs": [run]})
    assert status["queue: waiting: median <= 25 ms at 100,000 posts"] == "FAIL"
    assert status["every page <= 15 queries"] == "PASS"
    assert status["review page: median <= 25 ms at 100,000 posts"] == "SKIP"
    assert status["verify_audit <= 10 s for 1,000,000 events"] == "SKIP"
    assert status["every pathological body (render and claims check) <= 1 s of CPU"] == "SKIP"


def test_rows_choose_by_name_prefix():
    from bench.run import wanted

    assert wanted("queue: waiting", None)
    assert wanted("queue: waiting", ["queue"]) and wanted("verify_audit", ["queue", "verify_audit"])
    assert not wanted("review page", ["queue"]) and not wanted("gunicorn", [])
