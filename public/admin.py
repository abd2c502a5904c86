"""Admin for the editorial policy text: one row, edited in place, never deleted."""

from django.contrib import admin

from public.models import EditorialPolicy, MovedAddress


@admin.register(EditorialPolicy)
class EditorialPolicyAdmin(admin.ModelAdmin):
    list_display = ["title", "updated_at"]
    fields = ["title", "body", "updated_at"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request):
        return not EditorialPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MovedAddress)
class MovedAddressAdmin(admin.ModelAdmin):
    """Old addresses and where they lead; written by renames and imports (public.redirects), never by hand."""

    list_display = ("old_path", "new_path", "created_at")
    search_fields = ("old_path", "new_path")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
