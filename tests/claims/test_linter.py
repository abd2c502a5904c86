"""The claims linter: matching, negation, positions, citations, images, configuration and the command."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings

from claims import linter
from claims.models import ClaimRuleOverride

REPO = Path(__file__).resolve().parents[2]


def rules_hit(text, rules=None):
    return [f.rule for f in linter.lint(text, rules)]


def texts_hit(text, rules=None):
    return [f.text for f in linter.lint(text, rules)]


# --------------------------------------------------------------------------- words, inflections, case


@pytest.mark.parametrize("text", [
    "Results guaranteed.", "We guarantee results.", "This guarantees clear skin.", "Guaranteeing you results.",
    "GUARANTEED RESULTS", "This cures acne.", "Acne, cured.", "Curing acne is easy.", "A cure for acne.",
])
def test_lint_matches_inflections_in_any_case(text):
    assert set(rules_hit(text)) & {"guarantee", "cure"}


def test_lint_reports_the_matched_words_as_written():
    assert texts_hit("We GUARANTEE Results.") == ["GUARANTEE"]


@pytest.mark.parametrize("text", [
    "Dr Tan bestowed the prize.", "The bestseller list.", "Procured supplies arrived.", "A securely stored file.",
    "Our leadership team.", "Topical creams help.", "Permanence is rare.",
])
def test_lint_matches_whole_words_only(text):
    assert linter.lint(text) == []


def test_lint_treats_cured_meats_as_food_not_a_claim():
    assert linter.lint("Cured meats are high in salt.") == []
    assert rules_hit("Eczema can be cured with our cream.") == ["cure"]


def test_lint_matches_phrases_with_space_or_hyphen():
    assert rules_hit("It is risk free.") == ["risk-free"]
    assert rules_hit("It is risk-free.") == ["risk-free"]
    assert rules_hit("There are no side-effects.") == ["no-side-effects"]
    assert rules_hit("There are no side effects.") == ["no-side-effects"]


@pytest.mark.parametrize("text, rule", [
    ("The results are permanent.", "permanent"),
    ("100% safe for everyone.", "hundred-percent"),
    ("Virtually painless.", "painless"),
    ("No downtime at all.", "no-downtime"),
    ("We are the best clinic in town.", "best"),
    ("A leading aesthetic clinic.", "leading"),
    ("The No. 1 clinic for lasers.", "number-one"),
    ("The most advanced laser.", "most-superlative"),
    ("Our state-of-the-art lasers.", "leading"),
    ("We were the first in Singapore to offer it.", "first-only"),
    ("Our results are better than other clinics.", "comparison"),
    ("Unlike other doctors, we listen.", "comparison"),
    ("Read our patient testimonials.", "testimonial"),
    ("See our before-and-after photos.", "before-after"),
    ("Enjoy 30% off today.", "promotion"),
    ("Book a free consultation.", "promotion"),
    ("For a limited time only.", "promotion"),
    ("Our award-winning team.", "award"),
    ("Don't wait until it's too late.", "fear"),
])
def test_lint_ships_a_rule_for_each_required_claim(text, rule):
    assert rule in rules_hit(text)


# --------------------------------------------------------------------------- negation and context


@pytest.mark.parametrize("text", [
    "We cannot guarantee results.",
    "No treatment is risk-free.",
    "No procedure is completely risk-free.",
    "The treatment is not painless.",
    "There is no cure for rosacea.",
    "Results are not permanent.",
    "Permanent results are not possible with fillers.",
    "Results cannot be guaranteed.",
    "No doctor can promise permanent results.",
    "Be wary of clinics that promise guaranteed results.",
    "It would be misleading to call any laser risk-free.",
    "Sunscreen alone won't cure melasma.",
    "Nothing is 100% effective.",
    "Is Pico Laser painless?",
])
def test_lint_ignores_negated_and_sceptical_mentions(text):
    assert linter.lint(text) == []


def test_lint_negation_does_not_cross_a_clause_boundary():
    assert rules_hit("It is not expensive, and it is painless.") == ["painless"]


def test_lint_pseudo_negations_keep_the_claim():
    assert rules_hit("Not only is it painless, it is fast.") == ["painless"]
    assert rules_hit("No doubt our programme is guaranteed to work.") == ["guarantee"]


def test_lint_a_negative_claim_phrase_does_not_negate_the_next_one():
    assert rules_hit("With no side effects and no downtime, it suits everyone.") == [
        "no-side-effects", "no-downtime", "suits-everyone"]


def test_lint_a_promising_question_is_still_a_claim():
    assert rules_hit("Looking for a permanent solution?") == ["permanent", "cure-paraphrase"]


@pytest.mark.parametrize("text", [
    "The best way to protect your skin is sunscreen.",
    "It is best to avoid the sun after a peel.",
    "For best results, follow the aftercare advice.",
    "Your doctor will advise which option is best for you.",
    "UV exposure is the leading cause of skin ageing.",
    "Sunscreen is one of the most effective ways to prevent pigmentation.",
    "Singapore citizens and permanent residents may use MediSave.",
    "Untreated acne can cause permanent scarring.",
    "According to the Health Promotion Board, sleep matters.",
    "Avoid retinoids before and after your laser session.",
])
def test_lint_leaves_generic_advice_alone(text):
    assert linter.lint(text) == []


# --------------------------------------------------------------------------- positions


@pytest.mark.parametrize("prefix", ["", "😀 ", "你好，世界。", "👩🏽‍⚕️ Dr Tan: ", "e\u0301 "])
def test_lint_positions_are_code_points_into_the_input(prefix):
    text = f"{prefix}Results are guaranteed."
    [finding] = linter.lint(text)
    assert (finding.start, finding.end) == (len(prefix) + 12, len(prefix) + 22)
    assert text[finding.start : finding.end] == "guaranteed" == finding.text


def test_lint_positions_survive_markdown_markup():
    text = "## Why us\n\nWe are the **best** clinic, see [our team](https://example.com/best-team)."
    [finding] = linter.lint(text)
    assert text[finding.start : finding.end] == "best"
    assert finding.start == text.index("best")


def test_lint_skips_code_comments_urls_and_source_definitions():
    text = (
        "Plain text.\n\n```\nguaranteed cure\n```\n\n<!-- best clinic -->\n\n"
        "See https://example.com/guaranteed-cure for details.\n\n"
        "[^1]: Cure rates after laser therapy. doi:10.1000/xyz\n"
    )
    assert linter.lint(text) == []


# --------------------------------------------------------------------------- outcome numbers and citations


@pytest.mark.parametrize("text", [
    "90% of patients saw an improvement.",
    "It stimulates 3 times more collagen.",
    "It reduces breakouts by 80%.",
    "9 out of 10 patients would recommend it.",
    "Pores look up to 40% smaller.[^]",
])
def test_lint_flags_outcome_numbers_without_a_source(text):
    assert rules_hit(text) == ["outcome-number-uncited"]


@pytest.mark.parametrize("text", [
    "90% of patients saw an improvement.[^1]",
    "90% of patients saw an improvement [^lee2020].",
    "90% of patients saw an improvement [in a trial][lee].",
    "90% of patients saw an improvement ([Lee 2020](https://doi.org/10.1000/182)).",
    "90% of patients saw an improvement (doi:10.1000/182).",
    "90% of patients saw an improvement, see https://pubmed.ncbi.nlm.nih.gov/1/.",
])
def test_lint_accepts_outcome_numbers_with_a_source_in_the_same_sentence(text):
    assert linter.lint(text) == []


def test_lint_a_source_in_another_sentence_does_not_count():
    assert rules_hit("A trial was published.[^1] 90% of patients saw an improvement.") == ["outcome-number-uncited"]


@pytest.mark.parametrize("text", [
    "Use a cleanser with 2% salicylic acid.", "Apply SPF 50 daily.", "Each session takes 30 minutes.",
    "Apply it twice a day.", "Most patients need 3 to 5 sessions.", "About 1 in 5 adults has eczema.",
])
def test_lint_numbers_that_are_not_outcomes_are_not_flagged(text):
    assert linter.lint(text) == []


@pytest.mark.parametrize("text", [
    "Kybella dissolves fat under a double chin over two to four sessions.",
    "This double-blind trial compared two creams.",
    "The two halves of the face were treated on different days.",
    "The treatment room can double as a consultation room.",
    "Double cleansing removes sunscreen before the peel.",
])
def test_lint_multiplier_words_used_as_adjectives_or_nouns_are_not_outcome_numbers(text):
    assert "outcome-number-uncited" not in rules_hit(text)


@pytest.mark.parametrize("text", [
    "Dermal filler triples hair density in six weeks.", "Collagen doubled within a month.",
    "It halves recovery time.", "Our boosters can double your collagen.", "It works twice as fast as a peel.",
    "Patients dropped two dress sizes after the programme.", "Packages start from ¥8,000 this month only.",
])
def test_lint_flags_multipliers_number_words_and_any_currency_by_structure(text):
    assert rules_hit(text)


ARTICLE = """# Pores and Pico Laser

