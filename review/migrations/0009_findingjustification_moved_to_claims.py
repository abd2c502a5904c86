"""FindingJustification now belongs to the claims app (claims 0001); its table stays where it is."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("review", "0008_workflow_review_due_at"),
        ("claims", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="FindingJustification")],
            database_operations=[],
        ),
    ]
