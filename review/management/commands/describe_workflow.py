"""Print the state machine, read from the code, as the Markdown table kept in docs/workflow.md."""

from django.core.management.base import BaseCommand

from review.models import Workflow
from review.states import State


def _name(func) -> str:
    return getattr(func, "__name__", str(func)).replace("_", " ")


def _target(target) -> str:
    """A state's label; a transition whose method chooses among states (django-fsm's RETURN_VALUE) lists them."""
    choices = getattr(target, "allowed_states", None)
    if choices:
        return " or ".join(State(state).label for state in choices)
    return State(target).label


def workflow_table() -> str:
    field = Workflow._meta.get_field("state")
    rows = []
    for t in field.get_all_transitions(Workflow):
        rows.append((
            t.name,
            State(t.source).label if t.source in State.values else t.source,
            _target(t.target),
            ", ".join(_name(c) for c in t.conditions) or "—",
            _name(t.permission) if t.permission else "the scheduler only",
        ))
    rows.sort(key=lambda r: (list(State.labels).index(r[1]) if r[1] in State.labels else 99, r[0]))
    lines = ["| transition | from | to | conditions | who may |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| `{n}` | {s} | {t} | {c} | {p} |" for n, s, t, c, p in rows]
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Print the review state machine (transitions, conditions, permissions) as a Markdown table."

    def handle(self, *args, **options):
        self.stdout.write(workflow_table(), ending="")
