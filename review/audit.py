"""The audit trail's one writer, and its verifier.

Each event carries the hash of the event before it, so an edit, a removal or a
re-ordering anywhere breaks the chain at that point. Each names the record key that
made its hash (review.keyring), so an event made under a key this deployment does not
have is reported as such, not as altered.
"""

from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils import timezone

from review import attestations, checkpoints, keyring
from review.keyed_hash import keyed_hash, matches
from review.models import AuditEvent, AuditHead

GENESIS = "0" * 64
# Actions that change what the public site shows: each is witnessed once committed (review.checkpoints).
WITNESSED_ACTIONS = frozenset({"publish", "publish_scheduled", "renew_review", "unpublish"})
# What each event's hash covers, in this order.
CHAINED_FIELDS = ("seq", "created_at", "actor_id", "actor_name", "action", "post_id", "from_state", "to_state",
                  "revision_hash", "detail", "prev_hash")


def chained_values(*, seq, created_at, actor_id, actor_name, action, post_id, from_state, to_state,
                   revision_hash, detail, prev_hash) -> list:
    """`created_at` is an aware datetime in UTC, as `record` writes it and the ORM reads it back."""
    return [seq, created_at.isoformat(), actor_id, actor_name, action, post_id, from_state, to_state,
            revision_hash, detail, prev_hash]


def event_hash(*, key: bytes | None = None, **fields) -> str:
    """The hash of an event with these CHAINED_FIELDS, under `key` (by default the newest record key)."""
    return keyed_hash(chained_values(**fields), key=key)


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
    key = keyring.newest()
    event = AuditEvent.objects.create(hash=event_hash(**fields, key=key.secret), key_id=key.id, **fields)
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])
    if action in WITNESSED_ACTIONS:
        # robust: the action has committed by then; a failing witness is logged, not shown to its user.
        transaction.on_commit(partial(witness_publication, post_id=event.post_id), robust=True)
    return event


def witness_publication(*, post_id: int | None) -> None:
    """After a publication changed: a checkpoint of the chain that now records it, and an attestation of
    what the site now shows."""
    attestations.witness(post_id)


@dataclass
class Verification:
    ok: bool
    count: int
    broken_seq: int | None = None
    problem: str = ""
    # True when the first problem is a record made with a key that is not configured, not an alteration.
    key_missing: bool = False


def _event_problem(fields: dict, stored: str, record_key_id: str, secrets: dict[str, bytes]) -> Verification | None:
    """What is wrong with the event with these stored fields, hash and key id, or None; `secrets` maps the
    configured key ids to their secrets."""
    seq = fields["seq"]
    secret = secrets.get(record_key_id)
    if secret is not None:
        intact = event_hash(**fields, key=secret) == stored
    elif record_key_id == keyring.LEGACY:
        intact = matches(chained_values(**fields), stored, record_key_id)
    else:
        return Verification(False, 0, seq, f"event #{seq} was {keyring.not_configured(record_key_id)}",
                            key_missing=True)
    if not intact and record_key_id == keyring.LEGACY:
        # Written before events named their key: an alteration and another key look alike.
        return Verification(False, 0, seq, f"event #{seq} does not verify with any configured key: it was altered "
                                           "after it was written, or made with a key that is not configured")
    if not intact:
        return Verification(False, 0, seq, f"event #{seq} was altered after it was written")
    return None


def _secrets() -> dict[str, bytes]:
    return {key.id: key.secret for key in keyring.ring()}


def verify(chunk_size: int = 5000) -> Verification:
    """Walk the chain from the first event; name the first one that does not fit. Then the chain must reach
    every checkpoint in the checkpoint storage, with the hash each saw."""
    expected_seq, prev, count = 1, GENESIS, 0
    secrets = _secrets()
    witnessed, untrusted = checkpoints.found()
    wanted, hashes = {c.seq for c in witnessed}, {}
    rows = (AuditEvent.objects.order_by("seq").values_list(*CHAINED_FIELDS, "hash", "key_id")
            .iterator(chunk_size=chunk_size))
    for row in rows:
        seq, prev_hash, stored, record_key_id = row[0], row[-3], row[-2], row[-1]
        if seq != expected_seq:
            return Verification(False, count, expected_seq, f"event #{expected_seq} is missing (deleted or renumbered)")
        if prev_hash != prev:
            return Verification(False, count, seq, f"event #{seq} does not follow event #{seq - 1} (removed or re-ordered)")
        problem = _event_problem(dict(zip(CHAINED_FIELDS, row)), stored, record_key_id, secrets)
        if problem:
            problem.count = count
            return problem
        if seq in wanted:
            hashes[seq] = stored
        prev, expected_seq, count = stored, expected_seq + 1, count + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head and (head.seq != count or head.hash != prev):
        return Verification(False, count, count + 1, f"events after #{count} were removed (the chain head is at #{head.seq})")
    missed = checkpoints.chain_problem(count, hashes, witnessed)
    if missed:
        return Verification(False, count, *missed)
    if untrusted:
        return Verification(False, count, None, "; ".join(untrusted))
    return Verification(True, count)


def verify_events(events) -> Verification:
    """Check some events of the chain (one post's, in seq order) and their links into it, not the whole chain.

    Each event must hash to what it stores, and its prev_hash must be the stored hash of the event
    with the previous seq, whoever's that is: one query reads those predecessors by seq.
    """
    secrets = _secrets()
    before = dict(AuditEvent.objects.filter(seq__in=[e.seq - 1 for e in events if e.seq > 1]).values_list("seq", "hash"))
    before[0] = GENESIS
    for count, event in enumerate(events):
        if event.seq - 1 not in before:
            return Verification(False, count, event.seq - 1, f"event #{event.seq - 1} is missing (deleted or renumbered)")
        if event.prev_hash != before[event.seq - 1]:
            return Verification(False, count, event.seq,
                                f"event #{event.seq} does not follow event #{event.seq - 1} (removed or re-ordered)")
        problem = _event_problem({name: getattr(event, name) for name in CHAINED_FIELDS}, event.hash, event.key_id,
                                 secrets)
        if problem:
            problem.count = count
            return problem
    return Verification(True, len(events))


def newest_event_problem(*, key_only: bool = False) -> str:
    """Why the configured record keys cannot verify the newest audit event, or "" (also when there is none).

    With `key_only`, an event whose key is configured but whose hash fails (an alteration, which
    `verify` reports) is no problem of the keys.
    """
    event = AuditEvent.objects.order_by("-seq").first()
    if event is None:
        return ""
    problem = _event_problem({name: getattr(event, name) for name in CHAINED_FIELDS}, event.hash, event.key_id,
                             _secrets())
    if problem is None or (key_only and not problem.key_missing and event.key_id != keyring.LEGACY):
        return ""
    if problem.key_missing:
        return f"the newest audit event (#{event.seq}) was {keyring.not_configured(event.key_id)}"
    return f"the newest audit event (#{event.seq}) does not verify with any configured key"
