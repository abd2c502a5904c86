"""Markdown bodies shaped to make a renderer slow: the corpus the rendering bound is tested and benched with.

Each shape is a function of a size in bytes that returns a body of exactly that many UTF-8 bytes
(ASCII only), built by repeating a unit. The units are what made Python-Markdown slow (quadratic)
before content/rendering.py moved to cmark-gfm: unmatched brackets, link openers, many inline elements
in one paragraph, runs of rules or headings with no blank line, many identical headings or footnote
references, wide tables; and what could make the renderer's own steps after cmark slow: many pictures,
ids, raw text elements and refused markup. Picture shapes refer to upload 1: render them with one.
"""

from collections.abc import Callable


def _repeat(unit: str, size: int, *, head: str = "", tail: str = "") -> str:
    room = size - len(head) - len(tail)
    return head + (unit * (room // len(unit) + 1))[:room] + tail


def _lines(make_line: Callable[[int], str], size: int) -> str:
    """Lines made by make_line(0), make_line(1), … up to `size` bytes, padded with spaces to exactly `size`."""
    out, used, n = [], 0, 0
    while True:
        line = make_line(n) + "\n"
        if used + len(line) > size:
            break
        out.append(line)
        used += len(line)
        n += 1
    return "".join(out) + " " * (size - used)


SHAPES: dict[str, Callable[[int], str]] = {
    # Brackets and link syntax: each opener used to be scanned to the end of its paragraph.
    "open brackets": lambda size: _repeat("[", size),
    "image openers": lambda size: _repeat("![", size),
    "open brackets then one close": lambda size: _repeat("[", size, tail="]"),
    "nested brackets": lambda size: "[" * (size // 2) + "]" * (size - size // 2),
    "link openers": lambda size: _repeat("[a](", size),
    "link with open parentheses": lambda size: _repeat("(", size, head="[a]("),
    "bracket words": lambda size: _repeat("[a ", size),
    "reference links": lambda size: _repeat("[a][b] ", size),
    "links": lambda size: _repeat("[a](/b) ", size),
    "images": lambda size: _repeat("![a](/b) ", size),
    "close brackets": lambda size: _repeat("]", size),
    "bangs": lambda size: _repeat("!", size),
    "parentheses": lambda size: _repeat("(", size),
    # Inline code and emphasis.
    "backticks": lambda size: _repeat("`", size),
    "backtick words": lambda size: _repeat("`a ", size),
    "code spans": lambda size: _repeat("`a` ", size),
    "double backtick words": lambda size: _repeat("``a ", size),
    "stars": lambda size: _repeat("*", size),
    "star words": lambda size: _repeat("*a ", size),
    "emphasis": lambda size: _repeat("*a* ", size),
    "strong openers": lambda size: _repeat("**a ", size),
    "triple stars": lambda size: _repeat("***a ", size),
    "underscore words": lambda size: _repeat("_a ", size),
    "underscores in words": lambda size: _repeat("a_", size),
    "mixed emphasis": lambda size: _repeat("*_", size),
    # HTML, entities, escapes, autolinks.
    "less-than signs": lambda size: _repeat("<", size),
    "open tags": lambda size: _repeat("<a ", size),
    "open divs": lambda size: _repeat("<div>\n", size),
    "spans": lambda size: _repeat("<span>a</span> ", size),
    "comment openers": lambda size: _repeat("<!--", size),
    "autolink openers": lambda size: _repeat("<http://a", size),
    "ampersands": lambda size: _repeat("&", size),
    "entities": lambda size: _repeat("&amp; ", size),
    "backslashes": lambda size: _repeat("\\", size),
    "escaped brackets": lambda size: _repeat("\\[", size),
    # Blocks.
    "quote markers": lambda size: _repeat(">", size),
    "nested quotes": lambda size: _lines(lambda n: "> " * min(n, 200) + "a", size),
    "quote lines": lambda size: _repeat("> a\n", size),
    "list items": lambda size: _repeat("- a\n", size),
    "nested list": lambda size: _lines(lambda n: "  " * min(n, 400) + "- a", size),
    "deep ordered list": lambda size: _lines(lambda n: "    " * min(n, 200) + "1. a", size),
    "list markers": lambda size: _repeat("- ", size),
    "long line": lambda size: _repeat("a", size),
    "long line of words": lambda size: _repeat("word ", size),
    "short lines": lambda size: _repeat("a\n", size),
    "blank lines": lambda size: _repeat("\n", size),
    "indented code": lambda size: _repeat("    a\n", size),
    "fences": lambda size: _repeat("```\n", size),
    "tildes": lambda size: _repeat("~~~\n", size),
    "same headings": lambda size: _repeat("## a\n", size),
    "hashes": lambda size: _repeat("#", size),
    "setext headings": lambda size: _repeat("a\n=\n", size),
    "rules": lambda size: _repeat("---\n", size),
    # Footnotes and references.
    "footnote refs": lambda size: _repeat("[^1] ", size, tail="\n\n[^1]: a"),
    "many footnotes": lambda size: _lines(lambda n: f"a[^{n}]\n\n[^{n}]: b", size),
    "undefined footnote refs": lambda size: _repeat("[^a] ", size),
    "reference definitions": lambda size: _lines(lambda n: f"[r{n}]: /u", size),
    # What the renderer itself does after cmark: pictures, ids, and what saving refuses.
    "picture references": lambda size: _repeat("![a](image:1) ", size),
    "standalone pictures": lambda size: _repeat("![a](image:1)\n\n", size),
    "raw pictures": lambda size: _repeat('<img src="https://x.example/a.jpg">', size),
    "style openers": lambda size: _repeat("<style>", size),
    "style attributes": lambda size: _repeat('<p style="color:red">a</p>', size),
    "ids": lambda size: _repeat('<a id="sign-panel" href="#sign-panel">a</a>', size),
    "heading tags": lambda size: _repeat("<h2>", size),
    # Tables.
    "table rows": lambda size: _lines(lambda n: "| a | b |" if n != 1 else "|---|---|", size),
    "wide table": lambda size: _lines(lambda n: "|" + ("a|" if n != 1 else "-|") * 2000, size),
    "pipes": lambda size: _repeat("|", size),
}


def corpus(size: int) -> dict[str, str]:
    """Every shape at `size` bytes."""
    return {name: make(size) for name, make in SHAPES.items()}
