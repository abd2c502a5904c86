"""A saved revision's claims findings come from Django's cache, under a key that changes with whatever they
depend on: the text, the rules in force, the classifier setting."""

import pytest
from django.test import override_settings

from claims import findings
from claims.models import ClaimRuleOverride
from tests import factories

pytestmark = pytest.mark.django_db

TITLE = "The best laser clinic"


def _revision(author):
    return factories.make_post(author=author, title=TITLE).current_revision


def _rules_found(revision):
    return {f.rule for f in findings.revision_findings(revision)}


def test_revision_findings_are_checked_once_and_then_read_from_the_cache(author, monkeypatch):
    revision = _revision(author)
    first = findings.revision_findings(revision)
    assert "best" in {f.rule for f in first}

    def not_again(**kwargs):
        raise AssertionError("the claims check ran again for text it had already checked")

    monkeypatch.setattr(findings, "text_findings", not_again)
    assert findings.revision_findings(revision) == first


def test_revision_findings_follow_an_admin_override_at_once(author):
    revision = _revision(author)
    assert "best" in _rules_found(revision)
    override = ClaimRuleOverride.objects.create(rule_id="best", enabled=False, reason="Our lawyers allow it")
    assert "best" not in _rules_found(revision)
    override.enabled = True
    override.save()
    assert "best" in _rules_found(revision)


def test_revision_findings_follow_the_rules_disabled_in_settings(author):
    revision = _revision(author)
    assert "best" in _rules_found(revision)
    with override_settings(CLAIMS_RULES_DISABLED=["best"]):
        assert "best" not in _rules_found(revision)


def test_revision_findings_of_another_text_are_its_own(author):
    revision = _revision(author)
    assert "best" in _rules_found(revision)
    other = factories.make_post(author=author, title="Caring for your skin").current_revision
    assert "best" not in _rules_found(other)


def test_findings_key_changes_with_the_classifier_setting():
    rules = findings.linter.active_rules()
    with override_settings(CLAIMS_CLASSIFIER=True):
        on = findings.findings_key(title=TITLE, summary="", body="", rules=rules)
    with override_settings(CLAIMS_CLASSIFIER=False):
        off = findings.findings_key(title=TITLE, summary="", body="", rules=rules)
    assert on != off


def test_claim_sentences_are_read_from_the_cache_for_the_same_body_only(author, monkeypatch):
    cited = factories.make_post(author=author, body="Results last 6 months [^1].\n\n[^1]: Smith 2020.").current_revision
    uncited = factories.make_post(author=author, body="Results last 9 months.").current_revision
    first = findings.claim_sentences(cited)
    assert [s.cited for s in first] == [True]

    def not_again(text):
        raise AssertionError("the sentences were read again for a body already read")

    monkeypatch.setattr(findings.linter, "claim_sentences", not_again)
    assert findings.claim_sentences(cited) == first
    with pytest.raises(AssertionError, match="read again"):  # another body is read for itself
        findings.claim_sentences(uncited)
