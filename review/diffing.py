"""A word-level diff of what a reader sees, for the reviewer: what changed since the last signature."""

import difflib
import re
from dataclasses import dataclass

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Piece:
    op: str  # "same", "added" or "removed"
    text: str


def reader_text(revision) -> str:
    if revision is None:
        return ""
    return "\n\n".join(part for part in (revision.title, revision.summary, revision.body) if part)


def word_diff(old: str, new: str) -> list[Piece]:
    """`new` against `old` in runs of whole words; whitespace is kept so line breaks still read."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(Piece("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("removed", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("added", "".join(b[j1:j2])))
    return pieces
