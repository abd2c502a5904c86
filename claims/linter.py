"""The claims linter: finds wording in a Markdown article that healthcare advertising rules forbid or that needs a source.

Public interface (pure functions unless noted):

- ``lint(text, rules=None) -> list[Finding]`` — every finding, in text order. Positions are
  code points (Python ``str`` indices) into ``text``. ``rules=None`` means the shipped rules
  file with the settings ``CLAIMS_RULES_DISABLED`` / ``CLAIMS_EXTRA_RULES_FILE`` applied.
- ``active_rules() -> tuple[Rule, ...]`` — the same plus the admin's ``ClaimRuleOverride``
  rows (reads the database; cached per process until an override changes).
- ``citations(text) -> list[Citation]`` — the sources an article cites (footnotes, reference
  links, inline links and bare URLs/DOIs), in order of first use, without duplicates.
- ``claim_sentences(text) -> list[ClaimSentence]`` — every sentence with a number or an
  outcome claim, and whether it cites a source in the same sentence.

Rules give exact spans, their source and `block` severity. Beside them, the sentence classifier
(claims/classifier.py) reads every sentence: where it reads a sentence as risky and no rule matched,
it adds a `warn` finding naming the family (rule id ``classifier``); where it reads a rule's match as
plainly acceptable (a harmless sense of the word), that match is dropped unless the rule says
``overrule = false``. Claims that are denied, quoted, made conditional or attributed to others as a
warning are mentions, not claims, for both; claims made through negation ("no other clinic …",
"nothing beats …") have rules of their own.

Every step is linear in the length of the text (a "sentence" longer than MAX_SEGMENT is read in
pieces), so a 200 KB body of any shape is checked in well under a second.

The rules live in ``claims/rules.toml`` (see its header for the fields).
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
import threading
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterable, NamedTuple

logger = logging.getLogger(__name__)

RULES_FILE = Path(__file__).with_name("rules.toml")
SEVERITIES = ("block", "warn")
SCOPES = ("text", "image")
KINDS = ("words", "pattern", "outcome_number")


class RuleError(ValueError):
    """A rule definition (in a rules file or an admin override) that cannot be used."""


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    text: str
    start: int
    end: int
    message: str
    source: str
    group: str = ""

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "source": self.source,
            "group": self.group,
        }


@dataclass(frozen=True)
class Citation:
    kind: str  # "footnote" | "reference" | "link" | "url" | "doi"
    label: str  # footnote or reference label, link text, or the URL/DOI itself
    url: str  # where the source can be read ("" for a footnote without a URL or DOI)
    doi: str  # the DOI when there is one ("10.xxxx/…"), else ""
    text: str  # footnote or reference definition text, or link text
    start: int  # where it is first used in the article
    end: int


@dataclass(frozen=True)
class ClaimSentence:
    text: str
    start: int
    end: int
    has_number: bool
    has_outcome: bool
    cited: bool
    citations: tuple[Citation, ...] = ()

    @property
    def reads(self) -> str:
        """The sentence as a reader reads it: without footnote markers ("[^1]"); its citations name the sources."""
        return " ".join(_FOOTNOTE_MARKER.sub("", self.text).split())


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    message: str
    source: str
    group: str = ""
    words: tuple[str, ...] = ()
    pattern: str = ""
    kind: str = "words"
    inflect: bool = True
    requires: str = ""
    unless: tuple[str, ...] = ()
    negatable: bool = True
    scope: str = "text"
    filenames: bool = False
    overrule: bool = True  # whether the classifier may drop a match it reads as plainly acceptable

    @classmethod
    def from_dict(cls, data: dict, *, origin: str = "rules file") -> Rule:
        """Build and validate a rule from a TOML table or an admin override."""
        rule_id = str(data.get("id") or "").strip()
        if not rule_id:
            raise RuleError(f"{origin}: a rule has no id.")
        where = f"{origin}: rule {rule_id!r}"
        unknown = set(data) - {f for f in cls.__dataclass_fields__} - {"id"}
        if unknown:
            raise RuleError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}.")
        words = data.get("words") or ()
        if isinstance(words, str):
            words = [w for w in re.split(r"[\n,]", words)]
        words = tuple(w.strip() for w in words if w and w.strip())
        pattern = (data.get("pattern") or "").strip()
        kind = data.get("kind") or ("pattern" if pattern else "words")
        if kind not in KINDS:
            raise RuleError(f"{where}: kind must be one of {', '.join(KINDS)}.")
        if kind != "outcome_number" and bool(words) == bool(pattern):
            raise RuleError(f"{where}: give either words or pattern (exactly one).")
        severity = (data.get("severity") or "").strip()
        if severity not in SEVERITIES:
            raise RuleError(f"{where}: severity must be \"block\" or \"warn\".")
        scope = data.get("scope") or "text"
        if scope not in SCOPES:
            raise RuleError(f"{where}: scope must be \"text\" or \"image\".")
        message = (data.get("message") or "").strip()
        if not message:
            raise RuleError(f"{where}: a message to the writer is required.")
        unless = data.get("unless") or ()
        if isinstance(unless, str):
            unless = (unless,)
        rule = cls(
            id=rule_id,
            severity=severity,
            message=message,
            source=(data.get("source") or "").strip(),
            group=(data.get("group") or rule_id).strip(),
            words=words,
            pattern=pattern,
            kind="pattern" if kind == "words" and pattern else kind,
            inflect=bool(data.get("inflect", True)),
            requires=(data.get("requires") or "").strip(),
            unless=tuple(unless),
            negatable=bool(data.get("negatable", True)),
            scope=scope,
            filenames=bool(data.get("filenames", False)),
            overrule=bool(data.get("overrule", True)),
        )
        try:  # compile now so a bad expression is reported where it was written
            rule.regex, rule.requires_regex, rule.unless_regexes
        except re.error as exc:
            raise RuleError(f"{where}: invalid regular expression ({exc}).") from exc
        return rule

    def replace(self, **changes) -> Rule:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data.update(changes)
        return Rule.from_dict(data, origin="override")

    @cached_property
    def regex(self) -> re.Pattern | None:
        if self.kind == "outcome_number":
            return None
        if self.pattern:
            return _compile_folded(expand_fragments(self.pattern))
        alternatives = sorted((_phrase_regex(w, self.inflect) for w in self.words), key=len, reverse=True)
        return _compile_folded(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")

    @cached_property
    def requires_regex(self) -> re.Pattern | None:
        return _compile_folded(self.requires) if self.requires else None

    @cached_property
    def unless_regexes(self) -> tuple[re.Pattern, ...]:
        return tuple(_compile_folded(u) for u in self.unless)


# --------------------------------------------------------------------------- word matching

# Named pieces a rule's pattern may use as @name@ (a rules file or an admin override alike).
MONEY = (
    r"(?:(?:[$£€¥₹₩฿]|S\$|US\$|HK\$|A\$|NZ\$|C\$|RM|Rp|SGD|USD|GBP|EUR|MYR|INR|HKD|AUD|JPY|CNY|RMB|THB|IDR|PHP|₱)"
    r"\s?\d[\d,]*(?:\.\d+)?(?:\s?[km]\b)?"
    r"|\b\d[\d,]*(?:\.\d+)?\s?(?:dollars?|bucks|pounds?|quid|euros?|ringgit|yen|yuan|rupees?|baht|won|pesos?|rupiah)\b)"
)
NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty"
    r"|seventy|eighty|ninety|a\s+hundred|hundred|a\s+dozen|dozens?|a\s+few|several)"
)
FRAGMENTS = {"money": MONEY, "number_word": NUMBER_WORD}


def _compile_folded(pattern: str) -> re.Pattern:
    """A rule's pattern, matched case-insensitively against lower-cased text (`fold`).

    Python's re.IGNORECASE makes these long alternations about ten times slower; lower-casing the
    pattern's letters (never an escape such as \\S or \\B) and the text once gives the same matches.
    """
    re.compile(pattern, re.IGNORECASE)  # report a bad expression as written
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        out.append(pattern[i].lower())
        i += 1
    folded = "".join(out)
    return re.compile(_share_word_boundaries(folded))


def _share_word_boundaries(pattern: str) -> str:
    r"""The same expression with each run of top-level alternatives that start with \b written as \b(?:…|…).

    `\bA|\bB|\bC` and `\b(?:A|B|C)` match the same text in the same order, but the regular expression
    engine tries every alternative at every position of the text: with the boundary shared, a position
    inside a word is refused once instead of once per alternative (the promotion rules have thirty).
    """
    if "(?x" in pattern or "(?#" in pattern:  # verbose mode and comments: leave as written
        return pattern
    out: list[str] = []
    run: list[str] = []

    def close_run():
        if len(run) > 1:
            out.append("\\b(?:" + "|".join(run) + ")")
        elif run:
            out.append("\\b" + run[0])
        run.clear()

    for alternative in _top_level_alternatives(pattern):
        if alternative.startswith("\\b") and alternative != "\\b":
            run.append(alternative[2:])
        else:
            close_run()
            out.append(alternative)
    close_run()
    shared = "|".join(out)
    try:
        re.compile(shared)
    except re.error:
        return pattern
    return shared


def _top_level_alternatives(pattern: str) -> list[str]:
    """A pattern cut at each `|` outside groups and character classes."""
    parts, depth, start, i, n = [], 0, 0, 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":  # a class: skip to its closing bracket (a ] first in the class is literal)
            i += 1
            if i < n and pattern[i] == "^":
                i += 1
            if i < n and pattern[i] == "]":
                i += 1
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def fold(text: str) -> str:
    """Lower case with every position kept (a character whose lower case is longer stays as it is)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def expand_fragments(pattern: str) -> str:
    return re.sub(r"@(\w+)@", lambda m: FRAGMENTS.get(m.group(1), m.group()), pattern)

