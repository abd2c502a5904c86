"""Every change to a post goes through here: check, transition, save, audit, notify — one path for each.

`transitions` holds that path and the state changes; `drafts` writing; `comments`; `signoff` signing;
`assignment` claiming and assigning; `scheduler` the time-driven work. Callers import from this package.
"""

from review.services.addresses import post_change_slug
from review.services.assignment import post_assign, post_claim
from review.services.comments import (COMMENT_MAX_CHARS, comment_add, comment_reply, comment_resolve,
                                      comments_carry_forward)
from review.services.drafts import edit_refusal, post_create, post_save_draft
from review.services.errors import SigningRefused, StaleAction, SubmitBlocked, WorkflowError
from review.services.scheduler import (flag_rereviews_due, publish_due, refresh_review_due, refresh_reviews_due,
                                       refresh_reviews_signed_by, review_due_at)
from review.services.signoff import SIGNING_LOCKOUT, SIGNING_MAX_FAILURES, revision_sign, signing_locked_until
from review.services.transitions import (JUSTIFICATION_MAX_CHARS, NOTE_MAX_CHARS, UNPUBLISH_REASON_MAX_CHARS,
                                         post_archive, post_publish, post_publish_now, post_request_changes,
                                         post_restore, post_resubmit, post_schedule, post_set_due_date, post_submit,
                                         post_unpublish, post_unschedule, post_withdraw, resubmit_note,
                                         transition_post)

__all__ = [
    "COMMENT_MAX_CHARS", "JUSTIFICATION_MAX_CHARS", "NOTE_MAX_CHARS", "UNPUBLISH_REASON_MAX_CHARS", "SIGNING_LOCKOUT",
    "SIGNING_MAX_FAILURES", "SigningRefused", "StaleAction", "SubmitBlocked", "WorkflowError", "comment_add",
    "comment_reply", "comment_resolve", "comments_carry_forward", "edit_refusal", "flag_rereviews_due", "post_archive",
    "post_assign", "post_change_slug", "post_claim", "post_create", "post_publish", "post_publish_now",
    "post_request_changes", "post_restore", "post_resubmit", "post_save_draft", "post_schedule", "post_set_due_date",
    "resubmit_note",
    "post_submit", "post_unpublish", "post_unschedule", "post_withdraw", "publish_due", "refresh_review_due",
    "refresh_reviews_due", "refresh_reviews_signed_by", "review_due_at", "revision_sign", "signing_locked_until",
    "transition_post",
]
