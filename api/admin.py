"""API tokens in the admin: an administrator makes one (shown once, then only its hash is kept) and revokes it."""

from django.contrib import admin, messages
from django.utils import timezone

from api.models import ApiToken
from api.tokens import token_issue, token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "scope", "prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix"]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        return ["name", "scope"] if obj is None else ["name", "scope", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        # What a token may do is fixed when it is made: a wider scope is a new token.
        return [] if obj is None else ["scope", *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name"])
            return
        token, key = token_issue(name=obj.name, scope=obj.scope, created_by=request.user)
        obj.pk = token.pk
        obj.refresh_from_db()
        messages.warning(request, f"The token for “{token.name}” is {key} — copy it now: it is not stored and "
                                  "will not be shown again.")

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the record of who had access stays

    @admin.action(description="Revoke the selected tokens (they stop working at once)")
    def revoke(self, request, queryset):
        live = list(queryset.filter(revoked_at__isnull=True))
        for token in live:
            token_revoke(token)
        self.message_user(request, f"Revoked {len(live)} token(s) at {timezone.localtime():%H:%M}.")
