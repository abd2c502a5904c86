"""The content hash: stable for the same reader-visible content, different for any visible change."""

import pytest

from content import services
from content.hashing import content_hash
from review import services as review_services

FIELDS = dict(title="Sunscreen myths", summary="Four myths.", body="Use **SPF 50**.", html="<p>Use <strong>SPF 50</strong>.</p>")


def test_content_hash_is_the_same_for_the_same_fields():
    assert content_hash(**FIELDS) == content_hash(**dict(FIELDS))


@pytest.mark.parametrize("field", ["title", "summary", "body", "html"])
def test_content_hash_changes_with_any_reader_visible_field(field):
    changed = dict(FIELDS, **{field: FIELDS[field] + "!"})
    assert content_hash(**changed) != content_hash(**FIELDS)


def test_content_hash_covers_images_bytes_and_alt_text():
    image = {"sha256": "a" * 64, "alt": "Laser handpiece", "caption": ""}
    base = content_hash(**FIELDS, images=[image])
    assert content_hash(**FIELDS, images=[dict(image, sha256="b" * 64)]) != base
    assert content_hash(**FIELDS, images=[dict(image, alt="Before and after")]) != base


def test_revision_hash_is_stable_across_saves_and_line_endings(author):
    post = review_services.post_create(author=author, title="Eczema", summary="Dry skin.", body="Line one\nLine two")
    first = post.current_revision
    second = services.revision_create(post=post, author=author, title="Eczema", summary="Dry skin.",
                                      body="Line one  \r\nLine two\r\n")
    assert second.content_hash == first.content_hash
    assert first.compute_hash() == first.content_hash


def test_revisions_cannot_be_changed_or_deleted(author):
    from content.models import ImmutableError, Revision

    revision = review_services.post_create(author=author, title="Eczema", body="Text").current_revision
    revision.title = "Changed"
    with pytest.raises(ImmutableError):
        revision.save()
    with pytest.raises(ImmutableError):
        revision.delete()
    with pytest.raises(ImmutableError):
        Revision.objects.filter(pk=revision.pk).update(title="Changed")
    assert Revision.objects.get(pk=revision.pk).title == "Eczema"


def test_nul_characters_are_dropped_before_storing(author):
    post = review_services.post_create(author=author, title="Sun\x00screen", body="SPF\x00 50")
    assert (post.current_revision.title, post.current_revision.body) == ("Sunscreen", "SPF 50")
