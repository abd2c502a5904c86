"""Workflow.review_due_at: when the live version stops carrying a current sign-off, kept with the workflow so
the queue, the scheduler and the public page read one indexed date (review.rules.rereview_due)."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def sign_off_current_until(signed_at, verified_until, rereview_days):
    """review.rules.sign_off_current_until as it stood when this migration was written, frozen here so that a later
    change of the rule cannot change (or break) what this migration does: a sign-off is current for the policy's
    days, or until the end of the day (local time) the signer's registration is verified until, whichever is first."""
    until = signed_at + timedelta(days=rereview_days)
    if verified_until is not None:
        until = min(until, timezone.make_aware(datetime.combine(verified_until + timedelta(days=1), time.min)))
    return until


def fill_review_due_at(apps, schema_editor):
    Workflow = apps.get_model("review", "Workflow")
    Signature = apps.get_model("review", "Signature")
    ReviewPolicy = apps.get_model("review", "ReviewPolicy")
    override = ReviewPolicy.objects.first()
    days = (override.rereview_days if override and override.rereview_days
            else settings.REVIEW_POLICY["REREVIEW_DAYS"])
    for workflow in Workflow.objects.filter(post__live_revision__isnull=False).select_related("post__live_revision"):
        live = workflow.post.live_revision
        ends = [sign_off_current_until(s.signed_at, s.reviewer.verified_until, days)
                for s in Signature.objects.filter(revision=live, revision_hash=live.content_hash)
                .select_related("reviewer")]
        workflow.review_due_at = max(ends, default=None)
        workflow.save(update_fields=["review_due_at"])


class Migration(migrations.Migration):

    dependencies = [
        ('content', '0004_post_first_published_idx'),
        ('review', '0007_workflow_desk_idx'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='workflow',
            name='workflow_rereview_idx',
        ),
        migrations.AddField(
            model_name='workflow',
            name='review_due_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name='workflow',
            index=models.Index(fields=['state', 'review_due_at'], name='workflow_review_due_idx'),
        ),
        migrations.RunPython(fill_review_due_at, migrations.RunPython.noop),
    ]
