"""The claims check's records: an installation's rule overrides, and writers' justifications of blocked wording."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from claims import linter
from content.models import ImmutableModel, Revision


class ClaimRuleOverride(models.Model):
    """An installation's change to the claims linter: switch a shipped rule off or on, adjust it, or add a rule.

    The rules file (claims/rules.toml) and the settings CLAIMS_RULES_DISABLED and
    CLAIMS_EXTRA_RULES_FILE give the defaults; a row here wins over both.
    """

    class Severity(models.TextChoices):
        BLOCK = "block", "Block (must be changed or justified)"
        WARN = "warn", "Warn (reviewer acknowledges)"

    rule_id = models.CharField(
        "rule id", max_length=100, unique=True,
        help_text="The id of a shipped rule to change, or a new id for a rule of your own.",
    )
    enabled = models.BooleanField(default=True, help_text="Untick to switch the rule off.")
    words = models.TextField(
        blank=True,
        help_text="Words or phrases, one per line; inflections are matched automatically. Leave empty to keep the rule's own.",
    )
    pattern = models.TextField(blank=True, help_text="A regular expression instead of words (case-insensitive).")
    severity = models.CharField(max_length=5, choices=Severity.choices, blank=True)
    message = models.TextField(blank=True, help_text="What the writer should do instead.")
    source = models.CharField(max_length=300, blank=True, help_text="The code or regulation the rule comes from.")
    group = models.CharField(max_length=50, blank=True, help_text="Rule family, e.g. superlative; defaults to the id.")
    reason = models.TextField(blank=True, help_text="Why this installation changes the rule (kept for the record).")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["rule_id"]
        db_table = "content_claimruleoverride"  # created by content's migrations before this app existed
        verbose_name = "claims rule override"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(severity__in=["", "block", "warn"]), name="claim_override_severity_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(words="") | models.Q(pattern=""), name="claim_override_words_or_pattern"
            ),
        ]

    def __str__(self):
        return f"{self.rule_id} ({'on' if self.enabled else 'off'})"

    def words_list(self) -> tuple[str, ...]:
        return tuple(w.strip() for w in self.words.splitlines() if w.strip())

    def clean(self):
        words, pattern = self.words_list(), self.pattern.strip()
        if words and pattern:
            raise ValidationError({"pattern": "Give either words or a pattern, not both."})
        if pattern:
            try:
                re.compile(pattern, re.IGNORECASE)
            except re.error as exc:
                raise ValidationError({"pattern": f"Not a valid regular expression: {exc}."}) from exc
        if self.rule_id not in linter.known_rule_ids():
            errors = {}
            if not (words or pattern):
                errors["words"] = f"{self.rule_id!r} is not a shipped rule: give its words or a pattern."
            for name in ("severity", "message"):
                if not getattr(self, name).strip():
                    errors[name] = "Required for a new rule."
            if errors:
                raise ValidationError(errors)


class FindingJustification(ImmutableModel):
    """A writer's reason for keeping wording the claims linter blocks, on one revision; never changed once written.

    Positions are code points into the revision's field (`title`, `summary` or `body`), as the linter gives them.
    """

    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="finding_justifications")
    field = models.CharField(max_length=10, default="body")
    rule = models.CharField(max_length=100)
    text = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    justification = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "review_findingjustification"  # created by review's migrations before this app existed
        ordering = ["revision", "field", "start"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "field", "rule", "start", "end"],
                                    name="justification_once_per_finding"),
            models.CheckConstraint(condition=~models.Q(justification=""), name="justification_not_empty"),
        ]

    def __str__(self):
        return f"{self.rule} “{self.text}” on v{self.revision.number}"
