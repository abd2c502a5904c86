"""The page scripts carry no copy of a server rule: each pattern below is the tell-tale of one that was written
twice before, beside the server function the script must ask instead (through the preview request or the page)."""

import re
from pathlib import Path

import pytest

SCRIPTS = sorted((Path(__file__).resolve().parents[1] / "static" / "js").glob("*.js"))

COPIES = {
    r"\.normalize\(": "the address from a title: content.services.slug_from_title, via the preview's `slug`",
    r"slugify": "the address from a title: content.services.slug_from_title, via the preview's `slug`",
    r"split\(\s*/\\s": "words in a text: content.models.word_count, via the preview's `words`",
    r"WORDS_PER_MINUTE|/\s*200\b": "reading time: editor.selectors.reading_minutes, via the preview's `minutes`",
    r"Array\.from\(|codePoint|for\s*\(\s*var \w+ of ": "code point positions: review.anchoring.utf16_offset",
    r"function locate|indexOf\(\s*anchor": "passage matching: review.anchoring.locate, placed by comment_highlights",
    r"indexOf\(\s*needle|function markIn": "marking quoted wording: review.anchoring.mark_quotes",
    r"Blocks submission|\"Warning\"|LABELS": "the claims check's list: editor/_findings.html, via `findings_html`",
    r"SequenceMatcher|wordDiff|diffWords|function diff\(": "word diffs: review.diffing.word_diff",
}


def test_scripts_are_found():
    assert {path.name for path in SCRIPTS} >= {"editor.js", "review.js", "images.js"}


@pytest.mark.parametrize("pattern", COPIES)
def test_scripts_carry_no_copy_of_a_server_rule(pattern):
    found = [f"{path.name}:{n}: {line.strip()}" for path in SCRIPTS
             for n, line in enumerate(path.read_text().splitlines(), 1) if re.search(pattern, line)]

    assert found == [], f"{COPIES[pattern]} — ask the server instead of: {found}"
