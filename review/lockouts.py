"""Login lock-outs (django-axes): when one ends, what the locked-out visitor sees, the audit trail and emails.

django-axes counts failed logins by account and by address and refuses the next ones for a cool-off
time (settings AXES_*). This module adds what 21 CFR 11.300(d) asks of us: each lock-out and each early
release by an administrator is an audit event, and the account's owner and the administrators are told.
"""

import logging
from datetime import datetime

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from config.site import absolute_url
from review import audit, notifications

logger = logging.getLogger(__name__)


def lock_ends_at(request, credentials) -> datetime | None:
    """When the lock on this request's account or address lifts by itself; None if it is not locked.

    Each parameter (account, address) counts the failures of its recent attempt rows; rows age out,
    oldest first, one cool-off after their last failure, and the lock lifts once fewer than the limit
    remain for every parameter.
    """
    limit = get_failure_limit(request, credentials)
    cool_off = get_cool_off(request)
    ends = []
    for attempts in AxesProxyHandler.get_implementation().get_user_attempts(request, credentials):
        rows = list(attempts.order_by("attempt_time").values_list("attempt_time", "failures_since_start"))
        remaining, end = sum(failures for _, failures in rows), None
        for attempt_time, failures in rows:
            if remaining < limit:
                break
            end, remaining = attempt_time + cool_off, remaining - failures
        if end is not None:
            ends.append(end)
    return max(ends, default=None)


def lockout_response(request, original_response, credentials):
    """The login page again (AXES_LOCKOUT_CALLABLE), status 429, saying when to try again."""
    until = lock_ends_at(request, credentials) or timezone.now() + get_cool_off(request)
    form = getattr(original_response, "context_data", {}).get("form") or AuthenticationForm(request)
    response = render(request, "registration/login.html", {
        "form": form,
        "locked_until": timezone.localtime(until),
        "next": request.POST.get("next", ""),
    }, status=429)
    response["Retry-After"] = str(max(1, int((until - timezone.now()).total_seconds())))
    return response


def _account(username: str | None):
    """The account a username names, if any: a username that is no account may be a mistyped password."""
    if not username:
        return None
    return get_user_model().objects.filter(username=username).first()


def _administrator_emails() -> list[str]:
    return list(get_user_model().objects.filter(is_active=True, is_superuser=True)
                .exclude(email="").values_list("email", flat=True))


@receiver(user_locked_out, dispatch_uid="review.lockouts.record_lockout")
def record_lockout(sender, request, username, ip_address, **kwargs):
    # axes sends this signal for the attempt that reaches the limit and again for every attempt refused
    # while locked; only the first has counted its failures (the later ones are refused uncounted).
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    credentials = getattr(request, "axes_credentials", None)
    until = lock_ends_at(request, credentials) or timezone.now() + get_cool_off(request)
    account = _account(username)
    audit.record("login_locked_out", detail={
        "username": account.get_username() if account else "",
        "unknown_account": account is None,
        "address": ip_address or "",
        "failures": request.axes_failures_since_start,
        "path": request.path,
        "until": until.isoformat(),
    })
    context = {
        "account": account, "address": ip_address or "unknown", "path": request.path,
        "failures": request.axes_failures_since_start,
        "until": timezone.localtime(until), "admin_link": absolute_url(reverse("admin:axes_accessattempt_changelist")),
        "site_url": settings.SITE_URL,
    }
    if account is not None and account.email:
        notifications.queue_email("Sign-ins to your MedReview account are locked", [account.email],
                                  {**context, "for_owner": True}, template="review/email/lockout")
    administrators = _administrator_emails()
    if administrators:
        who = f"“{account.get_username()}”" if account else "an unknown account"
        notifications.queue_email(f"Login lock-out: {who} from {context['address']}", administrators,
                                  context, template="review/email/lockout")


@transaction.atomic
def lift(attempts, *, actor) -> int:
    """An administrator ends lock-outs early: each attempt record removed is an audit event of its own."""
    rows = list(attempts.select_for_update().order_by("pk"))
    for attempt in rows:
        account = _account(attempt.username)
        audit.record("login_lockout_lifted", actor=actor, detail={
            "username": account.get_username() if account else "",
            "unknown_account": account is None,
            "address": attempt.ip_address or "",
            "failures": attempt.failures_since_start,
            "last_failure": attempt.attempt_time.isoformat(),
        })
    AccessAttempt.objects.filter(pk__in=[attempt.pk for attempt in rows]).delete()
    return len(rows)
