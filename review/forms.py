"""Forms of the review pages. They only carry input; the services decide what is allowed."""

from django import forms

from review.signing import ATTESTATION


class LoadedFor(forms.Form):
    """The state and version of the post the form was loaded for: the service refuses it (409) if either changed."""

    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)
    expected_revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1,
                                           max_value=2**63 - 1)

    def loaded_for(self) -> dict:
        return {"expected_state": self.cleaned_data.get("expected_state") or None,
                "expected_revision": self.cleaned_data.get("expected_revision")}


class QuoteFields(forms.Form):
    """The passage a comment is about, as the page's script selected it (TextQuoteSelector)."""

    exact = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)
    prefix = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)
    suffix = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def quote(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("exact"):
            return None
        return {key: data.get(key) for key in ("exact", "prefix", "suffix", "start", "end")}


class CommentForm(QuoteFields, LoadedFor):
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 3}))


class RequestChangesForm(QuoteFields, LoadedFor):
    comment = forms.CharField(
        label="What needs to change", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required: the author sees this with the post.",
    )


class SignForm(LoadedFor):
    checklist = forms.MultipleChoiceField(
        label="Checklist", required=False, widget=forms.CheckboxSelectMultiple,
        # Only when the administrator changed the checklist while the page was open.
        error_messages={"invalid_choice": "The checklist has changed since you opened this page. Tick each item "
                                          "as it stands now."},
    )
    # The claims check's warnings on the revision, each acknowledged by key (review.findings).
    acknowledged = forms.MultipleChoiceField(label="Claims warnings", required=False,
                                             widget=forms.CheckboxSelectMultiple)
    password = forms.CharField(label="Password", required=False, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    attest = forms.BooleanField(label=ATTESTATION, required=False)

    def __init__(self, *args, checklist: tuple[str, ...], to_acknowledge=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checklist"].choices = [(item, item) for item in checklist]
        self.fields["acknowledged"].choices = [
            (f.key, f"“{f.text}” ({f.field_label.lower()}): {f.message}") for f in to_acknowledge
        ]


class ClaimForm(LoadedFor):
    pass


class AssignForm(LoadedFor):
    reviewer = forms.ModelChoiceField(label="Assign to", queryset=None, empty_label="Choose a reviewer")

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers
        self.fields["reviewer"].label_from_instance = lambda user: user.reviewer_profile.printed_name
