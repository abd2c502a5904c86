"""The claims check applied to a post's text: findings per field, their stable keys, and the writer's justifications.

Every finding has a stable key within one revision, "<field>:<rule>:<start>:<end>" (code points into
the field), which forms, the submit gate and the signature's sealed details all use.
"""

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache

from claims import linter

FIELDS = ("title", "summary", "body")
FIELD_LABELS = {"title": "Title", "summary": "Summary", "body": "Body"}


@dataclass(frozen=True)
class FieldFinding:
    """One linter finding in one field of the text."""

    field: str
    finding: linter.Finding

    @property
    def key(self) -> str:
        f = self.finding
        return f"{self.field}:{f.rule}:{f.start}:{f.end}"

    @property
    def field_label(self) -> str:
        return FIELD_LABELS[self.field]

    rule = property(lambda self: self.finding.rule)
    severity = property(lambda self: self.finding.severity)
    text = property(lambda self: self.finding.text)
    start = property(lambda self: self.finding.start)
    end = property(lambda self: self.finding.end)
    message = property(lambda self: self.finding.message)
    source = property(lambda self: self.finding.source)

    @property
    def is_block(self) -> bool:
        return self.finding.severity == "block"

    @property
    def is_warn(self) -> bool:
        return self.finding.severity == "warn"

    def to_dict(self) -> dict:
        return {"key": self.key, "field": self.field, **self.finding.to_dict()}


def text_findings(*, title: str = "", summary: str = "", body: str = "", rules=None) -> list[FieldFinding]:
    """Findings in title, summary and body, in that order; `rules` defaults to the installation's active rules."""
    rules = linter.active_rules() if rules is None else rules
    found = []
    for field, text in (("title", title), ("summary", summary), ("body", body)):
        found += [FieldFinding(field, f) for f in linter.lint(text or "", rules=rules)]
    return found


# A saved revision's findings are kept in Django's cache under a key made of everything they depend on: the text,
# the rules in force (file, settings and admin overrides), whether the classifier reads, and the checker itself
# (its code, rules file and training corpus, and scikit-learn's version). A change to any of them makes a new key,
# so nothing is ever dropped by hand; the old entries expire.
FINDINGS_TIMEOUT = 7 * 24 * 3600
CHECKER_FILES = ("*.py", "rules.toml", "corpus.tsv")


@functools.cache
def _checker_version() -> str:
    import sklearn

    digest = hashlib.sha256(sklearn.__version__.encode())
    folder = Path(linter.__file__).resolve().parent
    for path in sorted(p for pattern in CHECKER_FILES for p in folder.glob(pattern)):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@functools.lru_cache(maxsize=16)
def _rules_version(rules: tuple) -> str:
    return hashlib.sha256(repr(rules).encode()).hexdigest()


def findings_key(*, title: str, summary: str, body: str, rules) -> str:
    """The cache key of the findings in this text under these rules."""
    parts = [_checker_version(), _rules_version(tuple(rules)), linter.classifier_enabled(), title, summary, body]
    return f"claims:findings:{hashlib.sha256(json.dumps(parts).encode()).hexdigest()}"


def revision_findings(revision, rules=None) -> list[FieldFinding]:
    """`text_findings` of a saved revision, kept in the cache (a third of a review page's time otherwise)."""
    if revision is None:
        return []
    rules = linter.active_rules() if rules is None else rules
    key = findings_key(title=revision.title, summary=revision.summary, body=revision.body, rules=rules)
    found = cache.get(key)
    if found is None:
        found = text_findings(title=revision.title, summary=revision.summary, body=revision.body, rules=rules)
        cache.set(key, found, FINDINGS_TIMEOUT)
    return found


def justification_key(justification) -> str:
    return f"{justification.field}:{justification.rule}:{justification.start}:{justification.end}"


def justifications_by_key(revision) -> dict[str, object]:
    from claims.models import FindingJustification

    if revision is None:
        return {}
    return {justification_key(j): j for j in
            FindingJustification.objects.filter(revision=revision).select_related("author")}


def unjustified_blocks(findings: list[FieldFinding], justified_keys) -> list[FieldFinding]:
    return [f for f in findings if f.is_block and f.key not in justified_keys]


def describe(findings: list[FieldFinding]) -> str:
    """One line a writer can act on: which wording, where, and which rule."""
    return "; ".join(f"“{f.text}” ({f.field_label.lower()}, {f.rule})" for f in findings)


def justification_record(j) -> dict:
    return {
        "field": j.field, "rule": j.rule, "text": j.text, "start": j.start, "end": j.end,
        "justification": j.justification, "author": j.author.get_username(),
        "created_at": j.created_at.isoformat(),
    }


def claim_sentences(revision) -> list[linter.ClaimSentence]:
    """Sentences of the body with a number or an outcome claim, and whether each cites a source; kept in the cache
    like the findings, under a key made of the body and the checker (they depend on nothing else)."""
    if revision is None:
        return []
    parts = [_checker_version(), revision.body]
    key = f"claims:sentences:{hashlib.sha256(json.dumps(parts).encode()).hexdigest()}"
    found = cache.get(key)
    if found is None:
        found = [s for s in linter.claim_sentences(revision.body) if s.has_number or s.has_outcome]
        cache.set(key, found, FINDINGS_TIMEOUT)
    return found


@dataclass(frozen=True)
class FindingRow:
    """A finding as a page shows it: with the justification recorded for it, or the one being typed."""

    finding: FieldFinding
    justification: object = None  # a FindingJustification
    typed: str = ""
    needs_reason: bool = False


def rows(found, *, justified=None, typed=None, blocked=()) -> list[FindingRow]:
    justified, typed = justified or {}, typed or {}
    blocked_keys = {f.key for f in blocked}
    return [FindingRow(f, justified.get(f.key), typed.get(f.key, ""), f.key in blocked_keys) for f in found]
