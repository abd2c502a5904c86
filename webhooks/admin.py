"""Webhooks in the admin: subscriptions (administrators), and the delivery log with each attempt and
"Send again" (readable and retryable by whoever holds the delivery permissions, e.g. a publisher)."""

from django import forms
from django.contrib import admin

from content.admin import ReadOnlyAdmin
from review.rules import is_publisher
from webhooks.deliveries import send_again
from webhooks.models import Attempt, Delivery, Event, Subscription
from webhooks.signing import new_secret


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(label="URL", max_length=500, assume_scheme="https",
                         help_text=Subscription._meta.get_field("url").help_text)
    events = forms.MultipleChoiceField(choices=Event.choices, widget=forms.CheckboxSelectMultiple,
                                       help_text="Which events to send to this URL.")

    class Meta:
        model = Subscription
        fields = ["url", "description", "events", "is_active"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["url", "description", "is_active", "created_at"]
    list_filter = ["is_active"]
    readonly_fields = ["secret", "created_at"]
    actions = ["rotate_secret"]

    @admin.action(description="Make a new signing secret (give it to the receiving site)")
    def rotate_secret(self, request, queryset):
        for subscription in queryset:
            subscription.secret = new_secret()
            subscription.save(update_fields=["secret"])
        self.message_user(request, f"New secrets for {queryset.count()} subscription(s): see each one's page.")


class AttemptInline(admin.TabularInline):
    model = Attempt
    fields = ["attempted_at", "status_code", "error", "response", "duration_ms"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "subscription", "status", "attempts", "next_attempt_at", "delivered_at"]
    list_filter = ["status", "event", "subscription"]
    list_select_related = ["subscription"]
    search_fields = ["message_id"]
    readonly_fields = ["subscription", "event", "message_id", "payload", "created_at", "status", "attempts",
                       "next_attempt_at", "delivered_at"]
    inlines = [AttemptInline]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return is_publisher(request.user)  # the same people as the delivery log's "Send again"

    @admin.action(description="Send again now", permissions=["retry"])
    def send_again(self, request, queryset):
        count = send_again(queryset)
        self.message_user(request, f"{count} delivery(ies) queued to be sent again; delivered ones are left alone.")


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    """Every attempt of every delivery, read-only: the log as it happened."""

    list_display = ["attempted_at", "delivery", "status_code", "error", "duration_ms"]
    list_select_related = ["delivery__subscription"]
    readonly_fields = ["delivery", "attempted_at", "status_code", "error", "response", "duration_ms"]
