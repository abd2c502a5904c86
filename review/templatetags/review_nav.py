"""Template tags other apps use to show workflow facts without importing its internals."""

from django import template

from review.models import Workflow
from review.permissions import has_reviewer_profile
from review.states import State

register = template.Library()


@register.simple_tag
def waiting_for_review_count(user) -> int | None:
    """How many posts wait for a reviewer; None for users who do not review."""
    if not has_reviewer_profile(user):
        return None
    return Workflow.objects.filter(state=State.IN_REVIEW).exclude(post__author=user).count()
