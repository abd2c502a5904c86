"""System checks of the review app: the record keys must match the records (review.key_check)."""

from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from review import key_check


@register(Tags.database)
def record_keys_match_the_records(app_configs=None, databases=None, **kwargs):
    """Run by `migrate` and `check --database default`: those are given the databases to query."""
    if not databases or "default" not in databases:
        return []
    try:
        problem = key_check.problem()
    except DatabaseError:
        return []  # not migrated yet: there are no records to match
    return [Error(problem, id="review.E001")] if problem else []
