"""The review workflow: reviewer profiles, the policy, the state machine, signatures, comments and the audit trail."""

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from content.models import ImmutableModel, ImmutableQuerySet, Post, Revision
from review import keyring, messages, rules, signing
from review.states import Meaning, State


def printed_name(honorific: str, display_name: str) -> str:
    """A reviewer's name as readers see it: "Dr. Ian Tan"."""
    return f"{honorific} {display_name}".strip()


class ReviewerProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviewer_profile")
    honorific = models.CharField(max_length=20, blank=True, help_text='For example "Dr." or "A/Prof."')
    display_name = models.CharField(max_length=120, help_text="The name as readers see it, without honorific.")
    credentials = models.CharField(max_length=200, help_text='For example "MBBS (Singapore), MRCP (UK)"')
    # Unique: two profiles with one number would let one doctor's registration vouch for another account.
    registration_number = models.CharField(
        max_length=60, unique=True,
        error_messages={"unique": "Another reviewer profile already has this registration number."})
    registering_body = models.CharField(max_length=120, blank=True, default="Singapore Medical Council")
    # Required in forms (a doctor whose registration nobody checked cannot sign); null only for older rows.
    verified_until = models.DateField(null=True, help_text="Registration checked as valid until this date.")
    specialty = models.CharField(max_length=120, blank=True)
    bio = models.TextField(blank=True)
    slug = models.SlugField(max_length=120, unique=True, allow_unicode=True)
    meaning = models.CharField(
        max_length=20, choices=Meaning.choices, default=Meaning.MEDICAL,
        help_text="What this reviewer's signature attests to.",
    )
    is_active = models.BooleanField(default=True)
    # Someone else (an administrator, a command, a script) set this account's password last: the reviewer chooses
    # their own before signing again (review.rules.must_set_own_password). Kept by review.identity, its one writer,
    # from the password audit events it records.
    password_set_by_other = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return self.printed_name

    @property
    def printed_name(self) -> str:
        return printed_name(self.honorific, self.display_name)

    def clean(self):
        from review import identity

        if self.pk is not None and identity.has_signed(self) and ReviewerProfile.objects.filter(
                pk=self.pk).exclude(user_id=self.user_id).exists():
            raise ValidationError({"user": messages.ACCOUNT_FIXED})

    def save(self, *args, **kwargs):
        """Audited (review.identity): once it has signed, its account is fixed."""
        from review import identity

        with transaction.atomic():
            identity.profile_saving(self)
            super().save(*args, **kwargs)

    def credentials_lapsed(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.verified_until is not None and self.verified_until < on


# What a reviewer confirms before signing, unless the administrator sets another list.
DEFAULT_CHECKLIST = (
    "Claims are accurate and current",
    "Risks and side effects are stated",
    "No promise of results",
    "Sources are cited",
)


@dataclass(frozen=True)
class Policy:
    required_signoffs: dict[str, int]
    rereview_days: int
    checklist: tuple[str, ...] = DEFAULT_CHECKLIST

    def rereview_due(self, signed_at):
        return signed_at + timedelta(days=self.rereview_days)


class ReviewPolicy(models.Model):
    """The administrator's overrides of settings.REVIEW_POLICY; blank fields keep the setting."""

    medical_signoffs = models.PositiveSmallIntegerField(null=True, blank=True)
    compliance_signoffs = models.PositiveSmallIntegerField(null=True, blank=True)
    rereview_days = models.PositiveIntegerField(null=True, blank=True)
    checklist = models.TextField(
        blank=True, help_text="What a reviewer confirms before signing, one item per line. Blank keeps the default list.",
    )

    class Meta:
        verbose_name_plural = "review policy"

    def __str__(self):
        return "Review policy"

    @classmethod
    def current(cls) -> Policy:
        defaults = settings.REVIEW_POLICY
        required = dict(defaults["REQUIRED_SIGNOFFS"])
        override = cls.objects.first()
        if override:
            for meaning, value in ((Meaning.MEDICAL, override.medical_signoffs),
                                   (Meaning.COMPLIANCE, override.compliance_signoffs)):
                if value is not None:
                    required[meaning.value] = value
        checklist = tuple(defaults.get("CHECKLIST", DEFAULT_CHECKLIST))
        if override and override.checklist.strip():
            checklist = tuple(line.strip() for line in override.checklist.splitlines() if line.strip())
        return Policy(
            required_signoffs={k: v for k, v in required.items() if v},
            rereview_days=(override.rereview_days if override and override.rereview_days else defaults["REREVIEW_DAYS"]),
            checklist=checklist,
        )


class SignatureQuerySet(ImmutableQuerySet):
    def recorded_for(self, revision: Revision) -> list["Signature"]:
        """Every signature recorded against the revision, valid or not, with its signer and reviewer."""
        return list(self.filter(revision=revision).select_related("signer", "reviewer"))

    def valid_for(self, revision: Revision, *, recorded: list["Signature"] | None = None) -> list["Signature"]:
        """The revision's valid signatures; `recorded`: its `recorded_for`, when the caller has read them."""
        return [s for s in (self.recorded_for(revision) if recorded is None else recorded)
                if signing.is_valid(s, revision)]


class Signature(ImmutableModel):
    """An electronic signature over one revision's content hash; never changed once written."""

    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="signatures")
    revision_hash = models.CharField(max_length=64)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signatures")
    reviewer = models.ForeignKey(ReviewerProfile, on_delete=models.PROTECT, related_name="signatures")
    printed_name = models.CharField(max_length=160)
    credentials = models.CharField(max_length=200)
    registration_number = models.CharField(max_length=60)
    meaning = models.CharField(max_length=20, choices=Meaning.choices)
    statement = models.TextField()
    details = models.JSONField(default=dict, blank=True)
    signed_at = models.DateTimeField()
    seal = models.CharField(max_length=64)
    # The record key the seal was made with (review.keyring); "" for signatures older than key ids.
    key_id = models.CharField(max_length=32, blank=True, default=keyring.newest_id)

    objects = SignatureQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at"]
        indexes = [
            models.Index(fields=["revision", "-signed_at"], name="signature_revision_idx"),
            # The queue's "Recently signed" tab and its count: a reviewer's newest signatures without a sort.
            models.Index(fields=["signer", "-signed_at"], name="signature_signer_idx"),
            # Whether this reviewer signed this version (rules.may_sign): without it SQLite may walk all the
            # reviewer's signatures, thousands in a busy archive.
            models.Index(fields=["revision", "signer"], name="signature_revision_signer_idx"),
        ]

    def __str__(self):
        return f"{self.printed_name} — {self.get_meaning_display()} — {self.signed_at:%d %b %Y}"

    @property
    def is_valid(self) -> bool:
        return signing.is_valid(self, self.revision)


