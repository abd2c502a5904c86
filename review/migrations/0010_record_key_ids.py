"""Signatures and audit events name the record key that made them.

Rows written before this name none (""): they verify with any configured key. The default for new
rows is the newest key's id, set by the application, never by this migration, which cannot know which
key made the existing rows.
"""

from django.db import migrations, models

import review.keyring


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0009_findingjustification_moved_to_claims"),
    ]

    operations = [
        migrations.AddField(model_name="signature", name="key_id",
                            field=models.CharField(blank=True, default="", max_length=32)),
        migrations.AlterField(model_name="signature", name="key_id",
                              field=models.CharField(blank=True, default=review.keyring.newest_id, max_length=32)),
        migrations.AddField(model_name="auditevent", name="key_id",
                            field=models.CharField(blank=True, default="", max_length=32)),
        migrations.AlterField(model_name="auditevent", name="key_id",
                              field=models.CharField(blank=True, default=review.keyring.newest_id, max_length=32)),
    ]
