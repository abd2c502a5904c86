"""Precision and recall of the claims check on the held-out part of claims/corpus.tsv, printed on every run.

The held-out part is one frame in five of the corpus (claims.corpus.is_held_out): sentence patterns
the classifier never trained on and that no rule or setting was tuned against. A sentence counts as
flagged when the check reports any finding in it.
"""

from collections import Counter

import pytest

from claims import classifier, corpus, linter

MINIMUM = 0.90


def measure(rows, reader):
    counts, errors = Counter(), []
    for sentence, label, family, _ in rows:
        flagged = bool(linter.lint(sentence, linter.shipped_rules(), reader=reader))
        risky = label == "risky"
        counts[("tp" if flagged else "fn") if risky else ("fp" if flagged else "tn")] += 1
        if flagged != risky:
            errors.append((label, family, sentence))
    precision = counts["tp"] / ((counts["tp"] + counts["fp"]) or 1)
    recall = counts["tp"] / ((counts["tp"] + counts["fn"]) or 1)
    return precision, recall, counts, errors


@pytest.fixture(scope="module")
def held_out():
    return [r for r in corpus.read() if r[3] == "held_out"]


def test_corpus_is_large_balanced_and_covers_every_family():
    rows = corpus.read()
    assert len(rows) >= 2000
    labels = Counter(r[1] for r in rows)
    assert labels["ok"] >= labels["risky"]
    assert {r[2] for r in rows if r[1] == "risky"} == set(corpus.FAMILIES) == set(linter.shipped_families())
    assert {r[2] for r in rows if r[1] == "ok"} == set(corpus.FAMILIES)


def test_corpus_file_is_what_the_generator_writes():
    assert corpus.read() == corpus.generate(), "run `python -m claims.corpus` after changing claims/corpus.py"


def test_claims_check_precision_and_recall_on_the_held_out_part(held_out, capsys):
    precision, recall, counts, errors = measure(held_out, classifier.scores)
    rules_only = measure(held_out, False)
    missed = Counter(family for label, family, _ in errors if label == "risky")
    false_alarms = Counter(family for label, family, _ in errors if label == "ok")
    lines = [
        f"claims check on {len(held_out)} held-out sentences: precision {precision:.3f}, recall {recall:.3f} "
        f"(tp {counts['tp']}, fp {counts['fp']}, fn {counts['fn']}, tn {counts['tn']})",
        f"  rules alone: precision {rules_only[0]:.3f}, recall {rules_only[1]:.3f}",
        "  missed by family: " + (", ".join(f"{f} ({n})" for f, n in missed.most_common()) or "none"),
        "  false alarms near: " + (", ".join(f"{f} ({n})" for f, n in false_alarms.most_common()) or "none"),
    ]
    with capsys.disabled():  # shown in the terminal on every run, not only with -s
        print("\n" + "\n".join(lines))
    assert precision >= MINIMUM, lines
    assert recall >= MINIMUM, lines


def test_classifier_names_the_family_and_says_it_is_the_classifier():
    text = "Patients keep telling their friends that nobody else treats them half as kindly."
    reading = classifier.Reading("comparison", 2.0)
    [finding] = linter.lint(text, linter.shipped_rules(), reader=lambda sentences: [reading] * len(sentences))
    assert (finding.rule, finding.group, finding.severity) == ("classifier", "comparison", "warn")
    assert finding.message.startswith("The sentence classifier reads this as a comparison with other providers")
    assert finding.source and (finding.start, finding.end) == (0, len(text))


def test_classifier_overrules_a_rule_only_where_the_rule_allows_it():
    reading = classifier.Reading("superlative", -5.0)
    read_as_plainly_fine = lambda sentences: [reading] * len(sentences)  # noqa: E731
    assert linter.lint("Our leading doctors.", linter.shipped_rules(), reader=read_as_plainly_fine) == []
    stubborn = [r.replace(overrule=False) if r.id == "leading" else r for r in linter.shipped_rules()]
    assert [f.rule for f in linter.lint("Our leading doctors.", stubborn, reader=read_as_plainly_fine)] == ["leading"]


def test_classifier_trains_from_the_training_part_only(monkeypatch):
    seen = []
    monkeypatch.setattr(classifier, "train", lambda rows: seen.extend(rows) or classifier.build())
    monkeypatch.setattr(classifier, "_trained", [])
    classifier.model()
    assert seen and {r[3] for r in seen} == {"train"}


def test_classifier_leaves_short_titles_and_headings_alone():
    """A few words give the classifier too little context: "What readers see now" once read as before-and-after."""
    from claims import linter

    found = linter.lint("# What readers see now\n\nThe clinic explains each step of the treatment before it starts.")
    assert [f for f in found if f.rule == linter.CLASSIFIER_RULE] == []
