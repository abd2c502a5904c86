"""The project's apps depend on each other one way: no import cycle between apps, and content knows nothing of claims.

Every `import` and `from … import` in an app's modules counts, including those inside functions
(a lazy import is still a dependency) and migrations; tests are not part of any app.
"""

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# background is not listed yet: its admin asks review.rules who may watch the tasks, while review queues its
# work through background, a cycle still to undo.
APPS = ("config", "content", "claims", "review", "editor", "public", "wpimport", "api", "webhooks")


def imported_apps(path: Path) -> set[str]:
    """The project apps a module imports, by the first part of each imported name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return {name.split(".")[0] for name in names} & set(APPS)


def app_graph() -> dict[str, set[str]]:
    """app -> the other apps its modules import."""
    return {app: set().union(*(imported_apps(p) for p in (REPO / app).rglob("*.py"))) - {app} for app in APPS}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle found by a depth-first walk, each as the path that closes it."""
    found, done = [], set()

    def walk(node, path):
        if node in path:
            found.append(path[path.index(node):] + [node])
            return
        if node in done:
            return
        for target in sorted(graph.get(node, ())):
            walk(target, path + [node])
        done.add(node)

    for app in sorted(graph):
        walk(app, [])
    return found


def test_app_graph_finds_a_cycle_when_there_is_one():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_apps_import_each_other_without_a_cycle():
    graph = app_graph()
    assert cycles(graph) == [], {app: sorted(deps) for app, deps in graph.items()}


def test_claims_builds_on_content_and_content_knows_nothing_of_claims():
    graph = app_graph()
    assert "claims" not in graph["content"]
    assert graph["claims"] <= {"content"}, "the claims check stands on its own: no review, editor or public"
