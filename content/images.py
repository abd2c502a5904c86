"""Uploaded pictures: checking and storing them, their resized copies, and how a revision shows and hashes them."""

import hashlib
import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from background import jobs
from content.models import Image, Rendition
from content.rendering import PICTURE_SRC, Picture, PictureUse, Refused, Rendered, render_with_pictures

# Pillow's format name -> (file extension, MIME type). Nothing else is accepted.
ACCEPTED = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}
ACCEPTED_TEXT = "JPEG, PNG or WebP"
ENCODE_OPTIONS = {
    "JPEG": {"quality": 88, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 85, "method": 4},
}
ALT_MAX = 300
STORAGE_DIR = "images"


def _size(n: int) -> str:
    return f"{n / 1_048_576:.3g} MB" if n >= 1_048_576 else f"{n / 1024:.3g} KB"


def _refuse(message: str, field: str = "file"):
    raise ValidationError({field: message})


def _looks_like_markup(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<?xml", b"<svg", b"<!doctype", b"<html")) or b"<svg" in text[:1024]


def _decode(data: bytes) -> PILImage.Image:
    """The picture in `data`, fully decoded, or a ValidationError saying plainly why not.

    The real type comes from the bytes, never from the file name or the browser's word.
    """
    max_pixels = settings.IMAGE_MAX_PIXELS
    limit = f"{max_pixels / 1_000_000:g} megapixels"
    previous_limit = PILImage.MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            PILImage.MAX_IMAGE_PIXELS = max_pixels
            try:
                with PILImage.open(io.BytesIO(data)) as probe:
                    kind = probe.format
                    if kind not in ACCEPTED:
                        _refuse(f"This is a {kind} file. Upload a {ACCEPTED_TEXT} picture.")
                    if probe.width * probe.height > max_pixels:
                        raise PILImage.DecompressionBombError
                    if getattr(probe, "n_frames", 1) > 1:
                        _refuse("Animated pictures are not accepted. Upload a still JPEG, PNG or WebP.")
                    probe.verify()
                picture = PILImage.open(io.BytesIO(data))
                picture.load()
            finally:
                PILImage.MAX_IMAGE_PIXELS = previous_limit
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        _refuse(f"This picture has too many pixels; the limit is {limit}. Resize it and upload it again.")
    except UnidentifiedImageError:
        if _looks_like_markup(data[:4096]):
            _refuse("SVG and other drawing or web files are not accepted, because they can carry scripts. "
                    f"Export the picture as {ACCEPTED_TEXT} and upload that.")
        _refuse(f"This file is not a picture Pillow can read. Upload a {ACCEPTED_TEXT} picture.")
    except (OSError, SyntaxError, ValueError) as exc:
        _refuse(f"This picture is damaged or incomplete ({exc}). Save it again and upload the new file.")
    return picture


def _encode(picture: PILImage.Image, kind: str) -> bytes:
    """Fresh bytes in `kind` with no metadata: no EXIF, GPS, XMP or comments (the colour profile stays)."""
    if kind == "JPEG" and picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    elif kind == "WEBP" and picture.mode not in ("RGB", "RGBA"):
        picture = picture.convert("RGBA" if "A" in picture.getbands() or "transparency" in picture.info else "RGB")
    elif kind == "PNG" and picture.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"):
        picture = picture.convert("RGBA")
    options = dict(ENCODE_OPTIONS[kind])
    if picture.info.get("icc_profile"):
        options["icc_profile"] = picture.info["icc_profile"]
    if kind == "PNG" and "transparency" in picture.info:
        options["transparency"] = picture.info["transparency"]
    out = io.BytesIO()
    picture.save(out, kind, **options)
    return out.getvalue()


def _clean_copy(picture: PILImage.Image) -> PILImage.Image:
    """Turned upright as the camera meant, then copied pixel by pixel so no metadata travels along."""
    upright = ImageOps.exif_transpose(picture) or picture
    clean = upright.copy()
    clean.info = {key: upright.info[key] for key in ("icc_profile", "transparency") if key in upright.info}
    return clean


def _store(name: str, data: bytes) -> str:
    """Save `data` under `name` unless the same name (which embeds the bytes' hash) is already there."""
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(data))


