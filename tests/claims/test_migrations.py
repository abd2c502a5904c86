"""Moving the claims models into their own app moves no data: rows, permissions and admin history stay."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

OLD_HOMES = [("content", "0004_post_first_published_idx"), ("review", "0007_workflow_desk_idx")]


@pytest.mark.django_db(transaction=True)
def test_migrating_an_existing_database_keeps_overrides_justifications_and_their_permissions():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([*OLD_HOMES, ("claims", None)])
    old = executor.loader.project_state(OLD_HOMES).apps
    user = old.get_model("auth", "User").objects.create(username="writer")
    post = old.get_model("content", "Post").objects.create(slug="acne", author=user)
    revision = old.get_model("content", "Revision").objects.create(
        post=post, number=1, title="Acne", body="100% clear.", html="<p>100% clear.</p>", author=user,
        content_hash="0" * 64)
    old.get_model("review", "FindingJustification").objects.create(
        revision=revision, field="body", rule="hundred-percent", text="100%", start=0, end=4,
        justification="From the trial.", author=user)
    old.get_model("content", "ClaimRuleOverride").objects.create(rule_id="best", enabled=False, reason="Lawyers")
    content_type, _ = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="content", model="claimruleoverride")
    permission, _ = old.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type, codename="change_claimruleoverride",
        defaults={"name": "Can change claims rule override"})
    old.get_model("auth", "Group").objects.create(name="Rule keepers").permissions.add(permission)

    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    from django.contrib.auth.models import Group
    from claims.models import ClaimRuleOverride, FindingJustification

    [justification] = FindingJustification.objects.all()
    assert (justification.rule, justification.text, justification.revision.title) == ("hundred-percent", "100%", "Acne")
    assert list(ClaimRuleOverride.objects.values_list("rule_id", "enabled")) == [("best", False)]
    assert list(Group.objects.get(name="Rule keepers").permissions.values_list(
        "content_type__app_label", "codename")) == [("claims", "change_claimruleoverride")]
