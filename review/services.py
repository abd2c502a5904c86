"""Every change to a post's review state goes through here: check, transition, save, audit, notify."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from content import services as content_services
from content.models import Post
from review import anchoring, audit, findings, notifications, permissions, signing
from review.models import AuditEvent, Comment, FindingJustification, ReviewPolicy, Signature, Workflow
from review.states import EDITABLE_STATES, FROZEN_STATES, REOPEN_ON_EDIT_STATES, State


class WorkflowError(Exception):
    """An action the post's state does not allow now (shown to the user; HTTP 400)."""

    status = 400


class StaleAction(WorkflowError):
    """Someone else acted on the post since the user loaded the page (HTTP 409)."""

    status = 409


ACTION_WORDS = {
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
}


def _lock(post: Post) -> Workflow:
    """The post's workflow, locked for this transaction, with the post fresh from the database.

    Only the workflow row is locked (`of=("self",)`): locking the joined post row too made
    PostgreSQL deadlock with any transaction that wrote a row pointing at the post (a comment,
    an audit event) and so checked its deferred foreign key at commit while holding the audit head.
    """
    workflow = Workflow.objects.select_for_update(of=("self",)).select_related("post").get(post_id=post.pk)
    workflow.post.refresh_from_db()
    return workflow


def _explain_conflict(workflow: Workflow) -> str:
    last = workflow.post.audit_events.order_by("-seq").first()
    if last is None:
        return "This post changed since you opened it. Reload the page to see its current state."
    when = timezone.localtime(last.created_at).strftime("%H:%M")
    what = ACTION_WORDS.get(last.action, last.action.replace("_", " "))
    return (f"{last.actor_name} {what} at {when}, so your action was not applied. "
            f"The post is now {workflow.get_state_display().lower()}; reload to see it.")


def _check_expected(workflow: Workflow, expected_state: str | None, expected_revision: int | None):
    if expected_state is not None and workflow.state != expected_state:
        raise StaleAction(_explain_conflict(workflow))
    if expected_revision is not None and workflow.post.current_revision_id != expected_revision:
        raise StaleAction(_explain_conflict(workflow))


def _run(workflow: Workflow, name: str, user, *args, **kwargs):
    """Check and run one transition in memory; nothing is saved here."""
    method = getattr(workflow, name)
    if not can_proceed(method):
        raise WorkflowError(refusal(workflow, name))
    if user is not None and not has_transition_perm(method, user):
        raise PermissionDenied(f"You may not {name.replace('_', ' ')} this post.")
    method(*args, **kwargs)


def refusal(workflow: Workflow, name: str) -> str:
    state = workflow.get_state_display().lower()
    if name in {"approve", "publish", "schedule", "publish_scheduled"}:
        return (f"This post cannot be {'approved' if name == 'approve' else 'published'} yet: "
                "its current version does not carry every required sign-off.")
    if name == "unpublish":
        return "This post is not on the public site, so there is nothing to unpublish."
    if name == "archive" and workflow.post.is_live:
        return "A post that is on the public site must be unpublished, not archived."
    return f"You cannot {name.replace('_', ' ')} a post that is {state}."


def _save_and_log(workflow: Workflow, name: str, user, from_state: str, *, detail=None, notify=True):
    try:
        workflow.changed_at = timezone.now()
        workflow.save()
    except ConcurrentTransition as exc:
        raise StaleAction(_explain_conflict(workflow)) from exc
    workflow.post.save()
    revision = workflow.post.current_revision
    audit.record(
        name, actor=user, post=workflow.post, from_state=from_state, to_state=workflow.state,
        revision_hash=revision.content_hash if revision else "", detail=detail,
    )
    if notify:
        notifications.queue(name, workflow=workflow, actor=user)


@transaction.atomic
def transition_post(post: Post, name: str, *, user, expected_state: str | None = None,
                    detail: dict | None = None, **kwargs) -> Workflow:
    """Run the transition `name` on `post` for `user` (None only for the scheduler)."""
    workflow = _lock(post)
    _check_expected(workflow, expected_state, None)
    from_state = workflow.state
    _run(workflow, name, user, **kwargs)
    _save_and_log(workflow, name, user, from_state, detail=detail)
    return workflow


class SubmitBlocked(WorkflowError):
    """The text holds wording the claims linter blocks, with no justification recorded (HTTP 400)."""

    status = 400

    def __init__(self, blocked: list):
        self.findings = blocked
        super().__init__(
            "Not submitted: the claims check blocks " + findings.describe(blocked) + ". "
            "Change the wording, or record why it must stay for each one; the reviewer sees your reasons."
        )


