"""Admin for the claims check: rule overrides (editable) and writers' justifications (read-only: immutable)."""

from django.contrib import admin

from claims import linter
from claims.models import ClaimRuleOverride, FindingJustification
from content.admin import ReadOnlyAdmin


@admin.register(ClaimRuleOverride)
class ClaimRuleOverrideAdmin(admin.ModelAdmin):
    list_display = ["rule_id", "enabled", "severity", "group", "updated_at"]
    list_filter = ["enabled", "severity"]
    search_fields = ["rule_id", "words", "message", "reason"]
    readonly_fields = ["updated_at", "shipped_rule"]
    fieldsets = [
        (None, {"fields": ["rule_id", "enabled", "reason", "shipped_rule"]}),
        ("Matching (leave empty to keep the shipped rule's)", {"fields": ["words", "pattern"]}),
        ("What the writer sees", {"fields": ["severity", "message", "source", "group"]}),
        (None, {"fields": ["updated_at"]}),
    ]

    @admin.display(description="shipped rule")
    def shipped_rule(self, obj):
        rule = next((r for r in linter.shipped_rules() if obj and r.id == obj.rule_id), None)
        if rule is None:
            return "— (a rule of this installation)"
        matcher = ", ".join(rule.words) if rule.words else rule.pattern or "built-in check"
        return f"{rule.severity}: {matcher} — {rule.message} [{rule.source}]"


@admin.register(FindingJustification)
class FindingJustificationAdmin(ReadOnlyAdmin):
    list_display = ["rule", "text", "revision", "author", "created_at"]
    list_select_related = ["revision", "author"]
    search_fields = ["rule", "text", "justification"]
    readonly_fields = [f.name for f in FindingJustification._meta.fields]
