"""Uploaded pictures: what is accepted and refused, metadata stripped, renditions, and the content hash."""

import hashlib
import io
import os
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from PIL import Image as PILImage

from content import images
from content.models import Image, Revision
from content.services import revision_create
from review import services, signing
from review.models import Signature
from review.states import State
from tests import factories


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return settings.MEDIA_ROOT


def picture_bytes(kind="JPEG", size=(1200, 800), color=(200, 120, 90), exif=None, **options) -> bytes:
    picture = PILImage.new("RGB", size, color)
    out = io.BytesIO()
    if exif is not None:
        options["exif"] = exif
    picture.save(out, kind, **options)
    return out.getvalue()


def upload_file(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def upload(user, data=None, *, name="photo.jpg", alt="Pico laser handpiece on a skin model", **kwargs) -> Image:
    """Upload a picture and commit, so the background task makes its resized copies (tests run tasks at once)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        image = images.image_upload(upload_file(data or picture_bytes(), name), alt=alt, uploaded_by=user, **kwargs)
    return image


def stored_files(root) -> set[str]:
    return {os.path.relpath(os.path.join(d, f), root) for d, _, files in os.walk(root) for f in files}


def refusal(user, data, name, field="file", **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        upload(user, data, name=name, **kwargs)
    return " ".join(caught.value.message_dict[field])


@pytest.mark.parametrize("kind,name", [("JPEG", "a.jpg"), ("PNG", "a.png"), ("WEBP", "a.webp")])
def test_image_upload_accepts_each_raster_kind_and_stores_it_under_a_generated_name(author, kind, name):
    image = upload(author, picture_bytes(kind), name=name, caption="The handpiece", credit="Photo: clinic")

    assert image.format == kind
    assert (image.width, image.height) == (1200, 800)
    with default_storage.open(image.file, "rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == image.sha256
    assert PILImage.open(io.BytesIO(data)).format == kind
    assert image.file == f"images/{image.sha256[:2]}/{image.sha256}.{images.ACCEPTED[kind][0]}"
    assert name not in image.file
    assert (image.alt, image.caption, image.credit) == ("Pico laser handpiece on a skin model", "The handpiece",
                                                         "Photo: clinic")


def test_image_upload_believes_the_bytes_not_the_name(author):
    image = upload(author, picture_bytes("PNG"), name="really-a-png.jpg")

    assert image.format == "PNG"
    assert image.file.endswith(".png")
    assert image.label == "really-a-png.png"


def test_image_upload_refuses_svg_with_script(author):
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

    message = refusal(author, svg, "diagram.png")

    assert "SVG" in message and "JPEG, PNG or WebP" in message
    assert not Image.objects.exists()


def test_image_upload_refuses_a_decompression_bomb(author, settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000
    bomb = picture_bytes("PNG", size=(2000, 2000), color=(0, 0, 0))  # tiny file, four megapixels

    message = refusal(author, bomb, "bomb.png")

    assert "too many pixels" in message and "1 megapixels" in message


def test_image_upload_refuses_a_file_claiming_a_gigantic_size(author):
    # A small PNG whose header claims 100,000 × 100,000 pixels: refused from the header, never decoded.
    data = bytearray(picture_bytes("PNG", size=(8, 8)))
    data[16:24] = struct.pack(">II", 100_000, 100_000)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))

    assert "too many pixels" in refusal(author, bytes(data), "bomb.png")


def test_image_upload_refuses_a_truncated_file(author):
    data = picture_bytes("JPEG")

    message = refusal(author, data[: len(data) // 2], "cut.jpg")

    assert "damaged or incomplete" in message


def test_image_upload_refuses_a_text_file(author):
    assert "not a picture" in refusal(author, b"Just some notes about pores.\n", "notes.jpg")


def test_image_upload_refuses_other_raster_kinds_by_their_real_name(author):
    message = refusal(author, picture_bytes("GIF"), "anim.jpg")

    assert "This is a GIF file" in message


def test_image_upload_refuses_an_oversized_file_before_reading_it(author, settings):
    settings.IMAGE_MAX_BYTES = 2048
    data = picture_bytes("BMP", size=(100, 100))  # 30 KB, and not even an accepted kind

    message = refusal(author, data, "big.png")

    assert message == "This file is 29.3 KB; the limit is 2 KB. Make it smaller and upload it again."
    assert not Image.objects.exists()


def test_image_upload_requires_alt_text(author, media):
    message = refusal(author, picture_bytes(), "a.jpg", field="alt", alt="   ")

    assert "Alt text is required" in message
    assert not os.path.exists(media) or stored_files(media) == set()


def test_image_upload_strips_exif_and_gps_and_applies_orientation(author):
    exif = PILImage.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif.get_ifd(0x8825)[2] = (1.0, 17.0, 30.0)  # GPSLatitude
    data = picture_bytes("JPEG", size=(1200, 800), exif=exif.tobytes())
    assert b"SecretCam" in data

    image = upload(author, data)

    with default_storage.open(image.file, "rb") as handle:
        stored = handle.read()
    assert b"SecretCam" not in stored and b"Exif" not in stored
    reopened = PILImage.open(io.BytesIO(stored))
    assert dict(reopened.getexif()) == {}
    assert (image.width, image.height) == (800, 1200)  # stood upright before the metadata went
    for rendition in image.renditions:
        with default_storage.open(rendition["name"], "rb") as handle:
            assert b"SecretCam" not in handle.read()


def test_image_upload_makes_renditions_once_in_webp_and_the_original_format(author, media):
    image = upload(author, picture_bytes("JPEG", size=(2000, 1000)))

    assert sorted((r["width"], r["format"]) for r in image.renditions) == [
        (480, "JPEG"), (480, "WEBP"), (960, "JPEG"), (960, "WEBP"), (1600, "JPEG"), (1600, "WEBP"),
    ]  # wider than the largest width: no full-size copy
    before = stored_files(media)
    post = factories.make_post(author=author)
    revision_create(post=post, author=author, title="With a picture", summary="",
                    body=f"![{image.alt}]({image.reference})")
    revision_create(post=post, author=author, title="With a picture again", summary="",
                    body=f"![{image.alt}]({image.reference})")
    images.picture_of(image)
    # Made again (a task run twice): every copy is recorded already, none is encoded or written.
    assert images.make_renditions(image) == []
    assert stored_files(media) == before


def test_image_upload_of_a_small_picture_adds_a_copy_at_its_own_width(author):
    image = upload(author, picture_bytes("PNG", size=(700, 400)))

    assert sorted((r["width"], r["format"]) for r in image.renditions) == [
        (480, "PNG"), (480, "WEBP"), (700, "PNG"), (700, "WEBP")]


def test_image_upload_of_the_same_bytes_twice_keeps_one_file(author, media):
    data = picture_bytes("PNG")
    first, second = upload(author, data), upload(author, data, alt="Another description")

    assert first.pk != second.pk and first.file == second.file
    assert len(stored_files(media)) == 1 + len(first.renditions)


def test_image_row_cannot_be_changed(author):
    image = upload(author)
    image.alt = "Something else"

    with pytest.raises(Exception, match="cannot be changed"):
        image.save()


# --- a revision's pictures and its hash ---------------------------------------------------------


def body_with(image, alt=None, caption="The handpiece"):
    return f"Before treatment.\n\n![{alt or image.alt}]({image.reference} \"{caption}\")\n\nAfter care."


def save(post, user, body, **kwargs):
    return revision_create(post=post, author=user, title="Pico laser", summary="", body=body, **kwargs)


def test_revision_shows_an_uploaded_picture_with_srcset_size_and_caption(author):
    image = upload(author, picture_bytes("JPEG", size=(2000, 1000)), credit="Photo: MedReview Clinic")
    post = factories.make_post(author=author)

    revision = save(post, author, body_with(image))

    html = revision.html
    assert "<figure><picture>" in html and "</picture><figcaption>The handpiece" in html
    assert 'type="image/webp"' in html
    assert f'srcset="/media/images/{image.sha256[:2]}/{image.sha256}-480.jpg 480w' in html
    assert 'width="2000"' in html and 'height="1000"' in html
    assert 'loading="eager"' in html  # the first picture of an article with no hero
    assert "Photo: MedReview Clinic" in html
    assert revision.images == [images.manifest_entry(image, alt=image.alt, caption="The handpiece", role="body")]
    assert revision.is_intact


def test_revision_lazy_loads_every_picture_but_the_first(author):
    image = upload(author)
    post = factories.make_post(author=author)

    revision = save(post, author, f"![One]({image.reference})\n\nText.\n\n![Two]({image.reference})")

    assert revision.html.count('loading="eager"') == 1 and revision.html.count('loading="lazy"') == 1


def test_revision_with_a_hero_shows_it_first_and_hashes_it(author):
    hero, inline = upload(author, alt="Clinic room"), upload(author, picture_bytes(color=(1, 2, 3)))
    post = factories.make_post(author=author)

    revision = save(post, author, body_with(inline), hero_image=hero.pk, hero_alt="The treatment room")

    assert revision.html.startswith("<figure><picture>")
    assert 'alt="The treatment room"' in revision.html.split("</figure>")[0]
    assert revision.html.count('loading="eager"') == 1  # the hero; everything below it waits
    assert [entry["role"] for entry in revision.images] == ["hero", "body"]
    assert revision.hero["alt"] == "The treatment room"


def test_revision_refuses_a_picture_without_alt_text(author):
    image = upload(author)
    post = factories.make_post(author=author)

    with pytest.raises(ValidationError) as caught:
        save(post, author, f"![]({image.reference})")

    assert "has no alt text" in caught.value.message_dict["body"][0]


def test_revision_refuses_a_hero_without_alt_text(author):
    image = upload(author)
    post = factories.make_post(author=author)

    with pytest.raises(ValidationError) as caught:
        save(post, author, "Text.", hero_image=image.pk, hero_alt=" ")

    assert "Alt text is required" in caught.value.message_dict["hero_alt"][0]


@pytest.mark.parametrize("body", ["![Gone](image:999999)", "![Elsewhere](https://example.com/a.jpg)"])
def test_revision_refuses_pictures_that_are_not_uploaded(author, body):
    post = factories.make_post(author=author)

    with pytest.raises(ValidationError) as caught:
        save(post, author, body)

    assert caught.value.message_dict["body"]
    assert post.revisions.count() == 1


def test_content_hash_changes_when_only_the_pictures_bytes_change(author):
    a = upload(author, picture_bytes(color=(10, 20, 30)), alt="Same words")
    b = upload(author, picture_bytes(color=(200, 20, 30)), alt="Same words")
    post = factories.make_post(author=author)
    first = save(post, author, f"![Same words](image:{a.pk})")

    # Same text and alt; the stored HTML and file name are the same apart from the bytes' hash.
    fields = {f: getattr(first, f) for f in ("title", "summary", "body", "html")}
    swapped = [dict(entry, sha256=b.sha256) for entry in first.images]
    from content.hashing import content_hash

    assert content_hash(**fields, images=swapped) != first.content_hash
    assert content_hash(**fields, images=first.images) == first.content_hash


def test_content_hash_changes_when_only_the_alt_text_changes(author):
    image = upload(author)
    post = factories.make_post(author=author)
    first = save(post, author, body_with(image, alt="Pico laser handpiece"))
    second = save(post, author, body_with(image, alt="Pico laser hand piece"))

    assert first.content_hash != second.content_hash
    assert [e["alt"] for e in second.images] == ["Pico laser hand piece"]


def test_signature_is_void_when_a_signed_revisions_picture_record_is_altered(author, reviewer, publisher):
    image = upload(author)
    post = factories.make_post(author=author, reviewer=reviewer, publisher=publisher, state=State.DRAFT)
    services.post_save_draft(post, user=author, title="Pico laser", summary="", body=body_with(image))
    factories.refresh(post)
    services.post_submit(post, user=author)
    signature = services.revision_sign(post, user=reviewer, password=factories.PASSWORD, attested=True)
    revision = Revision.objects.get(pk=signature.revision_id)
    assert signing.is_valid(signature, revision)

    # Behind the application's back: point the revision at other bytes, or other alt text.
    for change in ({"sha256": "0" * 64}, {"alt": "A different description"}):
        tampered = [dict(entry, **change) for entry in revision.images]
        Revision.objects.filter(pk=revision.pk).model._base_manager.filter(pk=revision.pk).update(images=tampered)
        assert not signing.is_valid(Signature.objects.get(pk=signature.pk), Revision.objects.get(pk=revision.pk))
    Revision._base_manager.filter(pk=revision.pk).update(images=revision.images)
    assert signing.is_valid(signature, Revision.objects.get(pk=revision.pk))


def test_signature_does_not_carry_over_to_a_revision_with_a_replaced_picture(author, reviewer, publisher):
    old = upload(author, picture_bytes(color=(1, 1, 1)))
    post = factories.make_post(author=author, reviewer=reviewer, publisher=publisher, state=State.DRAFT)
    services.post_save_draft(post, user=author, title="Pico laser", summary="", body=body_with(old))
    factories.refresh(post)
    services.post_submit(post, user=author)
    services.revision_sign(post, user=reviewer, password=factories.PASSWORD, attested=True)
    services.post_publish(post, user=publisher)
    factories.refresh(post)
    signed = post.live_revision

    new = upload(author, picture_bytes(color=(9, 9, 9)), alt=old.alt)
    services.post_save_draft(post, user=author, title="Pico laser", summary="", body=body_with(new))
    factories.refresh(post)

    assert post.workflow.state == State.DRAFT
    assert post.live_revision == signed  # the signed picture stays live until the new one is signed
    assert post.current_revision.content_hash != signed.content_hash
    assert not Signature.objects.filter(revision=post.current_revision).exists()


def test_verify_files_names_a_picture_whose_stored_bytes_changed(author, media):
    image = upload(author)
    assert images.verify_files() == []

    (media / image.file).write_bytes(picture_bytes(color=(0, 0, 0)))

    assert images.verify_files() == [f"image:{image.pk} {image.file}: bytes changed"]


def test_verify_images_command_exits_non_zero_and_names_a_changed_file(author, media, capsys):
    from django.core.management import CommandError, call_command

    image = upload(author)
    call_command("verify_images")
    assert "Pictures intact: 1 picture(s)" in capsys.readouterr().out

    (media / image.renditions[0]["name"]).write_bytes(b"swapped")
    with pytest.raises(CommandError, match="1 stored picture file"):
        call_command("verify_images")
    assert f"image:{image.pk} {image.renditions[0]['name']}: bytes changed" in capsys.readouterr().err
