"""What the writing form shows beside the text: the rendered article, its words and reading time, the claims
check and the address made from the title.

Computed here once, for the page's first render and for every live update (`/editor/preview/`), so the
page's script only sends the fields and shows the answer: it never re-derives a rule of the server's.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from content.images import render_preview
from content.models import word_count
from content.hashing import normalise_line, normalise_text
from content.services import check_body_size, unique_slug
from editor import selectors
from claims import findings as claim_findings
from review.anchoring import mark_quotes, utf16_offset


@dataclass(frozen=True)
class WritingRow:
    """A finding as the writing form lists it, with where its wording lies in its field as the browser counts."""

    row: claim_findings.FindingRow
    select_from: int | None  # UTF-16 units into the field's value, for the field's setSelectionRange
    select_to: int | None

    finding = property(lambda self: self.row.finding)
    justification = property(lambda self: self.row.justification)
    typed = property(lambda self: self.row.typed)


@dataclass(frozen=True)
class Preview:
    article: SafeString  # the body as readers would see it, the claims check's wording marked
    words: int
    minutes: int
    findings: list[claim_findings.FieldFinding]
    rows: list[WritingRow]
    slug: str  # the address the server makes from the title ("" while there is no title)

    def findings_html(self, *, asks_reasons: bool, justify_form: str = "write-form") -> str:
        """The claims check's list, rendered by the same template as the page."""
        return render_to_string("editor/_findings.html", {
            "finding_rows": self.rows, "asks_reasons": asks_reasons, "justify_form": justify_form, "selectable": True,
        })


def build(*, title: str, summary: str, body: str, hero_id=None, hero_alt: str = "", post=None,
          typed: dict[str, str] | None = None, blocked=()) -> Preview:
    """The preview of the fields as typed, shown as they will be saved (`revision_create` normalises them).

    Findings are those of the text as saved, so their keys are the keys the submit gate checks;
    each also says where its wording lies in the field as typed. A body over the size limit is
    neither rendered nor checked: that would only keep this worker busy.
    """
    try:
        check_body_size(body)
        shown = body
    except ValidationError:
        shown = ""
    typed_fields = {"title": title, "summary": summary, "body": shown}
    saved = {"title": normalise_line(title), "summary": normalise_text(summary), "body": normalise_text(shown)}
    found = claim_findings.text_findings(**saved)
    rendered = render_preview(saved["body"], hero_id=hero_id, hero_alt=hero_alt)
    article, _ = mark_quotes(str(rendered), [f.text for f in found if f.field == "body"], css_class="finding")
    spans_by_field = {
        name: in_field(typed_fields[name], saved[name], [(f.start, f.end) for f in found if f.field == name])
        for name in typed_fields
    }
    places = {}
    for name, spans in spans_by_field.items():
        for f, span in zip([f for f in found if f.field == name], spans):
            places[f.key] = span
    rows = [WritingRow(row, *(places[row.finding.key] or (None, None)))
            for row in claim_findings.rows(found, typed=typed, blocked=blocked)]
    words = word_count(saved["body"] if shown else body)
    return Preview(article=article, words=words, minutes=selectors.reading_minutes(words), findings=found,
                   rows=rows, slug=unique_slug(title, exclude_pk=post.pk if post else None) if title.strip() else "")


def in_field(typed: str, saved: str, spans: list[tuple[int, int]]) -> list[tuple[int, int] | None]:
    """Each span (code points into `saved`, start and end) as UTF-16 units into the field that holds `typed`.

    The field holds `typed` with LF line ends (a textarea's value does, whatever was posted).
    Saving mostly removes characters from that (trailing blanks, outer blank lines, NULs), so each
    character of `saved` is found in order in the field. Where saving changed more (text not in NFC,
    a tab in a title), a span whose wording is not found as it is has no sure place and is None.
    """
    field = typed.replace("\r\n", "\n").replace("\r", "\n")
    if field.startswith(saved):
        return [(utf16_offset(field, start), utf16_offset(field, end)) for start, end in spans]
    wanted = {position for start, end in spans for position in (start, end - 1)}
    index, at = {}, 0
    for j in range(max(wanted, default=-1) + 1):
        at = field.find(saved[j], at)
        if at == -1:
            break
        if j in wanted:
            index[j] = at
        at += 1
    placed = []
    for start, end in spans:
        found = start in index and end - 1 in index and end > start
        # The wording itself, unchanged: otherwise saving replaced something here and the place is not sure.
        if found and field[index[start]:index[end - 1] + 1] == saved[start:end]:
            placed.append((utf16_offset(field, index[start]), utf16_offset(field, index[end - 1] + 1)))
        else:
            placed.append(None)
    return placed