def signoffs_missing(revision: Revision | None, policy: Policy | None = None, *,
                     signatures: list[Signature] | None = None) -> dict[str, int]:
    """Meanings still lacking valid signatures from distinct signers, with how many are missing.

    `signatures`: the revision's valid signatures, when the caller has already read them.
    """
    if revision is None:
        return {"content": 1}
    policy = policy or ReviewPolicy.current()
    signers: dict[str, set[int]] = {}
    for signature in Signature.objects.valid_for(revision) if signatures is None else signatures:
        signers.setdefault(signature.meaning, set()).add(signature.signer_id)
    return {
        meaning: needed - len(signers.get(meaning, ()))
        for meaning, needed in policy.required_signoffs.items()
        if needed > len(signers.get(meaning, ()))
    }


# Conditions of the state machine: pure reads of the workflow.
def has_working_copy(workflow) -> bool:
    return workflow.post.current_revision_id is not None


def working_copy_signed_off(workflow) -> bool:
    revision = workflow.post.current_revision
    known = _signed_off_known.get()
    if known is None:
        return not signoffs_missing(revision)
    key = revision.pk if revision is not None else None
    if key not in known:
        known[key] = not signoffs_missing(revision)
    return known[key]


# Publish, schedule and publish-now each ask `working_copy_signed_off`: while the buttons are worked out
# (review.actions), the answer for one revision is read once. Nothing is written meanwhile.
_signed_off_known: ContextVar[dict | None] = ContextVar("signed_off_known", default=None)


@contextmanager
def signoffs_read_once():
    token = _signed_off_known.set({})
    try:
        yield
    finally:
        _signed_off_known.reset(token)


def is_live(workflow) -> bool:
    return workflow.post.is_live


def is_not_live(workflow) -> bool:
    return not workflow.post.is_live


def schedule_is_due(workflow) -> bool:
    return workflow.scheduled_for is not None and workflow.scheduled_for <= timezone.now()


