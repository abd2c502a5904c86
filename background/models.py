"""Keys of work that must happen once across every worker on every machine (a minute's tick, a day's digest)."""

from django.db import models
from django.utils import timezone


class Once(models.Model):
    """A key written in the same transaction as the work it stands for; the unique key makes a second writer fail."""

    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "done-once key"

    def __str__(self):
        return self.key
