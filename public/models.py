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


class MovedAddress(models.Model):
    """An address a page had before (a renamed slug, an imported site's old address): answers 301.

    Written only by public.redirects.record_move, which keeps every old address pointing straight at
    the page's address now.
    """

    old_path = models.CharField(max_length=500, unique=True,
                                help_text="Path (and query) as readers requested it, e.g. /2019/05/acne/ or /?p=12.")
    new_path = models.CharField(max_length=500, help_text="Where the page lives now, e.g. /blog/acne/.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name_plural = "moved addresses"
        indexes = [models.Index(fields=["new_path"], name="moved_address_new_path_idx")]

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"
