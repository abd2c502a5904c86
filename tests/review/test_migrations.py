"""Review's data migrations do what they did when written, whatever the live rules have become since."""

from datetime import datetime, time, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE_DUE_DATES = [("content", "0004_post_first_published_idx"), ("review", "0007_workflow_desk_idx"),
                    ("claims", None)]
DUE_DATES = ("review", "0008_workflow_review_due_at")


def live_post_signed(old, *, slug: str, signed_at, verified_until):
    """A published post whose live version carries one signature, in the tables as they stood before 0008."""
    user = old.get_model("auth", "User").objects.create(username=f"writer-{slug}")
    doctor = old.get_model("auth", "User").objects.create(username=f"doctor-{slug}")
    post = old.get_model("content", "Post").objects.create(slug=slug, author=user)
    revision = old.get_model("content", "Revision").objects.create(
        post=post, number=1, title=slug, body="Text.", html="<p>Text.</p>", author=user,
        content_hash=slug[0] * 64)
    post.current_revision = post.live_revision = revision
    post.save()
    old.get_model("review", "Workflow").objects.create(post=post, state="published")
    profile = old.get_model("review", "ReviewerProfile").objects.create(
        user=doctor, display_name="Ian Tan", credentials="MBBS", registration_number=f"M-{slug}",
        slug=f"ian-tan-{slug}", verified_until=verified_until)
    old.get_model("review", "Signature").objects.create(
        revision=revision, revision_hash=revision.content_hash, reviewer=profile, signer=doctor,
        printed_name="Dr. Ian Tan", credentials="MBBS", registration_number=f"M-{slug}", meaning="medical",
        statement="Reviewed.", signed_at=signed_at, seal="0" * 64)
    return post.pk


@pytest.mark.django_db(transaction=True)
def test_review_due_at_migration_fills_each_live_post_without_the_live_rule(monkeypatch):
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE_DUE_DATES)
    old = executor.loader.project_state(BEFORE_DUE_DATES[:2]).apps
    signed_at = timezone.now() - timedelta(days=10)
    by_interval = live_post_signed(old, slug="acne", signed_at=signed_at, verified_until=None)
    by_registration = live_post_signed(old, slug="eczema", signed_at=signed_at,
                                       verified_until=timezone.localdate() + timedelta(days=3))

    # Whatever review.rules says in a later release, this migration fills the dates as the rule stood in 0008.
    from review import rules
    monkeypatch.setattr(rules, "sign_off_current_until",
                        lambda *args: pytest.fail("migration 0008 called review.rules"))
    executor = MigrationExecutor(connection)
    executor.migrate([DUE_DATES])
    migrated = executor.loader.project_state([DUE_DATES]).apps.get_model("review", "Workflow")

    due = dict(migrated.objects.values_list("post_id", "review_due_at"))
    assert due[by_interval] == signed_at + timedelta(days=settings.REVIEW_POLICY["REREVIEW_DAYS"])
    assert due[by_registration] == timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=4), time.min))

    MigrationExecutor(connection).migrate(latest)
