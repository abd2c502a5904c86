"""The states of a post's working copy, and the named groups that templates and queries use."""

from django.db import models


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


# The author may change the text without leaving the state.
EDITABLE_STATES = frozenset({State.DRAFT, State.CHANGES_REQUESTED})
# Editing text here starts a new working draft; the approval stays with the old revision.
REOPEN_ON_EDIT_STATES = frozenset({State.APPROVED, State.SCHEDULED, State.PUBLISHED})
# A reviewer's decision is wanted here: the version in review, or (when its review is due) the live one.
DECISION_STATES = frozenset({State.IN_REVIEW, State.PUBLISHED})
# The text is frozen while a reviewer looks at it.
FROZEN_STATES = frozenset({State.IN_REVIEW})
# States in which the working copy carries the required sign-offs.
SIGNED_OFF_STATES = frozenset({State.APPROVED, State.SCHEDULED, State.PUBLISHED})
# Whose move it is, for the editor's "who has it now" column.
WITH_AUTHOR_STATES = frozenset({State.DRAFT, State.CHANGES_REQUESTED})
WITH_REVIEWER_STATES = frozenset({State.IN_REVIEW})
WITH_PUBLISHER_STATES = frozenset({State.APPROVED, State.SCHEDULED})


class Meaning(models.TextChoices):
    """What a signer attests to; each reviewer profile signs with one meaning."""

    MEDICAL = "medical", "Medical accuracy review"
    COMPLIANCE = "compliance", "Compliance review"
