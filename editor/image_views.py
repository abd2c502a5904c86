"""Pictures in the editor: upload one with its alt text, then insert it into the body with one click."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from claims import linter
from content import images
from content.models import Image
from review import rules

LIBRARY_SIZE = 24


class ImageUploadForm(forms.Form):
    """Shapes and labels the upload; content.images decides what is accepted."""

    file = forms.FileField(label="Picture", required=False,
                           help_text=f"{images.ACCEPTED_TEXT}. Location and camera details are removed.")
    alt = forms.CharField(label="Alt text", max_length=images.ALT_MAX, required=False,
                          help_text="What the picture shows, for readers who cannot see it. Required.")
    caption = forms.CharField(label="Caption", max_length=300, required=False)
    credit = forms.CharField(label="Credit", max_length=200, required=False,
                             help_text="For example “Photo: MedReview Clinic”.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"


def insertable(image: Image) -> dict:
    """What the editor needs to show and insert a picture; `preparing` while its resized copies are being made
    (until then the thumbnail is the original)."""
    ready = image.renditions_ready
    thumbnail = min((r for r in image.renditions if r["format"] == "WEBP"), key=lambda r: r["width"])["name"] \
        if ready else image.file
    caption = image.caption.replace('"', "”")
    markdown = f"![{_alt_for_markdown(image.alt)}]({image.reference}" + (f' "{caption}")' if caption else ")")
    return {"id": image.pk, "reference": image.reference, "markdown": markdown, "alt": image.alt,
            "caption": image.caption, "credit": image.credit, "width": image.width, "height": image.height,
            "thumbnail": images.default_storage.url(thumbnail), "preparing": not ready,
            "status_url": reverse("editor:image_status", args=[image.pk])}


def _alt_for_markdown(alt: str) -> str:
    return alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace("\n", " ")


def picture_findings(image: Image) -> list[dict]:
    """The claims check of a picture's alt text, caption and file name, as the body will carry them."""
    return [f.to_dict() for f in linter.lint(insertable(image)["markdown"], rules=linter.active_rules())]


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_http_methods(["GET", "POST"])
def image_upload(request):
    """POST a picture: 201 with how to insert it, or 400 with a message per field (the typed text is kept)."""
    if not rules.uses_editor(request.user):
        raise PermissionDenied("Only writers and publishers upload pictures.")
    form = ImageUploadForm(request.POST or None, request.FILES or None)
    uploaded, findings, status = None, [], 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                image = images.image_upload(data["file"], alt=data["alt"], caption=data["caption"],
                                            credit=data["credit"], uploaded_by=request.user)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                uploaded, findings, status = insertable(image), picture_findings(image), 201
                form = ImageUploadForm()
        if status != 201:
            status = 400
        if _wants_json(request):
            if status == 201:
                return JsonResponse({**uploaded, "findings": findings}, status=201)
            return JsonResponse({"errors": {field: [str(e) for e in errors] for field, errors in form.errors.items()}},
                                status=400)
    return render(request, "editor/images.html", {
        "form": form, "uploaded": uploaded, "findings": findings,
        "library": [insertable(image) for image in
                    rules.visible_images(request.user).prefetch_related("copies")[:LIBRARY_SIZE]],
    }, status=status)


@login_required
@require_GET
def image_status(request, pk):
    """A picture as the editor shows it, asked again while its resized copies are `preparing`."""
    if not rules.uses_editor(request.user):
        raise PermissionDenied("Only writers and publishers upload pictures.")
    return JsonResponse(insertable(get_object_or_404(rules.visible_images(request.user), pk=pk)))
