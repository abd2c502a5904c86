"""Who a signature belongs to: a reviewer's identity changes only in the open (21 CFR 11.100, 11.300).

A reviewer profile's account never changes once it has signed. Changes to a reviewer's name, credentials,
registration number, account or address are audit events; so is every password set on a reviewer's account,
saying whether its owner set it. After someone else sets it (an administrator, the `changepassword` command, a
script) the reviewer must choose their own before signing again (`review.rules.must_set_own_password`), which
the reviewer's profile says (`ReviewerProfile.password_set_by_other`, written here and nowhere else).

Who is acting comes from the request being answered (`ActingUserMiddleware`); outside a request (a command, a
shell) nobody is, and the audit trail says "system".
"""

from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.db import transaction

from review import audit, messages, signals

# The user of the request being answered; None outside a request.
_acting_request = ContextVar("acting_request", default=None)

# Audit actions about a reviewer's password; the newest says whether they may sign (review.rules).
PASSWORD_SET_BY_OTHER = "password_set_by_other"
PASSWORD_SET_BY_OWNER = "password_set_by_owner"
PASSWORD_ACTIONS = (PASSWORD_SET_BY_OTHER, PASSWORD_SET_BY_OWNER)
# What a signature's printed line and the reviewer's identity are made of: each change is audited.
IDENTITY_FIELDS = ("user_id", "honorific", "display_name", "credentials", "registration_number",
                   "registering_body", "slug")


class ActingUserMiddleware:
    """Remembers, while a request is answered, the request: its user is who sets a password or edits a profile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _acting_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _acting_request.reset(token)


def acting_user():
    """The signed-in user of the request being answered, or None (no request, or nobody signed in)."""
    request = _acting_request.get()
    user = getattr(request, "user", None) if request is not None else None
    return user if user is not None and user.is_authenticated else None


def in_request() -> bool:
    return _acting_request.get() is not None


# --- passwords


class PasswordSetRecorder:
    """A password validator that checks nothing: Django calls its `password_changed` after any new password is
    saved (a form, the admin, `changepassword`, `set_password` and `save` in code), which records who set it."""

    def validate(self, password, user=None):
        return None

    def get_help_text(self):
        return messages.PASSWORD_SET_BY_OTHER_HELP

    def password_changed(self, password, user=None):
        if user is not None and user.pk is not None:
            password_set(user)


@transaction.atomic
def password_set(account) -> None:
    """Audit a new password on a reviewer's account: by its owner (signed in as themselves, or through the
    emailed reset link, which only the owner receives), or by someone else; and say on the reviewer's profile
    whether they must choose their own before signing (`ReviewerProfile.password_set_by_other`)."""
    from review.models import ReviewerProfile

    profile = getattr(account, "reviewer_profile", None)
    if profile is None:
        return
    actor = acting_user()
    by_owner = (actor is not None and actor.pk == account.pk) or (actor is None and in_request())
    how = "signed in" if actor is not None else ("emailed reset link" if in_request() else "command line or script")
    audit.record(PASSWORD_SET_BY_OWNER if by_owner else PASSWORD_SET_BY_OTHER,
                 actor=account if by_owner else actor,
                 detail={"account_id": account.pk, "username": account.get_username(), "how": how})
    profile.password_set_by_other = not by_owner
    ReviewerProfile.objects.filter(pk=profile.pk).update(password_set_by_other=not by_owner)


def password_set_by_other_last(account_id) -> bool:
    """Whether the newest password audited for this account was set by someone else: what a profile given this
    account says (`ReviewerProfile.password_set_by_other`)."""
    from review.models import AuditEvent

    newest = (AuditEvent.objects.filter(action__in=PASSWORD_ACTIONS, detail__account_id=account_id)
              .order_by("-seq").values_list("action", flat=True).first())
    return newest == PASSWORD_SET_BY_OTHER


# --- reviewer profiles


def has_signed(profile) -> bool:
    from review.models import Signature

    return profile.pk is not None and Signature.objects.filter(reviewer_id=profile.pk).exists()


@transaction.atomic
def profile_saving(profile) -> None:
    """Before `profile` is saved: refuse a new account once it has signed; audit what changes of its identity;
    let its old address redirect to the new one. Whether the account's password was set by someone else last is
    this module's to say (`password_set`): a save keeps what the database holds, or reads it for a new account."""
    from review.models import ReviewerProfile

    before = None
    if profile.pk is not None:
        before = (ReviewerProfile.objects.select_for_update().filter(pk=profile.pk)
                  .values(*IDENTITY_FIELDS, "password_set_by_other").first())
    if before is None or before["user_id"] != profile.user_id:
        profile.password_set_by_other = password_set_by_other_last(profile.user_id)
    else:
        profile.password_set_by_other = before["password_set_by_other"]
    if before is None:
        return
    changes = {field: [before[field], getattr(profile, field)] for field in IDENTITY_FIELDS
               if before[field] != getattr(profile, field)}
    if not changes:
        return
    if "user_id" in changes and has_signed(profile):
        raise ValidationError({"user": messages.ACCOUNT_FIXED})
    audit.record("reviewer_changed", actor=acting_user(),
                 detail={"profile_id": profile.pk, "changes": changes})
    if "slug" in changes:
        signals.address_changed.send(sender=type(profile), kind="reviewer", old_slug=before["slug"],
                                     new_slug=profile.slug)
