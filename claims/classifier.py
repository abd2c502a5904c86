"""The sentence classifier beside the rules: which family of risky wording a sentence reads as, if any.

TF-IDF word (1–2) and character (2–5) n-grams and a linear SVM (scikit-learn), trained from the
training part of claims/corpus.tsv. Training takes about a second, so the model is rebuilt
deterministically on first use in each process (nothing is downloaded or cached on disk); the
held-out part of the corpus is never seen by it.

- ``scores(sentences) -> list[Reading]`` — for each sentence, the family it reads most like and
  how far it leans to risky (``margin`` > 0) or acceptable (< 0).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from claims import corpus

OK = "ok"


@dataclass(frozen=True)
class Reading:
    family: str  # the risky family the sentence reads most like
    margin: float  # that family's score less the "ok" score: > 0 reads risky


def normalise(sentence: str) -> str:
    """What the model sees: lower case, every digit a 0 (so 85% reads like 90%), whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"\d", "0", sentence.lower())).strip()


def build():
    """An untrained pipeline (the one place its settings live)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.svm import LinearSVC

    features = make_union(
        TfidfVectorizer(preprocessor=normalise, ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(preprocessor=normalise, analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
    )
    return make_pipeline(features, LinearSVC(C=0.5, class_weight="balanced", random_state=0))


def label(row) -> str:
    sentence, risky_or_ok, family, _ = row
    return family if risky_or_ok == "risky" else OK


def train(rows):
    model = build()
    model.fit([r[0] for r in rows], [label(r) for r in rows])
    return model


_lock = threading.Lock()
_trained: list = []


def model():
    """The model trained on the corpus's training part, built once per process."""
    with _lock:
        if not _trained:
            _trained.append(train([r for r in corpus.read() if r[3] == "train"]))
        return _trained[0]


def readings(trained, sentences: list[str]) -> list[Reading]:
    if not sentences:
        return []
    classes = list(trained.classes_)
    ok = classes.index(OK)
    result = []
    for row in trained.decision_function(sentences):
        best = max((i for i in range(len(classes)) if i != ok), key=lambda i: row[i])
        result.append(Reading(str(classes[best]), float(row[best] - row[ok])))
    return result


def scores(sentences: list[str]) -> list[Reading]:
    """The shipped model's reading of each sentence, in one batch."""
    return readings(model(), sentences)
