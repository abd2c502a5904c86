"""Which workflow actions a user may take on a post now: the one answer every page's buttons come from."""

from django_fsm import has_transition_perm

from review import permissions
from review.states import EDITABLE_STATES, REOPEN_ON_EDIT_STATES

# The actions a writer or publisher starts from the editor, in the order their buttons appear,
# with the words on each button.
EDITOR_ACTIONS = {
    "submit": "Submit for review",
    "withdraw": "Withdraw",
    "resubmit": "Resubmit",
    "publish": "Publish",
    "schedule": "Schedule",
    "unschedule": "Cancel schedule",
    "unpublish": "Unpublish",
    "archive": "Archive",
    "restore": "Restore",
}


def allowed_actions(workflow, user) -> list[str]:
    """The editor actions whose conditions hold and which `user` is permitted, in button order."""
    allowed = []
    for name in EDITOR_ACTIONS:
        # has_transition_perm checks the source state and the conditions as well as the permission.
        if has_transition_perm(getattr(workflow, name), user):
            allowed.append(name)
    return allowed


def can_edit(workflow, user) -> bool:
    """Whether `user` may save new text for the post now (editing an approved or live post reopens it)."""
    editable = workflow.state in EDITABLE_STATES or workflow.state in REOPEN_ON_EDIT_STATES
    return editable and permissions.can_write(workflow, user)
