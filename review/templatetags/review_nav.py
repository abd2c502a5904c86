"""Template tags other apps use to show workflow facts without importing its internals."""

from django import template

from review import queue
from review.rules import is_reviewer, uses_editor

register = template.Library()


@register.simple_tag(takes_context=True)
def waiting_for_review_count(context, user) -> int | None:
    """How many posts wait for a reviewer (the queue's Waiting tab); None for users who do not review.

    The queue page has just counted its tabs: it passes the number as `waiting_count`, not to count twice.
    """
    if not is_reviewer(user):
        return None
    known = context.get("waiting_count")
    return known if known is not None else queue.waiting_count(user)


@register.filter
def may_use_editor(user) -> bool:
    """Whether the navigation offers the editor: writers and publishers."""
    return uses_editor(user)
