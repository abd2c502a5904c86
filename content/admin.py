"""Admin for posts, revisions and pictures (read-only: revisions and pictures are immutable)."""

from django.contrib import admin

from content.models import Image, Post, Rendition, Revision


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that are written once by the application and never edited by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ["title", "post", "number", "author", "created_at", "content_hash"]
    list_select_related = ["post", "author"]
    search_fields = ["title", "post__slug"]
    readonly_fields = [f.name for f in Revision._meta.fields]


class RevisionInline(admin.TabularInline):
    model = Revision
    fields = ["number", "title", "author", "created_at", "content_hash"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["__str__", "slug", "author", "updated_at", "published_at"]
    list_select_related = ["current_revision", "author"]
    search_fields = ["slug", "current_revision__title"]
    # State and publication change only through the review workflow.
    readonly_fields = ["author", "created_at", "updated_at", "current_revision", "live_revision",
                       "first_published_at", "published_at"]
    inlines = [RevisionInline]

    def has_add_permission(self, request):
        return False  # new posts start in the editor, where they get a workflow and an audit event


@admin.register(Image)
class ImageAdmin(ReadOnlyAdmin):
    """Pictures are immutable: a new alt text or file is a new upload, so revisions keep what was signed."""

    list_display = ["alt", "format", "width", "height", "uploaded_by", "uploaded_at", "sha256"]
    list_select_related = ["uploaded_by"]
    search_fields = ["alt", "caption", "sha256"]
    readonly_fields = [f.name for f in Image._meta.fields]


@admin.register(Rendition)
class RenditionAdmin(ReadOnlyAdmin):
    """Resized copies made in the background after an upload; `verify_images` re-checks their hashes."""

    list_display = ["name", "image", "made_at", "sha256"]
    list_select_related = ["image"]
    readonly_fields = [f.name for f in Rendition._meta.fields]
