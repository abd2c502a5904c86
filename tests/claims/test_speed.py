"""The claims check on bodies of pathological shapes (claims/shapes.py): right answers, in linear time.

Budgets are the bench's to check (claims.shapes.bodies() is what it times); here each shape of the
largest body allowed must finish within a bound ten times the 1 s budget, which the quadratic
patterns of before (minutes for 200 KB of backticks or of "[") cannot meet on any machine.
"""

import re
import time

import pytest

from claims import linter
from claims.shapes import ARTICLE, MAX_BODY, UNITS, bodies

MARKUP_ONLY = {"backticks", "fence-runs", "open-brackets", "open-images", "footnote-openers", "angle-urls",
               "html-openers", "emphasis", "exclamations", "dots", "bare-urls", "dois", "parens", "newlines",
               "blank-lines-and-quotes", "hashes", "long-words"}
BOUND_SECONDS = 10.0


@pytest.fixture(scope="module")
def rules():
    linter.lint("Warm the classifier up before anything is timed.")
    return linter.shipped_rules()


@pytest.mark.parametrize("name, body", list(bodies()), ids=list(UNITS))
def test_lint_of_a_pathological_body_is_right_and_linear(name, body, rules):
    started = time.process_time()
    findings = linter.lint(body, rules)
    elapsed = time.process_time() - started

    assert len(body) == MAX_BODY
    assert all(body[f.start : f.end] == f.text and 0 <= f.start < f.end <= len(body) for f in findings)
    assert findings == sorted(findings, key=lambda f: (f.start, f.end, f.rule))
    if name in MARKUP_ONLY:
        assert findings == []
    assert elapsed < BOUND_SECONDS, f"{name}: {elapsed:.1f} s of CPU for {len(body)} characters"


def test_lint_of_a_repeated_article_finds_what_one_article_has_in_each_copy(rules):
    one = [(f.rule, f.text) for f in linter.lint(ARTICLE, rules)]
    copies = 20
    many = linter.lint(ARTICLE * copies, rules)
    assert one and [(f.rule, f.text) for f in many] == one * copies


def test_shared_word_boundaries_find_the_same_matches_as_each_rule_as_written():
    """Rules are compiled with their leading \\b shared (claims.linter._share_word_boundaries): same matches."""
    from claims import corpus

    text = linter.fold(" ".join(row[0] for row in corpus.read()) + ARTICLE * 3)
    for rule in linter.shipped_rules():
        if not rule.pattern:
            continue
        as_written = linter.fold(linter.expand_fragments(rule.pattern))
        shared = rule.regex.pattern
        assert [m.span() for m in re.finditer(as_written, text)] == [m.span() for m in re.finditer(shared, text)], rule.id


def test_share_word_boundaries_groups_only_neighbouring_alternatives():
    assert linter._share_word_boundaries(r"\ba|\bb|c|\bd|[|\b]e|(\bf|g)") == r"\b(?:a|b)|c|\bd|[|\b]e|(\bf|g)"


def test_lint_searches_a_rule_the_combined_search_cannot_hold():
    """A rule with a back-reference is searched on its own, and still finds its match."""
    repeated = linter.Rule.from_dict({"id": "repeated-word", "pattern": r"\b(\w+)\s+\1\b", "severity": "warn",
                                      "message": "A word is repeated."})
    rules = (*linter.shipped_rules(), repeated)
    assert "repeated-word" not in linter._any_rule_gate(tuple(r for r in rules if r.scope == "text")).covers
    found = linter.lint("Pico laser laser pulses are short.", rules, reader=False)
    assert [(f.rule, f.text) for f in found] == [("repeated-word", "laser laser")]


def test_combined_searches_find_something_exactly_where_one_of_their_parts_does():
    from claims import corpus

    texts = [row[0] for row in corpus.read()] + [ARTICLE, "Lost 3 KG", "ſeveral SIZES", "Nine In Ten Patients"]
    rules = tuple(r for r in linter.shipped_rules() if r.scope == "text")
    gate = linter._any_rule_gate(rules)
    covered = [r.regex for r in rules if r.id in gate.covers]
    quantities = (linter._PERCENT, linter._MULTIPLIER, linter._PROPORTION, linter._MEASURE)
    for text in texts:
        folded = linter.fold(text)
        assert bool(gate.regex.search(folded)) == any(rx.search(folded) for rx in covered), text
        assert linter._has_quantity(text) == any(rx.search(text) for rx in quantities), text