class Workflow(ConcurrentTransitionMixin, models.Model):
    """The review state of one post's working copy. Change it only through review.services."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="workflow")
    state = FSMField(max_length=20, choices=State.choices, default=State.DRAFT, protected=True, db_index=True)
    changed_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_reviews"
    )
    scheduled_for = models.DateTimeField(null=True, blank=True)
    # When the live version stops carrying a current sign-off (None: it has none); see review.rules.rereview_due.
    review_due_at = models.DateTimeField(null=True, blank=True)
    # When the scheduler announced that the review is due (each due period once).
    rereview_flagged_at = models.DateTimeField(null=True, blank=True)
    # The publisher's date by which the review should be done; the queue sorts by it and marks it overdue.
    due_date = models.DateField(null=True, blank=True)
    # The sealed record of what is live (review.publication), read with the workflow by the public pages; None
    # when nothing is. A pointer only: the record must also be the post's newest (review.publication.shows).
    publication = models.ForeignKey("Publication", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        permissions = [
            ("submit_post", "Can submit posts for review"),
            ("sign_post", "Can review, comment on and sign posts"),
            ("publish_post", "Can publish, schedule, unpublish and archive posts"),
        ]
        indexes = [
            # The queue's tabs and counts: posts in review, longest waiting first, and (the post) whether the reader
            # had a hand in each, read from the index alone (review.rules.involved_q).
            models.Index(fields=["state", "submitted_at", "post"], name="workflow_queue_post_idx"),
            # The re-review tab and the scheduler: published posts whose review is due, longest overdue first.
            models.Index(fields=["state", "review_due_at", "post"], name="workflow_review_due_post_idx"),
            # The editor's desk: every post, the latest change first.
            models.Index(fields=["changed_at", "post"], name="workflow_desk_idx"),
            # The queue's Waiting tab: posts in review, the earliest due date first, then the longest waiting.
            models.Index(fields=["state", "due_date", "submitted_at"], name="workflow_due_idx"),
        ]

    def __str__(self):
        return f"{self.post} — {self.get_state_display()}"

    # --- transitions: each says only what changes in memory; review.services saves and logs.

    @transition(field=state, source=State.DRAFT, target=State.IN_REVIEW,
                conditions=[has_working_copy], permission=rules.may_submit)
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(field=state, source=State.IN_REVIEW, target=State.DRAFT, permission=rules.may_submit)
    def withdraw(self):
        self.assignee = None

    @transition(field=state, source=[State.IN_REVIEW, State.PUBLISHED], target=State.CHANGES_REQUESTED,
                permission=rules.may_review)
    def request_changes(self):
        pass

    @transition(field=state, source=State.CHANGES_REQUESTED, target=State.IN_REVIEW,
                conditions=[has_working_copy], permission=rules.may_submit)
    def resubmit(self):
        self.submitted_at = timezone.now()

    @transition(field=state, source=State.IN_REVIEW, target=State.APPROVED,
                conditions=[working_copy_signed_off], permission=rules.may_review)
    def approve(self):
        pass

    # Renewal only when the review is due, so a second reviewer arriving just after a
    # publication (or a second click) cannot add a signature nobody asked for.
    @transition(field=state, source=State.PUBLISHED, target=State.PUBLISHED,
                conditions=[rules.rereview_due], permission=rules.may_review)
    def renew_review(self):
        self.rereview_flagged_at = None

    @transition(field=state, source=State.APPROVED, target=State.PUBLISHED,
                conditions=[working_copy_signed_off], permission=rules.publishes)
    def publish(self):
        self._go_live()

    @transition(field=state, source=State.APPROVED, target=State.SCHEDULED,
                conditions=[working_copy_signed_off], permission=rules.publishes)
    def schedule(self, when):
        self.scheduled_for = when

    @transition(field=state, source=State.SCHEDULED, target=State.APPROVED, permission=rules.publishes)
    def unschedule(self):
        self.scheduled_for = None

    # The scheduler (the background worker's tick, or workflow_tick) runs this when the time has come, as nobody;
    # a publisher may run it too ("Publish now") on a post left scheduled past its time.
    @transition(field=state, source=State.SCHEDULED, target=State.PUBLISHED,
                conditions=[schedule_is_due, working_copy_signed_off], permission=rules.publishes)
    def publish_scheduled(self):
        self._go_live()

    @transition(field=state, source=[State.APPROVED, State.SCHEDULED, State.PUBLISHED], target=State.DRAFT,
                permission=rules.may_write)
    def reopen(self):
        """Edit after approval: a new working draft; any live version stays as it is."""
        self.scheduled_for = None
        self.assignee = None

    @transition(field=state, source=[s for s in State if s != State.ARCHIVED], target=State.ARCHIVED,
                conditions=[is_live], permission=rules.publishes)
    def unpublish(self):
        self.publication = None  # the unpublish event ends it (review.publication)
        self.post.live_revision = None
        self.post.published_at = None
        self.scheduled_for = None
        self.assignee = None

    @transition(field=state, source=[State.DRAFT, State.CHANGES_REQUESTED, State.APPROVED], target=State.ARCHIVED,
                conditions=[is_not_live], permission=rules.publishes)
    def archive(self):
        self.assignee = None

    # Back to Approved when the working copy still carries every sign-off, valid and current: the signed
    # words did not change, so nobody needs to sign them again; otherwise a draft that goes through review.
    @transition(field=state, source=State.ARCHIVED, target=RETURN_VALUE(State.APPROVED, State.DRAFT),
                permission=rules.publishes)
    def restore(self):
        return State.APPROVED if rules.carries_current_signoffs(self) else State.DRAFT

    def _go_live(self):
        now = timezone.now()
        self.post.live_revision = self.post.current_revision
        self.post.published_at = now
        self.post.first_published_at = self.post.first_published_at or now
        self.scheduled_for = None
        self.rereview_flagged_at = None


class Comment(models.Model):
    """A reviewer's remark, optionally anchored to a passage (W3C TextQuoteSelector, code points)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_comments")
    body = models.TextField()
    quote_exact = models.TextField(blank=True)
    quote_prefix = models.CharField(max_length=64, blank=True)
    quote_suffix = models.CharField(max_length=64, blank=True)
    quote_start = models.PositiveIntegerField(null=True, blank=True)
    quote_end = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return self.body[:60]

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class CommentReply(models.Model):
    """An answer in a comment's thread, by the post's writer, a publisher or a reviewer; it moves with its comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "comment replies"

    def __str__(self):
        return self.body[:60]


class AuditEvent(ImmutableModel):
    """One entry of the append-only, hash-chained audit trail. Written only by review.audit.record."""

    seq = models.PositiveBigIntegerField(unique=True)
    created_at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=160)
    action = models.CharField(max_length=40, db_index=True)
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events")
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    revision_hash = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)
    # The record key the hash was made with (review.keyring); "" for events older than key ids.
    key_id = models.CharField(max_length=32, blank=True, default=keyring.newest_id)

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["post", "seq"], name="audit_post_seq_idx"),
            # A post's events of some kinds (its decisions, resubmissions, replies: review.reviewing), for one post
            # or a queue page's: without it SQLite walks every event of that kind in the archive.
            models.Index(fields=["post", "action", "seq"], name="audit_post_action_seq_idx"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.action} by {self.actor_name}"


class Publication(ImmutableModel):
    """A sealed record that one revision went live at one address: who published it, when, and the audit event
    that says so (review.publication). A post is public only while its newest record verifies and matches it."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="publications")
    slug = models.CharField(max_length=200)
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    revision_hash = models.CharField(max_length=64)
    publisher = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    publisher_name = models.CharField(max_length=160)
    published_at = models.DateTimeField()
    first_published_at = models.DateTimeField()
    audit_event = models.OneToOneField(AuditEvent, on_delete=models.PROTECT, related_name="publication")
    seal = models.CharField(max_length=64)
    # The record key the seal was made with (review.keyring).
    key_id = models.CharField(max_length=32, default=keyring.newest_id)

    class Meta:
        ordering = ["-pk"]

    def __str__(self):
        return f"{self.slug} v{self.revision_id} published {self.published_at:%d %b %Y %H:%M}"


class AuditHead(models.Model):
    """The chain's newest link; locking this row serialises writers, and it lets verification see a cut tail."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self):
        return f"audit head #{self.seq}"


class Attestation(ImmutableModel):
    """A signed, public statement of one article's review line, as the page shows it (review.attestations).

    Never changed once written; whether it is still current is worked out when asked (unpublished, replaced
    by a newer one, review lapsed) and published in the signed status list.
    """

    uid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="attestations")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    signature = models.ForeignKey(Signature, on_delete=models.PROTECT, related_name="attestations")
    url = models.URLField(max_length=500)
    next_review = models.DateField()
    issued_at = models.DateTimeField()
    key_id = models.CharField(max_length=64, help_text="The Ed25519 key that signed it (review.public_signing).")
    document = models.TextField(help_text="The signed document, served byte for byte.")

    class Meta:
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["post", "-issued_at"], name="attestation_post_idx")]

    def __str__(self):
        return f"Attestation {self.uid} of {self.post}"
