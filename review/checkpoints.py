"""Witnessed checkpoints of the audit chain: signed notes of how far the chain reached, kept outside the database.

The chain's own links catch an edit or a removal inside it, but not its newest events deleted together
with the chain head moved back, nor the whole trail deleted. A checkpoint (seq, hash, count, time),
signed with the attestation key (review.public_signing) and written to the checkpoint storage, which the
database cannot reach, remembers the chain's head; `verify_audit` then requires the chain to reach every
checkpoint it finds. They are made by the scheduled work and whenever an article's publication changes.

Files are `checkpoints/YYYY/MM/DD/<time>-<seq>.json`, so the newest is found without listing them all.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from review import public_signing
from review.models import AuditEvent, AuditHead

logger = logging.getLogger(__name__)

FOLDER = "checkpoints"
TYPE = "medreview-checkpoint/1"


@dataclass(frozen=True)
class Checkpoint:
    name: str
    seq: int
    hash: str
    count: int
    time: str

    def describe(self) -> str:
        return f"the checkpoint of {self.time} ({self.name})"


def _folders(path: str) -> list[str]:
    try:
        return sorted(public_signing.storage().listdir(path)[0], reverse=True)
    except FileNotFoundError:
        return []


def _files(path: str) -> list[str]:
    try:
        return sorted((name for name in public_signing.storage().listdir(path)[1] if name.endswith(".json")),
                      reverse=True)
    except FileNotFoundError:
        return []


def _names_newest_first():
    for year in _folders(FOLDER):
        for month in _folders(f"{FOLDER}/{year}"):
            for day in _folders(f"{FOLDER}/{year}/{month}"):
                for name in _files(f"{FOLDER}/{year}/{month}/{day}"):
                    yield f"{FOLDER}/{year}/{month}/{day}/{name}"


def read(name: str) -> bytes:
    with public_signing.storage().open(name, "rb") as handle:
        return handle.read()


def newest_document() -> tuple[str, bytes] | None:
    """The newest checkpoint's file name and signed text, or None."""
    for name in _names_newest_first():
        return name, read(name)
    return None


def _checkpoint(name: str, payload: dict) -> Checkpoint:
    if payload.get("type") != TYPE:
        raise public_signing.BadDocument(f"not a checkpoint ({payload.get('type')!r})")
    try:
        return Checkpoint(name=name, seq=int(payload["seq"]), hash=str(payload["hash"]), count=int(payload["count"]),
                          time=str(payload["time"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise public_signing.BadDocument("a checkpoint without seq, hash, count and time") from exc


def found() -> tuple[list[Checkpoint], list[str]]:
    """Every checkpoint in the storage whose signature verifies, and a sentence for each file that does not."""
    keys = public_signing.published_keys()
    checkpoints, problems = [], []
    for name in _names_newest_first():
        try:
            payload, _ = public_signing.open_document(read(name), keys)
            checkpoints.append(_checkpoint(name, payload))
        except public_signing.BadDocument as exc:
            problems.append(f"checkpoint {name} cannot be trusted: {exc}")
    return checkpoints, problems


def checkpoint_now(now: datetime | None = None) -> dict | None:
    """Sign and store a checkpoint of the chain's head, unless the newest one already has it; returns the
    checkpoint (its payload), or None when the chain is empty or no attestation key is configured.

    Call it after the transaction that wrote the events has committed (`transaction.on_commit`).
    """
    head = AuditHead.objects.filter(pk=1).values_list("seq", "hash").first()
    if head is None or head[0] == 0:
        return None
    newest = newest_document()
    if newest is not None:
        try:
            payload, _ = public_signing.open_document(newest[1], public_signing.published_keys())
            if (payload.get("seq"), payload.get("hash")) == head:
                return payload
        except public_signing.BadDocument:
            pass  # a new, good checkpoint follows; verify_audit reports the bad one
    now = now or timezone.now()
    seq, head_hash = head
    payload = {"type": TYPE, "issuer": settings.SITE_URL, "seq": seq, "hash": head_hash,
               "count": AuditEvent.objects.filter(seq__lte=seq).count(), "time": public_signing.utc_iso(now)}
    text = public_signing.sign(payload, now=now)
    if text is None:
        return None
    moment = now.astimezone(public_signing.UTC)
    name = f"{FOLDER}/{moment:%Y/%m/%d}/{moment:%Y%m%dT%H%M%S%f}Z-{seq:012d}.json"
    public_signing.storage().save(name, ContentFile(text.encode("utf-8")))
    return payload


def chain_problem(count: int, hashes: dict[int, str], checkpoints: list[Checkpoint]) -> tuple[int, str] | None:
    """Where and why a chain of `count` events, whose hashes at the checkpoints' seqs are `hashes`, does not
    reach every checkpoint; None when it does."""
    beyond = [c for c in checkpoints if c.seq > count]
    if beyond:
        furthest = max(beyond, key=lambda c: (c.seq, c.time))
        missing = (f"event #{furthest.seq} is missing" if furthest.seq == count + 1
                   else f"events #{count + 1}–#{furthest.seq} are missing")
        now = f"it now ends at #{count}" if count else "it is now empty"
        return count + 1, f"{missing}: {furthest.describe()} saw the chain reach #{furthest.seq}, and {now}"
    for checkpoint in sorted(checkpoints, key=lambda c: c.seq):
        if hashes.get(checkpoint.seq) != checkpoint.hash:
            return checkpoint.seq, (f"event #{checkpoint.seq} is not the one {checkpoint.describe()} saw: "
                                    "the chain was rewritten up to there")
    return None
