"""ClaimRuleOverride now belongs to the claims app (claims 0001); its table stays where it is."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("content", "0004_post_first_published_idx"),
        ("claims", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ClaimRuleOverride")],
            database_operations=[],
        ),
    ]