_SPACE_SEP = r"[\s\-\u2010\u2011]+"
_HYPHEN_SEP = r"[\s\-\u2010\u2011]?"


def _inflect(word: str) -> str:
    """A regex for a word and its regular inflections (cure → cures, cured, curing)."""
    w = re.escape(word.lower())
    if not word.isalpha():
        return w
    if word.endswith("ee"):
        return w + r"(?:s|d|ing)?"
    if word.endswith("e"):
        return w[:-1] + r"(?:e|es|ed|ing|er|ers)"
    if len(word) > 2 and word.endswith("y") and word[-2] not in "aeiou":
        return w[:-1] + r"(?:y|ies|ied|ying)"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return w + r"(?:es|ed|ing)?"
    if re.search(r"(?:^|[^aeiou])[aeiou][bdgklmnprt]$", word):  # slim → slimmer, top → topped
        return w + r"(?:s|ed|ing|er|ers|" + re.escape(word[-1]) + r"(?:ed|ing|er|ers|est))?"
    return w + r"(?:s|es|ed|ing|er|ers)?"


def _phrase_regex(phrase: str, inflect: bool) -> str:
    """Words of a phrase in order; a space or hyphen between them matches either; the last word inflects."""
    parts = re.split(r"(\s+|-)", phrase.strip().lower())
    tokens = parts[0::2]
    seps = parts[1::2]
    out = []
    for i, token in enumerate(tokens):
        is_last = i == len(tokens) - 1
        rx = _inflect(token) if inflect and is_last else re.escape(token)
        out.append(rx.replace("'", "['\u2019]").replace("\\'", "['\u2019]"))
        if not is_last:
            out.append(_HYPHEN_SEP if seps[i] == "-" else _SPACE_SEP)
    return "".join(out)


# --------------------------------------------------------------------------- Markdown → prose view

# Patterns are written so that no position is scanned more than a bounded number of times: runs are
# possessive (`++`), a bracket's text stops at the next bracket, titles are bounded. The shapes in
# claims/shapes.py (a body of backticks, of "[", of "![" …) took minutes with the earlier patterns.
_FENCE = re.compile(r"^ {0,3}(`{3,}+|~{3,}+)[^\n]*+\n.*?(?:^ {0,3}\1[^\n]*$|\Z)", re.M | re.S)
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_DEFINITION = re.compile(r"^ {0,3}\[(\^?)([^\]\n]+)\]:[ \t]*([^\n]*(?:\n(?:[ ]{2,}|\t)[^\n]*)*)", re.M)
_IMAGE = re.compile(
    r"!\[(?P<alt>[^\[\]\n]*)\]"
    r"(?:\(\s*<?(?P<src>[^\s)>]*)>?(?:\s+(?P<q>[\"'(])(?P<title>[^\n]{0,500}?)[\"')])?\s*\)|\[[^\[\]\n]*\])"
)
_INLINE_LINK = re.compile(
    r"(?<!!)\[(?P<text>[^\[\]\n]*)\]\((?P<dest>[^()\s\n]*+(?:\([^()\s\n]*+\)[^()\s\n]*+)*+)"
    r"(?:\s+[\"'(][^\n]{0,500}?[\"')])?\s*\)"
)
_REF_LINK = re.compile(r"(?<!!)\[(?P<text>[^\[\]\^\n][^\[\]\n]*)\]\[(?P<ref>[^\[\]\n]*)\]")
_FOOTNOTE_MARKER = re.compile(r"[ \t]*\[\^[^\[\]\s]+\](?!:)")  # a footnote reference and the space before it
_ATX_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)", re.M)
_SETEXT_UNDERLINE = re.compile(r"\n {0,3}(?:=+|-+)[ \t]*(?:\n|$)")
_FOOTNOTE_REF = re.compile(r"\[\^(?P<id>[^\[\]\s]+)\](?!:)")
_AUTOLINK = re.compile(r"<(?:https?://|mailto:|doi:)[^<>\s]*>", re.I)
_BARE_URL = re.compile(r"\bhttps?://[^\s<>\"'\[\]]+[^\s<>\"'\[\].,;:!?)]", re.I)
_BARE_DOI = re.compile(r"\b(?:doi:\s*)?(10\.\d{4,9}/[^\s\"<>\[\]]+[^\s\"<>\[\].,;:!?)])", re.I)
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_INLINE_CODE = re.compile(r"(?<!`)`++[^`\n]++`+")
_EMPHASIS = re.compile(r"(?<!\w)[*_]+|[*_]+(?!\w)|~~")
_LINE_MARKUP = re.compile(r"^ {0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+(?:\[[ xX]\][ \t]+)?|\d{1,9}[.)][ \t]+)", re.M)
_BLOCK_START = re.compile(r"^ {0,3}(?:#{1,6}\s|>|[-*+]\s|\d{1,9}[.)]\s|\||!\[|```|~~~)")
_HEADING = re.compile(r"^ {0,3}#{1,6}\s")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)\s*$")

