"""The claims check on bodies of pathological shapes (claims/shapes.py): right answers, in linear time.

Budgets are the bench's to check (claims.shapes.bodies() is what it times); here each shape of the
largest body allowed must finish within a bound ten times the 1 s budget, which the quadratic
patterns of before (minutes for 200 KB of backticks or of "[") cannot meet on any machine.
"""

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
