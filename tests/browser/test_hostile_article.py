"""A body that tries every way to load from another host, to hide words, or to take the page's own ids, in Chromium.

Saving refuses such a body (tests/security/test_rendering_corpus.py); here it is saved past that check, as an
old revision or a bypass would be, so that the renderer alone must hold: the published article and the review
page load nothing from any host but the live server's, and links inside the body keep working.
"""

import io

import pytest
from PIL import Image as PILImage
from playwright.sync_api import expect

from content import images
from review.states import State
from tests.browser.steps import open_signing_panel
from tests.factories import PASSWORD, make_post
from tests.security.vectors import load_sections


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ROOT_URLCONF = "tests.browser.media_urls"
    return settings.MEDIA_ROOT


def jpeg() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (1200, 800), (180, 120, 100)).save(out, "JPEG")
    return out.getvalue()


def uploaded(user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return images.image_upload(SimpleUploadedFile("handpiece.jpg", jpeg(), content_type="image/jpeg"),
                               alt="Pico laser handpiece", uploaded_by=user)


TRICKS = load_sections()["loads from another host"] + load_sections()["elements that do not display"]


@pytest.fixture
def recording_page(browser, live_server):
    """A page that records every request it makes and lets none leave the live server."""
    context = browser.new_context(base_url=live_server.url)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(live_server.url)
                  else route.abort())
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()


def read_to_the_end(page):
    """Scroll through the whole article, as a reader does, so that lazy pictures load too."""
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")


def test_an_article_trying_every_picture_and_hidden_trick_loads_nothing_from_another_host(
        recording_page, monkeypatch, live_server, author, reviewer, publisher):
    picture = uploaded(author)
    body = "\n\n".join([f"![Pico laser handpiece]({picture.reference})", "Aftercare words.", *TRICKS])
    monkeypatch.setattr(images, "check_pictures", lambda *args, **kwargs: None)  # past the save check
    post = make_post(author=author, reviewer=reviewer, publisher=publisher, state=State.PUBLISHED, body=body)
    page = recording_page

    page.goto(f"/blog/{post.slug}/")
    page.wait_for_function("() => document.querySelector('.post-body figure img').naturalWidth > 0")
    read_to_the_end(page)

    assert any("/media/images/" in url for url in page.requests)  # the upload was loaded, and recorded
    assert [url for url in page.requests if not url.startswith(live_server.url)] == []
    assert page.locator(".post-body [style], .post-body [hidden], .post-body style").count() == 0


def test_a_body_with_the_signing_panels_id_cannot_take_it(page, login, author, reviewer):
    body = '<a id="sign-panel" href="#sign-panel">Jump</a> Pico laser may help.\n\n<h2 id="sign-panel">Sign</h2>'
    post = make_post(author=author, state=State.IN_REVIEW, title="Pico laser for open pores", body=body)
    login(reviewer)
    page.goto(f"/review/posts/{post.pk}/")

    open_signing_panel(page, PASSWORD)  # the page's own panel opens: the body's ids are body-sign-panel

    expect(page.get_by_role("button", name="Sign", exact=True)).to_be_visible()


def test_footnote_and_heading_links_inside_a_body_reach_their_targets(page, login, author, reviewer):
    body = ("Pico laser may help.[^1]\n\n## Aftercare\n\nSee [aftercare](#aftercare).\n\n"
            "[^1]: Wu DC, et al. Dermatol Surg. 2020.")
    post = make_post(author=author, state=State.IN_REVIEW, title="Pico laser for open pores", body=body)
    login(reviewer)
    page.goto(f"/review/posts/{post.pk}/")
    article = page.locator("[data-annotate-root]")

    article.locator("sup a").click()
    expect(page.locator(":target")).to_contain_text("Wu DC, et al.")
    page.locator(":target a.footnote-backref").click()
    expect(page.locator(":target")).to_have_text("1")  # back at the reference
    article.get_by_role("link", name="aftercare", exact=True).click()
    expect(page.locator(":target")).to_have_text("Aftercare")
    assert page.evaluate("location.hash") == "#body-aftercare"
