"""Which workflow actions a user may take on a post now: the one answer every page's buttons come from."""

from django_fsm import has_transition_perm

# The actions a writer or publisher starts from the editor, in the order their buttons appear,
# with the words on each button.
EDITOR_ACTIONS = {
    "submit": "Submit for review",
    "withdraw": "Withdraw",
    "resubmit": "Resubmit",
    "publish": "Publish",
    "schedule": "Schedule",
    "unschedule": "Cancel schedule",
    "publish_scheduled": "Publish now",  # a scheduled post past its time (review.models.schedule_is_due)
    "unpublish": "Unpublish",
    "archive": "Archive",
    "restore": "Restore",
}


def allowed_actions(workflow, user) -> list[str]:
    """The editor actions whose conditions hold and which `user` is permitted, in button order.

    `has_transition_perm` checks the source state, the conditions and the permission, which are
    `review.rules` predicates: the buttons, the services and the state machine agree by construction.
    """
    from review.models import signoffs_read_once

    with signoffs_read_once():
        return [name for name in EDITOR_ACTIONS if has_transition_perm(getattr(workflow, name), user)]
