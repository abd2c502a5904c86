"""render_markdown: the features writers use, and hostile input coming out inert."""

import re

import pytest

from content import rendering
from content.rendering import Picture, render_markdown, render_with_pictures
from tests.security.vectors import element_ids, fetched_addresses, hidden_markup, load_sections


def test_render_markdown_supports_tables_footnotes_heading_ids_and_lists():
    html = render_markdown(
        "## Aftercare\n\n| Day | Care |\n| :-- | --: |\n| 1 | Ice |\n\nClaim.[^1]\n\n1. one\n2. two\n\n[^1]: A source."
    )
    assert '<h2 id="body-aftercare">Aftercare</h2>' in html
    assert '<th align="left">Day</th>' in html
    assert '<sup class="footnote-ref"><a href="#body-fn-1" id="body-fnref-1"' in html
    assert '<li id="body-fn-1">' in html and '<a href="#body-fnref-1" class="footnote-backref"' in html
    assert "<ol>" in html and "<li>one</li>" in html


def test_render_markdown_gives_headings_unique_ids_and_links_reach_them():
    html = render_markdown("## Aftercare\n\n## Aftercare\n\n## Día 1\n\nSee [aftercare](#aftercare).")

    assert element_ids(html) == ["body-aftercare", "body-aftercare-2", "body-día-1"]
    assert '<a href="#body-aftercare"' in html


def test_render_markdown_prefixes_ids_written_in_html_and_the_links_to_them():
    html = render_markdown('<h2 id="sign-panel">Sign</h2>\n\n<a href="#sign-panel">up</a>')

    assert element_ids(html) == ["body-sign-panel"] and 'href="#body-sign-panel"' in html


# --- pictures: only this site's uploads, whatever the syntax ---------------------------------------

UPLOAD = Picture(id=7, width=960, height=640, src="/media/images/ab/ab-960.jpg",
                 srcset="/media/images/ab/ab-480.jpg 480w, /media/images/ab/ab-960.jpg 960w",
                 webp_srcset="/media/images/ab/ab-480.webp 480w, /media/images/ab/ab-960.webp 960w",
                 mime="image/jpeg")
UPLOAD_COPIES = {"/media/images/ab/ab-960.jpg", "/media/images/ab/ab-480.jpg", "/media/images/ab/ab-480.webp",
                 "/media/images/ab/ab-960.webp"}
TRICKS = load_sections()["loads from another host"] + load_sections()["elements that do not display"]


def test_the_allow_list_holds_nothing_that_loads_or_hides():
    assert not rendering.ALLOWED_TAGS & (rendering.PICTURE_TAGS - {"img"} | rendering.LOADING_TAGS
                                         | rendering.HIDDEN_TAGS)
    attributes = set().union(*(names for tag, names in rendering.ALLOWED_ATTRIBUTES.items() if tag != "img"))
    assert not attributes & (rendering.PICTURE_ATTRIBUTES | rendering.LOADING_ATTRIBUTES
                             | rendering.HIDING_ATTRIBUTES)
    assert rendering.ALLOWED_ATTRIBUTES["img"] == {"src", "alt", "title"}  # a reference to an upload, replaced


def test_render_with_pictures_loads_only_the_uploads_copies_whatever_else_the_body_tries():
    body = "\n\n".join(["![Handpiece](image:7/handpiece.jpg \"The handpiece\")",
                          'Inline <img src="image:7" alt="raw reference"> too.', *TRICKS])

    rendered = render_with_pictures(body, {7: UPLOAD})

    fetched = fetched_addresses(rendered.html)
    assert fetched and set(fetched) <= UPLOAD_COPIES, fetched
    assert hidden_markup(rendered.html) == []
    assert [(use.picture_id, use.alt, use.found) for use in rendered.pictures] == [
        (7, "Handpiece", True), (7, "raw reference", True), (1, "desk", False), (1, "an upload with a srcset from "
                                                                                   "elsewhere", False)]
    assert len(re.findall("<picture>", rendered.html)) == 2


def test_render_with_pictures_reports_what_it_dropped_in_order_with_its_address():
    rendered = render_with_pictures("![Out](https://outside.example/a.jpg)\n\n<video poster=\"/p.jpg\"></video>"
                                    "\n\n<div hidden>x</div>")

    assert rendered.refused == [
        rendering.Refused("picture", "<img>", "https://outside.example/a.jpg"),
        rendering.Refused("load", "<video>"),
        rendering.Refused("picture", "<video poster>", "/p.jpg"),
        rendering.Refused("hidden", "<div hidden>"),
    ]


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    '<a href="javascript&colon;alert(1)">x</a>',
    "<svg onload=alert(1)><circle r=1></svg>",
    '<iframe src="https://evil.example"></iframe>',
    '<img src="https://evil.example/a.jpg" srcset="https://evil.example/b.jpg 2x">',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p onclick="alert(1)">x</p>',
    "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<object data=x></object><embed src=x>",
    '<form action="https://evil.example"><input name=q></form>',
    "<style>body{display:none}</style>",
    '<a href="vbscript:msgbox(1)">x</a>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
]


@pytest.mark.parametrize("markdown", HOSTILE)
def test_render_markdown_leaves_hostile_input_inert(markdown):
    html = render_markdown(markdown).lower()
    for marker in ("<script", "onerror", "onload", "onclick", "javascript:", "vbscript:", "data:text",
                   "<iframe", "<svg", "<object", "<embed", "<form", "<style", "style=", "evil.example"):
        assert marker not in html, f"{marker!r} survived in {html!r}"


def test_render_markdown_keeps_ordinary_links_and_marks_them_noopener():
    html = render_markdown("[SMC](https://www.smc.gov.sg/)")
    assert html == '<p><a href="https://www.smc.gov.sg/" rel="noopener noreferrer">SMC</a></p>'


def test_render_markdown_keeps_text_in_any_script():
    text = "Kulit sihat 😊 — بشرة صحية — 皮肤护理 — é (e\u0301)"
    assert text in render_markdown(text)