def planned_renditions(*, width: int, height: int, sha256: str, kind: str) -> list[dict]:
    """The resized copies for srcset, each in WebP and in the original format, never wider than the original.

    The configured widths cover the article column at twice its size, so a larger original gets no
    full-size copy; a smaller one gets one at its own width. Names follow from the original's hash, so they are
    known (and written into pages) before the copies are made.
    """
    configured = sorted(settings.IMAGE_RENDITION_WIDTHS)
    widths = [w for w in configured if w < width]
    if width <= configured[-1]:
        widths.append(width)
    return [{"width": w, "height": max(1, round(height * w / width)), "format": out_kind,
             "name": f"{STORAGE_DIR}/{sha256[:2]}/{sha256}-{w}.{ACCEPTED[out_kind][0]}"}
            for w in widths for out_kind in dict.fromkeys(["WEBP", kind])]


def make_renditions(image: Image) -> list[Rendition]:
    """Make the copies of `image` not made yet, and record each with its hash. Idempotent: a copy already recorded
    is skipped, and a file left half-written by a worker that died is written again (encoding is deterministic,
    so a stored file that differs from a fresh encoding is such a leftover)."""
    made = set(image.copies.values_list("name", flat=True))
    todo = [plan for plan in image.renditions if plan["name"] not in made]
    if not todo:
        return []
    with default_storage.open(image.file, "rb") as handle:
        picture = PILImage.open(io.BytesIO(handle.read()))
        picture.load()
    recorded, resized = [], {}
    for plan in todo:
        size = (plan["width"], plan["height"])
        if size not in resized:
            resized[size] = picture if plan["width"] == picture.width else picture.resize(
                size, PILImage.Resampling.LANCZOS, reducing_gap=2.0)
        data = _encode(resized[size], plan["format"])
        sha256 = hashlib.sha256(data).hexdigest()
        if default_storage.exists(plan["name"]):
            with default_storage.open(plan["name"], "rb") as handle:
                stored = hashlib.sha256(handle.read()).hexdigest()
            if stored != sha256:
                default_storage.delete(plan["name"])
        if not default_storage.exists(plan["name"]):
            default_storage.save(plan["name"], ContentFile(data))
        rendition, _ = Rendition.objects.get_or_create(image=image, name=plan["name"], defaults={"sha256": sha256})
        recorded.append(rendition)
    return recorded


@transaction.atomic
def image_upload(file, *, alt: str, caption: str = "", credit: str = "", uploaded_by) -> Image:
    """Check, clean and store an uploaded picture and plan its resized copies, which a background task makes once
    the upload has committed; return its new Image row."""
    alt, caption, credit = (alt or "").strip(), (caption or "").strip(), (credit or "").strip()
    errors = {}
    if not alt:
        errors["alt"] = "Describe what the picture shows, for readers who cannot see it. Alt text is required."
    elif len(alt) > ALT_MAX:
        errors["alt"] = f"Keep the alt text under {ALT_MAX} characters; put the rest in the caption."
    if len(caption) > 300:
        errors["caption"] = "Keep the caption under 300 characters."
    if len(credit) > 200:
        errors["credit"] = "Keep the credit under 200 characters."
    if file is None:
        errors["file"] = f"Choose a {ACCEPTED_TEXT} picture to upload."
    elif file.size > settings.IMAGE_MAX_BYTES:
        errors["file"] = (f"This file is {_size(file.size)}; the limit is {_size(settings.IMAGE_MAX_BYTES)}. "
                          "Make it smaller and upload it again.")
    if errors:
        raise ValidationError(errors)
    decoded = _decode(file.read())
    kind = decoded.format
    picture = _clean_copy(decoded)
    data = _encode(picture, kind)
    sha256 = hashlib.sha256(data).hexdigest()
    name = _store(f"{STORAGE_DIR}/{sha256[:2]}/{sha256}.{ACCEPTED[kind][0]}", data)
    label = slugify((getattr(file, "name", "") or "").rsplit("/", 1)[-1].rsplit(".", 1)[0])[:60]
    image = Image.objects.create(
        file=name, sha256=sha256, format=kind, width=picture.width, height=picture.height, size=len(data),
        alt=alt, caption=caption, credit=credit, label=f"{label or uuid.uuid4().hex[:8]}.{ACCEPTED[kind][0]}",
        renditions=planned_renditions(width=picture.width, height=picture.height, sha256=sha256, kind=kind),
        uploaded_by=uploaded_by,
    )
    # The resized copies take seconds for a large photo: a background task makes them (content.tasks).
    from content.tasks import make_image_renditions

    jobs.enqueue(make_image_renditions, image.pk)
    return image