A trial found a 52% reduction in pore size.[^1] Another study[^2] and [a review][rev] agree.
See also [this paper](https://doi.org/10.1111/jocd.13456) and doi:10.1001/jama.2019.1 directly.
Again the first study.[^1] Apply SPF 50 daily. Read [our guide](/blog/sunscreen/).

![Laser](laser.jpg "https://example.com/not-a-source")

[^1]: Lee J, et al. Pico laser and pores. https://doi.org/10.1000/lee.2020
[^2]: Unpublished clinic audit, 2023.
[rev]: https://pubmed.ncbi.nlm.nih.gov/12345/ "Review"
"""


def test_citations_lists_each_source_once_in_order_of_use():
    found = linter.citations(ARTICLE)
    assert [(c.kind, c.label) for c in found] == [
        ("footnote", "1"), ("footnote", "2"), ("reference", "rev"), ("link", "this paper"),
        ("doi", "10.1001/jama.2019.1"),
    ]
    assert [c.url for c in found] == [
        "https://doi.org/10.1000/lee.2020", "", "https://pubmed.ncbi.nlm.nih.gov/12345/",
        "https://doi.org/10.1111/jocd.13456", "https://doi.org/10.1001/jama.2019.1",
    ]
    assert found[0].doi == "10.1000/lee.2020"
    assert found[1].text == "Unpublished clinic audit, 2023."


def test_claim_sentences_list_numbers_and_outcomes_with_their_sources():
    sentences = linter.claim_sentences(ARTICLE)
    by_text = {s.text: s for s in sentences}
    first = by_text["A trial found a 52% reduction in pore size.[^1]"]
    assert first.cited and first.has_number and [c.label for c in first.citations] == ["1"]
    again = by_text["Again the first study.[^1]"]
    assert again.cited and [c.label for c in again.citations] == ["1"]
    spf = by_text["Apply SPF 50 daily."]
    assert spf.has_number and not spf.cited
    assert all(ARTICLE[s.start : s.end] == s.text for s in sentences)


# --------------------------------------------------------------------------- images


@pytest.mark.parametrize("markdown, expected", [
    ("![Before and after Pico Laser](pico.jpg)", "Before and after"),
    ("![Cheek](/media/before_after-02.jpg)", "before_after"),
    ("![Jaw](jaw.jpg \"After two sessions\")", "After"),
    ("![](pre-post-scar.png)", "pre-post"),
    ("![Results after 3 sessions](x.png)", "Results"),
])
def test_lint_flags_before_and_after_material_in_alt_text_file_names_and_captions(markdown, expected):
    findings = linter.lint("Intro.\n\n" + markdown)
    assert findings and findings[0].group == "before_after"
    assert findings[0].text == expected
    assert ("Intro.\n\n" + markdown)[findings[0].start : findings[0].end] == expected


def test_lint_flags_testimonial_images():
    assert rules_hit("![Amanda](testimonial-amanda.jpg)") == ["testimonial"]


def test_lint_leaves_ordinary_images_alone():
    assert linter.lint("![Diagram of skin layers](skin-layers.png \"Epidermis and dermis\")") == []


def test_lint_checks_image_alt_text_with_every_text_rule():
    assert rules_hit("![Our award-winning clinic](clinic.jpg)") == ["award"]


# --------------------------------------------------------------------------- rules and configuration


def test_shipped_rules_have_messages_sources_and_valid_severities():
    rules = linter.shipped_rules()
    assert {r.group for r in rules} >= {"guarantee", "superlative", "comparison", "testimonial", "before_after",
                                        "promotion", "award", "fear", "outcome_number"}
    for rule in rules:
        assert rule.severity in {"block", "warn"} and rule.message and rule.source, rule.id


def test_lint_accepts_an_explicit_rule_list():
    only_fear = [r for r in linter.shipped_rules() if r.group == "fear"]
    assert rules_hit("The best clinic. Act now!", only_fear) == ["fear"]


@override_settings(CLAIMS_RULES_DISABLED=["best", "fear"])
def test_settings_can_switch_rules_off():
    assert rules_hit("The best clinic. Act now! Guaranteed.") == ["guarantee"]


def test_settings_can_add_rules_from_another_file(tmp_path):
    extra = tmp_path / "extra.toml"
    extra.write_text(
        '[[rule]]\nid = "slimming"\nwords = ["slim"]\nseverity = "warn"\n'
        'message = "Avoid weight-loss promises."\nsource = "Clinic policy"\n',
        encoding="utf-8",
    )
    with override_settings(CLAIMS_EXTRA_RULES_FILE=str(extra)):
        findings = linter.lint("Get slimmer thighs.")
    assert [(f.rule, f.text, f.severity, f.source) for f in findings] == [
        ("slimming", "slimmer", "warn", "Clinic policy")]


@pytest.mark.parametrize("toml, error", [
    ('[[rule]]\nwords = ["x"]\nseverity = "warn"\nmessage = "m"\n', "no id"),
    ('[[rule]]\nid = "a"\nwords = ["x"]\nseverity = "fatal"\nmessage = "m"\n', "severity"),
    ('[[rule]]\nid = "a"\nwords = ["x"]\npattern = "x"\nseverity = "warn"\nmessage = "m"\n', "exactly one"),
    ('[[rule]]\nid = "a"\npattern = "(unclosed"\nseverity = "warn"\nmessage = "m"\n', "invalid regular expression"),
    ('[[rule]]\nid = "a"\nwords = ["x"]\nseverity = "warn"\n', "message"),
    ('[[rule]]\nid = "a"\nwords = ["x"]\nseverity = "warn"\nmessage = "m"\ncolour = "red"\n', "unknown field"),
    ("not toml [", "not valid TOML"),
])
def test_load_rules_explains_a_bad_rules_file(tmp_path, toml, error):
    path = tmp_path / "rules.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(linter.RuleError, match=error):
        linter.load_rules(path)


@pytest.mark.django_db
def test_admin_override_switches_a_rule_off_and_back_on():
    assert "best" in {r.id for r in linter.active_rules()}
    override = ClaimRuleOverride.objects.create(rule_id="best", enabled=False, reason="Our lawyers allow it")
    assert "best" not in {r.id for r in linter.active_rules()}
    override.enabled = True
    override.save()
    assert "best" in {r.id for r in linter.active_rules()}


@pytest.mark.django_db
@override_settings(CLAIMS_RULES_DISABLED=["fear"])
def test_admin_override_wins_over_settings():
    assert "fear" not in {r.id for r in linter.active_rules()}
    ClaimRuleOverride.objects.create(rule_id="fear", enabled=True)
    assert "fear" in {r.id for r in linter.active_rules()}


@pytest.mark.django_db
def test_admin_override_changes_a_rule_and_adds_a_new_one():
    ClaimRuleOverride.objects.create(rule_id="painless", severity="block", message="Never say painless.")
    ClaimRuleOverride.objects.create(rule_id="slimming", words="slim\nfat-burning", severity="warn",
                                     message="No weight-loss promises.", source="Clinic policy")
    rules = linter.active_rules()
    findings = linter.lint("A painless, fat-burning session for slimmer legs.", rules)
    assert [(f.rule, f.text, f.severity) for f in findings] == [
        ("painless", "painless", "block"), ("slimming", "fat-burning", "warn"), ("slimming", "slimmer", "warn")]
    assert next(f for f in findings if f.rule == "painless").message == "Never say painless."


@pytest.mark.django_db
def test_active_rules_are_cached_until_an_override_changes(django_assert_num_queries):
    linter.active_rules()
    with django_assert_num_queries(1):  # only the cheap freshness check
        linter.active_rules()
    ClaimRuleOverride.objects.create(rule_id="best", enabled=False)
    with django_assert_num_queries(2):
        assert "best" not in {r.id for r in linter.active_rules()}


@pytest.mark.django_db
def test_override_validation_explains_what_is_missing():
    with pytest.raises(ValidationError) as excinfo:
        ClaimRuleOverride(rule_id="new-rule").full_clean()
    assert set(excinfo.value.message_dict) >= {"words", "severity", "message"}
    with pytest.raises(ValidationError, match="regular expression"):
        ClaimRuleOverride(rule_id="best", pattern="(unclosed").full_clean()
    ClaimRuleOverride(rule_id="best", enabled=False).full_clean()


def test_lint_module_does_not_depend_on_the_review_app():
    source = (REPO / "claims" / "linter.py").read_text(encoding="utf-8")
    assert "review" not in {line.split()[1].split(".")[0] for line in source.splitlines()
                            if line.startswith(("import ", "from "))}


# --------------------------------------------------------------------------- the command


def run_command(*args, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command("lint_claims", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    finally:
        sys.stdin = old_stdin
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.django_db
def test_lint_claims_reads_standard_input_and_exits_1_on_a_blocking_finding():
    code, records = run_command("-", stdin="😀 We are the best clinic.")
    assert code == 1
    assert records == [{"rule": "best", "severity": "block", "text": "best", "start": 13, "end": 17,
                        "message": records[0]["message"]}]


@pytest.mark.django_db
def test_lint_claims_exits_0_when_findings_only_warn(tmp_path):
    path = tmp_path / "draft.md"
    path.write_text("The session is painless.", encoding="utf-8")
    code, records = run_command(str(path))
    assert code == 0 and [r["rule"] for r in records] == ["painless"]
    assert "file" not in records[0]


@pytest.mark.django_db
def test_lint_claims_names_the_file_when_given_several(tmp_path):
    clean, bad = tmp_path / "clean.md", tmp_path / "bad.md"
    clean.write_text("Results vary.", encoding="utf-8")
    bad.write_text("Guaranteed results.", encoding="utf-8")
    code, records = run_command(str(clean), str(bad))
    assert code == 1 and [(r["file"], r["rule"]) for r in records] == [(str(bad), "guarantee")]


@pytest.mark.django_db
def test_lint_claims_refuses_a_missing_file_with_exit_code_2(tmp_path):
    with pytest.raises(CommandError, match="no such file") as excinfo:
        run_command(str(tmp_path / "missing.md"))
    assert excinfo.value.returncode == 2


def test_lint_claims_process_exit_codes_and_output(tmp_path):
    env = {**os.environ, "DEBUG": "1", "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    command = [sys.executable, str(REPO / "manage.py"), "lint_claims"]
    blocked = subprocess.run([*command, "-"], input="Guaranteed results.", capture_output=True, text=True,
                             env=env, cwd=REPO, timeout=60)
    assert blocked.returncode == 1
    assert json.loads(blocked.stdout)["rule"] == "guarantee"
    missing = subprocess.run([*command, str(tmp_path / "nope.md")], capture_output=True, text=True, env=env,
                             cwd=REPO, timeout=60)
    assert missing.returncode == 2 and "nope.md: no such file" in missing.stderr and missing.stdout == ""


def test_claim_sentences_leave_out_headings_and_read_without_footnote_markers():
    from claims import linter

    text = ("## 5 tips to minimise open pores\n\nPico laser reduces pores by 50% [^1].\n\n"
            "Three sessions work\n---\n\n[^1]: Example et al., Journal of Skin Lasers, 2024.\n")

    found = linter.claim_sentences(text)

    assert [s.reads for s in found] == ["Pico laser reduces pores by 50%."]
    assert found[0].cited and found[0].citations[0].text == "Example et al., Journal of Skin Lasers, 2024."
