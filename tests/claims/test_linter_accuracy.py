"""Precision and recall of the claims linter on the labelled corpus (tests/claims/claims_corpus.tsv).

A sentence counts as flagged when the linter reports any finding in it. The corpus header says
how sentences were labelled. Sections after a "# ---- Held out" marker were written after the
linter (the first after its first version, the second after its tuning and never tuned against);
each is reported on its own too, as the fairer estimate of how the linter does on new text.
"""

from collections import Counter
from pathlib import Path

import pytest

from claims import linter

CORPUS = Path(__file__).with_name("claims_corpus.tsv")
MINIMUM = 0.9


def read_corpus():
    """(label, group, sentence, section) rows; section 0 is the original corpus, 1, 2… the held-out batches."""
    rows, held_out = [], 0
    for number, line in enumerate(CORPUS.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("# ---- Held out"):
            held_out += 1
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
        findings = linter.lint(sentence, rules)
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
    rules = linter.shipped_rules()
    precision, recall, counts, fp_rules, missed = measure(corpus, rules)
    lines = [
        f"claims linter on {len(corpus)} sentences: precision {precision:.3f}, recall {recall:.3f} "
        f"(tp {counts['tp']}, fp {counts['fp']}, fn {counts['fn']}, tn {counts['tn']})",
    ]
    for section in sorted({row[3] for row in corpus} - {0}):
        held = measure([row for row in corpus if row[3] == section], rules)
        lines.append(f"  held-out batch {section} ({sum(held[2].values())} sentences): "
                     f"precision {held[0]:.3f}, recall {held[1]:.3f}")
    lines += [
        "  rules with most false positives: "
        + (", ".join(f"{rule} ({n})" for rule, n in fp_rules.most_common(5)) or "none"),
        "  groups with most misses: " + (", ".join(f"{g} ({n})" for g, n in missed.most_common(5)) or "none"),
    ]
    with capsys.disabled():  # shown in the terminal on every run, not only with -s
        print("\n" + "\n".join(lines))
    assert precision >= MINIMUM, lines
    assert recall >= MINIMUM, lines
