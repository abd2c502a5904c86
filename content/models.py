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
        indexes = [
            models.Index(fields=["-published_at"], name="post_published_idx"),
            # The public lists' order (index, feed, sitemap, reviewer pages): newest first publication first.
            models.Index(fields=["-first_published_at", "-id"], name="post_first_published_idx"),
        ]

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


def word_count(text: str) -> int:
    """Words in a text, as the editor and the review queue count them."""
    return len(text.split())


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
    # Every picture the revision shows, as it was at saving (content.images.manifest_entry):
    # hashed with the text, so a different picture or alt text is a different revision.
    images = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        ordering = ["post", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="revision_number_unique_per_post"),
        ]

    def __str__(self):
        return f"{self.title} (v{self.number})"

    def compute_hash(self) -> str:
        """The hash of the stored fields as they are now, to compare with `content_hash`."""
        return content_hash(title=self.title, summary=self.summary, body=self.body, html=self.html,
                            images=self.images)

    @property
    def is_intact(self) -> bool:
        return self.compute_hash() == self.content_hash

    @property
    def word_count(self) -> int:
        return word_count(self.body)

    @property
    def hero(self) -> dict | None:
        return next((image for image in self.images if image.get("role") == "hero"), None)


class Image(ImmutableModel):
    """An uploaded picture, re-encoded without metadata; its bytes never change (a new picture is a new row).

    `renditions` lists the resized copies planned at upload, {"width", "height", "format", "name"}: their names
    follow from the original's hash, so pages can point at them before a background task has made them. Each
    copy made is a `Rendition` row with its bytes' hash.
    """

    class Format(models.TextChoices):
        JPEG = "JPEG", "JPEG"
        PNG = "PNG", "PNG"
        WEBP = "WEBP", "WebP"

    file = models.CharField(max_length=200, help_text="Name in the default storage; generated, never the upload's.")
    sha256 = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of the stored bytes.")
    format = models.CharField(max_length=4, choices=Format.choices)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField(help_text="Bytes stored.")
    alt = models.CharField("alt text", max_length=300)
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(max_length=200, blank=True)
    # The uploaded file's name, made into a slug: a label for people and the claims linter only.
    label = models.CharField(max_length=100, blank=True)
    renditions = models.JSONField(default=list, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(alt=""), name="image_alt_required"),
            models.CheckConstraint(condition=models.Q(format__in=["JPEG", "PNG", "WEBP"]), name="image_format_known"),
        ]

    def __str__(self):
        return f"{self.alt} (image:{self.pk})"

    @property
    def renditions_ready(self) -> bool:
        """Whether every planned copy has been made (pages may still point at one that is being prepared)."""
        return len(self.copies.all()) >= len(self.renditions)

    @property
    def reference(self) -> str:
        """How the Markdown body points at this picture."""
        return f"image:{self.pk}/{self.label}" if self.label else f"image:{self.pk}"


class Rendition(ImmutableModel):
    """A resized copy of an uploaded picture, made in the background after the upload (content.tasks); its hash lets
    `verify_images` notice a changed file. The signature covers the original's bytes, never a copy's."""

    image = models.ForeignKey(Image, on_delete=models.PROTECT, related_name="copies")
    name = models.CharField(max_length=200, help_text="Name in the default storage.")
    sha256 = models.CharField(max_length=64)
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["image", "name"], name="rendition_once_per_image")]

    def __str__(self):
        return self.name