JUSTIFICATION_MAX_CHARS = 2000


def _claims_gate(workflow: Workflow, user, justifications: dict[str, str] | None) -> None:
    """Refuse to send text to review while a `block` finding stands unjustified; store the writer's new reasons."""
    revision = workflow.post.current_revision
    found = findings.revision_findings(revision)
    if not any(f.is_block for f in found):
        return
    recorded = findings.justifications_by_key(revision)
    added = []
    for finding in found:
        if not finding.is_block or finding.key in recorded:
            continue
        reason = ((justifications or {}).get(finding.key) or "").strip()
        if len(reason) > JUSTIFICATION_MAX_CHARS:
            raise ValidationError({"justifications": f"Keep each justification under {JUSTIFICATION_MAX_CHARS} "
                                                     "characters."})
        if reason:
            added.append(FindingJustification.objects.create(
                revision=revision, field=finding.field, rule=finding.rule, text=finding.text,
                start=finding.start, end=finding.end, justification=reason, author=user,
            ))
    missing = findings.unjustified_blocks(found, {*recorded, *(findings.justification_key(j) for j in added)})
    if missing:
        raise SubmitBlocked(missing)
    for justification in added:
        audit.record("justify", actor=user, post=workflow.post, from_state=workflow.state, to_state=workflow.state,
                     revision_hash=revision.content_hash,
                     detail={"justification_id": justification.pk, **findings.justification_record(justification)})


@transaction.atomic
def _send_to_review(post, name: str, *, user, expected_state, justifications) -> Workflow:
    workflow = _lock(post)
    _check_expected(workflow, expected_state, None)
    from_state = workflow.state
    _run(workflow, name, user)
    _claims_gate(workflow, user, justifications)
    _save_and_log(workflow, name, user, from_state)
    return workflow


def post_submit(post, *, user, expected_state=None, justifications: dict[str, str] | None = None):
    """Send a draft to the reviewers; `justifications` maps finding keys (review.findings) to the writer's reasons."""
    return _send_to_review(post, "submit", user=user, expected_state=expected_state, justifications=justifications)


def post_withdraw(post, *, user, expected_state=None):
    return transition_post(post, "withdraw", user=user, expected_state=expected_state)


def post_resubmit(post, *, user, expected_state=None, justifications: dict[str, str] | None = None):
    return _send_to_review(post, "resubmit", user=user, expected_state=expected_state,
                           justifications=justifications)


def post_publish(post, *, user, expected_state=None):
    return transition_post(post, "publish", user=user, expected_state=expected_state)


def post_schedule(post, *, user, when, expected_state=None):
    if when <= timezone.now():
        raise ValidationError({"when": "Choose a time in the future, or publish now."})
    return transition_post(post, "schedule", user=user, expected_state=expected_state, when=when,
                           detail={"scheduled_for": when.isoformat()})


def post_unschedule(post, *, user, expected_state=None):
    return transition_post(post, "unschedule", user=user, expected_state=expected_state)


def post_unpublish(post, *, user, expected_state=None):
    return transition_post(post, "unpublish", user=user, expected_state=expected_state)


def post_archive(post, *, user, expected_state=None):
    return transition_post(post, "archive", user=user, expected_state=expected_state)


def post_restore(post, *, user, expected_state=None):
    return transition_post(post, "restore", user=user, expected_state=expected_state)


@transaction.atomic
def post_request_changes(post, *, user, comment: str, expected_state=None, quote: dict | None = None) -> Comment:
    """Send the post back to its author; a comment saying what to change is required."""
    if not (comment or "").strip():
        raise ValidationError({"comment": "Say what needs to change before sending the post back."})
    workflow = _lock(post)
    _check_expected(workflow, expected_state, None)
    from_state = workflow.state
    _run(workflow, "request_changes", user)
    note = comment_add(post=workflow.post, user=user, body=comment, quote=quote, log=False)
    _save_and_log(workflow, "request_changes", user, from_state, detail={"comment_id": note.pk})
    return note


