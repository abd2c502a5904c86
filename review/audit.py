"""The audit trail's one writer, and its verifier.

Each event carries the hash of the event before it, so an edit, a removal or a
re-ordering anywhere breaks the chain at that point. Each names the record key that
made its hash (review.keyring), so an event made under a key this deployment does not
have is reported as such, not as altered.
"""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from itertools import repeat

from django.db import connection, connections, transaction
from django.db.models import Max
from django.utils import timezone

from review import attestations, checkpoints, keyring
from review.keyed_hash import canonical_json, keyed_hash, keyed_state, matches
from review.models import AuditEvent, AuditHead

GENESIS = "0" * 64
# Actions that change what the public site shows: each is witnessed once committed (review.checkpoints).
WITNESSED_ACTIONS = frozenset({"publish", "publish_scheduled", "renew_review", "unpublish", "change_slug"})
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


def _event_problem(values: list, stored: str, record_key_id: str) -> Verification | None:
    """What is wrong with the event whose chained values (`chained_values`), stored hash and key id these are,
    or None."""
    seq = values[0]
    if not keyring.secrets_for(record_key_id):
        return Verification(False, 0, seq, f"event #{seq} was {keyring.not_configured(record_key_id)}",
                            key_missing=True)
    if matches(values, stored, record_key_id):
        return None
    if record_key_id == keyring.LEGACY:
        # Written before events named their key: an alteration and another key look alike.
        return Verification(False, 0, seq, f"event #{seq} does not verify with any configured key: it was altered "
                                           "after it was written, or made with a key that is not configured")
    return Verification(False, 0, seq, f"event #{seq} was altered after it was written")


# A long chain is verified in stretches, one per worker process; a stretch shorter than this is not worth a process.
MIN_STRETCH = 100_000


@dataclass
class Stretch:
    """What walking the events after seq `after` found: how many fit, the last one's hash, the hashes at the
    checkpoints' seqs, and the first problem (its count relative to the stretch)."""

    count: int
    last_hash: str
    hashes: dict[int, str]
    problem: Verification | None = None


def walk(after: int, until: int | None, wanted: frozenset, chunk_size: int = 5000) -> Stretch:
    """Walk the events with after < seq <= until (to the end when `until` is None): each must follow the one
    before (the first, the stored event `after`), and hash to what it stores."""
    prev = GENESIS if after == 0 else AuditEvent.objects.filter(seq=after).values_list("hash", flat=True).first()
    if prev is None:
        return Stretch(0, "", {}, Verification(False, 0, after, f"event #{after} is missing (deleted or renumbered)"))
    # The keyed states of the configured keys, by id: hashing an event copies one (the common case, kept lean
    # because it runs once per event); anything else takes `_event_problem`.
    states = {key.id: keyed_state(key.secret) for key in keyring.ring()}
    events = AuditEvent.objects.filter(seq__gt=after)
    if until is not None:
        events = events.filter(seq__lte=until)
    rows = events.order_by("seq").values_list(*CHAINED_FIELDS, "hash", "key_id").iterator(chunk_size=chunk_size)
    expected_seq, hashes = after + 1, {}
    # A million events in a row: each row's names unpacked, its chained values built in one list (as
    # chained_values gives them); how many fit is how far the seq has come.
    for (seq, created_at, actor_id, actor_name, action, post_id, from_state, to_state, revision_hash, detail,
         prev_hash, stored, record_key_id) in rows:
        if seq != expected_seq:
            count = expected_seq - after - 1
            return Stretch(count, prev, hashes, Verification(
                False, count, expected_seq, f"event #{expected_seq} is missing (deleted or renumbered)"))
        if prev_hash != prev:
            count = seq - after - 1
            return Stretch(count, prev, hashes, Verification(
                False, count, seq, f"event #{seq} does not follow event #{seq - 1} (removed or re-ordered)"))
        values = [seq, created_at.isoformat(), actor_id, actor_name, action, post_id, from_state, to_state,
                  revision_hash, detail, prev_hash]
        state = states.get(record_key_id)
        if state is not None:
            mac = state.copy()
            mac.update(canonical_json(values))
            intact = mac.hexdigest() == stored
        else:
            intact = False
        if not intact:
            problem = _event_problem(values, stored, record_key_id)
            if problem:
                problem.count = seq - after - 1
                return Stretch(problem.count, prev, hashes, problem)
        if seq in wanted:
            hashes[seq] = stored
        prev, expected_seq = stored, seq + 1
    return Stretch(expected_seq - after - 1, prev, hashes)


