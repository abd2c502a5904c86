"""The editor's picture upload (/editor/images/) and pictures in the writing form."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from content.models import Image
from review.states import State
from tests.content.test_images import picture_bytes, upload

UPLOAD_URL = "/editor/images/"
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def post_upload(client, data=None, name="pico.jpg", **fields):
    payload = {"alt": "Pico laser handpiece", "caption": "", "credit": "", **fields}
    if data is not False:
        payload["file"] = SimpleUploadedFile(name, data or picture_bytes(), content_type="image/jpeg")
    return client.post(UPLOAD_URL, payload, **JSON)


def test_image_upload_view_returns_how_to_insert_the_picture(client, author):
    client.force_login(author)

    response = post_upload(client, caption="The handpiece")

    assert response.status_code == 201
    image = Image.objects.get()
    result = response.json()
    assert result["id"] == image.pk
    assert result["markdown"] == f'![Pico laser handpiece](image:{image.pk}/pico.jpg "The handpiece")'
    assert result["findings"] == []


def test_image_upload_view_answers_at_once_and_shows_preparing_until_the_copies_exist(
        client, author, django_capture_on_commit_callbacks):
    client.force_login(author)

    with django_capture_on_commit_callbacks() as queued:  # the upload commits; its task has not run yet
        result = post_upload(client).json()

    image = Image.objects.get()
    assert result["preparing"] is True and result["thumbnail"] == f"/media/{image.file}"
    assert client.get(result["status_url"]).json()["preparing"] is True
    assert "Preparing resized copies…" in client.get(UPLOAD_URL).content.decode()

    for run_task in queued:  # the worker makes the copies
        run_task()

    now = client.get(result["status_url"]).json()
    assert now["preparing"] is False and now["thumbnail"].endswith("-480.webp")
    assert "Preparing resized copies…" not in client.get(UPLOAD_URL).content.decode()


def test_image_upload_view_refuses_without_alt_text_and_keeps_nothing(client, author):
    client.force_login(author)

    response = post_upload(client, alt="")

    assert response.status_code == 400
    assert "Alt text is required" in response.json()["errors"]["alt"][0]
    assert not Image.objects.exists()


def test_image_upload_view_refuses_svg_with_a_clear_message(client, author):
    client.force_login(author)

    response = post_upload(client, b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", name="a.svg")

    assert response.status_code == 400
    assert "SVG" in response.json()["errors"]["file"][0]


def test_image_upload_view_asks_for_a_file(client, author):
    client.force_login(author)

    response = post_upload(client, data=False)

    assert response.status_code == 400
    assert "Choose a JPEG, PNG or WebP picture" in response.json()["errors"]["file"][0]


def test_image_upload_page_without_javascript_keeps_the_typed_text_on_refusal(client, author):
    client.force_login(author)

    response = client.post(UPLOAD_URL, {"alt": "Before and after", "caption": "Day 30",
                                         "file": SimpleUploadedFile("x.jpg", b"not a picture")})

    assert response.status_code == 400
    content = response.content.decode()
    assert 'value="Before and after"' in content and 'value="Day 30"' in content
    assert "not a picture Pillow can read" in content


def test_image_upload_flags_before_and_after_wording_for_the_claims_check(client, author):
    client.force_login(author)

    response = post_upload(client, name="before-after-pico.jpg", alt="Patient skin", caption="Results")

    assert response.status_code == 201
    assert {f["group"] for f in response.json()["findings"]} == {"before_after"}


def test_image_upload_is_for_writers_only(client, reviewer):
    client.force_login(reviewer)

    assert post_upload(client).status_code == 403
    assert not Image.objects.exists()


def test_image_upload_needs_a_login(client, db):  # the write guard reads the records first (review.middleware)
    response = post_upload(client)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_writing_form_saves_a_hero_and_shows_inserted_pictures_in_the_preview(client, post_in, author):
    post = post_in(State.DRAFT)
    image = upload(author)
    client.force_login(author)
    body = f"Intro.\n\n![{image.alt}]({image.reference} \"The handpiece\")"

    response = client.post(reverse("editor:post_edit", args=[post.pk]), {
        "title": "Pico laser", "summary": "", "body": body, "slug": post.slug,
        "base_revision": post.current_revision_id, "hero_image": image.pk, "hero_alt": "The treatment room",
        "action": "save",
    })

    assert response.status_code == 302
    post.refresh_from_db()
    revision = post.current_revision
    assert [(e["role"], e["alt"]) for e in revision.images] == [("hero", "The treatment room"),
                                                                ("body", image.alt)]
    page = client.get(reverse("editor:post_edit", args=[post.pk])).content.decode()
    assert f'<option value="{image.pk}" selected>' in page
    preview = client.post(reverse("editor:preview"), {"body": body}).json()["html"]
    assert "srcset=" in preview and "<figcaption>The handpiece" in preview


def test_live_preview_shows_the_hero_as_the_first_render_does(client, post_in, author):
    post = post_in(State.DRAFT)
    image = upload(author)
    client.force_login(author)
    page = client.post(reverse("editor:post_edit", args=[post.pk]), {
        "title": "Pico laser", "summary": "", "body": "Intro.", "slug": post.slug,
        "base_revision": post.current_revision_id, "hero_image": image.pk, "hero_alt": "The treatment room",
        "action": "preview",
    }).content.decode()

    preview = client.post(reverse("editor:preview"), {"body": "Intro.", "hero_image": image.pk,
                                                      "hero_alt": "The treatment room"}).json()["html"]

    assert 'alt="The treatment room"' in preview
    assert preview in page


def test_writing_form_refuses_a_picture_without_alt_text_and_keeps_the_text(client, post_in, author):
    post = post_in(State.DRAFT)
    image = upload(author)
    client.force_login(author)
    body = f"My words stay.\n\n![]({image.reference})"

    response = client.post(reverse("editor:post_edit", args=[post.pk]), {
        "title": "Pico laser", "summary": "", "body": body, "slug": post.slug,
        "base_revision": post.current_revision_id, "action": "save",
    })

    assert response.status_code == 400
    content = response.content.decode()
    assert "has no alt text" in content and "My words stay." in content
    assert post.revisions.count() == 1


def test_picture_library_shows_a_writer_their_own_uploads_and_a_publisher_every_one(client, author, other_author,
                                                                                    publisher):
    client.force_login(author)
    post_upload(client, alt="Mine: a laser handpiece")
    client.force_login(other_author)
    post_upload(client, alt="Theirs: a treatment room")

    def library(user):
        client.force_login(user)
        return {picture["alt"] for picture in client.get(UPLOAD_URL).context["library"]}

    assert library(author) == {"Mine: a laser handpiece"}
    assert library(other_author) == {"Theirs: a treatment room"}
    assert library(publisher) == {"Mine: a laser handpiece", "Theirs: a treatment room"}


def test_hero_picture_menu_offers_a_writer_only_their_own_uploads(client, author, other_author):
    client.force_login(other_author)
    post_upload(client, alt="Theirs: a treatment room")
    client.force_login(author)
    post_upload(client, alt="Mine: a laser handpiece")

    html = client.get(reverse("editor:post_create")).content.decode()

    assert "Mine: a laser handpiece" in html and "Theirs: a treatment room" not in html
