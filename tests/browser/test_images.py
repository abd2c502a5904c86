"""Pictures in a real browser: upload in the editor, insert with one click, preview, then the published page."""

import io

import pytest
from PIL import Image as PILImage
from playwright.sync_api import expect

from content.models import Post
from review import services
from tests.background.worker import run_queued_tasks
from tests.browser.steps import scripts_ready
from tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ROOT_URLCONF = "tests.browser.media_urls"
    return settings.MEDIA_ROOT


def jpeg(size=(1800, 1200)) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", size, (180, 120, 100)).save(out, "JPEG")
    return out.getvalue()


def loaded(locator) -> bool:
    return locator.evaluate("img => img.complete && img.naturalWidth > 0")


def test_a_picture_uploaded_and_inserted_in_the_editor_reaches_the_public_page_with_srcset(
        page, login, author, reviewer, publisher):
    login(author)
    page.get_by_role("link", name="New post").click()
    scripts_ready(page, "editor", "images")
    page.get_by_label("Title").fill("What a Pico laser handpiece looks like")
    page.get_by_label("Body").fill("The handpiece is small.\n\nAfter the treatment, use SPF 50 every day.")
    page.get_by_label("Body").evaluate("el => el.setSelectionRange(24, 24)")  # after the first paragraph

    page.get_by_label("Picture file").set_input_files(
        {"name": "handpiece.jpg", "mimeType": "image/jpeg", "buffer": jpeg()})
    page.get_by_role("button", name="Upload picture").click()
    expect(page.locator("[data-picture-status]")).to_contain_text("Alt text is required")  # refused, nothing lost
    page.get_by_label("Alt text", exact=True).fill("Pico laser handpiece held above a skin model")
    page.get_by_label("Caption").fill("The handpiece")
    page.get_by_role("button", name="Upload picture").click()
    expect(page.locator("[data-picture-status]")).to_contain_text("Uploaded.")
    page.get_by_role("button", name="Insert into body").click()

    body = page.get_by_label("Body").input_value()
    assert '![Pico laser handpiece held above a skin model](image:' in body
    assert body.index("![") > body.index("small.") and body.index("![") < body.index("After the treatment")
    preview_img = page.locator("[data-preview] figure picture img")
    expect(preview_img).to_have_attribute("alt", "Pico laser handpiece held above a skin model")
    expect(page.locator("[data-preview] figcaption")).to_have_text("The handpiece")
    page.wait_for_function("() => document.querySelector('[data-preview] figure img').naturalWidth > 0")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()

    post = Post.objects.get()
    services.post_submit(post, user=author)
    services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    services.post_publish(post, user=publisher)
    post.refresh_from_db()

    page.goto(f"/blog/{post.slug}/")
    img = page.locator(".post-body figure picture img")
    expect(img).to_have_attribute("alt", "Pico laser handpiece held above a skin model")
    srcset = img.get_attribute("srcset")
    assert "480w" in srcset and "960w" in srcset and "1600w" in srcset and "1800w" not in srcset
    assert img.get_attribute("width") == "1800" and img.get_attribute("height") == "1200"
    assert page.locator(".post-body picture source[type='image/webp']").get_attribute("srcset").count("w,") == 2
    page.wait_for_function("() => document.querySelector('.post-body figure img').naturalWidth > 0")
    assert img.evaluate("img => img.currentSrc").endswith(".webp")  # Chromium takes the WebP copy
    expect(page.get_by_text("Medically reviewed by")).to_be_visible()


def test_an_uploaded_picture_says_preparing_until_the_worker_has_made_its_copies(page, login, author, settings):
    login(author)
    page.get_by_role("link", name="New post").click()
    scripts_ready(page, "editor", "images")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # as deployed: a worker runs it
    page.get_by_label("Picture file").set_input_files(
        {"name": "handpiece.jpg", "mimeType": "image/jpeg", "buffer": jpeg()})
    page.get_by_label("Alt text", exact=True).fill("Pico laser handpiece held above a skin model")
    page.get_by_role("button", name="Upload picture").click()
    expect(page.locator("[data-picture-status]")).to_contain_text("Uploaded.")
    note = page.locator("[data-picture-list] .picture-preparing")
    expect(note).to_have_text("Preparing resized copies…")

    run_queued_tasks()

    expect(note).to_have_text("Resized copies ready.")
    expect(page.locator("[data-picture-list] img")).to_have_attribute("src", __import__("re").compile(r"-480\.webp$"))
