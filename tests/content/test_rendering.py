"""render_markdown: the features writers use, and hostile input coming out inert."""

import pytest

from content.rendering import render_markdown


def test_render_markdown_supports_tables_footnotes_heading_ids_and_lists():
    html = render_markdown(
        "## Aftercare\n\n| Day | Care |\n| :-- | --: |\n| 1 | Ice |\n\nClaim.[^1]\n\n1. one\n2. two\n\n[^1]: A source."
    )
    assert '<h2 id="sec-aftercare">Aftercare</h2>' in html
    assert '<th align="left">Day</th>' in html
    assert 'class="footnote-ref"' in html and 'id="fn:1"' in html
    assert "<ol>" in html and "<li>one</li>" in html


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    '<a href="javascript&colon;alert(1)">x</a>',
    "<svg onload=alert(1)><circle r=1></svg>",
    '<iframe src="https://evil.example"></iframe>',
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
                   "<iframe", "<svg", "<object", "<embed", "<form", "<style", "style="):
        assert marker not in html, f"{marker!r} survived in {html!r}"


def test_render_markdown_keeps_ordinary_links_and_marks_them_noopener():
    html = render_markdown("[SMC](https://www.smc.gov.sg/)")
    assert html == '<p><a href="https://www.smc.gov.sg/" rel="noopener noreferrer">SMC</a></p>'


def test_render_markdown_keeps_text_in_any_script():
    text = "Kulit sihat 😊 — بشرة صحية — 皮肤护理 — é (e\u0301)"
    assert text in render_markdown(text)
