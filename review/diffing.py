"""The one word-level diff: what changed between two texts, for the reviewer (since the last signature), the writer
(any two versions) and the audit pack. Pages show its pieces with review/_word_diff.html."""

import difflib
import re
from dataclasses import dataclass

from content.models import word_count

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Piece:
    op: str  # "same", "added" or "removed"
    text: str


def picture_line(entry: dict) -> str:
    """A picture as the reviewer reads it in a diff: which bytes (by hash), with which alt text and caption."""
    parts = [f"[{'Hero picture' if entry.get('role') == 'hero' else 'Picture'} image:{entry['image']}",
             f"sha256 {entry['sha256'][:12]}", f"alt: {entry['alt']}"]
    if entry.get("caption"):
        parts.append(f"caption: {entry['caption']}")
    return " · ".join(parts) + "]"


def reader_text(revision) -> str:
    """Everything a reader sees, as text: title, summary, body, and every picture shown (so swaps show up)."""
    if revision is None:
        return ""
    pictures = [picture_line(entry) for entry in getattr(revision, "images", None) or []]
    return "\n\n".join(part for part in (revision.title, revision.summary, revision.body, *pictures) if part)


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


def words_changed(pieces: list[Piece]) -> tuple[int, int]:
    """How many words the diff adds and removes, counted as everywhere else (content.models.word_count)."""
    added = sum(word_count(piece.text) for piece in pieces if piece.op == "added")
    removed = sum(word_count(piece.text) for piece in pieces if piece.op == "removed")
    return added, removed
