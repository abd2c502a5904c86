"""What a reviewer needs to pick up where the review left off: the version they last sent back or signed, what the
writer said they changed since, and where each earlier comment stands. Read from the audit trail, which records
every decision with the hash of the version it was made on."""

from dataclasses import dataclass

from content.models import Revision
from review.models import AuditEvent

# The decisions a reviewer makes on a version: a queue row and the review page name the latest.
DECISIONS = ("request_changes", "sign")


@dataclass(frozen=True)
class Decision:
    action: str  # one of DECISIONS
    revision: Revision
    by_user: bool  # made by the reviewer who is looking


# What the review page compares a version with; the queue reads only the version's number.
COMPARED_FIELDS = ("title", "summary", "body", "images")


def _revisions_by_hash(post_ids, hashes, fields=COMPARED_FIELDS) -> dict[tuple[int, str], Revision]:
    found = Revision.objects.filter(post_id__in=post_ids, content_hash__in=hashes).only(
        "pk", "post_id", "number", "content_hash", *fields)
    return {(r.post_id, r.content_hash): r for r in found}


# What the review page reads of the post's trail to pick up where the review left off, in one query.
PICKUP_ACTIONS = (*DECISIONS, "resubmit", "comment_reply")


def trail(post) -> list[dict]:
    """The post's decisions, resubmissions and replies, oldest first: what the functions below read."""
    return list(AuditEvent.objects.filter(post=post, action__in=PICKUP_ACTIONS).order_by("seq")
                .values("seq", "actor_id", "actor_name", "action", "revision_hash", "detail", "created_at"))


def last_sent_back(events: list[dict], post, revision, user) -> Decision | None:
    """The earlier version on which changes were requested, when that was the latest decision on the post: after
    a later signature the reviewer compares with the signed version instead."""
    latest = next((e for e in reversed(events)
                   if e["action"] in DECISIONS and e["revision_hash"] != revision.content_hash), None)
    if latest is None or latest["action"] != "request_changes":
        return None
    found = _revisions_by_hash([post.pk], [latest["revision_hash"]]).get((post.pk, latest["revision_hash"]))
    if found is None or found.number >= revision.number:
        return None
    return Decision("request_changes", found, by_user=latest["actor_id"] == user.pk)


def note_of(detail) -> str:
    """What the writer said they changed, as a resubmit event's detail keeps it; "" when they said nothing."""
    return ((detail.get("note") if isinstance(detail, dict) else None) or "").strip()


def notes_since(events: list[dict], since: Revision | None) -> list[dict]:
    """What the writer said they changed each time they resubmitted after `since` (`note_of` the resubmit event),
    oldest first: [{"note", "at", "by"}]. Empty while writers leave no note."""
    after = 0
    if since is not None:
        after = next((e["seq"] for e in events
                      if e["action"] == "request_changes" and e["revision_hash"] == since.content_hash), 0)
    return [{"note": note_of(e["detail"]), "at": e["created_at"], "by": e["actor_name"]}
            for e in events if e["action"] == "resubmit" and e["seq"] > after and note_of(e["detail"])]


def answered_comment_ids(events: list[dict]) -> set[int]:
    """Comments someone replied to (the "comment_reply" audit events), whatever the thread's model looks like."""
    return {e["detail"].get("comment_id") for e in events
            if e["action"] == "comment_reply" and isinstance(e["detail"], dict)} - {None}


def comment_status(comment, answered: set[int]) -> str:
    """"resolved", "answered" (replied to, not yet resolved) or "open"."""
    if not comment.is_open:
        return "resolved"
    return "answered" if comment.pk in answered else "open"


def latest_decisions(post_ids) -> dict[int, Decision]:
    """For each post, the latest decision any reviewer made on one of its versions (the version's number, not its
    text); two queries for any number."""
    latest: dict[int, dict] = {}
    for event in (AuditEvent.objects.filter(post_id__in=post_ids, action__in=DECISIONS).order_by("-seq")
                  .values("post_id", "action", "revision_hash")):
        latest.setdefault(event["post_id"], event)
    revisions = _revisions_by_hash(list(latest), [e["revision_hash"] for e in latest.values()], fields=())
    return {post_id: Decision(e["action"], revisions[post_id, e["revision_hash"]], by_user=False)
            for post_id, e in latest.items() if (post_id, e["revision_hash"]) in revisions}


def decision_text(decision: Decision | None) -> str:
    """A queue row's "Reviewed before?": "Changes requested on v1", "Signed v2" or "No, first review"."""
    if decision is None:
        return "No, first review"
    if decision.action == "request_changes":
        return f"Changes requested on v{decision.revision.number}"
    return f"Signed v{decision.revision.number}"