def picture_of(image: Image) -> Picture:
    """The renderer's view of an uploaded picture: URLs of its stored copies."""
    def srcset(kind):
        return ", ".join(f"{default_storage.url(r['name'])} {r['width']}w"
                         for r in image.renditions if r["format"] == kind)

    largest = max((r for r in image.renditions if r["format"] == image.format), key=lambda r: r["width"])
    return Picture(id=image.pk, width=image.width, height=image.height, src=default_storage.url(largest["name"]),
                   srcset=srcset(image.format), webp_srcset=srcset("WEBP"), mime=ACCEPTED[image.format][1],
                   credit=image.credit)


def images_referenced(body: str, extra_ids=()) -> dict[int, Image]:
    """The uploaded pictures `body` may refer to, by id, in one query."""
    ids = {int(m.group(1)) for m in PICTURE_SRC.finditer(body or "")} | {i for i in extra_ids if i}
    return Image.objects.in_bulk(ids) if ids else {}


@dataclass
class RenderedBody:
    html: str
    manifest: list[dict]
    uses: list[PictureUse]
    refused: list[Refused]


def manifest_entry(image: Image, *, alt: str, caption: str, role: str) -> dict:
    """What a revision records, and hashes, of one picture it shows."""
    return {"image": image.pk, "role": role, "sha256": image.sha256, "alt": alt, "caption": caption,
            "credit": image.credit, "src": default_storage.url(image.file),
            "width": image.width, "height": image.height}


def render_body(body: str, *, hero_id: int | None = None, hero_alt: str = "") -> RenderedBody:
    """Render a body with its uploaded pictures (and hero): the HTML, and the pictures' manifest for the hash."""
    images = images_referenced(body, [hero_id])
    pictures = {pk: picture_of(image) for pk, image in images.items()}
    hero = images.get(hero_id) if hero_id else None
    hero_alt = hero_alt if hero else ""
    rendered: Rendered = render_with_pictures(
        body, pictures, hero=(pictures[hero.pk], hero_alt, hero.caption) if hero else None,
    )
    manifest = []
    if hero:
        manifest.append(manifest_entry(hero, alt=hero_alt, caption=hero.caption, role="hero"))
    for use in rendered.pictures:
        if use.found:
            manifest.append(manifest_entry(images[use.picture_id], alt=use.alt, caption=use.caption, role="body"))
    return RenderedBody(str(rendered.html), manifest, rendered.pictures, rendered.refused)


# How the writing form puts an upload into the body (editor/templates/editor/_pictures.html, static/js/images.js).
HOW_TO_INSERT = "Upload it under “Pictures” with “Upload picture”, then press “Insert into body”."


