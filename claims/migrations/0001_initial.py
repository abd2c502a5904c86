"""The claims app takes over two tables that content and review created before it existed.

Nothing moves in the database: the models keep their tables (`Meta.db_table`), this migration only
adds them to the claims app's state, and content 0005 and review 0009 drop them from theirs. Their
content types are relabelled so permissions granted on them and the admin's history follow them.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = [("content", "claimruleoverride"), ("review", "findingjustification")]


def relabel_content_types(apps, schema_editor, forward=True):
    content_type = apps.get_model("contenttypes", "ContentType")
    for old_label, model in MOVED:
        source, target = (old_label, "claims") if forward else ("claims", old_label)
        if not content_type.objects.filter(app_label=target, model=model).exists():
            content_type.objects.filter(app_label=source, model=model).update(app_label=target)


def relabel_back(apps, schema_editor):
    relabel_content_types(apps, schema_editor, forward=False)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("content", "0002_claimruleoverride"),
        ("review", "0004_finding_justification"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ClaimRuleOverride",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("rule_id", models.CharField(help_text="The id of a shipped rule to change, or a new id for a rule of your own.", max_length=100, unique=True, verbose_name="rule id")),
                        ("enabled", models.BooleanField(default=True, help_text="Untick to switch the rule off.")),
                        ("words", models.TextField(blank=True, help_text="Words or phrases, one per line; inflections are matched automatically. Leave empty to keep the rule's own.")),
                        ("pattern", models.TextField(blank=True, help_text="A regular expression instead of words (case-insensitive).")),
                        ("severity", models.CharField(blank=True, choices=[("block", "Block (must be changed or justified)"), ("warn", "Warn (reviewer acknowledges)")], max_length=5)),
                        ("message", models.TextField(blank=True, help_text="What the writer should do instead.")),
                        ("source", models.CharField(blank=True, help_text="The code or regulation the rule comes from.", max_length=300)),
                        ("group", models.CharField(blank=True, help_text="Rule family, e.g. superlative; defaults to the id.", max_length=50)),
                        ("reason", models.TextField(blank=True, help_text="Why this installation changes the rule (kept for the record).")),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "verbose_name": "claims rule override",
                        "db_table": "content_claimruleoverride",
                        "ordering": ["rule_id"],
                        "constraints": [
                            models.CheckConstraint(condition=models.Q(severity__in=["", "block", "warn"]), name="claim_override_severity_valid"),
                            models.CheckConstraint(condition=models.Q(words="") | models.Q(pattern=""), name="claim_override_words_or_pattern"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="FindingJustification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("field", models.CharField(default="body", max_length=10)),
                        ("rule", models.CharField(max_length=100)),
                        ("text", models.TextField()),
                        ("start", models.PositiveIntegerField()),
                        ("end", models.PositiveIntegerField()),
                        ("justification", models.TextField()),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("author", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("revision", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="finding_justifications", to="content.revision")),
                    ],
                    options={
                        "db_table": "review_findingjustification",
                        "ordering": ["revision", "field", "start"],
                        "constraints": [
                            models.UniqueConstraint(fields=("revision", "field", "rule", "start", "end"), name="justification_once_per_finding"),
                            models.CheckConstraint(condition=~models.Q(justification=""), name="justification_not_empty"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_content_types, relabel_back),
    ]
