"""Pictures on the public article: stored HTML with srcset, sizes and lazy loading; JSON-LD image."""

import json

import pytest

from review import services
from review.states import State
from tests.factories import PASSWORD
from tests.content.test_images import picture_bytes, stored_files, upload


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_article_serves_pictures_with_srcset_and_lazy_loading_below_the_first(client, author, post_in, media):
    first = upload(author, picture_bytes(size=(2000, 1200)), alt="Handpiece", caption="The handpiece")
    second = upload(author, picture_bytes(size=(800, 600), color=(3, 3, 3)), alt="Skin model")
    post = post_in(State.PUBLISHED, body=f"Intro.\n\n![Handpiece]({first.reference} \"The handpiece\")\n\n"
                                         f"More.\n\n![Skin model]({second.reference})")
    files = stored_files(media)

    html = client.get(f"/blog/{post.slug}/").content.decode()
    client.get(f"/blog/{post.slug}/")

    assert f'/media/images/{first.sha256[:2]}/{first.sha256}-960.webp 960w' in html
    assert 'width="2000"' in html and 'height="1200"' in html
    assert html.count('loading="lazy"') == 1 and html.count('loading="eager"') == 1
    assert "<figcaption>The handpiece</figcaption>" in html
    assert stored_files(media) == files  # pages are served from stored HTML; nothing is resized per request


def test_article_structured_data_carries_its_pictures(client, author, reviewer, publisher, post_in):
    hero = upload(author, alt="Treatment room", caption="Our treatment room")
    post = post_in(State.DRAFT)
    services.post_save_draft(post, user=author, title=post.title, summary="", body="Text.",
                             hero={"image": hero.pk, "alt": "The treatment room"})
    services.post_submit(post, user=author)
    services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    services.post_publish(post, user=publisher)

    html = client.get(f"/blog/{post.slug}/").content.decode()
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])

    assert data["image"] == [{"@type": "ImageObject", "url": f"http://testserver/media/{hero.file}",
                              "width": hero.width, "height": hero.height, "caption": "Our treatment room"}]
    assert 'alt="The treatment room"' in html and 'loading="eager"' in html
