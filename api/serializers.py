"""What the API says of an article, a reviewer and a draft: the public site's facts, as JSON."""

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.site import absolute_url
from content.images import ACCEPTED
from public.views import structured_data
from review import attestations


class RenditionSerializer(serializers.Serializer):
    url = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    type = serializers.CharField(help_text="MIME type, e.g. image/webp.")


class PictureSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="The picture as it was signed.")
    alt = serializers.CharField()
    caption = serializers.CharField(allow_blank=True)
    credit = serializers.CharField(allow_blank=True)
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    sha256 = serializers.CharField(help_text="SHA-256 of the signed picture's bytes.")
    renditions = RenditionSerializer(many=True, help_text="Resized copies for srcset, WebP and the original format.")


def hero_of(revision, images: dict) -> dict | None:
    """The revision's hero picture as signed (its manifest entry), with the resized copies of its upload."""
    entry = revision.hero
    if entry is None:
        return None
    image = images.get(entry["image"])
    renditions = [{"url": absolute_url(default_storage.url(r["name"])), "width": r["width"], "height": r["height"],
                   "type": ACCEPTED[r["format"]][1]} for r in (image.renditions if image else [])]
    return {"url": absolute_url(entry["src"]), "alt": entry["alt"], "caption": entry["caption"],
            "credit": entry["credit"], "width": entry["width"], "height": entry["height"],
            "sha256": entry["sha256"], "renditions": renditions}


class ReviewLineSerializer(serializers.Serializer):
    """The facts of the "Medically reviewed by" line, as they were signed."""

    reviewer = serializers.CharField(source="printed_name", help_text='As signed, e.g. "Dr. Ian Tan".')
    honorific = serializers.CharField(allow_blank=True)
    name = serializers.CharField(help_text="The reviewer's name without the honorific.")
    credentials = serializers.CharField()
    signed_at = serializers.DateTimeField(help_text="When the reviewer signed the words shown.")
    last_reviewed = serializers.SerializerMethodField(help_text="The signature's date in the site's time zone.")
    next_review_due = serializers.DateTimeField()
    reviewer_slug = serializers.CharField()
    reviewer_url = serializers.SerializerMethodField(help_text="The reviewer's page on the public site.")
    reviewer_api_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.DATE)
    def get_last_reviewed(self, review) -> str:
        return timezone.localdate(review.signed_at).isoformat()

    def get_reviewer_url(self, review) -> str:
        return absolute_url(reverse("public:reviewer", args=[review.reviewer_slug]))

    def get_reviewer_api_url(self, review) -> str:
        return absolute_url(reverse("api:reviewer", args=[review.reviewer_slug]))


class ArticleSerializer(serializers.Serializer):
    """A published article (public.articles.Article): exactly what its page shows."""

    slug = serializers.CharField(source="post.slug")
    url = serializers.SerializerMethodField(help_text="The article's page on the public site.")
    api_url = serializers.SerializerMethodField()
    title = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    author = serializers.CharField(source="author_name")
    body_html = serializers.CharField(source="revision.html", help_text="The signed, sanitised HTML of the body.")
    content_hash = serializers.CharField(source="revision.content_hash",
                                         help_text="SHA-256 of the signed revision, as the signature names it.")
    published_at = serializers.DateTimeField(help_text="First publication.")
    modified_at = serializers.DateTimeField(help_text="When the version shown went live.")
    updated_at = serializers.DateTimeField(source="last_changed",
                                           help_text="The newest change to anything shown: publication or a review.")
    hero = serializers.SerializerMethodField()
    review = ReviewLineSerializer()
    attestation_url = serializers.SerializerMethodField(
        help_text="The signed review attestation (docs/attestation.md), once one has been issued.")
    verification_url = serializers.SerializerMethodField(help_text='The "Verify this review" page.')
    structured_data = serializers.SerializerMethodField(help_text="The JSON-LD (schema.org MedicalWebPage) "
                                                                  "the article's page embeds.")

    def get_url(self, article) -> str:
        return absolute_url(article.url)

    def get_api_url(self, article) -> str:
        return absolute_url(reverse("api:article", args=[article.post.slug]))

    @extend_schema_field(PictureSerializer(allow_null=True))
    def get_hero(self, article):
        return hero_of(article.revision, self.context.get("images", {}))

    def _attestation(self, article):
        return self.context["attestations"].get(article.post.pk)

    def get_attestation_url(self, article) -> str | None:
        found = self._attestation(article)
        return absolute_url(reverse("public:attestation", args=[found.uid])) if found else None

    def get_verification_url(self, article) -> str | None:
        found = self._attestation(article)
        return absolute_url(reverse("public:review_verification", args=[article.post.slug])) if found else None

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_structured_data(self, article):
        return structured_data(self.context.get("request"), article)


class ReviewerSerializer(serializers.Serializer):
    slug = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The reviewer's page on the public site.")
    api_url = serializers.SerializerMethodField()
    name = serializers.CharField(source="printed_name", help_text='With the honorific, e.g. "Dr. Ian Tan".')
    honorific = serializers.CharField(allow_blank=True)
    display_name = serializers.CharField()
    credentials = serializers.CharField()
    specialty = serializers.CharField(allow_blank=True)
    registration_number = serializers.CharField()
    registering_body = serializers.CharField(allow_blank=True)
    bio = serializers.CharField(allow_blank=True, help_text="Plain text; blank lines separate paragraphs.")

    def get_url(self, profile) -> str:
        return absolute_url(reverse("public:reviewer", args=[profile.slug]))

    def get_api_url(self, profile) -> str:
        return absolute_url(reverse("api:reviewer", args=[profile.slug]))


class DraftSerializer(serializers.Serializer):
    """A post's working copy, whatever its review state: for previews only, never with a review line."""

    slug = serializers.CharField()
    api_url = serializers.SerializerMethodField()
    state = serializers.CharField(source="workflow.state")
    state_label = serializers.CharField(source="workflow.get_state_display")
    revision = serializers.IntegerField(source="current_revision.number")
    title = serializers.CharField(source="current_revision.title")
    summary = serializers.CharField(source="current_revision.summary", allow_blank=True)
    body_html = serializers.CharField(source="current_revision.html",
                                      help_text="Sanitised HTML of the working copy; not necessarily reviewed.")
    content_hash = serializers.CharField(source="current_revision.content_hash")
    updated_at = serializers.DateTimeField()
    hero = serializers.SerializerMethodField()
    live_url = serializers.SerializerMethodField(help_text="The published version's page, if there is one.")

    def get_api_url(self, post) -> str:
        return absolute_url(reverse("api:draft", args=[post.slug]))

    @extend_schema_field(PictureSerializer(allow_null=True))
    def get_hero(self, post):
        return hero_of(post.current_revision, self.context.get("images", {}))

    def get_live_url(self, post) -> str | None:
        return absolute_url(reverse("public:article", args=[post.slug])) if post.is_live else None