_SENTENCE_END = re.compile(r"[.!?]++[\"'\u201d\u2019)\]*_]*+(?:\[\^[^\[\]\s]+\])*+(?=\s|$)")
_ABBREVIATIONS = {
    "dr", "drs", "prof", "mr", "mrs", "ms", "st", "no", "nos", "vs", "e.g", "i.e", "eg", "ie", "etc", "al",
    "approx", "fig", "figs", "ca", "cf", "mt", "jr", "sr", "inc", "ltd", "co", "assoc", "dept", "vol", "p", "pp",
}


@dataclass
class _Segment:
    """A stretch of the article to lint: a sentence, an image's alt text, caption or file name."""

    start: int
    end: int
    text: str  # what rules see; same length as the original stretch, positions line up
    kind: str  # "sentence" | "alt" | "title" | "filename"


@dataclass
class _Document:
    original: str
    prose: str  # the article with markup blanked to spaces; same length as original
    sentences: list[tuple[int, int]]
    image_parts: list[_Segment] = field(default_factory=list)
    definitions: dict[str, tuple[str, str]] = field(default_factory=dict)  # "^1" or "ref" -> (body, whole)
    definition_spans: list[tuple[int, int]] = field(default_factory=list)
    image_spans: list[tuple[int, int]] = field(default_factory=list)


def _blank(chars: list[str], start: int, end: int) -> None:
    chars[start:end] = ["\n" if c == "\n" else " " for c in chars[start:end]]


def _prepare(text: str) -> _Document:
    chars = list(text)

    def current() -> str:
        return "".join(chars)

    for m in _FENCE.finditer(text):
        _blank(chars, m.start(), m.end())
    for m in _HTML_COMMENT.finditer(current()):
        _blank(chars, m.start(), m.end())
    definitions: dict[str, tuple[str, str]] = {}
    definition_spans: list[tuple[int, int]] = []
    for m in _DEFINITION.finditer(current()):
        key = (m.group(1) + m.group(2)).strip().lower()
        definitions.setdefault(key, (text[m.start(3) : m.end(3)].strip(), text[m.start() : m.end()]))
        definition_spans.append(m.span())
        _blank(chars, m.start(), m.end())
    image_parts: list[_Segment] = []
    image_spans: list[tuple[int, int]] = []
    for m in _IMAGE.finditer(current()):
        image_spans.append(m.span())
        alt_start, alt_end = m.span("alt")
        if alt_end > alt_start:
            image_parts.append(_Segment(alt_start, alt_end, text[alt_start:alt_end], "alt"))
        if m.group("title"):
            t0, t1 = m.span("title")
            image_parts.append(_Segment(t0, t1, text[t0:t1], "title"))
        if m.group("src"):
            s0, s1 = m.span("src")
            path = text[s0:s1].split("?", 1)[0].split("#", 1)[0]
            name_start = s0 + path.rfind("/") + 1
            name_end = s0 + len(path)
            name = text[name_start:name_end]
            # File names separate words with - _ . + and %20; read them as spaces.
            readable = re.sub(r"%20|[-_.+]", lambda x: " " * len(x.group()), name)
            image_parts.append(_Segment(name_start, name_end, readable, "filename"))
        _blank(chars, m.start(), m.end())
    prose = current()
    for m in _INLINE_LINK.finditer(prose):
        _blank(chars, m.start(), m.start() + 1)
        _blank(chars, m.end("text"), m.end())
    prose = current()
    for m in _REF_LINK.finditer(prose):
        _blank(chars, m.start(), m.start() + 1)
        _blank(chars, m.end("text"), m.end())
    for rx in (_AUTOLINK, _BARE_URL, _BARE_DOI, _HTML_TAG, _INLINE_CODE, _EMPHASIS, _LINE_MARKUP):
        for m in rx.finditer(current()):
            _blank(chars, m.start(), m.end())
    prose = current()
    return _Document(text, prose, _split_sentences(text, prose), image_parts, definitions, definition_spans,
                     image_spans)


def _blocks(original: str) -> Iterable[tuple[int, int]]:
    """Paragraphs, headings, list items, quotes and table rows, as (start, end)."""
    start = None
    pos = 0
    prev_heading = False
    for line in original.splitlines(keepends=True):
        stripped = line.strip()
        new_block = not stripped or prev_heading or _BLOCK_START.match(line) or _SETEXT.match(line)
        if new_block and start is not None:
            yield start, pos
            start = None
        if stripped and not _SETEXT.match(line):
            if start is None:
                start = pos
        prev_heading = bool(_HEADING.match(line)) or (stripped.startswith("|"))
        pos += len(line)
    if start is not None:
        yield start, pos


def _split_sentences(original: str, prose: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for block_start, block_end in _blocks(original):
        cursor = block_start
        for m in _SENTENCE_END.finditer(prose, block_start, block_end):
            if _is_abbreviation(prose, block_start, m):
                continue
            spans.append((cursor, m.end()))
            cursor = m.end()
        spans.append((cursor, block_end))
    result = []
    for s, e in spans:
        chunk = prose[s:e]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk) - len(chunk.rstrip())
        if e - trail > s + lead:
            result.append((s + lead, e - trail))
    return result


def _is_abbreviation(prose: str, block_start: int, m: re.Match) -> bool:
    if m.group() != ".":
        return False
    before = prose[max(block_start, m.start() - 12) : m.start()]
    word = re.search(r"([\w.]+)$", before)
    if not word:
        return False
    token = word.group(1).lower()
    if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha() and word.group(1).isupper()):
        return True
    return False


# --------------------------------------------------------------------------- negation and context

_NEGATORS = {
    "no", "not", "never", "cannot", "cant", "nor", "neither", "without", "none", "nothing", "nobody",
    "hardly", "rarely", "seldom", "unlikely", "unable", "impossible",
}
_PSEUDO_NEGATIONS = {("no", "doubt"), ("no", "wonder"), ("not", "only"), ("not", "just"), ("no", "question"),
                     ("no", "matter"), ("nothing", "but"), ("nothing", "beats"), ("no", "more")}
_CLAUSE_INITIAL = {"no", "nothing", "nobody", "none", "never", "neither"}
_CLAUSE_BREAK = re.compile(
    r"[,;:()\[\]\"\u201c\u201d\u2014\u2013!?]|\s-\s|\b(?:but|however|yet|although|though|while|whereas|because|so|except|unless)\b",
    re.I,
)
_TOKEN = re.compile(r"[\w'\u2019]+")
# "Permanent results are not possible", "… cannot be guaranteed": the claim is denied after it.
_POST_NEGATION = re.compile(
    r"^(?:\s+(?!and\b|or\b|but\b)[\w'\u2019]+){0,2}?\s+(?:(?:is|are|was|were)\s+(?:not|never)|isn['\u2019]?t|aren['\u2019]?t"
    r"|wasn['\u2019]?t|weren['\u2019]?t|(?:cannot|can['\u2019]?t|can\s+not|won['\u2019]?t|will\s+not)\s+be\s+"
    r"(?:guaranteed|promised|assured|achieved|expected))\b",
    re.I,
)
# How far before a match its clause is read for a negation (a clause is rarely longer).
NEGATION_WINDOW = 160

