"""The editorial policy page's text, which the administrator edits in the admin."""

from django.db import models
from django.utils import timezone

from content.rendering import render_markdown


class EditorialPolicy(models.Model):
    """One row: how articles are written and reviewed here, in Markdown, rendered once when saved."""

    title = models.CharField(max_length=120, default="Editorial policy")
    body = models.TextField(help_text="Markdown. The list of active reviewers is added below it automatically.")
    html = models.TextField(editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name_plural = "editorial policy"

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.html = render_markdown(self.body)
        self.updated_at = timezone.now()
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "EditorialPolicy | None":
        return cls.objects.order_by("pk").first()
