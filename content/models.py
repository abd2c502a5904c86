"""Posts and their immutable revisions."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from content.hashing import content_hash


class ImmutableError(Exception):
    """Raised on any attempt to change or delete a record that must never change."""


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError(f"{self.model.__name__} records cannot be changed.")

    def delete(self):
        raise ImmutableError(f"{self.model.__name__} records cannot be deleted.")


class ImmutableModel(models.Model):
    """A row that is written once: saving it again or deleting it is refused."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError(f"{type(self).__name__} #{self.pk} cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError(f"{type(self).__name__} #{self.pk} cannot be deleted.")


class PostQuerySet(models.QuerySet):
    def published(self):
        """What the public may read: posts with a live revision."""
        return self.filter(live_revision__isnull=False)

    def with_current(self):
        return self.select_related("current_revision", "author")

    def visible_to(self, user):
        """Publishers see every post; everyone else sees the posts they wrote."""
        if user.has_perm("review.publish_post") or user.has_perm("review.sign_post"):
            return self
        return self.filter(author=user)


class Post(models.Model):
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # The working copy: the newest revision, whatever its review state.
    current_revision = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What readers see; only the review workflow moves this pointer.
    live_revision = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_published_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["-published_at"], name="post_published_idx")]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return self.current_revision.title if self.current_revision_id else self.slug

    @property
    def is_live(self) -> bool:
        return self.live_revision_id is not None

    @property
    def live_differs_from_working_copy(self) -> bool:
        return self.is_live and self.live_revision_id != self.current_revision_id

    def editor_ids(self) -> set[int]:
        """Everyone who wrote or edited any version of this post."""
        return {self.author_id, *self.revisions.values_list("author_id", flat=True)}


class Revision(ImmutableModel):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=500, blank=True)
    body = models.TextField(blank=True)
    html = models.TextField(editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    content_hash = models.CharField(max_length=64, editable=False, db_index=True)

    class Meta:
        ordering = ["post", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="revision_number_unique_per_post"),
        ]

    def __str__(self):
        return f"{self.title} (v{self.number})"

    def compute_hash(self) -> str:
        """The hash of the stored fields as they are now, to compare with `content_hash`."""
        return content_hash(title=self.title, summary=self.summary, body=self.body, html=self.html)

    @property
    def is_intact(self) -> bool:
        return self.compute_hash() == self.content_hash

    @property
    def word_count(self) -> int:
        return len(self.body.split())
