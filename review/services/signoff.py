"""Signing a revision: the password again, the attestation, the checklist and claims acknowledgements, the lock-out."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from claims import findings as claim_findings
from review import audit, findings, messages, rules, signing
from review.models import AuditEvent, ReviewerProfile, ReviewPolicy, Signature
from review.services.errors import SigningRefused, StaleAction, WorkflowError
from review.services.transitions import check_current, lock, run
from review.states import State

SIGNING_MAX_FAILURES = 5
SIGNING_LOCKOUT = timezone.timedelta(minutes=15)


def signing_locked_until(user):
    """When a locked-out signer may try again, or None when they may sign now."""
    lock_event = AuditEvent.objects.filter(action="signing_locked", actor=user).order_by("-seq").first()
    if lock_event and lock_event.created_at + SIGNING_LOCKOUT > timezone.now():
        return lock_event.created_at + SIGNING_LOCKOUT
    return None


def recent_failures(user) -> int:
    """Wrong passwords since the lock-out window opened (or since the last lock-out ended)."""
    since = timezone.now() - SIGNING_LOCKOUT
    lock_event = AuditEvent.objects.filter(action="signing_locked", actor=user).order_by("-seq").first()
    if lock_event and lock_event.created_at > since:
        since = lock_event.created_at
    return AuditEvent.objects.filter(action="sign_failed", actor=user, created_at__gte=since).count()


def check_signing_password(post, user, profile, password: str) -> None:
    """Check the password, counting attempts atomically: the signer's profile row is locked while the count is
    read, the password checked and any failure recorded, so parallel attempts are checked one at a time and
    never more than SIGNING_MAX_FAILURES of them within the window. A failure is committed even though the
    signature is refused."""
    with transaction.atomic():
        ReviewerProfile.objects.select_for_update().filter(pk=profile.pk).first()
        locked_until = signing_locked_until(user)
        if locked_until:
            raise SigningRefused(messages.signing_locked(locked_until))
        if user.check_password(password or ""):
            return
        audit.record("sign_failed", actor=user, post=post, detail={"reason": "wrong password"})
        failures = recent_failures(user)
        if failures >= SIGNING_MAX_FAILURES:
            audit.record("signing_locked", actor=user, post=post,
                         detail={"failures": failures, "minutes": int(SIGNING_LOCKOUT.total_seconds() // 60)})
    raise ValidationError({"password": messages.WRONG_PASSWORD})


def revision_sign(post, *, user, password: str, attested: bool, expected_revision: int | None = None,
                  details: dict | None = None, expected_state: str | None = None,
                  checklist: list[str] | None = None, acknowledged: list[str] | None = None) -> Signature:
    """Sign the revision under review (or, for a re-review, the live one) with the user's password.

    Every problem with the form is reported at once (attestation, checklist, password), so the signer fixes them
    in one go. When `checklist` is given (the review page always gives it), every item of the policy's checklist
    must be in it, and the confirmed list is sealed into the signature's details. Every `warn` finding of the
    claims linter on the signed revision must be in `acknowledged` (finding keys); the acknowledged findings and
    the writer's justifications are sealed in as well.
    """
    profile = rules.reviewer_profile(user)
    if profile is None:
        raise PermissionDenied(messages.NOT_A_REVIEWER)
    locked_until = signing_locked_until(user)
    if locked_until:
        raise SigningRefused(messages.signing_locked(locked_until))
    if profile.credentials_lapsed():
        raise SigningRefused(messages.registration_lapsed(profile.verified_until))
    # As the database has it now: someone may have set the password since this user was loaded.
    profile.refresh_from_db(fields=["password_set_by_other"])
    if rules.must_set_own_password(user):
        raise SigningRefused(messages.SET_OWN_PASSWORD)
    problems = {}
    if not attested:
        problems["attest"] = messages.ATTEST
    if checklist is not None:
        required = ReviewPolicy.current().checklist
        unticked = [item for item in required if item not in checklist]
        if unticked:
            problems["checklist"] = messages.checklist_incomplete(unticked)
        details = {**(details or {}), "checklist": list(required)}
    try:
        check_signing_password(post, user, profile, password)
    except ValidationError as exc:
        problems.update(exc.message_dict)
    if problems:
        raise ValidationError(problems)
    return sign(post, user=user, profile=profile, expected_revision=expected_revision, details=details or {},
                expected_state=expected_state, acknowledged=acknowledged or [])


def claims_acknowledged(revision, acknowledged) -> dict:
    """What the signer confirmed of the claims check; refused unless every warning (and any unjustified block) is ticked."""
    found = claim_findings.revision_findings(revision)
    justified = claim_findings.justifications_by_key(revision)
    to_acknowledge = findings.to_acknowledge(found, justified)
    missing = [f for f in to_acknowledge if f.key not in set(acknowledged)]
    if missing:
        raise ValidationError({"acknowledged": messages.acknowledge_warnings(claim_findings.describe(missing))})
    return {
        "findings_acknowledged": [findings.acknowledgement_record(f) for f in to_acknowledge],
        "justifications_seen": [claim_findings.justification_record(j) for j in justified.values()],
    }


@transaction.atomic
def sign(post, *, user, profile, expected_revision, details, expected_state=None, acknowledged=()) -> Signature:
    workflow = lock(post)
    post = workflow.post
    check_current(workflow, user=user, expected_state=expected_state, expected_revision=expected_revision)
    if workflow.state == State.IN_REVIEW:
        revision, follow_up = post.current_revision, "approve"
    elif workflow.state == State.PUBLISHED:
        revision, follow_up = post.live_revision, "renew_review"
    else:
        raise WorkflowError(messages.cannot_sign(workflow))
    if not rules.may_review(workflow, user):
        raise PermissionDenied(messages.INVOLVED)
    if not rules.may_sign(workflow, user):
        if follow_up == "approve":
            raise StaleAction(messages.ALREADY_SIGNED)
        raise StaleAction(messages.review_current(workflow.review_due_at))
    details = {**details, "claims": claims_acknowledged(revision, acknowledged),
               "signer": signing.signer_record(user, profile)}
    signature = Signature(
        revision=revision,
        revision_hash=revision.content_hash,
        signer=user,
        reviewer=profile,
        printed_name=profile.printed_name,
        credentials=profile.credentials,
        registration_number=profile.registration_number,
        meaning=profile.meaning,
        signed_at=timezone.now(),
        statement=signing.ATTESTATION,
        details=details,
    )
    signature.seal = signing.signature_seal(signature)
    signature.save()
    audit.record("sign", actor=user, post=post, from_state=workflow.state, to_state=workflow.state,
                 revision_hash=revision.content_hash,
                 detail={"signature_id": signature.pk, "seal": signature.seal, "meaning": signature.meaning})
    # Approval follows once every sign-off the policy asks for is there; a re-review renews at once.
    if can_proceed(getattr(workflow, follow_up)):
        run(workflow, follow_up, user=user)
    return signature