def _anchor(revision, quote: dict) -> anchoring.Anchor | None:
    """The quoted passage found in `revision`; the positions are recomputed here, never trusted."""
    exact = quote.get("exact") or ""
    if not exact.strip():
        return None
    found = anchoring.locate(
        anchoring.text_of(revision.html), exact=exact, prefix=quote.get("prefix") or "",
        suffix=quote.get("suffix") or "", start=quote.get("start"),
    )
    if found is None:
        raise ValidationError({"quote": "The selected passage is not in this version of the post. "
                                        "Reload the page and select it again."})
    return found


@transaction.atomic
def comment_add(*, post, user, body: str, quote: dict | None = None, log: bool = True) -> Comment:
    if not (body or "").strip():
        raise ValidationError({"body": "A comment cannot be empty."})
    if not permissions.can_comment(post.workflow, user):
        raise PermissionDenied("You may not comment on this post.")
    anchor = _anchor(post.current_revision, quote or {})
    comment = Comment.objects.create(
        post=post,
        revision=post.current_revision,
        author=user,
        body=body.strip(),
        quote_exact=anchor.exact if anchor else "",
        quote_prefix=anchor.prefix if anchor else "",
        quote_suffix=anchor.suffix if anchor else "",
        quote_start=anchor.start if anchor else None,
        quote_end=anchor.end if anchor else None,
    )
    if log:
        audit.record("comment", actor=user, post=post, revision_hash=post.current_revision.content_hash,
                     detail={"comment_id": comment.pk})
    return comment


@transaction.atomic
def post_create(*, author, title: str, summary: str = "", body: str = "", slug: str = "",
                hero: dict | None = None) -> Post:
    """A new post with its first revision, in draft; `hero` is {"image": id, "alt": text} or None."""
    if not author.has_perm("content.add_post"):
        raise PermissionDenied("You may not write posts.")
    content_services.check_body_size(body)
    slug = _checked_slug(slug, title)
    post = Post.objects.create(slug=slug, author=author)
    workflow = Workflow.objects.create(post=post)
    revision = content_services.revision_create(post=post, author=author, title=title, summary=summary, body=body,
                                                **content_services.hero_fields(None, hero))
    audit.record("create", actor=author, post=post, to_state=workflow.state, revision_hash=revision.content_hash,
                 detail={"revision": revision.number})
    return post


def _checked_slug(slug: str, title: str, *, exclude_pk=None) -> str:
    slug = (slug or "").strip().lower()
    if not slug:
        return content_services.unique_slug(title, exclude_pk=exclude_pk)
    try:
        content_services.validate_slug(slug)
    except ValidationError:
        raise ValidationError({"slug": "Use only letters, numbers, hyphens and underscores in the address."})
    if Post.objects.exclude(pk=exclude_pk).filter(slug=slug).exists():
        raise ValidationError({"slug": f"Another post already uses the address “{slug}”. Choose another."})
    return slug


def edit_refusal(workflow: Workflow) -> str:
    """Why the post's state does not allow new text now, or "" when it does."""
    if workflow.state in EDITABLE_STATES or workflow.state in REOPEN_ON_EDIT_STATES:
        return ""
    if workflow.state in FROZEN_STATES:
        return "This post is with a reviewer and cannot change. Withdraw it first to edit."
    return f"This post is {workflow.get_state_display().lower()}. Restore it first to edit."


@transaction.atomic
def post_save_draft(post, *, user, title: str, summary: str, body: str, slug: str | None = None,
                    base_revision: int | None = None, hero: dict | None = None) -> bool:
    """Save the user's text as a new revision. Returns False when nothing changed.

    `hero` is {"image": id or None, "alt": text}; None keeps the working copy's hero picture.

    `base_revision` is the revision the user started from: if someone saved since,
    the save is refused (409) rather than silently overwriting their work.
    """
    workflow = _lock(post)
    post = workflow.post
    refusal_reason = edit_refusal(workflow)
    if refusal_reason:
        raise WorkflowError(refusal_reason)
    if not permissions.can_write(workflow, user):
        raise PermissionDenied("You may not edit this post.")
    if base_revision is not None and post.current_revision_id != base_revision:
        raise StaleAction(
            "Someone saved a newer version of this post while you were editing. "
            "Your text is still in the form: copy it, reload, and merge your changes."
        )
    new_slug = _checked_slug(slug, title, exclude_pk=post.pk) if slug is not None and slug != post.slug else post.slug
    hero_fields = content_services.hero_fields(post, hero)
    changed = content_services.revision_would_change(post, title=title, summary=summary, body=body, **hero_fields)
    if not changed and new_slug == post.slug:
        return False
    if new_slug != post.slug:
        if post.first_published_at:
            raise ValidationError({"slug": "This post has been published; its address can no longer change."})
        post.slug = new_slug
        post.save(update_fields=["slug"])
    if not changed:
        return True
    from_state = workflow.state
    if workflow.state in REOPEN_ON_EDIT_STATES:
        workflow.reopen()
    revision = content_services.revision_create(post=post, author=user, title=title, summary=summary, body=body,
                                                **hero_fields)
    comments_carry_forward(post, to_revision=revision)
    workflow.changed_at = timezone.now()
    try:
        workflow.save()
    except ConcurrentTransition as exc:
        raise StaleAction(_explain_conflict(workflow)) from exc
    audit.record("save", actor=user, post=post, from_state=from_state, to_state=workflow.state,
                 revision_hash=revision.content_hash, detail={"revision": revision.number})
    return True


