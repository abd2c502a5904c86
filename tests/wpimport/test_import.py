"""import_wordpress: each WordPress post a draft, with its text, pictures, author and a notice of claimed reviews."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError

from content.models import Image, Post
from public.models import MovedAddress
from review.models import AuditEvent
from review.states import State
from tests import factories
from tests.wpimport import exports
from wpimport.importer import MISSING_ALT
from wpimport.models import ImportedPost

pytestmark = pytest.mark.django_db

CLASSIC = """Acne is <strong>very</strong> common in teenagers.

<h2>Treatments</h2>
<ul>
 	<li>Retinoids</li>
 	<li><a href="https://example.org/bpo">Benzoyl peroxide</a></li>
</ul>
<blockquote>Start slowly.</blockquote>

<em>Medically reviewed by Dr. Jane Lim, MBBS (Singapore) on 3 May 2019.</em>"""


def test_import_makes_each_post_a_draft_with_markdown_body(tmp_path, run_import):
    path = exports.write(tmp_path, exports.export(exports.post(12, "Acne basics", CLASSIC, excerpt="What acne is.")))

    out, err = run_import(path)

    post = Post.objects.get(slug="acne-basics")
    revision = post.current_revision
    assert post.workflow.state == State.DRAFT
    assert revision.title == "Acne basics"
    assert revision.summary == "What acne is."
    assert revision.body == ("Acne is **very** common in teenagers.\n\n## Treatments\n\n- Retinoids\n"
                             "- [Benzoyl peroxide](https://example.org/bpo)\n\n> Start slowly.")
    assert "Imported 1 post(s)" in out and err == ""


def test_import_removes_a_typed_review_line_and_keeps_it_as_a_notice(tmp_path, run_import):
    path = exports.write(tmp_path, exports.export(exports.post(12, "Acne basics", CLASSIC)))

    out, _ = run_import(path)

    post = Post.objects.get(slug="acne-basics")
    assert "reviewed" not in post.current_revision.body.lower()
    assert "reviewed" not in post.current_revision.html.lower()
    assert post.wordpress_origin.claimed_reviews == ["Dr. Jane Lim, MBBS (Singapore)"]
    assert "The old site claimed a review by Dr. Jane Lim, MBBS (Singapore); it needs a real signature." in out


def test_import_without_excerpt_takes_the_first_paragraph_as_summary(tmp_path, run_import):
    path = exports.write(tmp_path, exports.export(exports.post(12, "Acne basics", CLASSIC)))

    run_import(path)

    assert Post.objects.get().current_revision.summary == "Acne is very common in teenagers."


def test_import_twice_changes_nothing(tmp_path, run_import):
    content = '<img src="https://clinic.example/wp-content/uploads/2019/05/acne.jpg" alt="Acne">'
    path = exports.write(tmp_path, exports.export(exports.post(12, "Acne basics", CLASSIC + content),
                                                  exports.post(13, "Laser aftercare", "Use SPF 50.")))
    media = exports.media(tmp_path, "2019/05/acne.jpg")
    run_import(path, "--media", media)

    def counts():
        return [model.objects.count() for model in (Post, AuditEvent, get_user_model(), ImportedPost, Image,
                                                    MovedAddress)]
    before = counts()

    out, _ = run_import(path, "--media", media)

    assert counts() == before == [2, 2, 1, 2, 1, 4]
    assert "Imported 0 post(s)" in out and "skipped 2 already imported" in out


def test_import_maps_the_author_to_an_account_by_username_then_email(tmp_path, run_import):
    by_name = factories.make_author(username="jlim")
    by_email = factories.make_author(username="susan")
    by_email.email = "sue@clinic.example"
    by_email.save()
    path = exports.write(tmp_path, exports.export(
        exports.post(1, "One", "Text one."), exports.post(2, "Two", "Text two.", creator="sue_wp"),
        authors=[exports.author("jlim", "other@clinic.example", "Jane Lim"),
                 exports.author("sue_wp", "SUE@clinic.example", "Sue Tan")]))

    run_import(path)

    assert Post.objects.get(slug="one").author == by_name
    assert Post.objects.get(slug="two").author == by_email


def test_import_creates_an_unknown_author_inactive_without_a_usable_password(tmp_path, run_import):
    path = exports.write(tmp_path, exports.export(exports.post(1, "One", "Text one.")))

    out, _ = run_import(path)

    user = Post.objects.get().author
    assert (user.username, user.email, user.get_full_name()) == ("jlim", "jane.lim@clinic.example", "Jane Lim")
    assert not user.is_active and not user.has_usable_password()
    assert "jlim (Jane Lim, jane.lim@clinic.example)" in out


def test_import_keeps_the_slug_and_says_when_it_is_taken(tmp_path, run_import):
    factories.make_post(author=factories.make_author(), slug="acne-basics")
    path = exports.write(tmp_path, exports.export(exports.post(12, "Acne basics", "Text.")))

    out, _ = run_import(path)

    imported = ImportedPost.objects.get().post
    assert imported.slug == "acne-basics-2"
    assert "The address /blog/acne-basics/ is taken by another post; this one is at /blog/acne-basics-2/." in out


def test_import_brings_pictures_with_alt_text_through_the_upload_path(tmp_path, run_import):
    content = ('<p>Before.</p>\n[caption id="attachment_45" align="aligncenter" width="300"]'
               '<a href="https://clinic.example/wp-content/uploads/2019/05/acne.jpg"><img class="size-medium wp-image-45" '
               'src="https://clinic.example/wp-content/uploads/2019/05/acne-300x200.jpg" alt="Mild acne on a cheek" '
               'width="300" height="200" /></a> Mild acne[/caption]')
    path = exports.write(tmp_path, exports.export(exports.attachment(45, "2019/05/acne.jpg"),
                                                  exports.post(12, "Acne basics", content)))
    media = exports.media(tmp_path, "2019/05/acne.jpg")

    run_import(path, "--media", media)

    revision = Post.objects.get().current_revision
    image = Image.objects.get()
    assert revision.body == f'Before.\n\n![Mild acne on a cheek]({image.reference} "Mild acne")'
    assert [(entry["image"], entry["alt"], entry["caption"]) for entry in revision.images] == [
        (image.pk, "Mild acne on a cheek", "Mild acne")]
    assert "<figcaption>Mild acne" in revision.html


def test_import_flags_a_picture_without_alt_text_and_keeps_it(tmp_path, run_import):
    content = '<img src="https://clinic.example/wp-content/uploads/2019/05/acne.jpg" alt="">'
    path = exports.write(tmp_path, exports.export(exports.post(12, "Acne basics", content)))
    media = exports.media(tmp_path, "2019/05/acne.jpg")

    out, _ = run_import(path, "--media", media)

    revision = Post.objects.get().current_revision
    assert [entry["alt"] for entry in revision.images] == [MISSING_ALT]
    assert revision.post.wordpress_origin.pictures_without_alt == [{"image": Image.objects.get().pk,
                                                                    "file": "2019/05/acne.jpg"}]
    assert "The picture 2019/05/acne.jpg had no alt text on the old site; the writer must describe it." in out


def test_import_takes_alt_text_from_the_attachment_when_the_picture_has_none(tmp_path, run_import):
    content = '<img class="wp-image-45" src="https://clinic.example/wp-content/uploads/2019/05/acne-150x150.jpg">'
    path = exports.write(tmp_path, exports.export(exports.attachment(45, "2019/05/acne.jpg", alt="Acne close-up"),
                                                  exports.post(12, "Acne basics", content)))

    run_import(path, "--media", exports.media(tmp_path, "2019/05/acne.jpg"))

    assert [entry["alt"] for entry in Post.objects.get().current_revision.images] == ["Acne close-up"]


def test_import_reports_a_picture_missing_from_the_media_folder(tmp_path, run_import):
    content = '<p>Text.</p><img src="https://clinic.example/wp-content/uploads/2019/05/gone.jpg" alt="Gone">'
    path = exports.write(tmp_path, exports.export(exports.post(12, "Acne basics", content)))
    media = exports.media(tmp_path)

    out, _ = run_import(path, "--media", media)

    assert Post.objects.get().current_revision.body == "Text."
    assert f"The picture 2019/05/gone.jpg was left out: it is not in {media}. Its alt text was “Gone”." in out


def test_import_makes_the_featured_picture_the_hero(tmp_path, run_import):
    path = exports.write(tmp_path, exports.export(
        exports.attachment(45, "2019/05/acne.jpg", alt="Acne close-up"),
        exports.post(12, "Acne basics", "Text.", extra=exports.meta("_thumbnail_id", "45"))))

    run_import(path, "--media", exports.media(tmp_path, "2019/05/acne.jpg"))

    assert Post.objects.get().current_revision.hero["alt"] == "Acne close-up"


def test_import_skips_pages_and_attachments_and_says_so(tmp_path, run_import):
    path = exports.write(tmp_path, exports.export(exports.post(2, "About us", "We are a clinic.", type="page"),
                                                  exports.attachment(45, "2019/05/acne.jpg"),
                                                  exports.post(12, "Acne basics", "Text.")))

    out, _ = run_import(path)

    assert list(Post.objects.values_list("slug", flat=True)) == ["acne-basics"]
    assert "Not posts, left out: 1 attachment, 1 page." in out


def test_import_of_drafts_and_private_posts_keeps_them_as_drafts(tmp_path, run_import):
    path = exports.write(tmp_path, exports.export(exports.post(3, "Half written", "Notes.", status="draft", slug=""),
                                                  exports.post(4, "Staff only", "Rota.", status="private")))

    out, _ = run_import(path)

    assert set(Post.objects.values_list("slug", flat=True)) == {"half-written", "staff-only"}
    assert {p.workflow.state for p in Post.objects.all()} == {State.DRAFT}
    assert "It was “draft” on the old site, so no old address leads to it." in out


def test_import_is_audited_as_an_import_by_the_system(tmp_path, run_import):
    path = exports.write(tmp_path, exports.export(exports.post(12, "Acne basics", "Text.")))

    run_import(path)

    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.detail["imported_from"]) == ("create", None,
                                                                         "https://clinic.example/?p=12")


def test_import_counts_what_it_leaves_out(tmp_path, run_import):
    terms = ('<category domain="category" nicename="skin"><![CDATA[Skin]]></category>'
             '<category domain="post_tag" nicename="acne"><![CDATA[Acne]]></category>'
             "<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content><![CDATA[Thanks!]]>"
             "</wp:comment_content></wp:comment>")
    path = exports.write(tmp_path, exports.export(exports.post(12, "Acne basics", "Text.", extra=terms)))

    out, _ = run_import(path)

    assert "Not imported, as nothing here holds them: 1 category link(s), 1 tag link(s), 1 comment(s)." in out


def test_import_refuses_a_media_folder_that_does_not_exist(tmp_path, run_import):
    path = exports.write(tmp_path, exports.export(exports.post(12, "Acne basics", "Text.")))

    with pytest.raises(CommandError, match="The media folder .* does not exist"):
        run_import(path, "--media", tmp_path / "nowhere")
    assert not Post.objects.exists()
