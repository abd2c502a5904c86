"""Every pathological shape (content/pathological.py) at MAX_BODY_BYTES renders, and renders right.

Speed is the bench's to judge (bench/); this prints each shape's CPU time (`pytest -s`) and checks the output.
"""

import html
import re
import time

import pytest

from content.pathological import SHAPES
from content.rendering import MAX_NESTING, Picture, render_with_pictures
from tests.security.vectors import active_content, fetched_addresses

UPLOAD = Picture(id=1, width=960, height=640, src="/media/images/p-960.jpg", srcset="/media/images/p-480.jpg 480w",
                 webp_srcset="/media/images/p-480.webp 480w", mime="image/jpeg")


def text_of(rendered_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", rendered_html))


def count(rendered_html: str, markup: str) -> int:
    return rendered_html.count(markup)


def kinds(rendered) -> list[str]:
    return [refused.kind for refused in rendered.refused]


def literal(body, rendered):
    """Nothing in the body is markup: every character shows as typed (line ends aside)."""
    return text_of(rendered.html).split() == body.split()


def units(body: str, unit: str) -> int:
    return body.count(unit)


def shown_as_typed(kind):
    """Too deep or too large to render: the text is shown as typed, and saving is refused, saying why."""
    return lambda body, rendered: kinds(rendered) == [kind] and " ".join(text_of(rendered.html).split()) == " ".join(
        body.split())


EXPECTED = {
    "open brackets": literal,
    "image openers": literal,
    "open brackets then one close": literal,
    "nested brackets": literal,
    "link openers": literal,
    "link with open parentheses": literal,
    "bracket words": literal,
    "reference links": literal,
    "links": lambda body, r: count(r.html, '<a href="/b" rel="noopener noreferrer">a</a>') == units(body, "[a](/b)"),
    "images": lambda body, r: count(r.html, "<img") == 0 and kinds(r) == ["picture"] * len(r.refused) and r.refused
    and all(refused.address == "/b" for refused in r.refused),
    "close brackets": literal,
    "bangs": literal,
    "parentheses": literal,
    "backticks": lambda body, r: r.html == "<pre><code></code></pre>",  # a fence that never closes
    "backtick words": lambda body, r: count(r.html, "<code>a </code>") == units(body, "`") // 2,
    "code spans": lambda body, r: count(r.html, "<code>a</code>") == units(body, "`a`"),
    "double backtick words": lambda body, r: count(r.html, "<code>") == units(body, "``a ") // 2,
    "stars": lambda body, r: r.html == "<hr>",
    "star words": literal,
    "emphasis": lambda body, r: count(r.html, "<em>a</em>") == units(body, "*a*"),
    "strong openers": literal,
    "triple stars": literal,
    "underscore words": literal,
    "underscores in words": literal,
    "mixed emphasis": lambda body, r: count(r.html, "<em>") > 0 and set(text_of(r.html)) <= {"*", "_"},
    "less-than signs": literal,
    "open tags": literal,
    "open divs": shown_as_typed("nesting"),
    "spans": lambda body, r: count(r.html, "<span>a</span>") == units(body, "<span>a</span>"),
    "comment openers": lambda body, r: r.html == "",  # one comment that never closes: nothing shows
    "autolink openers": lambda body, r: count(r.html, '<a href="http://a"') == units(body, "http://a"),
    "ampersands": literal,
    "entities": lambda body, r: text_of(r.html).split() == html.unescape(body).split(),
    "backslashes": lambda body, r: text_of(r.html).strip() == "\\" * (len(body) // 2),
    "escaped brackets": lambda body, r: text_of(r.html).strip() == "[" * (len(body) // 2),
    "quote markers": shown_as_typed("size"),
    "nested quotes": shown_as_typed("nesting"),
    "quote lines": lambda body, r: count(r.html, "<blockquote>") == 1 and text_of(r.html).split() == ["a"] * units(
        body, "> a\n"),
    "list items": lambda body, r: count(r.html, "<li>a</li>") == units(body, "- a\n"),
    "nested list": shown_as_typed("nesting"),
    "deep ordered list": shown_as_typed("nesting"),
    "list markers": lambda body, r: r.html == "<hr>",
    "long line": literal,
    "long line of words": literal,
    "short lines": literal,
    "blank lines": lambda body, r: r.html == "",
    "indented code": lambda body, r: count(r.html, "<pre><code>") == 1 and text_of(r.html).split() == ["a"] * units(
        body, "    a\n"),
    "fences": lambda body, r: count(r.html, "<pre><code>") == units(body, "```\n") // 2,
    "tildes": lambda body, r: count(r.html, "<pre><code>") == units(body, "~~~\n") // 2,
    "same headings": lambda body, r: len(set(re.findall(r'<h2 id="([^"]+)">a</h2>', r.html))) == units(body, "## a\n"),
    "hashes": literal,
    "setext headings": lambda body, r: len(set(re.findall(r'<h1 id="([^"]+)">a</h1>', r.html))) == units(body,
                                                                                                       "a\n=\n"),
    "rules": lambda body, r: count(r.html, "<hr>") == units(body, "---\n"),
    "footnote refs": shown_as_typed("size"),
    "many footnotes": shown_as_typed("size"),
    "undefined footnote refs": literal,
    "reference definitions": lambda body, r: r.html == "",
    "picture references": lambda body, r: count(r.html, "<picture>") == units(body, "![a](image:1)")
    and count(r.html, 'loading="eager"') == 1,
    "standalone pictures": lambda body, r: count(r.html, "<figure><picture>") == units(body, "![a](image:1)\n\n"),
    "raw pictures": lambda body, r: count(r.html, "<img") == 0 and kinds(r) == ["picture"]
    and r.refused[0].address == "https://x.example/a.jpg",
    "style openers": shown_as_typed("nesting"),
    "style attributes": lambda body, r: kinds(r) == ["style"] and count(r.html, "<p>a</p>") == units(body, "<p "),
    "ids": lambda body, r: count(r.html, '<a id="body-sign-panel" href="#body-sign-panel"') == units(
        body, '<a id="sign-panel" href="#sign-panel">a</a>'),
    "heading tags": shown_as_typed("nesting"),
    "table rows": lambda body, r: count(r.html, "<td>a</td>") == count(r.html, "<td>b</td>") == units(
        body, "| a | b |\n") - 1,
    "wide table": lambda body, r: count(r.html, "<td>a</td>") == 2000 * (units(body, "\n") - 2),
    "pipes": literal,
}


def test_every_shape_has_an_expected_rendering():
    assert set(EXPECTED) == set(SHAPES)


def test_a_nesting_just_under_the_limit_still_renders():
    body = "> " * (MAX_NESTING - 2) + "deep"
    assert render_with_pictures(body).refused == []


@pytest.mark.parametrize("shape", SHAPES)
def test_every_pathological_shape_renders_correctly_at_the_size_limit(shape, settings):
    body = SHAPES[shape](settings.MAX_BODY_BYTES)
    assert len(body.encode()) == settings.MAX_BODY_BYTES

    started = time.process_time()
    rendered = render_with_pictures(body, {1: UPLOAD})
    print(f"{shape}: {time.process_time() - started:.3f} s of CPU")

    assert EXPECTED[shape](body, rendered)
    assert active_content(rendered.html) == []
    assert set(fetched_addresses(rendered.html)) <= {"/media/images/p-960.jpg", "/media/images/p-480.jpg",
                                                     "/media/images/p-480.webp"}
