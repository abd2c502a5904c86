"""Readable comparisons for writers: a word-level diff of two texts, and reviewers' quotes marked in an article."""

import difflib
import html as html_lib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKENS = re.compile(r"\s+|[^\s]+")
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")


def word_diff(old: str, new: str) -> SafeString:
    """`new` compared with `old` word by word: removed words in <del>, added ones in <ins>, spacing kept."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped


def diff_stats(old: str, new: str) -> tuple[int, int]:
    """How many words were added and removed."""
    a, b = (old or "").split(), (new or "").split()
    added = removed = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            removed += i2 - i1
        if op in ("insert", "replace"):
            added += j2 - j1
    return added, removed


def mark_quotes(html: str, quotes: list[str], *, css_class: str = "quote") -> tuple[SafeString, set[str]]:
    """The sanitised article `html` with each quoted passage wrapped in <mark>, and the quotes found.

    A quote is marked where it lies inside one run of text; one that spans markup or is no
    longer in the text is left out of the set, so the page can say the passage has changed.
    """
    parts = _TAG_OR_TEXT.split(html or "")
    found: set[str] = set()
    for quote in sorted({q for q in quotes if q.strip()}, key=len, reverse=True):
        # Text nodes escape only &, < and >, as the sanitiser serialises them.
        needle = html_lib.escape(quote, quote=False)
        for i, part in enumerate(parts):
            if part.startswith("<") or needle not in part:
                continue
            parts[i] = part.replace(needle, f"<mark class=\"{css_class}\">{needle}</mark>", 1)
            # The marked run is now markup as far as later, shorter quotes are concerned.
            parts[i:i + 1] = _TAG_OR_TEXT.split(parts[i])
            found.add(quote)
            break
    return mark_safe("".join(parts)), found  # noqa: S308 - only <mark> around already-escaped text is added
