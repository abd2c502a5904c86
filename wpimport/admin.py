"""Imported posts in the admin: where each came from and what the import noted; written only by the import."""

from django.contrib import admin

from content.admin import ReadOnlyAdmin
from wpimport.models import ImportedPost


@admin.register(ImportedPost)
class ImportedPostAdmin(ReadOnlyAdmin):
    list_display = ("post", "old_address", "old_status", "published_on_old_site", "imported_at")
    list_filter = ("old_status",)
    search_fields = ("old_address", "origin", "post__slug")
    readonly_fields = [field.name for field in ImportedPost._meta.fields]
    # ReadOnlyAdmin: nothing deleted by hand either, or importing the same export again would make the post twice.