# A sentence that talks about such claims, rather than making one: a warning, doubt, or the rules themselves.
_DOUBT = re.compile(
    r"\b(?:wary|beware|sceptical|skeptical|cautious|caution|careful|misleading|red\s+flags?|unrealistic|exaggerated"
    r"|too\s+good\s+to\s+be\s+true|false\s+claims?|claims?\s+(?:of|that|like|such)|so-called"
    r"|not\s+(?:allowed|permitted)|forbid\w*|prohibit\w*|banned|(?:do|does|did)\s+not\s+allow|don['\u2019]t\s+allow"
    r"|may\s+not\s+(?:publish|show|advertise|use|claim|describe|call|compare|offer|reproduce|promise)"
    r"|ask\s+(?:them\s+)?(?:for\s+the\s+evidence|what|where|who|how|for\s+evidence|to\s+explain))\b",
    re.I,
)
# The claim belongs to someone else and the sentence reports or questions it.
_ATTRIBUTED = re.compile(
    r"\b(?:if|when|whenever|should)\s+(?:a|an|any|another|the|some|your|someone|anyone|somebody|anybody|they)?\s*"
    r"(?:\w+\s+)?(?:clinics?|providers?|doctors?|practitioners?|websites?|sites?|adverts?|advertisements?|ads?"
    r"|salons?|sellers?|brands?|products?|influencers?|someone|anyone|somebody|anybody|company|companies|pages?"
    r"|posts?|reviews?|people)\b"
    r"|\b(?:some|many|other|these|such)\s+(?:\w+\s+)?(?:clinics?|providers?|websites?|adverts?|advertisements?|ads"
    r"|salons?|brands?|sellers?|influencers?|products?|marketers?)\s+(?:claim|say|promise|advertise|describe|call"
    r"|suggest|boast|offer|tell)\w*\b"
    r"|\b(?:advertisements?|adverts?|ads|claims|promises|websites|clinics|products)\s+(?:that|which)\s+"
    r"(?:promise|claim|say|describe|call|offer|show|boast|suggest|guarantee)\w*\b",
    re.I,
)
_NEUTRAL_QUESTION = re.compile(
    r"^\W*(?:is|are|was|were|does|do|did|can|could|will|would|should|how|what|which|who|when|where)\b", re.I
)


def _is_negator(token: str) -> bool:
    return token in _NEGATORS or token.endswith("n't")


# Every word _negated treats as a denial contains one of these (in lower case; no two occurrences overlap).
_NEGATION_HINT = re.compile(r"no|ne|n['\u2019]?t|without|hardly|rarely|seldom|unlikely|unable|impossible")


class _Matches:
    """Every match in one sentence, indexed so that each match's negation check reads only its neighbours."""

    def __init__(self, sentence: str, folded: str, spans: Iterable[tuple[int, int]]):
        self.sentence = sentence
        self.spans = sorted(set(spans))
        self.starts = [s for s, _ in self.spans]
        self.longest = max((e - s for s, e in self.spans), default=0)
        # Where a denial could start, and the earliest end of a match that covers it whole: a match that
        # ends before a later match starts is blanked when that later match is checked (see negated).
        self.hints = [m.span() for m in _NEGATION_HINT.finditer(folded)]
        self.hint_starts = [h for h, _ in self.hints]
        self.hint_covered_by = [
            min((e for s, e in self.neighbours(h_end, h_start + 1) if s <= h_start and h_end <= e), default=None)
            for h_start, h_end in self.hints
        ]

    def neighbours(self, window_start: int, before: int) -> list[tuple[int, int]]:
        """Matches that start before `before` and may end after `window_start`."""
        starts = self.starts
        return self.spans[bisect.bisect_left(starts, window_start - self.longest) : bisect.bisect_left(starts, before)]

    def may_deny(self, window_start: int, start: int) -> bool:
        """Whether the text before a match, once earlier matches are blanked, can hold a denial at all."""
        first = bisect.bisect_left(self.hint_starts, window_start)
        for i in range(first, bisect.bisect_left(self.hint_starts, start)):
            covered_by = self.hint_covered_by[i]
            if self.hints[i][1] <= start and (covered_by is None or covered_by > start):
                return True
        return False

    def negated(self, start: int, end: int) -> bool:
        """Whether the words before (or right after) a match, in the same clause, deny it."""
        sentence = self.sentence
        after = sentence[end : end + NEGATION_WINDOW]
        window_start = max(0, start - NEGATION_WINDOW)
        if self.may_deny(window_start, start):
            # "no side effects and no downtime": the first "no" is part of a claim. Other matches that end
            # inside the window (one ending after this match's start is not "before" it) are blanked.
            pieces, pos = [], window_start
            for s, e in self.neighbours(window_start, start):
                if window_start < e <= start and e > pos:
                    s = max(s, pos)
                    pieces += (sentence[pos:s], " " * (e - s))
                    pos = e
            pieces.append(sentence[pos:start])
            prefix_text = "".join(pieces)
            breaks = list(_CLAUSE_BREAK.finditer(prefix_text))
            clause = prefix_text[breaks[-1].end() :] if breaks else prefix_text
            tokens = [t.lower().replace("\u2019", "'") for t in _TOKEN.findall(clause)]
            if tokens and tokens[0] in _CLAUSE_INITIAL and tuple(tokens[:2]) not in _PSEUDO_NEGATIONS:
                return True
            window = tokens[-6:]
            for i, token in enumerate(window):
                if _is_negator(token) and (token, window[i + 1] if i + 1 < len(window) else "") not in _PSEUDO_NEGATIONS:
                    return True
        # "Permanent results are not possible": anchored at the match's end, so one quick try decides most.
        if not _POST_NEGATION.search(after):
            return False
        brk = _CLAUSE_BREAK.search(after)
        return bool(_POST_NEGATION.search(after[: brk.start()] if brk else after))


def _is_neutral_question(sentence: str) -> bool:
    return sentence.rstrip(" \"'\u201d\u2019*_").endswith("?") and bool(_NEUTRAL_QUESTION.match(sentence))


def mentions_rather_than_claims(sentence: str) -> bool:
    """Whether a sentence reports, questions, forbids or warns about a claim instead of making it."""
    return bool(_DOUBT.search(sentence) or _ATTRIBUTED.search(sentence)) or _is_neutral_question(sentence)


# --------------------------------------------------------------------------- outcome numbers and citations

