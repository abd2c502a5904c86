"""Admin for the review workflow; signatures and audit events are read-only, state changes go through services."""

from axes import admin as axes_admin
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

from content.admin import PostAdmin as ContentPostAdmin
from content.admin import ReadOnlyAdmin
from content.models import Post
from review import identity, lockouts, services
from review.admin_forms import AddDoctorForm, accounts_without_profile
from review.models import (
    Attestation, AuditEvent, Comment, CommentReply, Publication, ReviewerProfile, ReviewPolicy, Signature, Workflow,
)
from review.states import Meaning


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    list_display = ["printed_name", "credentials", "registration_number", "verified_until", "meaning", "is_active"]
    list_filter = ["is_active", "meaning"]
    search_fields = ["display_name", "registration_number", "user__username"]
    prepopulated_fields = {"slug": ["display_name"]}
    # "Add a doctor": the account, the reviewer group and the profile in one form (review.admin_forms).
    add_fieldsets = [
        ("Account", {"fields": ["account", "username", "first_name", "last_name", "email", "password"],
                     "description": "Choose an existing account, or create one. Either way it joins the "
                                    "Medical reviewer group."}),
        ("Reviewer profile", {"fields": ["honorific", "display_name", "credentials", "registration_number",
                                         "registering_body", "verified_until", "specialty", "bio", "slug",
                                         "meaning"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = AddDoctorForm
            kwargs["fields"] = None
        return super().get_form(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Changing a profile's account offers only accounts that have none (and its own).
        if db_field.name == "user":
            profile_pk = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = accounts_without_profile() | get_user_model().objects.filter(
                reviewer_profile__pk=profile_pk)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def add_view(self, request, form_url="", extra_context=None):
        return super().add_view(request, form_url, {"title": "Add a doctor", **(extra_context or {})})

    def get_readonly_fields(self, request, obj=None):
        # A signature belongs to one person: once this profile has signed, its account is fixed (review.identity).
        return ["user"] if obj is not None and identity.has_signed(obj) else []


@admin.register(ReviewPolicy)
class ReviewPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "signoffs_in_force", "rereview_days_in_force"]
    readonly_fields = ["in_force"]
    fields = ["in_force", "medical_signoffs", "compliance_signoffs", "rereview_days", "checklist"]

    def has_add_permission(self, request):
        return not ReviewPolicy.objects.exists()

    def get_form(self, request, obj=None, **kwargs):
        """Each field says what applies when it is left blank: the setting's default."""
        form = super().get_form(request, obj, **kwargs)
        defaults = settings.REVIEW_POLICY
        required = defaults["REQUIRED_SIGNOFFS"]
        blank = "Blank keeps the default: {}."
        form.base_fields["medical_signoffs"].help_text = blank.format(required.get(Meaning.MEDICAL, 0))
        form.base_fields["compliance_signoffs"].help_text = blank.format(required.get(Meaning.COMPLIANCE, 0))
        form.base_fields["rereview_days"].help_text = blank.format(f"{defaults['REREVIEW_DAYS']} days")
        return form

    @admin.display(description="In force now")
    def in_force(self, obj=None):
        """The policy the workflow applies at this moment (ReviewPolicy.current): overrides and defaults together."""
        policy = ReviewPolicy.current()
        signoffs = ", ".join(f"{count} × {Meaning(meaning).label}" for meaning, count in policy.required_signoffs.items())
        return format_html(
            "<p>Sign-offs each version needs: <strong>{}</strong></p>"
            "<p>A sign-off stays current for <strong>{} days</strong>.</p>"
            "<p>Checklist before signing:</p><ul>{}</ul>",
            signoffs or "none", policy.rereview_days,
            format_html_join("", "<li>{}</li>", ((item,) for item in policy.checklist)),
        )

    @admin.display(description="Sign-offs in force")
    def signoffs_in_force(self, obj):
        policy = ReviewPolicy.current()
        return ", ".join(f"{count} × {Meaning(meaning).label}" for meaning, count in policy.required_signoffs.items())

    @admin.display(description="Re-review after (days)")
    def rereview_days_in_force(self, obj):
        return ReviewPolicy.current().rereview_days


@admin.register(Workflow)
class WorkflowAdmin(ReadOnlyAdmin):
    list_display = ["post", "state", "changed_at", "assignee", "scheduled_for"]
    list_filter = ["state"]
    list_select_related = ["post__current_revision", "assignee"]
    readonly_fields = [f.name for f in Workflow._meta.fields]


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ["printed_name", "meaning", "revision", "signed_at", "valid"]
    list_select_related = ["revision"]
    readonly_fields = [f.name for f in Signature._meta.fields]

    @admin.display(boolean=True)
    def valid(self, obj):
        return obj.is_valid


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["slug", "revision", "publisher_name", "published_at", "audit_event", "key_id"]
    list_select_related = ["revision", "audit_event"]
    readonly_fields = [f.name for f in Publication._meta.fields]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "post", "author", "created_at", "resolved_at"]
    list_select_related = ["post__current_revision", "author"]
    readonly_fields = [f.name for f in Comment._meta.fields]


@admin.register(CommentReply)
class CommentReplyAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "comment", "author", "created_at"]
    list_select_related = ["comment", "author"]
    readonly_fields = [f.name for f in CommentReply._meta.fields]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["seq", "created_at", "actor_name", "action", "post", "from_state", "to_state", "key_id"]
    list_filter = ["action"]
    list_select_related = ["post__current_revision"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]


# django-axes' list of failed logins, whose removal lifts a lock-out: through `lockouts.lift`, so that
# each removal is an audit event naming the administrator.
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    actions = ["lift_lockout", *axes_admin.AccessAttemptAdmin.actions]

    @admin.action(description="Lift the lock-out (remove these failed attempts)", permissions=["delete"])
    def lift_lockout(self, request, queryset):
        count = lockouts.lift(queryset, actor=request.user)
        self.message_user(request, f"Lifted: {count} record(s) of failed logins removed. Those sign-ins work again.")

    def delete_model(self, request, obj):
        lockouts.lift(AccessAttempt.objects.filter(pk=obj.pk), actor=request.user)

    def delete_queryset(self, request, queryset):
        lockouts.lift(queryset, actor=request.user)


@admin.register(Attestation)
class AttestationAdmin(ReadOnlyAdmin):
    list_display = ["uid", "post", "issued_at", "next_review", "key_id"]
    list_select_related = ["post__current_revision"]
    readonly_fields = [f.name for f in Attestation._meta.fields]


class PostSlugForm(forms.ModelForm):
    """The admin's post form: the slug is checked as the service checks it, the message next to the field."""

    def clean_slug(self):
        from review.services.drafts import checked_slug

        slug = self.cleaned_data["slug"]
        if slug == self.instance.slug:
            return slug
        try:
            return checked_slug(slug, "", exclude_pk=self.instance.pk)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["slug"]) from exc


# A post's address changes only through the service, so that the change is audited, the old address redirects
# and a live post's publication record names the new one (review.services.addresses).
admin.site.unregister(Post)


@admin.register(Post)
class PostAdmin(ContentPostAdmin):
    form = PostSlugForm

    def save_model(self, request, obj, form, change):
        if change and "slug" in form.changed_data:
            services.post_change_slug(Post.objects.get(pk=obj.pk), user=request.user, slug=obj.slug)
        # Nothing else of a post is edited here (content.admin.PostAdmin.readonly_fields).
