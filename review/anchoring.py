"""Passages of a revision's text found again from a W3C TextQuoteSelector (positions in code points).

The text is the rendered HTML's text content, as a browser's `textContent` gives it,
so an anchor made by selecting text on the review page is found here and vice versa.
"""

from dataclasses import dataclass
from html.parser import HTMLParser

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
