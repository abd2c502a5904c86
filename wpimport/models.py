"""Where an imported post came from, and what the import could not carry over, for the writer and the doctor."""

from django.db import models
from django.utils import timezone

from content.models import Post


class ImportedPost(models.Model):
    """One WordPress post brought in as a draft. `origin` (the post's GUID, or the site's address and post id when
    it has none) makes a second import of the same export change nothing."""

    origin = models.CharField(max_length=500, unique=True)
    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="wordpress_origin")
    wordpress_id = models.PositiveBigIntegerField(null=True, blank=True)
    old_address = models.CharField(max_length=500, blank=True, help_text="The post's address on the old site.")
    old_status = models.CharField(max_length=20, blank=True, help_text="publish, draft, pending, private …")
    published_on_old_site = models.DateTimeField(null=True, blank=True)
    # Names the old site's typed review lines gave; each needs a real signature here.
    claimed_reviews = models.JSONField(default=list, blank=True)
    # Pictures that came without alt text: {"image": id, "file": path}; flagged until the writer describes them.
    pictures_without_alt = models.JSONField(default=list, blank=True)
    # Everything else that did not come along as it was, one sentence each.
    notes = models.JSONField(default=list, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self):
        return self.old_address or self.origin
