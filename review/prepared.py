"""Hot reads made cheap: querysets compiled to SQL once per process, and several counts in one query.

For a page read on every request, building and compiling the same ORM query costs more than running it
(1.6 ms of a 2.3 ms public-article read on SQLite; about 5 ms for each of the queue's two reads).
"""

from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, ValuesIterable, get_related_populators

_STR_MARKER = "\x00prepared-value-{}\x00"
_INT_MARKER_BASE = -(10**15)  # far below any primary key, and no query writes it as a constant


def _markers(takes: tuple[type, ...]) -> list:
    """A stand-in for each value, of its type, that the compiled SQL's parameters can be searched for."""
    markers = []
    for n, kind in enumerate(takes):
        if kind is str:
            markers.append(_STR_MARKER.format(n))
        elif kind is int:
            markers.append(_INT_MARKER_BASE - n)
        else:
            raise TypeError(f"a prepared read takes str and int values, not {kind.__name__}")
    return markers


def _slots(params, markers) -> list[int | None]:
    """For each parameter of the compiled SQL, which value goes there (None: a constant of the query)."""
    slots = []
    for param in params:
        slot = next((n for n, marker in enumerate(markers) if type(param) is type(marker) and param == marker), None)
        if slot is None and isinstance(param, str) and "\x00prepared-value-" in param:
            raise ValueError("a value must reach the SQL unchanged (not inside a pattern or a function)")
        slots.append(slot)
    if {slot for slot in slots if slot is not None} != set(range(len(markers))):
        raise ValueError("each value must reach the SQL")
    return slots


class _Compiled:
    """Compiles `build(*values)` once per database alias and runs its SQL with new values."""

    def __init__(self, build: Callable, takes: tuple[type, ...]):
        self._build = build
        self._takes = takes
        self._compiled = {}  # by database alias: compiled for that database's SQL dialect

    def _compile(self, built, alias) -> tuple[str, list, dict]:
        """(sql, params, whatever `_read` needs) for what `build` returned."""
        raise NotImplementedError

    def _read(self, cursor, extra, using):
        raise NotImplementedError

    def __call__(self, *values, using: str = "default"):
        compiled = self._compiled.get(using)
        if compiled is None:
            markers = _markers(self._takes)
            sql, params, extra = self._compile(self._build(*markers), using)
            compiled = self._compiled[using] = (sql, params, _slots(params, markers), extra)
        sql, params, slots, extra = compiled
        with connections[using].cursor() as cursor:
            cursor.execute(sql, [p if slot is None else values[slot] for p, slot in zip(params, slots)])
            return self._read(cursor, extra, using)


class Prepared(_Compiled):
    """`build(*values)` makes the queryset; calling the Prepared runs its SQL with new `values` (of the
    types in `takes`) and returns what iterating the queryset would: model instances with their
    `select_related` objects and annotations, or dicts for a `.values()` queryset.

    Only for querysets whose SQL depends on nothing but `values` (no dates, no settings, no slicing by them):
    whatever else shapes it belongs in the key of whoever keeps the Prepared (see `review.queue`).
    """

    def __init__(self, build: Callable[..., QuerySet], takes: tuple[type, ...] = (str,)):
        super().__init__(build, takes)

    def _compile(self, queryset, alias):
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()  # also fills compiler.select and klass_info, as iterating would
        if queryset._iterable_class is ValuesIterable:  # .values(): dicts, as iterating it gives
            query = queryset.query
            return sql, params, {"compiler": compiler,
                                 "names": [*query.extra_select, *query.values_select, *query.annotation_select]}
        if queryset._iterable_class is not ModelIterable:
            raise TypeError("a prepared read gives model instances or .values() dicts")
        klass_info = compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return sql, params, {
            "compiler": compiler, "model": klass_info["model"], "fields": (start, end),
            "init_list": [col[0].target.attname for col in compiler.select[start:end]],
            "populators": get_related_populators(klass_info, compiler.select, alias),
            "annotations": compiler.annotation_col_map.items(),
        }

    def _read(self, cursor, extra, using):
        if "names" in extra:
            names = extra["names"]
            return [dict(zip(names, row)) for row in extra["compiler"].results_iter([cursor.fetchall()])]
        start, end = extra["fields"]
        found = []
        for row in extra["compiler"].results_iter([cursor.fetchall()]):
            obj = extra["model"].from_db(using, extra["init_list"], row[start:end])
            for populator in extra["populators"]:
                populator.populate(row, obj)
            for name, position in extra["annotations"]:
                setattr(obj, name, row[position])
            found.append(obj)
        return found


def _counting_sql(querysets, using) -> tuple[str, list]:
    parts, params = [], []
    for n, queryset in enumerate(querysets):
        if not queryset.query.is_sliced:
            queryset = queryset.order_by()  # the order of what is only counted is work for nothing
        sql, values = queryset.values("pk").query.get_compiler(using=using).as_sql()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{n})")
        params.extend(values)
    return "SELECT " + ", ".join(parts), params


class PreparedCounts(_Compiled):
    """How many rows each queryset of `build(*values)` has, in one query of one scalar subquery per count,
    compiled once (`build` returns the same names for any values).

    Each count keeps its own plan (its own index), as `.count()` would; what goes is a round trip and the
    ORM's aggregation machinery per count.
    """

    def __init__(self, build: Callable[..., dict[str, QuerySet]], takes: tuple[type, ...] = (str,)):
        super().__init__(build, takes)

    def _compile(self, querysets, alias):
        sql, params = _counting_sql(querysets.values(), alias)
        return sql, params, tuple(querysets)

    def _read(self, cursor, names, using):
        return dict(zip(names, cursor.fetchone(), strict=True))
