"""Typed review lines ("Medically reviewed by Dr …"): found in an imported text, and taken out of it.

Such a line on the old site was nobody's signature. Left in the body, it would reach readers beside the real,
signed review line, so it is removed, and the name it gave is kept to tell the writer and the doctor.
"""

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, NavigableString, Tag

# Who a plain "reviewed by" must name to count as a claimed medical review: a doctor's title or degree.
_DOCTOR = (r"(?:the\s+)?(?:dr\b\.?|doctor\b|prof\b\.?|professor\b|a/prof\b\.?|assoc(?:iate)?\.?\s+prof"
           r"|[^.\n]{1,60}?,\s*(?:MBBS|MBChB|MBBCh|MD|DO|MRCP|FRCP|FRCS|FAMS|MMed|BMBS|MRCGP|PhD)\b)")
# A name starts with a capital or a title ("medically reviewed by your GP" claims nothing).
_NAME = r"(?=(?:the\s+)?(?:(?-i:[A-Z])|dr\b|prof\b|a/prof\b|assoc))"
_LEAD = re.compile(
    r"\b(?:"
    rf"(?:medically|clinically|medical|clinical)\s+(?:reviewed|checked|fact[- ]checked|approved|verified|vetted)"
    rf"(?:\s+(?:and|&)\s+\w+)?(?:\s+for\s+accuracy)?\s+by\s*:?\s*{_NAME}"
    rf"|(?:reviewed|fact[- ]checked|verified|vetted|approved)(?:\s+for\s+(?:medical\s+)?accuracy)?\s+by\s*:?\s*"
    rf"(?={_DOCTOR})"
    rf"|medical(?:ly)?\s+review(?:er|ed)?(?:\s+by)?\s*[:\-–—]\s*{_NAME}"
    rf"|review(?:ed|er)?(?:\s+by)?\s*:\s*(?={_DOCTOR})"
    r")",
    re.IGNORECASE,
)
# The end of a sentence: not after a title or an initial ("Dr. J. Lim").
_SENTENCE_END = re.compile(
    r"(?<!\bDr)(?<!\bDrs)(?<!\bProf)(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bSt)(?<!\bAssoc)(?<!\b[A-Z])[.!?](?=\s|$)|\n")
# Where the name stops: a date, a separator, what else the line says.
_AFTER_NAME = re.compile(
    r"\s+(?:on|in|last|updated|dated|—)\s+(?=\S*\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|\s*[|–—]\s*|\s+-\s+|\s+and\s+(?:written|edited|updated)\b|\s+for\s+(?:medical\s+)?accuracy\b|\s*\((?:updated|last|on)\b",
    re.IGNORECASE)
_DATE_LINE = re.compile(r"[ \t]*(?:on|updated|last\s+(?:updated|reviewed)|dated)\b[^\n]*?\d[^\n]*?(?:[.!?](?=\s|$)|\n|$)",
                        re.IGNORECASE)
NAME_MAX = 150

# Elements whose text is one run: a claim is looked for, and cut, within one of them.
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dd", "dt", "figcaption", "blockquote",
           "div", "section", "aside", "header", "footer", "pre", "address"}


@dataclass(frozen=True)
class Claim:
    who: str
    start: int  # the sentence that makes the claim, in the text it was found in
    end: int


def find_claims(text: str) -> list[Claim]:
    """Each claimed review in `text`: whom it names, and the span of the sentence (or line) that makes it."""
    claims = []
    position = 0
    while match := _LEAD.search(text, position):
        start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, match.start())), default=0)
        while start < match.start() and text[start].isspace():
            start += 1
        end_match = _SENTENCE_END.search(text, match.end())
        end = end_match.end() if end_match else len(text)
        # A byline's date on the next line goes with it ("Reviewed by Dr Tan<br>on 3 May 2019").
        if end_match and end_match.group() == "\n" and (dated := _DATE_LINE.match(text, end)):
            end = dated.end()
        who = text[match.end():end_match.start() if end_match else end]
        after = _AFTER_NAME.search(who)
        who = (who[:after.start()] if after else who).strip(" \t,;:*_").rstrip(".") if who else ""
        if len(who) > NAME_MAX:
            who = who[:NAME_MAX].rsplit(" ", 1)[0] + "…"
        # The whitespace after the sentence goes with it.
        while end < len(text) and text[end] in " \t":
            end += 1
        claims.append(Claim(who=" ".join(who.split()), start=start, end=end))
        position = max(end, match.end())
    return claims


def remove_claims_from_text(text: str) -> tuple[str, list[str]]:
    """`text` without the sentences that claim a review, and the names they gave."""
    claims = find_claims(text)
    for claim in reversed(claims):
        text = text[:claim.start] + text[claim.end:]
    return " ".join(text.split()) if claims else text, [claim.who for claim in claims]


def _pieces(block: Tag) -> list[tuple[NavigableString | Tag, str]]:
    """The block's text as leaves in order (a <br> is a line end), without what nested blocks hold."""
    pieces = []
    for node in block.descendants:
        if isinstance(node, Tag) and node.name == "br" and node.find_parent(_BLOCKS) is block:
            pieces.append((node, "\n"))
        elif type(node) is NavigableString and node.find_parent(_BLOCKS) is block:
            pieces.append((node, str(node)))
    return pieces


def _cut(pieces, start: int, end: int) -> None:
    offset = 0
    for node, text in pieces:
        node_start, node_end = offset, offset + len(text)
        offset = node_end
        if node_end <= start or node_start >= end:
            continue
        if isinstance(node, Tag):
            node.decompose()
            continue
        kept = text[:max(0, start - node_start)] + text[max(0, end - node_start):]
        if kept:
            node.replace_with(NavigableString(kept))
        else:
            node.extract()


def _is_empty(element: Tag) -> bool:
    return not element.get_text(strip=True) and element.find("img") is None


def remove_claims(soup: BeautifulSoup) -> list[str]:
    """Take every sentence that claims a review out of the parsed body; a block left empty goes too.
    Returns the names the claims gave, in order."""
    names = []
    for block in list(soup.find_all(_BLOCKS)):
        if block.decomposed or block.parent is None:
            continue
        pieces = _pieces(block)
        claims = find_claims("".join(text for _, text in pieces))
        if not claims:
            continue
        for claim in reversed(claims):
            _cut(pieces, claim.start, claim.end)
        names += [claim.who for claim in claims]
        for inline in list(block.find_all(True)):
            if not inline.decomposed and inline.name not in _BLOCKS and inline.name not in ("br", "img") \
                    and _is_empty(inline):
                inline.decompose()
        if _is_empty(block):
            block.decompose()
    return names
