"""The administrator's "Add a doctor" form: the account, its reviewer role and the profile, in one step."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.db import transaction

from review import roles
from review.models import ReviewerProfile


def accounts_without_profile():
    """Accounts that could become a doctor: active, with no reviewer profile yet."""
    return (get_user_model().objects.filter(is_active=True, reviewer_profile__isnull=True)
            .order_by("last_name", "first_name", "username"))


class AddDoctorForm(forms.ModelForm):
    """A new or existing account, the Medical reviewer group and the reviewer profile, saved together."""

    account = forms.ModelChoiceField(
        label="Existing account", required=False, queryset=None, empty_label="— create a new account —",
        help_text="Only active accounts without a reviewer profile are listed. Leave empty to create one below.")
    username = forms.CharField(label="New account: username", max_length=150, required=False)
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    email = forms.EmailField(label="Email", required=False,
                             help_text="Where the review queue's emails go.")
    password = forms.CharField(label="Password", required=False, strip=False, widget=forms.PasswordInput,
                               help_text="For a new account; the doctor re-enters it to sign.")

    class Meta:
        model = ReviewerProfile
        fields = ["honorific", "display_name", "credentials", "registration_number", "registering_body",
                  "verified_until", "specialty", "bio", "slug", "meaning"]
        widgets = {"verified_until": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts_without_profile()
        self.fields["account"].label_from_instance = (
            lambda u: f"{u.get_full_name() or u.username} ({u.username})")
        self.fields["verified_until"].required = True

    def clean(self):
        data = super().clean()
        account, username = data.get("account"), (data.get("username") or "").strip()
        if account and username:
            self.add_error("username", "Choose an existing account or give a new username, not both.")
        elif not account:
            if not username:
                self.add_error("username", "Give the new account a username, or choose an existing account.")
            elif get_user_model().objects.filter(username__iexact=username).exists():
                self.add_error("username", "An account with this username exists: choose it above instead.")
            if not data.get("email"):
                self.add_error("email", "A new account needs an email address for the queue's emails.")
            password = data.get("password") or ""
            if not password:
                self.add_error("password", "A new account needs a password.")
            else:
                try:
                    password_validation.validate_password(password, get_user_model()(username=username,
                                                                                    email=data.get("email") or ""))
                except forms.ValidationError as exc:
                    self.add_error("password", exc)
        return data

    @transaction.atomic
    def save(self, commit=True):
        data = self.cleaned_data
        user = data.get("account")
        if user is None:
            user = get_user_model().objects.create_user(
                username=data["username"].strip(), email=data["email"], password=data["password"],
                first_name=data.get("first_name", ""), last_name=data.get("last_name", ""))
        user.groups.add(Group.objects.get(name=roles.REVIEWER))
        profile = super().save(commit=False)
        profile.user = user
        profile.save()
        return profile

    def save_m2m(self):  # the admin calls it after save_model; the profile has no many-to-many fields
        pass