SIGNING_MAX_FAILURES = 5
SIGNING_LOCKOUT = timezone.timedelta(minutes=15)


class SigningRefused(WorkflowError):
    """The signature was not made: wrong password, no attestation, locked out, lapsed credentials."""

    status = 403


def signing_locked_until(user):
    """When a locked-out signer may try again, or None when they may sign now."""
    lock = AuditEvent.objects.filter(action="signing_locked", actor=user).order_by("-seq").first()
    if lock and lock.created_at + SIGNING_LOCKOUT > timezone.now():
        return lock.created_at + SIGNING_LOCKOUT
    return None


def _record_failed_signature(post, user, reason: str):
    with transaction.atomic():
        audit.record("sign_failed", actor=user, post=post, detail={"reason": reason})
        since = timezone.now() - SIGNING_LOCKOUT
        lock = AuditEvent.objects.filter(action="signing_locked", actor=user).order_by("-seq").first()
        if lock and lock.created_at > since:
            since = lock.created_at
        failures = AuditEvent.objects.filter(action="sign_failed", actor=user, created_at__gte=since).count()
        if failures >= SIGNING_MAX_FAILURES:
            audit.record("signing_locked", actor=user, post=post,
                         detail={"failures": failures, "minutes": int(SIGNING_LOCKOUT.total_seconds() // 60)})


def revision_sign(post, *, user, password: str, attested: bool, expected_revision: int | None = None,
                  details: dict | None = None, expected_state: str | None = None,
                  checklist: list[str] | None = None, acknowledged: list[str] | None = None) -> Signature:
    """Sign the revision under review (or, for a re-review, the live one) with the user's password.

    The password check and its failure record sit outside the signing transaction so a
    refused attempt is still counted towards the lock-out. When `checklist` is given
    (the review page always gives it), every item of the policy's checklist must be in
    it, and the confirmed list is sealed into the signature's details. Every `warn` finding
    of the claims linter on the signed revision must be in `acknowledged` (finding keys);
    the acknowledged findings and the writer's justifications are sealed in as well.
    """
    profile = getattr(user, "reviewer_profile", None)
    if profile is None or not profile.is_active:
        raise PermissionDenied("Only reviewers with an active reviewer profile can sign.")
    locked_until = signing_locked_until(user)
    if locked_until:
        raise SigningRefused(
            "Signing is locked after too many wrong passwords. Try again after "
            f"{timezone.localtime(locked_until):%H:%M}."
        )
    if not attested:
        raise ValidationError({"attest": "Tick the attestation to sign."})
    if checklist is not None:
        required = ReviewPolicy.current().checklist
        unticked = [item for item in required if item not in checklist]
        if unticked:
            raise ValidationError({"checklist": "Complete the checklist before signing: "
                                                f"{'; '.join(unticked)}."})
        details = {**(details or {}), "checklist": list(required)}
    if not user.check_password(password or ""):
        _record_failed_signature(post, user, "wrong password")
        raise ValidationError({"password": "That password is not correct. Nothing was signed."})
    if profile.credentials_lapsed():
        raise SigningRefused(
            f"Your registration was verified only until {profile.verified_until:%d %b %Y}. "
            "Ask an administrator to renew the verification before you sign."
        )
    return _sign(post, user=user, profile=profile, expected_revision=expected_revision, details=details or {},
                 expected_state=expected_state, acknowledged=acknowledged or [])


def _claims_acknowledged(revision, acknowledged) -> dict:
    """What the signer confirmed of the claims check; refused unless every warning (and any unjustified block) is ticked."""
    found = findings.revision_findings(revision)
    justified = findings.justifications_by_key(revision)
    to_acknowledge = findings.to_acknowledge(found, justified)
    missing = [f for f in to_acknowledge if f.key not in set(acknowledged)]
    if missing:
        raise ValidationError({"acknowledged": "Acknowledge each claims warning before signing: "
                                               f"{findings.describe(missing)}."})
    return {
        "findings_acknowledged": [findings.acknowledgement_record(f) for f in to_acknowledge],
        "justifications_seen": [findings.justification_record(j) for j in justified.values()],
    }


@transaction.atomic
def _sign(post, *, user, profile, expected_revision, details, expected_state=None, acknowledged=()) -> Signature:
    workflow = _lock(post)
    post = workflow.post
    _check_expected(workflow, expected_state, None)
    if workflow.state == State.IN_REVIEW:
        revision, follow_up = post.current_revision, "approve"
    elif workflow.state == State.PUBLISHED:
        revision, follow_up = post.live_revision, "renew_review"
    else:
        raise WorkflowError(f"A post that is {workflow.get_state_display().lower()} cannot be signed.")
    if expected_revision is not None and revision.pk != expected_revision:
        raise StaleAction(_explain_conflict(workflow))
    if not permissions.can_review(workflow, user):
        raise PermissionDenied("You wrote or edited this post, so someone else must sign it.")
    already = Signature.objects.filter(revision=revision, signer=user, meaning=profile.meaning)
    if follow_up == "approve" and already.exists():
        raise StaleAction("You have already signed this version. It is waiting for the other sign-offs.")
    if follow_up == "renew_review" and not can_proceed(workflow.renew_review):
        current_until = rereview_due_at(post)
        raise StaleAction(
            f"The review of this article is current until {current_until:%d %b %Y}; there is nothing to renew yet."
            if current_until else "This article's review cannot be renewed now."
        )
    details = {**details, "claims": _claims_acknowledged(revision, acknowledged)}
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
    method = getattr(workflow, follow_up)
    if can_proceed(method):
        from_state = workflow.state
        _run(workflow, follow_up, user)
        _save_and_log(workflow, follow_up, user, from_state)
    return signature


def publish_due() -> list[int]:
    """Publish every scheduled post whose time has come; safe to run on several machines at once."""
    now = timezone.now()
    published = []
    due = Workflow.objects.filter(state=State.SCHEDULED, scheduled_for__lte=now).values_list("post_id", flat=True)
    for post_id in list(due):
        with transaction.atomic():
            workflow = (Workflow.objects.select_for_update(skip_locked=True, of=("self",))
                        .filter(post_id=post_id, state=State.SCHEDULED, scheduled_for__lte=now)
                        .select_related("post").first())
            if workflow is None:
                continue  # another machine has it, or it was unscheduled
            from_state = workflow.state
            if not can_proceed(workflow.publish_scheduled):
                continue
            workflow.publish_scheduled()
            _save_and_log(workflow, "publish_scheduled", None, from_state)
            published.append(post_id)
    return published


def rereview_due_at(post, policy=None):
    """When the live revision's newest valid sign-off stops being current, or None if it has none."""
    if not post.is_live:
        return None
    signatures = Signature.objects.valid_for(post.live_revision)
    if not signatures:
        return None
    policy = policy or ReviewPolicy.current()
    return policy.rereview_due(max(s.signed_at for s in signatures))


def flag_rereviews_due(now=None) -> list[int]:
    """Mark published posts whose sign-off is past the policy's interval; each once, with an audit event."""
    now = now or timezone.now()
    policy = ReviewPolicy.current()
    flagged = []
    candidates = Workflow.objects.filter(post__live_revision__isnull=False, rereview_flagged_at__isnull=True)
    for post_id in list(candidates.values_list("post_id", flat=True)):
        with transaction.atomic():
            # Lock only the workflow row: PostgreSQL refuses FOR UPDATE on the nullable live_revision join.
            workflow = (Workflow.objects.select_for_update(skip_locked=True, of=("self",))
                        .filter(post_id=post_id, rereview_flagged_at__isnull=True)
                        .select_related("post", "post__live_revision").first())
            if workflow is None or not workflow.post.is_live:
                continue
            due = rereview_due_at(workflow.post, policy)
            lapsed = any(s.reviewer.credentials_lapsed() for s in
                         Signature.objects.filter(revision=workflow.post.live_revision).select_related("reviewer"))
            if (due is None or due > now) and not lapsed:
                continue
            workflow.rereview_flagged_at = now
            workflow.save(update_fields=["rereview_flagged_at"])
            audit.record("rereview_due", post=workflow.post, from_state=workflow.state, to_state=workflow.state,
                         revision_hash=workflow.post.live_revision.content_hash,
                         detail={"due": due.isoformat() if due else None, "credentials_lapsed": lapsed})
            notifications.queue("rereview_due", workflow=workflow, actor=None)
            flagged.append(post_id)
    return flagged


def comments_carry_forward(post, *, to_revision) -> int:
    """Move the post's open comments onto `to_revision` where their passage is still found.

    Comments whose passage is gone stay on the revision they were made on, still open,
    so the author can see what was asked. Returns how many comments moved.
    """
    text = None
    moved = 0
    for comment in Comment.objects.filter(post=post, resolved_at__isnull=True).exclude(revision=to_revision):
        if comment.quote_exact:
            if text is None:
                text = anchoring.text_of(to_revision.html)
            found = anchoring.locate(text, exact=comment.quote_exact, prefix=comment.quote_prefix,
                                     suffix=comment.quote_suffix, start=comment.quote_start)
            if found is None:
                continue
            comment.quote_prefix, comment.quote_suffix = found.prefix, found.suffix
            comment.quote_start, comment.quote_end = found.start, found.end
        comment.revision = to_revision
        comment.save(update_fields=["revision", "quote_prefix", "quote_suffix", "quote_start", "quote_end"])
        moved += 1
    return moved


@transaction.atomic
def comment_resolve(comment: Comment, *, user) -> Comment:
    """Mark a comment as dealt with; resolving it twice changes nothing."""
    comment = Comment.objects.select_for_update(of=("self",)).select_related("post").get(pk=comment.pk)
    if not permissions.can_comment(comment.post.workflow, user):
        raise PermissionDenied("You may not resolve comments on this post.")
    if comment.resolved_at is not None:
        return comment
    comment.resolved_at, comment.resolved_by = timezone.now(), user
    comment.save(update_fields=["resolved_at", "resolved_by"])
    audit.record("comment_resolved", actor=user, post=comment.post, detail={"comment_id": comment.pk})
    return comment


def _assignable(workflow: Workflow) -> None:
    if workflow.state not in (State.IN_REVIEW, State.PUBLISHED):
        raise WorkflowError(f"A post that is {workflow.get_state_display().lower()} is not waiting for a reviewer.")


def _set_assignee(workflow: Workflow, reviewer) -> None:
    try:
        workflow.assignee = reviewer
        workflow.save(update_fields=["assignee"])
    except ConcurrentTransition as exc:
        raise StaleAction(_explain_conflict(workflow)) from exc


@transaction.atomic
def post_claim(post, *, user, expected_state: str | None = None) -> Workflow:
    """A reviewer takes a waiting post, so colleagues see it is being handled."""
    workflow = _lock(post)
    _check_expected(workflow, expected_state, None)
    _assignable(workflow)
    if not permissions.can_review(workflow, user):
        raise PermissionDenied("You may not review this post.")
    if workflow.assignee_id == user.pk:
        return workflow
    if workflow.assignee_id is not None:
        raise StaleAction(f"{audit.actor_label(workflow.assignee)} has already taken this post. "
                          "Reload the queue to see who works on what.")
    _set_assignee(workflow, user)
    audit.record("claim", actor=user, post=workflow.post, from_state=workflow.state, to_state=workflow.state,
                 detail={"assignee": user.pk})
    return workflow


@transaction.atomic
def post_assign(post, *, user, reviewer, expected_state: str | None = None) -> Workflow:
    """A publisher hands a waiting post to a named reviewer, who is told by email."""
    workflow = _lock(post)
    _check_expected(workflow, expected_state, None)
    if not permissions.can_publish(workflow, user):
        raise PermissionDenied("Only publishers can assign posts to reviewers.")
    _assignable(workflow)
    if reviewer is None or not permissions.can_review(workflow, reviewer):
        raise ValidationError({"reviewer": "Choose a reviewer with an active profile who did not write this post."})
    if workflow.assignee_id == reviewer.pk:
        return workflow
    _set_assignee(workflow, reviewer)
    audit.record("assign", actor=user, post=workflow.post, from_state=workflow.state, to_state=workflow.state,
                 detail={"assignee": reviewer.pk})
    notifications.queue("assign", workflow=workflow, actor=user)
    return workflow