_WORD_PERCENT = (
    r"(?:ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven"
    r"|eight|nine))?"
)
_PERCENT = re.compile(
    rf"(?<![\w.])(\d{{1,3}}(?:\.\d+)?|{_WORD_PERCENT})\s?(?:%|per\s?cent\b|percent\b)", re.I
)
_FRACTION = r"(?:half|a\s+half|one\s+half|a\s+third|one\s+third|two[\s-]thirds|a\s+quarter|one\s+quarter|three[\s-]quarters)"
_MULTIPLIER = re.compile(
    r"(?:\b\d+(?:\.\d+)?\s?(?:x|\u00d7|times|-fold|fold)|\b(?:two|three|four|five|six|seven|eight|nine|ten)[\s-]*(?:times|fold)"
    r"|\b(?:twice|thrice|double|triple))\s+(?:more|less|fewer|faster|better|greater|higher|lower|stronger|longer)\b"
    r"|\b(?:twice|thrice)\s+as\b"
    # The verb, not the adjective or noun of "a double chin", "double-blind", "two halves of the face",
    # "doubles as a …": its -s, -ed and -ing forms, "halves" before an object, the base form after a modal.
    r"|\b(?:doubles|doubled|doubling|triples|tripled|tripling|quadruples|quadrupled|quadrupling|halved|halving)\b"
    r"(?!\s+as\b|[\-\u2010\u2011])"
    r"|\bhalves(?=\s+(?!of\b|and\b|or\b)[a-z])"
    r"|\b(?:can|could|will|would|may|might|to|helps?|helped)\s+(?:\w+\s+)?(?:double|triple|quadruple|halve)"
    r"(?=\s+(?!as\b)[a-z])"
    r"|\b(?:two|three|four|five|ten)fold\b|\b\d+-fold\b"
    rf"|\bby\s+(?:up\s+to\s+|almost\s+|nearly\s+|over\s+|more\s+than\s+)?{_FRACTION}\b",
    re.I,
)
_NUMBER_WORD = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
_PROPORTION = re.compile(
    rf"\b{_NUMBER_WORD}\s+(?:out\s+of|in)\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten|a\s+hundred|hundred)\b"
    rf"|\b{_FRACTION}\s+of\s+(?:our\s+|the\s+|all\s+)?(?:patients|people|clients|customers|users|women|men|those)\b",
    re.I,
)
_EFFECT_AFTER = re.compile(
    r"^\s*(?:reduction|improvement|increase|decrease|drop|rise|boost|more|less|fewer|smaller|larger|lighter|better|faster"
    r"|higher|lower|firmer|smoother|clearer|brighter|tighter|thicker|success|satisfaction|clearance|improved|reduced"
    r"|increased|effective|efficacy|response|lift|gain|growth|regrowth)\b",
    re.I,
)
_EFFECT_BEFORE = re.compile(
    r"\b(?:by|reduc\w*|improv\w*|increas\w*|boost\w*|cuts?|lower\w*|remov\w*|eliminat\w*|blocks?|heal\w*|destroy\w*"
    r"|kills?|clear\w*|lift\w*|raise\w*|fade\w*|drops?|falls?)\b(?:\s+\w+){0,2}\s*$",
    re.I,
)
_OUTCOME_WORDS = re.compile(
    r"\b(?:saw|see|seen|sees|notic\w+|reported|reports?|improv\w*|satisf\w*|recommend\w*|clear(?:er|ed)?|firmer|smoother"
    r"|results?|reduc\w*|fewer|less|better|success\w*|effective\w*|respond\w*|regrowth|benefit\w*|healed|happier|smaller"
    r"|lighter|blocks?|remov\w*|cured?|recover\w*|responded|stopped|lost|los[et]|whiter|younger|brighter|slimmer"
    r"|stay\w*|fade\w*|difference|change\w*)\b",
    re.I,
)
_OUTCOME_CLAIM = re.compile(
    r"\b(?:stimulat|boost|improv|reduc|increas|tighten|lift|firm|brighten|lighten|fad|clear|heal|repair|regenerat"
    r"|rejuvenat|restor|prevent|treat|remov|eliminat|minimi[sz]|shrink|smooth|plump|hydrat|protect|promot|cur|erase"
    r"|effective|result|proven|clinically|stud|research|evidence|collagen)\w*",
    re.I,
)
# A source named in the sentence, in any style a clinic uses: footnotes ([^1], ¹), numbered
# references ([2], [3, 4], (ref. 3)), author–year ((Lee et al., 2020), [Chan 2021]), reference
# links, links to a URL or DOI, a DOI, PubMed and PMC identifiers.
_CITATION_IN_SENTENCE = re.compile(
    r"\[\^[^\[\]\s]+\](?!:)"  # footnote
    r"|[\u00b9\u00b2\u00b3\u2070-\u2079]+(?!\w)"  # superscript footnote numbers
    r"|\[\d{1,3}(?:\s*[,\u2013-]\s*\d{1,3})*\](?![(:\[])"  # numbered reference
    r"|\(\s*(?:see\s+)?(?:refs?\.?|references?|sources?)\s*:?\s*\d{1,3}\w?\s*\)"
    r"|[(\[][^()\[\]\n]{0,80}?\b(?:et\s+al\.?|[A-Z][\w'\u2019-]+(?:\s*(?:&|and)\s*[A-Z][\w'\u2019-]+)?),?\s+(?:19|20)\d{2}[a-z]?\b[^()\[\]\n]{0,80}[)\]]"
    r"|(?<!!)\[[^\[\]\^\n][^\[\]\n]*\]\[[^\[\]\n]*\]"  # reference link
    r"|(?<!!)\[[^\[\]\n]*\]\(\s*<?(?:https?://|doi:|10\.\d{4,9}/)"  # inline link to a URL or DOI
    r"|\bdoi:\s*10\.\d{4,9}/|\b10\.\d{4,9}/\S|\bhttps?://|\bPMID:?\s*\d{5,9}\b|\bPMC\d{5,9}\b",
    re.I,
)
_MEASURE = re.compile(
    rf"\b(?:\d+(?:\.\d+)?|{NUMBER_WORD})\s?(?:kg|kilos?|kilograms?|lbs?|pounds|cm|centimet(?:re|er)s?|mm|millimet(?:re|er)s?"
    r"|inch(?:es)?|shades?|(?:dress\s+)?sizes?|years?\s+younger|notches)(?!\w)",
    re.I,
)
_MEASURED_EFFECT = re.compile(
    r"\b(?:los[et]|lost|losing|drop\w*|shed\w*|whiter|brighter|younger|slimmer|smaller|gain\w*|trimm\w*|lifts?|lifted"
    r"|remov\w*|off\s+(?:your|the))\b", re.I)




@functools.cache
def _quantity_gates() -> tuple[re.Pattern, re.Pattern]:
    """Every span of _outcome_number_spans is a match of one of four patterns: one search for any of them.

    The first form reads ASCII text in lower case without re.IGNORECASE (which makes it several times
    slower); other text is read by the second, case-insensitive form, as the four patterns read it.
    """
    patterns = [rx.pattern for rx in (_PERCENT, _MULTIPLIER, _PROPORTION, _MEASURE)]
    return union_gate([_compile_folded(p).pattern for p in patterns]), union_gate(patterns, re.I)


def _has_quantity(sentence: str) -> bool:
    folded_gate, gate = _quantity_gates()
    if sentence.isascii():
        return folded_gate.search(sentence.lower()) is not None
    return gate.search(sentence) is not None


def _outcome_number_spans(sentence: str) -> list[tuple[int, int]]:
    """Quantified effects or shares of people with an outcome, as spans within the sentence."""
    if not _has_quantity(sentence):
        return []
    spans = []
    has_outcome_words = bool(_OUTCOME_WORDS.search(sentence))
    for m in _PERCENT.finditer(sentence):
        if m.group(1).isdigit() and float(m.group(1)) == 100:  # an absolute: the guarantee rules deal with it
            continue
        after = sentence[m.end() : m.end() + 40]
        if re.match(r"\s*(?:off|discount)\b", after, re.I):
            continue
        if _EFFECT_AFTER.match(after) or _EFFECT_BEFORE.search(sentence[max(0, m.start() - 40) : m.start()]):
            spans.append(m.span())
        elif re.match(r"\s*(?:of|success|satisfaction)\b", after, re.I) and has_outcome_words:
            spans.append(m.span())
    spans += [m.span() for m in _MULTIPLIER.finditer(sentence)]
    if has_outcome_words:
        spans += [m.span() for m in _PROPORTION.finditer(sentence)]
    if _MEASURED_EFFECT.search(sentence):  # "lose 8 kg", "8 shades whiter"
        spans += [m.span() for m in _MEASURE.finditer(sentence)]
    return sorted(set(spans))


def _cites(original_sentence: str) -> bool:
    return bool(_CITATION_IN_SENTENCE.search(original_sentence))


# --------------------------------------------------------------------------- the linter

