"""WordPress HTML to a body: Markdown where it converts cleanly, allowed HTML where it does not, nothing silent."""

from content.rendering import render_with_pictures
from wpimport.convert import PlacedPicture, to_markdown


def place(request):
    return PlacedPicture(reference="image:7/acne.jpg", alt=request.alt or "placeholder")


def test_block_editor_post_converts_to_markdown():
    content = """<!-- wp:heading --><h2>Aftercare</h2><!-- /wp:heading -->
<!-- wp:paragraph --><p>Use <strong>SPF 50</strong> and <a href="https://example.org/spf">read more</a>.</p><!-- /wp:paragraph -->
<!-- wp:image {"id":45} --><figure class="wp-block-image"><img src="https://clinic.example/wp-content/uploads/a.jpg" alt="Cheek" class="wp-image-45"/><figcaption>After one week</figcaption></figure><!-- /wp:image -->
<!-- wp:list --><ol><li>Cleanse</li><li>Moisturise</li></ol><!-- /wp:list -->
<!-- wp:quote --><blockquote class="wp-block-quote"><p>Be patient.</p></blockquote><!-- /wp:quote -->"""

    converted = to_markdown(content, place_picture=place)

    assert converted.markdown == ("## Aftercare\n\nUse **SPF 50** and [read more](https://example.org/spf).\n\n"
                                  '![Cheek](image:7/acne.jpg "After one week")\n\n1. Cleanse\n2. Moisturise\n\n'
                                  "> Be patient.\n")
    assert converted.notes == []


def test_markup_markdown_cannot_write_is_kept_as_allowed_html_and_named():
    converted = to_markdown("<p>Water is H<sub>2</sub>O.</p>\n\n<table><tr><td>1</td></tr></table>",
                            place_picture=place)

    assert converted.markdown == "<p>Water is H<sub>2</sub>O.</p>\n\n<table><tr><td>1</td></tr></table>\n"
    assert converted.notes == ["Kept as HTML, which Markdown cannot write: <sub>, <table>, <td>, <tr>."]
    assert "H<sub>2</sub>O" in render_with_pictures(converted.markdown).html


def test_text_that_looks_like_markup_stays_text():
    converted = to_markdown("<p>Type &lt;script&gt; or 5 * 3 or # not a heading</p>", place_picture=place)

    rendered = render_with_pictures(converted.markdown)
    assert rendered.refused == []
    assert "&lt;script&gt; or 5 * 3 or # not a heading" in rendered.html


def test_embed_block_becomes_a_link_and_is_named():
    content = ('<!-- wp:embed {"url":"https://youtu.be/x"} --><figure class="wp-block-embed"><div class="wp-block-'
               'embed__wrapper">\nhttps://youtu.be/x\n</div></figure><!-- /wp:embed -->')

    converted = to_markdown(content, place_picture=place)

    assert converted.markdown == "<https://youtu.be/x>\n"
    assert converted.notes == ["An address on a line of its own, which WordPress showed as an embedded item, is a "
                               "link: https://youtu.be/x"]


def test_picture_that_cannot_come_along_leaves_no_address_to_the_old_site():
    converted = to_markdown('<p>Before <img src="https://clinic.example/wp-content/uploads/gone.jpg"> after</p>',
                            place_picture=lambda request: None)

    assert converted.markdown == "Before after\n"


def test_address_typed_in_the_text_stays_a_working_link():
    converted = to_markdown("<p>Visit https://x.example/a_b?b=c&d=1. Or not.</p>", place_picture=place)

    html = render_with_pictures(converted.markdown).html
    assert '<a href="https://x.example/a_b?b=c&amp;d=1" rel="noopener noreferrer">https://x.example/a_b?b=c&amp;d=1</a>. Or not.' in html


def test_gallery_block_becomes_its_pictures_with_their_captions():
    content = ('<!-- wp:gallery --><figure class="wp-block-gallery"><ul class="blocks-gallery-grid">'
               '<li class="blocks-gallery-item"><figure><img src="https://clinic.example/wp-content/uploads/a.jpg" '
               'alt="Week one" class="wp-image-1"/><figcaption>Day 7</figcaption></figure></li>'
               '<li class="blocks-gallery-item"><figure><img src="https://clinic.example/wp-content/uploads/b.jpg" '
               'alt="Week two" class="wp-image-2"/></figure></li></ul></figure><!-- /wp:gallery -->')

    converted = to_markdown(content, place_picture=place)

    assert converted.markdown == '![Week one](image:7/acne.jpg "Day 7")\n\n![Week two](image:7/acne.jpg)\n'
    assert converted.kept_html == []
