"""Template tags other apps use to show workflow facts without importing its internals."""

from django import template

from review import queue
from review.permissions import has_reviewer_profile

register = template.Library()


@register.simple_tag
def waiting_for_review_count(user) -> int | None:
    """How many posts wait for a reviewer (the queue's Waiting tab); None for users who do not review."""
    if not has_reviewer_profile(user):
        return None
    return queue.waiting(user).count()