# A "sentence" longer than this (no full stop for pages) is read in pieces of about this size,
# cut at a space, so that no rule or negation check ever looks at more than a bounded stretch.
MAX_SEGMENT = 600
# How sure the classifier must be: a sentence no rule matched is flagged above FLAG_MARGIN; a rule's
# match is dropped as a harmless sense below -OVERRULE_MARGIN (margins of the linear SVM; chosen by
# cross-validation on the corpus's training part, by frame, never on its held-out part).
FLAG_MARGIN = 0.9
OVERRULE_MARGIN = 1.5
CLASSIFIER_RULE = "classifier"
CLASSIFIER_MIN_WORDS = 6
# Segments up to this long are first searched for all rules at once (see _segment_matches).
GATE_MAX_CHARS = 120


def lint(text: str, rules: Iterable[Rule] | None = None, *, reader=None) -> list[Finding]:
    """Every finding in a Markdown article, in order of position (code points into `text`).

    `reader` reads sentences for the classifier (claims.classifier.scores by default, when the
    setting CLAIMS_CLASSIFIER is on); `reader=False` runs the rules alone.

    Rules run first; the classifier then reads, in one batch and once per distinct text, only the
    sentences whose outcome its reading can change: those with a match it may overrule, and those
    with no match that are long enough for a finding of its own.
    """
    rules = tuple(configured_rules() if rules is None else rules)
    if reader is None:
        reader = _default_reader()
    doc = _prepare(text)
    sentence_rules = tuple(r for r in rules if r.scope == "text")
    gate = _any_rule_gate(sentence_rules)
    segments = [_Segment(s, e, doc.prose[s:e], "sentence") for start, end in doc.sentences
                for s, e in _pieces(doc.prose, start, end)]
    matches = [_segment_matches(segment, sentence_rules, original=text, gate=gate) for segment in segments]
    wanted = [i for i, (segment, kept) in enumerate(zip(segments, matches))
              if reader and (_overrulable(kept) if kept else _may_read_as_risky(segment))]
    distinct = list(dict.fromkeys(segments[i].text for i in wanted))
    reading_of = dict(zip(distinct, reader(distinct))) if distinct else {}
    findings: list[Finding] = []
    for segment, kept in zip(segments, matches):
        reading = reading_of.get(segment.text)
        if kept:
            findings += _findings(segment, kept, original=text, reading=reading)
        elif reading is not None:
            findings += _classifier_finding(segment, reading, original=text)
    # The rules for a picture's file name, and for its alt text or caption: chosen once, not per picture.
    for_pictures = [r for r in rules if r.kind != "outcome_number"]
    for_filenames = [r for r in for_pictures if r.scope == "image" or r.filenames]
    for part in doc.image_parts:
        findings += _lint_segment(part, for_filenames if part.kind == "filename" else for_pictures, original=text)
    return _deduplicate(findings)


def classifier_enabled() -> bool:
    """Whether the classifier reads sentences (the setting CLAIMS_CLASSIFIER, on by default)."""
    try:
        from django.conf import settings

        return bool(getattr(settings, "CLAIMS_CLASSIFIER", True))
    except Exception:  # used outside a configured Django project
        return True


def _default_reader():
    if not classifier_enabled():
        return False
    from claims import classifier

    return classifier.scores


