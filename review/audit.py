"""The audit trail's one writer, and its verifier.

Each event carries the hash of the event before it, so an edit, a removal or a
re-ordering anywhere breaks the chain at that point.
"""

import json
import re
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Func, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from review.keyed_hash import keyed_hash, record_key
from review.models import AuditEvent, AuditHead

GENESIS = "0" * 64


def event_hash(*, seq, created_at, actor_id, actor_name, action, post_id, from_state,
               to_state, revision_hash, detail, prev_hash, key: bytes | None = None) -> str:
    """`created_at` is an aware datetime, or already its isoformat() (see `_as_written`)."""
    if not isinstance(created_at, str):
        created_at = created_at.isoformat()
    return keyed_hash([seq, created_at, actor_id, actor_name, action, post_id, from_state,
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


def _raw_rows(columns, chunk_size):
    """The events in order, as the database driver gives them.

    Django's per-row converters (datetime parsing, JSON decoding) cost more than the hashing
    itself over a long trail, so the two columns that need it are converted in `_as_written`.
    """
    events = AuditEvent.objects.order_by("seq")
    # The driver would parse every timestamp into a datetime; text in SQLite's stored shape, UTC
    # "YYYY-MM-DD HH:MM:SS[.ffffff]", is what `_as_written` wants (a third of the time on PostgreSQL).
    if connection.vendor == "sqlite":
        events = events.annotate(created_text=Cast("created_at", TextField()))
        columns = ["created_text" if column == "created_at" else column for column in columns]
    elif connection.vendor == "postgresql":
        events = events.annotate(created_text=Func(
            "created_at", template="to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')",
            output_field=TextField()))
        columns = ["created_text" if column == "created_at" else column for column in columns]
    sql, params = events.values_list(*columns).query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk_size):
            yield from rows


_SQLITE_DATETIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?", re.ASCII)


def _as_written(created_at, detail):
    """The values `record` hashed: the isoformat() of the aware UTC datetime (as the ORM would give it),
    and the detail dict."""
    if isinstance(created_at, str):
        # SQLite's stored text, "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC, is that isoformat() but for the "T" and
        # the offset; parsing it and formatting it again would give the same string, at several times the cost.
        # Any other shape (including ".000000", which isoformat() drops) takes the long way.
        if (len(created_at) == 19 or (len(created_at) == 26 and not created_at.endswith(".000000"))) \
                and _SQLITE_DATETIME.fullmatch(created_at):
            created_at = f"{created_at[:10]}T{created_at[11:]}+00:00"
        else:
            created_at = datetime.fromisoformat(created_at)
    if isinstance(created_at, datetime):
        # A naive value is UTC: its isoformat() plus the offset is the aware one's, without building it.
        created_at = created_at.isoformat() + "+00:00" if created_at.tzinfo is None else created_at.isoformat()
    if detail == "{}":
        detail = {}
    elif isinstance(detail, (str, bytes)):
        detail = json.loads(detail)
    return created_at, detail


def verify(chunk_size: int = 5000) -> Verification:
    """Walk the chain from the first event; name the first one that does not fit."""
    expected_seq, prev, count = 1, GENESIS, 0
    key = record_key()
    columns = ["seq", "created_at", "actor_id", "actor_name", "action", "post_id", "from_state",
               "to_state", "revision_hash", "detail", "prev_hash", "hash"]
    for (seq, created_at, actor_id, actor_name, action, post_id, from_state, to_state, revision_hash, detail,
         prev_hash, stored) in _raw_rows(columns, chunk_size):
        if seq != expected_seq:
            return Verification(False, count, expected_seq, f"event #{expected_seq} is missing (deleted or renumbered)")
        if prev_hash != prev:
            return Verification(False, count, seq, f"event #{seq} does not follow event #{seq - 1} (removed or re-ordered)")
        created_at, detail = _as_written(created_at, detail)
        if event_hash(seq=seq, created_at=created_at, actor_id=actor_id, actor_name=actor_name, action=action,
                      post_id=post_id, from_state=from_state, to_state=to_state, revision_hash=revision_hash,
                      detail=detail, prev_hash=prev_hash, key=key) != stored:
            return Verification(False, count, seq, f"event #{seq} was altered after it was written")
        prev, expected_seq, count = stored, expected_seq + 1, count + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head and (head.seq != count or head.hash != prev):
        return Verification(False, count, count + 1, f"events after #{count} were removed (the chain head is at #{head.seq})")
    return Verification(True, count)