def _walk_stretch(bounds, wanted, chunk_size):
    return walk(*bounds, wanted, chunk_size)


def can_fork() -> bool:
    """Worker processes see the database only if it is committed and not in this process's memory."""
    return ("fork" in multiprocessing.get_all_start_methods() and not connection.in_atomic_block
            and not (connection.vendor == "sqlite" and connection.is_in_memory_db()))


def _stretches(bounds: list, wanted: frozenset, chunk_size: int) -> list[Stretch]:
    if len(bounds) > 1 and can_fork():
        connections.close_all()  # each worker opens its own
        with ProcessPoolExecutor(len(bounds), mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_walk_stretch, bounds, repeat(wanted), repeat(chunk_size)))
    return [walk(*stretch, wanted, chunk_size) for stretch in bounds]


def verify(chunk_size: int = 5000, *, workers: int = 1, min_stretch: int = MIN_STRETCH) -> Verification:
    """Walk the chain from the first event; name the first one that does not fit. Then the chain must reach
    every checkpoint in the checkpoint storage, with the hash each saw.

    With `workers`, a chain of at least `min_stretch` events per worker is walked in that many stretches at once,
    in worker processes where the database allows it; the answer is the same as walking it in one go.
    """
    witnessed, untrusted = checkpoints.found()
    wanted = frozenset(c.seq for c in witnessed)
    last = AuditEvent.objects.aggregate(last=Max("seq"))["last"] or 0
    parts = max(1, min(workers, last // max(min_stretch, 1)))
    step = last // parts
    bounds = [(n * step, (n + 1) * step) for n in range(parts - 1)] + [((parts - 1) * step, None)]
    count, prev, hashes = 0, GENESIS, {}
    for (after, until), stretch in zip(bounds, _stretches(bounds, wanted, chunk_size)):
        if stretch.problem:
            stretch.problem.count += count
            return stretch.problem
        count += stretch.count
        prev = stretch.last_hash if stretch.count else prev
        hashes.update(stretch.hashes)
        if until is not None and stretch.count != until - after:
            return Verification(False, count, count + 1, f"event #{count + 1} is missing (deleted or renumbered)")
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
    before = dict(AuditEvent.objects.filter(seq__in=[e.seq - 1 for e in events if e.seq > 1]).values_list("seq", "hash"))
    before[0] = GENESIS
    for count, event in enumerate(events):
        if event.seq - 1 not in before:
            return Verification(False, count, event.seq - 1, f"event #{event.seq - 1} is missing (deleted or renumbered)")
        if event.prev_hash != before[event.seq - 1]:
            return Verification(False, count, event.seq,
                                f"event #{event.seq} does not follow event #{event.seq - 1} (removed or re-ordered)")
        problem = _event_problem(chained_values(**{name: getattr(event, name) for name in CHAINED_FIELDS}), event.hash,
                                 event.key_id)
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
    problem = _event_problem(chained_values(**{name: getattr(event, name) for name in CHAINED_FIELDS}), event.hash,
                             event.key_id)
    if problem is None or (key_only and not problem.key_missing and event.key_id != keyring.LEGACY):
        return ""
    if problem.key_missing:
        return f"the newest audit event (#{event.seq}) was {keyring.not_configured(event.key_id)}"
    return f"the newest audit event (#{event.seq}) does not verify with any configured key"
