"""Precision and recall of the claims linter on the labelled corpus (tests/content/claims_corpus.tsv).

A sentence counts as flagged when the linter reports any finding in it. The corpus header says
how sentences were labelled; the section after the "Held out" marker was written after the
linter's first version and is reported on its own as well.
"""

from collections import Counter
from pathlib import Path

import pytest

from content import claims

CORPUS = Path(__file__).with_name("claims_corpus.tsv")
MINIMUM = 0.9


def read_corpus():
    rows, held_out = [], False
    for number, line in enumerate(CORPUS.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("# ---- Held out"):
            held_out = True
        if not line.strip() or line.startswith("#"):
            continue
        label, group, sentence = line.split("\t")
        assert label in {"flag", "ok"}, f"line {number}: label must be flag or ok"
        rows.append((label, group, sentence, held_out))
    return rows


def measure(rows, rules):
    counts = Counter()
    false_positive_rules, missed_groups = Counter(), Counter()
    for label, group, sentence, _ in rows:
        findings = claims.lint(sentence, rules)
        flagged = bool(findings)
        if label == "flag":
            counts["tp" if flagged else "fn"] += 1
            if not flagged:
                missed_groups[group] += 1
        else:
            counts["fp" if flagged else "tn"] += 1
            if flagged:
                false_positive_rules.update({f.rule for f in findings})
    precision = counts["tp"] / ((counts["tp"] + counts["fp"]) or 1)
    recall = counts["tp"] / ((counts["tp"] + counts["fn"]) or 1)
    return precision, recall, counts, false_positive_rules, missed_groups


@pytest.fixture(scope="module")
def corpus():
    return read_corpus()


def test_corpus_has_enough_labelled_sentences(corpus):
    assert len(corpus) >= 200
    assert {label for label, *_ in corpus} == {"flag", "ok"}


def test_claims_linter_precision_and_recall_at_least_90_percent(corpus, capsys):
    rules = claims.shipped_rules()
    precision, recall, counts, fp_rules, missed = measure(corpus, rules)
    held = measure([row for row in corpus if row[3]], rules)
    lines = [
        f"claims linter on {len(corpus)} sentences: precision {precision:.3f}, recall {recall:.3f} "
        f"(tp {counts['tp']}, fp {counts['fp']}, fn {counts['fn']}, tn {counts['tn']})",
        f"  held-out part ({sum(held[2].values())} sentences): precision {held[0]:.3f}, recall {held[1]:.3f}",
        "  rules with most false positives: "
        + (", ".join(f"{rule} ({n})" for rule, n in fp_rules.most_common(5)) or "none"),
        "  groups with most misses: " + (", ".join(f"{g} ({n})" for g, n in missed.most_common(5)) or "none"),
    ]
    with capsys.disabled():  # shown in the terminal on every run, not only with -s
        print("\n" + "\n".join(lines))
    assert precision >= MINIMUM, lines
    assert recall >= MINIMUM, lines