def refusal_message(refused: Refused) -> str:
    """What a writer reads about one thing in a body that saving refuses."""
    if refused.kind == "picture" and refused.address:
        return (f"The picture {refused.address} ({refused.markup}) is not one uploaded here, so what it shows "
                f"cannot be signed. {HOW_TO_INSERT}")
    if refused.kind == "picture":
        return f"{refused.markup} cannot show a picture in a body: only uploads can. {HOW_TO_INSERT}"
    if refused.kind == "load" and refused.address:
        return (f"{refused.markup} would make every reader's browser load {refused.address}, which nobody signed. "
                "Remove it; to point readers to a page, link to it as [text](https://…).")
    if refused.kind == "load":
        return (f"{refused.markup} is not allowed in a body: it would make every reader's browser load or run "
                "something nobody signed. Remove it.")
    if refused.kind == "size":
        return (f"This body would make {refused.markup} of HTML, too much to show or review (many references to "
                "the same footnote do that: each gets a link back). Cite each source once, or split the article.")
    if refused.kind == "nesting":
        return (f"Quotes, lists or HTML elements are nested {refused.markup} deep here, or HTML tags are left "
                "open: the article cannot be shown as it would be published. Flatten them and close every tag.")
    if refused.kind == "style":
        loads = f", and this one would load {refused.address}" if refused.address else ""
        return (f"{refused.markup} is not allowed in a body: a style can make words not display, so the reviewer "
                f"would not see them, or load pictures from elsewhere{loads}. Remove it; the site styles articles.")
    return (f"{refused.markup} is not allowed in a body: what it holds does not display, so the reviewer "
            "would not see it. Remove it, and write what readers should see as plain Markdown.")


def body_problems(rendered: RenderedBody, *, hero_id: int | None, hero_alt: str) -> dict[str, list[str]]:
    """Why a body (and its hero) cannot be signed as seen, by field: pictures missing, without alt text or
    not uploaded here, anything that loads from elsewhere, and anything that does not display."""
    problems = []
    for use in rendered.uses:
        if not use.found:
            problems.append(f"There is no uploaded picture {use.src.split('/')[0]}. Upload it again and insert it.")
        elif not use.alt.strip():
            problems.append(f"The picture {use.src.split('/')[0]} has no alt text: describe what it shows "
                            f"between the square brackets, as in ![Pico laser handpiece]({use.src}).")
    problems += [refusal_message(refused) for refused in rendered.refused]
    errors = {}
    if problems:
        errors["body"] = list(dict.fromkeys(problems))
    if hero_id and not Image.objects.filter(pk=hero_id).exists():
        errors["hero_image"] = ["That hero picture no longer exists. Choose another."]
    elif hero_id and not (hero_alt or "").strip():
        errors["hero_alt"] = ["Describe the hero picture for readers who cannot see it. Alt text is required."]
    return errors


def check_pictures(rendered: RenderedBody, *, hero_id: int | None, hero_alt: str) -> None:
    """Refuse a body that cannot be signed as seen (see body_problems)."""
    errors = body_problems(rendered, hero_id=hero_id, hero_alt=hero_alt)
    if errors:
        raise ValidationError(errors)


def verify_files(images=None) -> list[str]:
    """Re-read every stored picture and copy; name those whose bytes no longer match their recorded hash."""
    broken = []
    images = images if images is not None else Image.objects.all()
    for image in images.prefetch_related("copies") if hasattr(images, "prefetch_related") else images:
        # A copy not made yet has no recorded hash to compare (`Image.renditions_ready`).
        for name, expected in [(image.file, image.sha256), *((r.name, r.sha256) for r in image.copies.all())]:
            try:
                with default_storage.open(name, "rb") as handle:
                    actual = hashlib.sha256(handle.read()).hexdigest()
            except OSError:
                actual = None
            if actual != expected:
                broken.append(f"image:{image.pk} {name}: " + ("missing" if actual is None else "bytes changed"))
    return broken


def render_preview(body: str, *, hero_id=None, hero_alt: str = "") -> SafeString:
    """The body as a revision would show it, for the writer's preview, below what saving it would refuse.
    Nothing is saved."""
    hero_id = int(hero_id) if str(hero_id or "").isdigit() else None
    rendered = render_body(body, hero_id=hero_id, hero_alt=hero_alt or "")
    problems = body_problems(rendered, hero_id=hero_id, hero_alt=hero_alt or "").get("body", [])
    notes = format_html('<ul class="errorlist preview-problems" role="alert">{}</ul>',
                        format_html_join("", "<li>{}</li>", ((problem,) for problem in problems))) if problems else ""
    return format_html("{}{}", notes, mark_safe(rendered.html))  # noqa: S308 - nh3-clean
