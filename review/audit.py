"""The audit trail's one writer, and its verifier.

Each event carries the hash of the event before it, so an edit, a removal or a
re-ordering anywhere breaks the chain at that point.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from review.keyed_hash import keyed_hash, record_key
from review.models import AuditEvent, AuditHead

GENESIS = "0" * 64
# What each event's hash covers, in this order.
CHAINED_FIELDS = ("seq", "created_at", "actor_id", "actor_name", "action", "post_id", "from_state", "to_state",
                  "revision_hash", "detail", "prev_hash")


def event_hash(*, seq, created_at, actor_id, actor_name, action, post_id, from_state,
               to_state, revision_hash, detail, prev_hash, key: bytes | None = None) -> str:
    """`created_at` is an aware datetime in UTC, as `record` writes it and the ORM reads it back."""
    return keyed_hash([seq, created_at.isoformat(), actor_id, actor_name, action, post_id, from_state,
                       to_state, revision_hash, detail, prev_hash], key=key)


def actor_label(user) -> str:
    if user is None:
        return "system"
    profile = getattr(user, "reviewer_profile", None)
    return profile.printed_name if profile else (user.get_full_name() or user.get_username())


@transaction.atomic
def record(action: str, *, actor=None, post=None, from_state: str = "", to_state: str = "",
           revision_hash: str = "", detail: dict | None = None) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction."""
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1, defaults={"hash": GENESIS})
    fields = dict(
        seq=head.seq + 1,
        created_at=timezone.now(),
        actor_id=actor.pk if actor else None,
        actor_name=actor_label(actor),
        action=action,
        post_id=post.pk if post else None,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        revision_hash=revision_hash or "",
        detail=detail or {},
        prev_hash=head.hash,
    )
    event = AuditEvent.objects.create(hash=event_hash(**fields), **fields)
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])
    return event


@dataclass
class Verification:
    ok: bool
    count: int
    broken_seq: int | None = None
    problem: str = ""


def _event_problem(seq, fields: dict, stored: str, key: bytes) -> str:
    """Why the event with these stored fields and hash is not as it was written, or ""."""
    if event_hash(**fields, key=key) != stored:
        return f"event #{seq} was altered after it was written"
    return ""


def verify(chunk_size: int = 5000) -> Verification:
    """Walk the chain from the first event; name the first one that does not fit."""
    expected_seq, prev, count = 1, GENESIS, 0
    key = record_key()
    rows = AuditEvent.objects.order_by("seq").values_list(*CHAINED_FIELDS, "hash").iterator(chunk_size=chunk_size)
    for row in rows:
        seq, prev_hash, stored = row[0], row[-2], row[-1]
        if seq != expected_seq:
            return Verification(False, count, expected_seq, f"event #{expected_seq} is missing (deleted or renumbered)")
        if prev_hash != prev:
            return Verification(False, count, seq, f"event #{seq} does not follow event #{seq - 1} (removed or re-ordered)")
        problem = _event_problem(seq, dict(zip(CHAINED_FIELDS, row[:-1])), stored, key)
        if problem:
            return Verification(False, count, seq, problem)
        prev, expected_seq, count = stored, expected_seq + 1, count + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head and (head.seq != count or head.hash != prev):
        return Verification(False, count, count + 1, f"events after #{count} were removed (the chain head is at #{head.seq})")
    return Verification(True, count)


def verify_events(events) -> Verification:
    """Check some events of the chain (one post's, in seq order) and their links into it, not the whole chain.

    Each event must hash to what it stores, and its prev_hash must be the stored hash of the event
    with the previous seq, whoever's that is: one query reads those predecessors by seq.
    """
    key = record_key()
    before = dict(AuditEvent.objects.filter(seq__in=[e.seq - 1 for e in events if e.seq > 1]).values_list("seq", "hash"))
    before[0] = GENESIS
    for count, event in enumerate(events):
        if event.seq - 1 not in before:
            return Verification(False, count, event.seq - 1, f"event #{event.seq - 1} is missing (deleted or renumbered)")
        if event.prev_hash != before[event.seq - 1]:
            return Verification(False, count, event.seq,
                                f"event #{event.seq} does not follow event #{event.seq - 1} (removed or re-ordered)")
        problem = _event_problem(event.seq, {name: getattr(event, name) for name in CHAINED_FIELDS}, event.hash, key)
        if problem:
            return Verification(False, count, event.seq, problem)
    return Verification(True, len(events))
