"""How workflow refusals reach a browser: one status code and one sentence for each kind."""

from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from review.services.errors import StaleAction, WorkflowError

REFUSALS = (WorkflowError, PermissionDenied, ValidationError, TransitionNotAllowed, ConcurrentTransition)


def status_for(exc: Exception) -> int:
    """400 for a bad request, 403 forbidden, 409 overtaken by someone else."""
    if isinstance(exc, (StaleAction, ConcurrentTransition)):
        return 409
    if isinstance(exc, PermissionDenied):
        return 403
    if isinstance(exc, WorkflowError):
        return exc.status
    return 400


def message_for(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, ConcurrentTransition):
        return "Someone else changed this post a moment ago. Reload to see its current state."
    return str(exc) or "That action is not allowed."
