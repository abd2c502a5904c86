"""Passages of a revision's text: found again from a W3C TextQuoteSelector (positions in code points), marked in
the article's HTML, and placed for the page's script in the browser's own units.

The text is the rendered HTML's text content, as a browser's `textContent` gives it,
so an anchor made by selecting text on the review page is found here and vice versa.
The browser never matches passages itself: it is given where they are (`utf16_offset`).
"""

import html as html_lib
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CONTEXT = 32  # code points of prefix and suffix kept with each quote


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def text_of(html: str) -> str:
    collector = _TextCollector()
    collector.feed(html or "")
    collector.close()
    return "".join(collector.parts)


@dataclass(frozen=True)
class Anchor:
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def locate(text: str, *, exact: str, prefix: str = "", suffix: str = "", start: int | None = None) -> Anchor | None:
    """Where `exact` occurs in `text`, preferring the occurrence whose surroundings match best."""
    if not exact:
        return None
    best, best_score = None, None
    at = text.find(exact)
    while at != -1:
        end = at + len(exact)
        score = (
            _common_suffix(text[max(0, at - len(prefix)):at], prefix)
            + _common_prefix(text[end:end + len(suffix)], suffix),
            -abs(at - start) if start is not None else 0,
        )
        if best_score is None or score > best_score:
            best, best_score = at, score
        at = text.find(exact, at + 1)
    if best is None:
        return None
    end = best + len(exact)
    return Anchor(exact=exact, prefix=text[max(0, best - CONTEXT):best], suffix=text[end:end + CONTEXT],
                  start=best, end=end)


def utf16_offset(text: str, index: int) -> int:
    """Where code point `index` of `text` lies in JavaScript's string of it (UTF-16 code units)."""
    return len(text[:index].encode("utf-16-le")) // 2


def comment_highlights(html: str, comments) -> list[dict]:
    """Where each comment's passage lies in the page's text of `html`, as the browser counts: UTF-16 units of textContent.

    `comments` carry their anchor (quote_exact, quote_prefix, quote_suffix, quote_start) on this very
    revision; one whose positions no longer hold the quote is found again, one whose quote is gone is left out.
    """
    text = None
    placed = []
    for comment in comments:
        if not comment.quote_exact:
            continue
        if text is None:
            text = text_of(html)
        start, end = comment.quote_start, comment.quote_end
        if start is None or end is None or text[start:end] != comment.quote_exact:
            found = locate(text, exact=comment.quote_exact, prefix=comment.quote_prefix,
                           suffix=comment.quote_suffix, start=start)
            if found is None:
                continue
            start, end = found.start, found.end
        placed.append({"id": comment.pk, "from": utf16_offset(text, start), "to": utf16_offset(text, end)})
    return placed


_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")


def mark_quotes(html: str, quotes: list[str], *, css_class: str = "quote", title: str = "") -> tuple[SafeString, set[str]]:
    """The sanitised article `html` with each quoted passage wrapped in <mark>, and the quotes found.

    A quote is marked where it lies inside one run of text; one that spans markup or is no
    longer in the text is left out of the set, so the page can say the passage has changed.
    """
    parts = _TAG_OR_TEXT.split(html or "")
    found: set[str] = set()
    title_attribute = f' title="{escape(title)}"' if title else ""
    for quote in sorted({q for q in quotes if q.strip()}, key=len, reverse=True):
        # Text nodes escape only &, < and >, as the sanitiser serialises them.
        needle = html_lib.escape(quote, quote=False)
        for i, part in enumerate(parts):
            if part.startswith("<") or needle not in part:
                continue
            parts[i] = part.replace(needle, f"<mark class=\"{css_class}\"{title_attribute}>{needle}</mark>", 1)
            # The marked run is now markup as far as later, shorter quotes are concerned.
            parts[i:i + 1] = _TAG_OR_TEXT.split(parts[i])
            found.add(quote)
            break
    return mark_safe("".join(parts)), found  # noqa: S308 - only <mark> around already-escaped text is added
