"""Admin for the editorial policy text: one row, edited in place, never deleted."""

from django.contrib import admin

from public.models import EditorialPolicy


@admin.register(EditorialPolicy)
class EditorialPolicyAdmin(admin.ModelAdmin):
    list_display = ["title", "updated_at"]
    fields = ["title", "body", "updated_at"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request):
        return not EditorialPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
