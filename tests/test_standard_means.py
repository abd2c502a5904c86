"""Product code uses Django and the standard library through their public names only: an upgrade of either
must not be able to break it silently (nor make the audit verifier read a break as tampering)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("config", "content", "claims", "review", "editor", "public", "wpimport", "background", "api", "webhooks")
# Internals that product code once reached into, by name: the ORM's compiler and result caches, CPython's
# JSON encoder, ModelBackend's permission cache.
KNOWN_INTERNALS = ("_iterable_class", "klass_info", "get_related_populators", "results_iter", "c_make_encoder",
                   "_perm_cache", "_result_cache", ".query.get_compiler", "_default_manager")
# Underscored, yet Django's documented model API: `Model._meta` (the Options API) and `Model._state`
# (`adding`, `db`; see "Customizing model loading" in the model instance reference).
DOCUMENTED = {"_meta", "_state"}
# Files allowed an internal name for now: none (review/prepared.py is gone; review/keyed_hash.py uses hmac,
# hashlib and json's public API).
ALLOWED_FOR_NOW: set[str] = set()


def product_files():
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in name and name not in ALLOWED_FOR_NOW:
                yield name, path.read_text(encoding="utf-8")


def our_own_names(trees) -> set[str]:
    """Names product code defines itself: functions, classes, variables, and attributes it sets on `self`/`cls`."""
    names = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)
                  and isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"}):
                names.add(node.attr)
    return names


def private_names_used(name: str, tree, own: set[str]) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            used = node.attr
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] not in PRODUCT and node.level == 0:
            found += [f"{name}:{node.lineno} imports {a.name} from {node.module}"
                      for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
            continue
        else:
            continue
        # `super()._hook(...)`: a parent's private method, overridden (Paginator._get_page once was), even though
        # defining the override makes the name look like our own.
        of_a_parent = (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Call)
                       and isinstance(node.value.func, ast.Name) and node.value.func.id == "super")
        if (used.startswith("_") and not used.startswith("__") and (used not in own or of_a_parent)
                and used not in DOCUMENTED):
            found.append(f"{name}:{node.lineno} uses .{used}")
    return found


def test_product_code_names_no_known_internal_of_django_or_python():
    found = [f"{name}: {internal}" for name, text in product_files() for internal in KNOWN_INTERNALS
             if internal in text]
    assert found == []


def test_product_code_uses_no_underscored_name_it_does_not_define_itself():
    files = [(name, ast.parse(text, name)) for name, text in product_files()]
    own = our_own_names(tree for _, tree in files)
    assert [problem for name, tree in files for problem in private_names_used(name, tree, own)] == []


def test_private_names_check_finds_what_it_looks_for():
    sample = ast.parse(
        "from django.db.models.query import _Foo\n"
        "def read(user, qs):\n"
        "    user._perm_cache = set()\n"
        "    return qs._result_cache, user._meta, self._mine\n"
        "class A:\n"
        "    def __init__(self):\n"
        "        self._mine = 1\n"
        "class Pages(Paginator):\n"
        "    def _get_page(self, *args):\n"
        "        return super()._get_page(*args)\n")
    own = our_own_names([sample])
    assert private_names_used("sample.py", sample, own) == [
        "sample.py:1 imports _Foo from django.db.models.query",
        "sample.py:3 uses ._perm_cache",
        "sample.py:4 uses ._result_cache",
        "sample.py:10 uses ._get_page",
    ]
