"""The editor's forms: they shape and label input; review.services decides what is allowed."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from content.models import Image
from content.services import validate_slug


class PostForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200,
                            error_messages={"required": "A post needs a title."})
    slug = forms.CharField(
        label="Slug", max_length=200, required=False,
        help_text="The article's web address, /blog/<slug>/. Left blank, it is made from the title.",
    )
    summary = forms.CharField(label="Summary", max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text="One or two sentences for the blog index and search results.")
    body = forms.CharField(label="Body", required=False, widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "true"}),
                           help_text="Markdown: ## for a heading, - for a list, **bold**, [link](https://…).")
    hero_image = forms.TypedChoiceField(label="Hero picture", required=False, coerce=int, empty_value=None,
                                        help_text="Shown above the article. Upload pictures below.")
    hero_alt = forms.CharField(label="Hero alt text", max_length=300, required=False,
                               help_text="What the hero picture shows, for readers who cannot see it.")
    note = forms.CharField(label="What I changed (optional)", required=False,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="Sent with the resubmission: the reviewer sees it beside the changes, "
                                     "and it is kept in the audit trail.")
    # The revision the writer started from: saving over someone else's newer save is refused (409).
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    HERO_CHOICES = 50

    def __init__(self, *args, pictures, slug_locked=False, **kwargs):
        """`pictures`: the uploads this writer may pick from (review.rules.visible_images)."""
        super().__init__(*args, **kwargs)
        self.pictures = pictures
        self.fields["hero_image"].choices = self._hero_choices()
        self.image_max_mb = settings.IMAGE_MAX_BYTES / 1_048_576
        self.fields["hero_image"].widget.attrs["data-hero-select"] = ""
        self.fields["title"].widget.attrs.update({"autocomplete": "off", "data-slug-source": ""})
        self.fields["slug"].widget.attrs.update({"autocomplete": "off", "pattern": r"[-\w]+",
                                                 "data-slug-target": ""})
        if slug_locked:
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = "This post has been published; its address can no longer change."

    def _hero_choices(self):
        chosen = self.data.get("hero_image") or self.initial.get("hero_image")
        recent = list(self.pictures.order_by("-uploaded_at", "-pk")[: self.HERO_CHOICES])
        if chosen and str(chosen).isdigit() and all(image.pk != int(chosen) for image in recent):
            recent += list(Image.objects.filter(pk=int(chosen)))
        return [("", "No hero picture"), *((image.pk, f"{image.alt} (image:{image.pk})") for image in recent)]

    def hero(self) -> dict:
        """The hero as review.services takes it."""
        return {"image": self.cleaned_data.get("hero_image"), "alt": self.cleaned_data.get("hero_alt", "")}

    def clean_slug(self):
        slug = (self.cleaned_data.get("slug") or "").strip().lower()
        if slug:
            try:
                validate_slug(slug)
            except ValidationError:
                raise ValidationError("Use only letters, numbers, hyphens and underscores in the address.")
        return slug

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's field errors next to their fields, and any others above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            self.add_error(field if field in self.fields else None, errors)


class ScheduleForm(forms.Form):
    when = forms.DateTimeField(
        label="Publish on", input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "Choose the date and time to publish.",
                        "invalid": "Enter a date and time, for example 2026-11-23 09:00."},
    )


class DeskFilterForm(forms.Form):
    """The desk's filters and sort, read from the address; a value that cannot be read is named next to its field."""

    q = forms.CharField(label="Search titles", max_length=100, required=False,
                        widget=forms.TextInput(attrs={"type": "search"}))
    state = forms.ChoiceField(label="State", required=False)
    author = forms.ModelChoiceField(label="Author", required=False, queryset=None, empty_label="Any author",
                                    error_messages={"invalid_choice": "Choose an author from the list."})
    reviewer = forms.ModelChoiceField(label="Reviewer", required=False, queryset=None, empty_label="Any reviewer",
                                      error_messages={"invalid_choice": "Choose a reviewer from the list."})
    changed_from = forms.DateField(label="Changed from", required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                   error_messages={"invalid": "Enter a date, for example 2026-11-23."})
    changed_to = forms.DateField(label="Changed until", required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 error_messages={"invalid": "Enter a date, for example 2026-11-23."})
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, states, authors, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", "Any state"), *states]
        self.fields["author"].queryset = authors
        self.fields["author"].label_from_instance = lambda u: u.get_full_name() or u.get_username()
        self.fields["reviewer"].queryset = reviewers
        self.fields["reviewer"].label_from_instance = lambda u: u.reviewer_profile.printed_name

    def clean(self):
        data = super().clean()
        start, end = data.get("changed_from"), data.get("changed_to")
        if start and end and start > end:
            self.add_error("changed_to", "Choose a date on or after “Changed from”.")
        return data


class ReplyForm(forms.Form):
    body = forms.CharField(label="Your reply", widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "Write a reply first."})


class DueDateForm(forms.Form):
    due_date = forms.DateField(
        label="Review due by", required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The reviewers' queue sorts by this date and marks the post overdue after it. Leave empty to clear.",
        error_messages={"invalid": "Enter a date, for example 2026-11-23."},
    )
