"""The audit pack: everything that happened to one post, in one export (JSON, and HTML for people).

Findings of the claims check, the writer's justifications of blocked wording and the reviewer's
acknowledgements (sealed in each signature's details) are part of it.
"""

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from claims import findings as claim_findings, linter
from claims.models import FindingJustification
from content import images
from content.models import Image, Post
from review import audit, signing
from review.diffing import reader_text, word_diff
from review.models import Signature


def _when(value):
    return timezone.localtime(value).isoformat() if value else None


def _pictures(revision, verified: dict) -> list[dict]:
    """Every picture the revision shows, with the hash that was signed and whether the stored file still has it."""
    return [{**entry, "file_verifies": verified.get(entry["image"], False)} for entry in revision.images]


def _verified_files(revisions) -> dict[int, bool]:
    """Whether each picture's stored bytes (and resized copies) still match their hashes, read once per picture."""
    ids = {entry["image"] for revision in revisions for entry in revision.images}
    return {image.pk: not images.verify_files([image]) for image in Image.objects.filter(pk__in=ids)}


def _written_on(comment, revisions) -> int:
    """The number of the version that was the working copy when the comment was written."""
    before = [r.number for r in revisions if r.created_at <= comment.created_at]
    return max(before) if before else comment.revision.number


def build(post: Post) -> dict:
    """A plain, JSON-ready record of the post's whole history."""
    revisions = list(post.revisions.select_related("author").order_by("number"))
    signatures = list(Signature.objects.filter(revision__post=post).select_related("revision", "signer")
                      .order_by("signed_at"))
    comments = list(post.comments.select_related("author", "revision", "resolved_by").order_by("created_at"))
    events = list(post.audit_events.order_by("seq"))
    rules = linter.active_rules()
    justifications: dict[int, list] = {}
    for j in FindingJustification.objects.filter(revision__post=post).select_related("author").order_by("created_at"):
        justifications.setdefault(j.revision_id, []).append(claim_findings.justification_record(j))
    chain = audit.verify_events(events)
    verified = _verified_files(revisions)
    previous = None
    revision_records = []
    for revision in revisions:
        revision_records.append({
            "number": revision.number,
            "title": revision.title,
            "summary": revision.summary,
            "body": revision.body,
            "author": revision.author.get_username(),
            "created_at": _when(revision.created_at),
            "content_hash": revision.content_hash,
            "images": _pictures(revision, verified),
            "hash_verifies": revision.is_intact,
            "is_live": revision.pk == post.live_revision_id,
            "diff_from_previous": [
                {"op": piece.op, "text": piece.text}
                for piece in word_diff(reader_text(previous), reader_text(revision))
            ],
            "findings": [f.to_dict() for f in claim_findings.revision_findings(revision, rules=rules)],
            "justifications": justifications.get(revision.pk, []),
        })
        previous = revision
    return {
        "post": {
            "slug": post.slug,
            "title": post.title,
            "author": post.author.get_username(),
            "state": post.workflow.get_state_display(),
            "created_at": _when(post.created_at),
            "first_published_at": _when(post.first_published_at),
            "live_revision": post.live_revision.number if post.live_revision_id else None,
        },
        "exported_at": _when(timezone.now()),
        "revisions": revision_records,
        "signatures": [
            {
                "revision": s.revision.number,
                "printed_name": s.printed_name,
                **_account(s),
                "credentials": s.credentials,
                "registration_number": s.registration_number,
                "meaning": s.get_meaning_display(),
                "signed_at": _when(s.signed_at),
                "revision_hash": s.revision_hash,
                "statement": s.statement,
                "details": s.details,
                "claims_acknowledged": s.details.get("claims", {}).get("findings_acknowledged", []),
                "justifications_seen": s.details.get("claims", {}).get("justifications_seen", []),
                "key_id": s.key_id,
                "verifies": signing.is_valid(s, s.revision),
            }
            for s in signatures
        ],
        "comments": [
            {
                # The version it was written on; an open comment whose passage is still there moves along with
                # new versions (`carried_to`), but the record says what the commenter read.
                "revision": _written_on(c, revisions),
                "carried_to": c.revision.number,
                "author": c.author.get_username(),
                "body": c.body,
                "quote": c.quote_exact,
                "created_at": _when(c.created_at),
                "resolved_at": _when(c.resolved_at),
                "resolved_by": c.resolved_by.get_username() if c.resolved_by else None,
            }
            for c in comments
        ],
        "audit_events": [
            {
                "seq": e.seq,
                "at": _when(e.created_at),
                "actor": e.actor_name,
                "action": e.action,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "revision_hash": e.revision_hash,
                "detail": e.detail,
                "hash": e.hash,
                "key_id": e.key_id,
            }
            for e in events
        ],
        "audit_chain": {"intact": chain.ok, "events_verified": chain.count, "problem": chain.problem},
    }


def _account(signature) -> dict:
    """The account that made the signature: as its seal names it (the signer record), or, for a signature older
    than the signer record, the account it points to, which its seal covers by id only."""
    signer = signature.details.get("signer")
    if signer:
        return {"account": signer["username"], "account_id": signer["account_id"], "account_sealed": True}
    return {"account": signature.signer.get_username(), "account_id": signature.signer_id, "account_sealed": False}


CSS_FILE = Path(__file__).resolve().parent.parent / "static" / "css" / "audit-pack.css"


def render_html(pack: dict, *, standalone: bool = False) -> str:
    """The pack as a page; `standalone` embeds the stylesheet so an exported file reads well on its own."""
    context = {"pack": pack, "standalone": standalone, "css": CSS_FILE.read_text() if standalone else ""}
    return render_to_string("review/audit_pack.html", context)
