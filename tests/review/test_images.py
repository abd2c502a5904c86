"""Pictures in review: the review page's diff and the audit pack show which picture, alt text and bytes were signed."""

import pytest
from django.urls import reverse

from review import audit_pack, services
from review.states import State
from tests.content.test_images import picture_bytes, upload
from tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def body_with(image, alt):
    return f"Use SPF 50.\n\n![{alt}]({image.reference})"


def signed_then_changed(author, reviewer, post_in, first, second):
    post = post_in(State.DRAFT, body=first)
    services.post_submit(post, user=author)
    services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    services.post_save_draft(post, user=author, title=post.title, summary=post.current_revision.summary, body=second)
    services.post_submit(post, user=author)
    post.refresh_from_db()
    return post


def test_review_page_diff_shows_a_replaced_picture(client, author, reviewer, post_in):
    old = upload(author, picture_bytes(color=(1, 1, 1)), alt="Handpiece")
    new = upload(author, picture_bytes(color=(250, 1, 1)), alt="Handpiece")
    post = signed_then_changed(author, reviewer, post_in, body_with(old, "Handpiece"), body_with(new, "Handpiece"))
    client.force_login(reviewer)

    html = client.get(reverse("review:post", args=[post.pk])).content.decode()

    diff = html.split('class="diff-text"')[1]
    assert f"<del>image:{old.pk}" in diff and f"<ins>image:{new.pk}" in diff
    assert f"<del>{old.sha256[:12]}" in diff and f"<ins>{new.sha256[:12]}" in diff


def test_review_page_diff_shows_changed_alt_text(client, author, reviewer, post_in):
    image = upload(author)
    post = signed_then_changed(author, reviewer, post_in, body_with(image, "Laser handpiece"),
                               body_with(image, "Pico laser handpiece"))
    client.force_login(reviewer)

    html = client.get(reverse("review:post", args=[post.pk])).content.decode()

    picture_line = html.split('class="diff-text"')[1].split("[Picture")[1].split("]")[0]
    assert "alt: <del>Laser</del><ins>Pico laser</ins> handpiece" in picture_line


def test_audit_pack_lists_every_picture_with_its_hash_and_whether_the_file_still_matches(
        author, reviewer, publisher, post_in, media):
    image = upload(author, alt="Handpiece")
    post = post_in(State.PUBLISHED, body=body_with(image, "Handpiece"))

    pack = audit_pack.build(post)

    [entry] = pack["revisions"][-1]["images"]
    assert (entry["image"], entry["sha256"], entry["alt"], entry["file_verifies"]) == (
        image.pk, image.sha256, "Handpiece", True)
    assert image.sha256 in audit_pack.render_html(pack)

    (media / image.file).write_bytes(b"swapped")
    assert audit_pack.build(post)["revisions"][-1]["images"][0]["file_verifies"] is False