def _pieces(prose: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence as one piece, or cut at spaces into pieces of at most about MAX_SEGMENT characters."""
    if end - start <= MAX_SEGMENT:
        return [(start, end)]
    pieces = []
    while end - start > MAX_SEGMENT:
        cut = prose.rfind(" ", start + MAX_SEGMENT // 2, start + MAX_SEGMENT)
        cut = cut if cut > start else start + MAX_SEGMENT
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _lint_segment(segment: _Segment, rules: list[Rule], *, original: str, reading=None) -> list[Finding]:
    kept = _segment_matches(segment, rules, original=original)
    return _findings(segment, kept, original=original, reading=reading) if kept else []


def _segment_matches(segment: _Segment, rules, *, original: str, gate: _Gate | None = None) -> list:
    """The rules' matches in one segment, as (rule, start, end) within it, less those denied or mentioned.

    `gate` (see _any_rule_gate) is one search for every rule it covers at once: a segment where it finds
    nothing is not searched rule by rule, which matters when a body is thousands of one-word lines.
    """
    sentence = segment.text
    folded = fold(sentence)
    # One search for all rules saves a call per rule; on a long segment the rules' own searches cost about
    # what the combined one does, so it would only add to them.
    gated = gate is not None and len(folded) <= GATE_MAX_CHARS and gate.regex.search(folded) is None
    skipped = gate.covers if gated else frozenset()
    raw: list[tuple[Rule, int, int]] = []
    for rule in rules:
        if rule.kind == "outcome_number":
            if segment.kind == "sentence":
                spans = _outcome_number_spans(sentence)
                if spans and not _cites(original[segment.start : segment.end]):
                    raw += [(rule, s, e) for s, e in spans]
            continue
        if rule.id in skipped:
            continue
        # In an image's alt text, caption or file name, the picture itself is part of the context.
        context = folded if segment.kind == "sentence" else folded + " image"
        if rule.requires_regex and not rule.requires_regex.search(context):
            continue
        harmless = None
        for m in rule.regex.finditer(folded):
            if m.end() == m.start():
                continue
            s, e = m.span()
            # Patterns may start with a space they needed for context; report the words.
            s += len(m.group()) - len(m.group().lstrip())
            if rule.unless_regexes:
                if harmless is None:  # found once per rule and segment, not once per match
                    harmless = [x.span() for rx in rule.unless_regexes for x in rx.finditer(folded)]
                if any(u_s <= s < u_e or s <= u_s < e for u_s, u_e in harmless):
                    continue
            raw.append((rule, s, e))
    if not raw:
        return []
    mention = segment.kind == "sentence" and mentions_rather_than_claims(sentence)
    if mention and all(rule.negatable for rule, _, _ in raw):
        return []
    matches = _Matches(sentence, folded, ((s, e) for _, s, e in raw))
    kept = []
    for rule, s, e in raw:
        if rule.negatable and (mention or matches.negated(s, e)):
            continue
        kept.append((rule, s, e))
    return kept


def _overrulable(kept) -> bool:
    return any(rule.overrule and rule.kind != "outcome_number" for rule, _, _ in kept)


def _findings(segment: _Segment, kept, *, original: str, reading=None) -> list[Finding]:
    """Findings for a segment's kept matches; a confident "plainly acceptable" reading drops those it may."""
    overruled = reading is not None and reading.margin <= -OVERRULE_MARGIN
    findings = []
    for rule, s, e in kept:
        if overruled and rule.overrule and rule.kind != "outcome_number":
            continue
        start, end = segment.start + s, segment.start + e
        findings.append(Finding(rule.id, rule.severity, original[start:end], start, end, rule.message, rule.source,
                                rule.group))
    return findings


def _may_read_as_risky(segment: _Segment) -> bool:
    """Whether a sentence no rule matched could get a classifier finding (what _classifier_finding checks first)."""
    words = _TOKEN.findall(segment.text)
    if len(words) < CLASSIFIER_MIN_WORDS:
        return False
    first = tuple(w.lower() for w in words[:2])
    return not (mentions_rather_than_claims(segment.text) or (first[0] in _CLAUSE_INITIAL
                                                            and first not in _PSEUDO_NEGATIONS))


class _Gate(NamedTuple):
    regex: re.Pattern
    covers: frozenset[str]  # ids of the rules it stands for


@functools.lru_cache(maxsize=16)
def _any_rule_gate(rules: tuple[Rule, ...]) -> _Gate | None:
    """One expression that finds a match wherever any of the rules would, or None (see union_gate).

    A rule whose expression has named groups or back-references, or cannot be joined to the others, is
    left out (it is always searched on its own).
    """
    joinable = []
    for rule in rules:
        rx = rule.regex
        if rx is None or rx.groupindex or re.search(r"\\\d|\(\?P=", rx.pattern):
            continue
        try:
            re.compile(f"(?:{rx.pattern})|(?:x)")
        except re.error:
            continue
        joinable.append(rule)
    if not joinable:
        return None
    return _Gate(union_gate([r.regex.pattern for r in joinable]), frozenset(r.id for r in joinable))


def union_gate(patterns: list[str], flags: int = 0) -> re.Pattern:
    r"""An expression that matches somewhere in a text exactly when one of `patterns` does: a gate.

    Only whether it finds anything counts, never what or in which order, so the patterns' top-level
    alternatives are pooled: all those that start with  share one , and those that go on with the same
    letter share it (`(?:o(?:nly|ffer)|…)`). At a word boundary the engine then compares one letter per
    group instead of trying every alternative of every rule in turn.
    """
    by_letter: dict[str, list[str]] = {}
    after_boundary: list[str] = []
    others: list[str] = []
    for pattern in patterns:
        for alternative in _top_level_alternatives(pattern):
            if not alternative.startswith("\\b") or alternative == "\\b":
                others.append(f"(?:{alternative})")
                continue
            rest = alternative[2:]
            if rest[:1].isalnum() and rest[1:2] not in ("*", "+", "?", "{"):
                by_letter.setdefault(rest[0], []).append(rest[1:])
            else:
                after_boundary.append(rest)
    grouped = [f"{letter}(?:{'|'.join(rests)})" for letter, rests in by_letter.items()] + after_boundary
    parts = ([f"\\b(?:{'|'.join(grouped)})"] if grouped else []) + others
    return re.compile("|".join(parts), flags)


def _classifier_finding(segment: _Segment, reading, *, original: str) -> list[Finding]:
    """A warning for a sentence the classifier reads as risky where no rule matched, naming the family."""
    # A heading or a title of a few words gives the classifier too little to go on ("What readers see now"
    # read as before-and-after): only sentences of CLASSIFIER_MIN_WORDS or more are flagged on its word alone.
    if reading.margin < FLAG_MARGIN or len(_TOKEN.findall(segment.text)) < CLASSIFIER_MIN_WORDS:
        return []
    words = [t.lower() for t in _TOKEN.findall(segment.text)[:2]]
    if mentions_rather_than_claims(segment.text) or (words[0] in _CLAUSE_INITIAL and tuple(words) not in _PSEUDO_NEGATIONS):
        return []  # a warning, a report, or a denial ("Nothing is 100% effective"); claims made through negation have rules
    sentence = original[segment.start : segment.end]
    if reading.family == "outcome_number" and _cites(sentence):
        return []
    family = shipped_families().get(reading.family)
    if family is None:
        return []
    lead = len(segment.text) - len(segment.text.lstrip())
    start, end = segment.start + lead, segment.start + len(segment.text.rstrip())
    message = f"The sentence classifier reads this as {family['label']} (no rule matched the wording). {family['message']}"
    return [Finding(CLASSIFIER_RULE, "warn", original[start:end], start, end, message, family["source"],
                    reading.family)]


def _deduplicate(findings: list[Finding]) -> list[Finding]:
    """One finding per stretch of text and group: the blocking, longer one wins."""
    ranked = sorted(findings, key=lambda f: (f.severity != "block", -(f.end - f.start), f.start))
    kept_by_group: dict[str, list[tuple[int, int]]] = {}  # kept spans, sorted and not overlapping
    kept: list[Finding] = []
    for f in ranked:
        spans = kept_by_group.setdefault(f.group, [])
        i = bisect.bisect_left(spans, (f.start, f.end))
        if (i > 0 and spans[i - 1][1] > f.start) or (i < len(spans) and spans[i][0] < f.end):
            continue
        spans.insert(i, (f.start, f.end))
        kept.append(f)
    return sorted(kept, key=lambda f: (f.start, f.end, f.rule))


# --------------------------------------------------------------------------- citations and claim sentences


def _split_doi(target: str) -> str:
    m = _BARE_DOI.search(target)
    return m.group(1) if m else ""


def _source_of(text: str) -> tuple[str, str]:
    """(url, doi) found in a definition or link destination."""
    url_match = _BARE_URL.search(text)
    doi = _split_doi(text)
    url = url_match.group() if url_match else (f"https://doi.org/{doi}" if doi else "")
    return url, doi


def _mask(length: int, spans) -> bytearray:
    """1 at every position inside one of the spans: a constant-time "is this inside?" for the whole text."""
    mask = bytearray(length)
    for s, e in spans:
        mask[s:e] = b"\x01" * (e - s)
    return mask


def citations(text: str) -> list[Citation]:
    """The sources an article cites, in order of first use; each URL/DOI or footnote once."""
    doc = _prepare(text)
    code = _mask(len(text), _code_spans(text))
    skipped = _mask(len(text), doc.definition_spans + doc.image_spans)
    found: list[Citation] = []
    for m in _FOOTNOTE_REF.finditer(text):
        if doc.prose[m.start()] != "[":  # inside code, a comment or a definition
            continue
        label = m.group("id")
        definition = doc.definitions.get("^" + label.lower())
        body = definition[0] if definition else ""
        url, doi = _source_of(body)
        found.append(Citation("footnote", label, url, doi, body, m.start(), m.end()))
    for m in _REF_LINK.finditer(text):
        ref = (m.group("ref") or m.group("text")).strip().lower()
        definition = doc.definitions.get(ref)
        if not definition or code[m.start()]:
            continue
        url, doi = _source_of(definition[0])
        if url or doi:
            found.append(Citation("reference", ref, url, doi, m.group("text"), m.start(), m.end()))
    for m in _INLINE_LINK.finditer(text):
        if code[m.start()]:
            continue
        dest = m.group("dest").strip("<>")
        if re.match(r"https?://|doi:|10\.\d{4,9}/", dest, re.I):
            url, doi = _source_of(dest)
            found.append(Citation("link", m.group("text"), url or dest, doi, m.group("text"), m.start(), m.end()))
    linked = _mask(len(text), [(c.start, c.end) for c in found])
    for rx, kind in ((_BARE_DOI, "doi"), (_BARE_URL, "url")):
        for m in rx.finditer(text):
            if code[m.start()] or skipped[m.start()] or linked[m.start()]:
                continue
            url, doi = _source_of(m.group())
            label = doi if kind == "doi" else m.group()
            found.append(Citation(kind, label, url, doi, "", m.start(), m.end()))
            linked[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    found.sort(key=lambda c: c.start)
    unique: list[Citation] = []
    seen: set[str] = set()
    for c in found:
        key = (c.doi or c.url or "^" + c.label).lower().rstrip("/")
        if key not in seen:
            seen.add(key)
            unique.append(c)
    return unique


@functools.lru_cache(maxsize=32)
def _code_spans(text: str) -> tuple[tuple[int, int], ...]:
    spans = [m.span() for m in _FENCE.finditer(text)]
    spans += [m.span() for m in _INLINE_CODE.finditer(text)]
    spans += [m.span() for m in _HTML_COMMENT.finditer(text)]
    return tuple(spans)


def claim_sentences(text: str) -> list[ClaimSentence]:
    """Every sentence with a number or an outcome claim, and the sources it cites."""
    doc = _prepare(text)
    all_citations = citations(text)  # sorted by start
    starts = [c.start for c in all_citations]
    by_label = {}
    for c in all_citations:
        by_label.setdefault((c.kind, c.label if c.kind != "link" else c.url), []).append(c)
    result = []
    for start, end in doc.sentences:
        if _is_heading(text, start, end):
            continue  # a heading names a topic ("5 tips for open pores"); the sentences under it make the claims
        prose = doc.prose[start:end]
        without_refs = _FOOTNOTE_REF.sub(lambda m: " " * len(m.group()), prose)
        has_number = bool(re.search(r"\d", without_refs)) or bool(_PROPORTION.search(prose)) or bool(
            _MULTIPLIER.search(prose))
        has_outcome = bool(_OUTCOME_CLAIM.search(prose))
        if not (has_number or has_outcome):
            continue
        original = text[start:end]
        cited = tuple(all_citations[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]) or tuple(
            _citations_used_in(original, by_label))
        result.append(ClaimSentence(original, start, end, has_number, has_outcome, _cites(original) or bool(cited),
                                    cited))
    return result


def _is_heading(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is (in) a Markdown heading: "## …" before it, or "===" / "---" under its line."""
    if _ATX_HEADING.match(text, text.rfind("\n", 0, start) + 1):
        return True
    line_end = text.find("\n", end)
    return line_end != -1 and bool(_SETEXT_UNDERLINE.match(text, line_end))


def _citations_used_in(sentence: str, by_label: dict) -> list[Citation]:
    """Citations used in this sentence that were first used earlier (lists show each source once)."""
    used = []
    for m in _FOOTNOTE_REF.finditer(sentence):
        used += by_label.get(("footnote", m.group("id")), [])
    for m in _REF_LINK.finditer(sentence):
        used += by_label.get(("reference", (m.group("ref") or m.group("text")).strip().lower()), [])
    for m in _INLINE_LINK.finditer(sentence):
        used += by_label.get(("link", _source_of(m.group("dest"))[0]), [])
    return used


# --------------------------------------------------------------------------- loading and configuration


def load_rules(path: str | Path) -> tuple[Rule, ...]:
    """The rules of one TOML file, validated; raises RuleError with the file and rule named."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise RuleError(f"Claims rules file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{path}: not valid TOML ({exc}).") from exc
    tables = data.get("rule", [])
    if not isinstance(tables, list):
        raise RuleError(f"{path}: rules must be [[rule]] tables.")
    rules = tuple(Rule.from_dict(t, origin=str(path)) for t in tables)
    ids = [r.id for r in rules]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise RuleError(f"{path}: duplicate rule id(s) {', '.join(duplicates)}.")
    return rules


@functools.cache
def shipped_rules() -> tuple[Rule, ...]:
    """The rules in claims/rules.toml, read once per process."""
    return load_rules(RULES_FILE)


@functools.cache
def shipped_families() -> dict[str, dict[str, str]]:
    """The families of risky wording the classifier names, from the [[family]] tables of the rules file."""
    with RULES_FILE.open("rb") as fh:
        tables = tomllib.load(fh).get("family", [])
    return {t["id"]: {"label": t["label"], "message": t["message"], "source": t["source"]} for t in tables}


@functools.lru_cache(maxsize=8)
def _extra_rules(path: str) -> tuple[Rule, ...]:
    return load_rules(path)


def _settings() -> tuple[frozenset[str], str]:
    try:
        from django.conf import settings

        disabled = getattr(settings, "CLAIMS_RULES_DISABLED", ()) or ()
        extra = getattr(settings, "CLAIMS_EXTRA_RULES_FILE", "") or ""
    except Exception:  # used outside a configured Django project
        return frozenset(), ""
    return frozenset(disabled), str(extra)


def _merge(base: tuple[Rule, ...], extra: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """Rules of `extra` replace rules of `base` with the same id; new ones are added at the end."""
    by_id = {r.id: r for r in base}
    by_id.update({r.id: r for r in extra})
    return tuple(by_id.values())


@functools.lru_cache(maxsize=8)
def _all_configured(extra: str) -> tuple[Rule, ...]:
    return _merge(shipped_rules(), _extra_rules(extra) if extra else ())


@functools.lru_cache(maxsize=16)
def _configured(disabled: frozenset[str], extra: str) -> tuple[Rule, ...]:
    return tuple(r for r in _all_configured(extra) if r.id not in disabled)


def known_rule_ids() -> set[str]:
    """Ids of the rules in the rules file and CLAIMS_EXTRA_RULES_FILE, switched on or not."""
    return {r.id for r in _all_configured(_settings()[1])}


def configured_rules() -> tuple[Rule, ...]:
    """Shipped rules plus CLAIMS_EXTRA_RULES_FILE, minus CLAIMS_RULES_DISABLED (no database)."""
    disabled, extra = _settings()
    return _configured(disabled, extra)


def apply_overrides(base: tuple[Rule, ...], disabled: frozenset[str], overrides: Iterable) -> tuple[Rule, ...]:
    """Rules after admin overrides: an override decides whether its rule is on, and may replace its fields.

    `overrides` are ClaimRuleOverride rows (or anything with the same attributes). An override
    wins over CLAIMS_RULES_DISABLED, so an administrator can switch a rule back on.
    """
    by_id = {r.id: r for r in base}
    enabled = {r.id: r.id not in disabled for r in base}
    for o in overrides:
        changes = {k: v for k, v in {
            "words": o.words_list(), "pattern": (o.pattern or "").strip(), "severity": o.severity,
            "message": o.message, "source": o.source, "group": o.group,
        }.items() if v}
        try:
            if o.rule_id in by_id:
                if changes.get("words") or changes.get("pattern"):
                    changes.setdefault("words", ())
                    changes.setdefault("pattern", "")
                    changes["kind"] = "pattern" if changes["pattern"] else "words"
                by_id[o.rule_id] = by_id[o.rule_id].replace(**changes) if changes else by_id[o.rule_id]
            else:
                by_id[o.rule_id] = Rule.from_dict({"id": o.rule_id, **changes}, origin="admin override")
        except RuleError as exc:
            logger.warning("Ignoring claims rule override %s: %s", o.rule_id, exc)
            continue
        enabled[o.rule_id] = bool(o.enabled)
    return tuple(r for r in by_id.values() if enabled.get(r.id))


_active_lock = threading.Lock()
_active_cache: dict = {}


def active_rules() -> tuple[Rule, ...]:
    """The rules in force: file, settings and admin overrides (one cheap query when nothing changed)."""
    from django.db.models import Count, Max

    from claims.models import ClaimRuleOverride

    disabled, extra = _settings()
    base = _all_configured(extra)
    stamp = ClaimRuleOverride.objects.aggregate(latest=Max("updated_at"), count=Count("id"))
    key = (disabled, stamp["latest"], stamp["count"])
    with _active_lock:
        if _active_cache.get("key") == key and _active_cache.get("base") is base:
            return _active_cache["rules"]
    rules = apply_overrides(base, disabled, ClaimRuleOverride.objects.order_by("rule_id"))
    with _active_lock:
        _active_cache.update(key=key, base=base, rules=rules)
    return rules
