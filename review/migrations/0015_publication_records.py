"""A publication record for every post that is live when this upgrade runs, so that it stays on the public site
(review.publication.record_existing_publications says which posts get one, and how)."""

from django.db import migrations


def record_live_posts(apps, schema_editor):
    from review import publication

    publication.record_existing_publications(
        **{name: apps.get_model(app, name) for app, name in (
            ("content", "Post"), ("review", "Workflow"), ("review", "Signature"), ("review", "AuditEvent"),
            ("review", "AuditHead"), ("review", "Publication"))})


class Migration(migrations.Migration):
    atomic = True

    dependencies = [
        ("review", "0014_publication"),
    ]

    operations = [
        migrations.RunPython(record_live_posts, migrations.RunPython.noop),
    ]
