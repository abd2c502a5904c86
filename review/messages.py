"""Every sentence the workflow says to people when it refuses or explains an action: one place for the wording."""

from django.utils import timezone

# What each audit action did, as a sentence's verb phrase ("Dr. Tan approved it at 10:04").
ACTION_WORDS = {
    "create": "started the post",
    "submit": "submitted it for review",
    "withdraw": "withdrew it from review",
    "request_changes": "requested changes",
    "resubmit": "resubmitted it",
    "approve": "approved it",
    "renew_review": "renewed its review",
    "publish": "published it",
    "schedule": "scheduled it",
    "unschedule": "cancelled its schedule",
    "publish_scheduled": "published it on schedule",
    "reopen": "started a new draft",
    "unpublish": "unpublished it",
    "archive": "archived it",
    "restore": "restored it",
    "sign": "signed it",
    "save": "saved a new version",
    "claim": "claimed it",
    "assign": "assigned it to a reviewer",
    "justify": "justified wording the claims check blocks",
    "comment": "commented",
    "comment_resolved": "resolved a comment",
    "comment_reply": "replied to a comment",
    "set_due_date": "set the date the review is due",
    "sign_failed": "tried to sign with a wrong password",
    "signing_locked": "was locked out of signing",
    "rereview_due": "re-review became due",
}


def action_words(action: str) -> str:
    return ACTION_WORDS.get(action) or action.replace("_", " ")


def conflict(last_event, state_label: str, *, user=None) -> str:
    """Why a form loaded earlier no longer applies: who did what since, and when."""
    if last_event is None:
        return "This post changed since you opened it. Reload the page to see its current state."
    when = timezone.localtime(last_event.created_at).strftime("%H:%M")
    what = action_words(last_event.action)
    if user is not None and last_event.actor_id == user.pk:
        return (f"You already {what} at {when}, so nothing more was done. "
                f"The post is now {state_label.lower()}.")
    return (f"{last_event.actor_name} {what} at {when}, so your action was not applied. "
            f"The post is now {state_label.lower()}; reload to see it.")


def refusal(workflow, name: str) -> str:
    """Why the post's state does not allow the transition `name` now."""
    state = workflow.get_state_display().lower()
    if name in {"approve", "publish", "schedule", "publish_scheduled"}:
        return (f"This post cannot be {'approved' if name == 'approve' else 'published'} yet: "
                "its current version does not carry every required sign-off.")
    if name == "unpublish":
        return "This post is not on the public site, so there is nothing to unpublish."
    if name == "archive" and workflow.post.is_live:
        return "A post that is on the public site must be unpublished, not archived."
    if name == "renew_review":
        return "This article's review is still current; there is nothing to renew yet."
    return f"You cannot {name.replace('_', ' ')} a post that is {state}."


def not_permitted(name: str) -> str:
    return f"You may not {name.replace('_', ' ')} this post."


NO_REVIEWER_PROFILE = ("Your account is in the medical reviewer group, but it has no active reviewer profile yet: "
                       "the name, credentials and registration number your signature carries. Ask an administrator "
                       "to add it (Admin › Reviewer profiles); the queue opens here as soon as it exists.")
QUEUE_IS_FOR_REVIEWERS = ("The review queue is for medical reviewers. If you review articles, ask an administrator "
                          "to add you to the medical reviewer group with a reviewer profile.")
NOT_A_REVIEWER = "Only reviewers with an active reviewer profile can do this."
INVOLVED = "You wrote, edited or justified wording in this post, so someone else must review it."
MAY_NOT_EDIT = "You may not edit this post."
MAY_NOT_COMMENT = "You may not comment on this post."
ONLY_PUBLISHERS_ASSIGN = "Only publishers can assign posts to reviewers."
CHOOSE_REVIEWER = "Choose a reviewer with an active profile who had no hand in this post."
EMPTY_COMMENT = "A comment cannot be empty."
SAY_WHAT_CHANGES = "Say what needs to change before sending the post back."
QUOTE_GONE = "The selected passage is not in this version of the post. Reload the page and select it again."
FUTURE_TIME = "Choose a time in the future, or publish now."
NEWER_VERSION_SAVED = ("Someone saved a newer version of this post while you were editing. "
                       "Your text is still in the form: copy it, reload, and merge your changes.")
SLUG_CHARACTERS = "Use only letters, numbers, hyphens and underscores in the address."
MAY_NOT_MOVE = "Only publishers may change a post's address."
SLUG_REQUIRED = "Give the post an address."
ACCOUNT_FIXED = ("This reviewer has signed with this account, so the profile cannot move to another account: a "
                 "signature belongs to one person. Give the other person a profile of their own.")
PASSWORD_SET_BY_OTHER_HELP = ("A medical reviewer whose password someone else sets must choose their own before "
                              "signing again.")
SET_OWN_PASSWORD = ("Someone else set your password, so you cannot sign until you choose your own: a signature must "
                    "be made by you alone. Nothing was signed.")
SLUG_FIXED = "This post has been published; its address can no longer change."
ATTEST = "Tick the attestation to sign."
WRONG_PASSWORD = "That password is not correct. Nothing was signed."


def slug_taken(slug: str) -> str:
    return f"Another post already uses the address “{slug}”. Choose another."


def edit_refusal(workflow, *, frozen: bool) -> str:
    if frozen:
        return "This post is with a reviewer and cannot change. Withdraw it first to edit."
    return f"This post is {workflow.get_state_display().lower()}. Restore it first to edit."


def not_waiting(workflow) -> str:
    return f"A post that is {workflow.get_state_display().lower()} is not waiting for a reviewer."


def already_taken(name: str) -> str:
    return f"{name} has already taken this post. Reload the queue to see who works on what."


def justification_too_long(limit: int) -> str:
    return f"Keep each justification under {limit} characters."


def submit_blocked(described: str) -> str:
    return ("Not submitted: the claims check blocks " + described + ". "
            "Change the wording, or record why it must stay for each one; the reviewer sees your reasons.")


def signing_locked(until) -> str:
    return f"Signing is locked after too many wrong passwords. Try again after {timezone.localtime(until):%H:%M}."


def registration_lapsed(verified_until) -> str:
    return (f"Your registration was verified only until {verified_until:%d %b %Y}. "
            "Ask an administrator to renew the verification before you review or sign.")


def checklist_incomplete(unticked) -> str:
    return f"Complete the checklist before signing: {'; '.join(unticked)}."


def acknowledge_warnings(described: str) -> str:
    return f"Acknowledge each claims warning before signing: {described}."


def review_current(until) -> str:
    if until is None:
        return "This article's review cannot be renewed now."
    return f"The review of this article is current until {timezone.localtime(until):%d %b %Y}; there is nothing to renew yet."


ALREADY_SIGNED = "You have already signed this version. It is waiting for the other sign-offs."


def cannot_sign(workflow) -> str:
    return f"A post that is {workflow.get_state_display().lower()} cannot be signed."
EMPTY_BODY = "The body has no words yet. Write the article before sending it for review."
SAY_WHY_UNPUBLISH = "Say why the post comes off the site; the reason is kept in the audit trail and sent to the author."
NOTE_TOO_LONG = "Keep the note under {limit:,} characters."
DUE_DATE_PAST = "Choose today or a later date."
