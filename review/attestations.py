"""Review attestations: a signed statement of each published article's review line that anyone can check.

An attestation states what the article page shows and who signed it: the address, title, summary and the
exact body HTML, the reviewer's printed name, credentials and registration number, the meaning and time
of their signature, the next review date and the audit checkpoint it was made at. It is signed with the
attestation key (review.public_signing) and issued once an article's publication or review changes.
Whether an attestation is still current is published in a signed status list. The page marks the regions
a verifier compares (`mark`); docs/attestation.md specifies all of it for independent verifiers.
"""

import hashlib
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from content.models import Post
from review import checkpoints, public_signing, rules, selectors
from review.models import Attestation, AuditEvent, AuditHead, Signature, Workflow

logger = logging.getLogger(__name__)

TYPE = "medreview-review-attestation/1"
STATUS_TYPE = "medreview-status-list/1"
MEDIA_TYPE = "application/vnd.medreview.attestation+json"


# --- the page's marked regions


def mark(name: str, inner: str) -> SafeString:
    """`inner` (HTML as the page serves it) between markers a verifier finds unambiguously: each names the region
    and the SHA-256 of its exact UTF-8 bytes, which the region itself cannot contain."""
    digest = hashlib.sha256(inner.encode("utf-8")).hexdigest()
    return mark_safe(f"<!--medreview:begin {name} sha256={digest}-->{inner}"  # noqa: S308  (inner is rendered HTML)
                     f"<!--medreview:end {name} sha256={digest}-->")


# --- issuing


def article_url(slug: str) -> str:
    return settings.SITE_URL + reverse("public:article", args=[slug])


def newest_for(post: Post) -> Attestation | None:
    return Attestation.objects.filter(post=post).order_by("-issued_at", "-pk").first()


def newest_for_each(posts) -> dict[int, Attestation]:
    """The newest attestation of each of `posts` that has one, by post id, in one query (for a list of articles)."""
    found: dict[int, Attestation] = {}
    for attestation in (Attestation.objects.filter(post__in=posts).only("uid", "post_id", "issued_at")
                        .order_by("-issued_at", "-pk")):
        found.setdefault(attestation.post_id, attestation)
    return found


def attest(post: Post, *, now: datetime | None = None) -> Attestation | None:
    """Issue an attestation of the post's public review line, unless the newest one already states it.

    None when the post is not public (no valid medical sign-off on a live version) or no attestation key
    is configured. Call it once the publication has committed.
    """
    found = selectors.public_post(post.slug)
    if found is None:
        return None
    live, review = found
    revision = live.live_revision
    url = article_url(live.slug)
    newest = newest_for(live)
    if newest and (newest.revision_id, newest.signature_id, newest.url) == (revision.pk, review.signature_id, url):
        return newest
    kid = public_signing.current_key_id()
    if kid is None:
        return None
    now = now or timezone.now()
    signature = Signature.objects.select_related("reviewer").get(pk=review.signature_id)
    checkpoint = checkpoints.checkpoint_now(now)
    uid = uuid.uuid4()
    next_review = timezone.localdate(review.next_review_due)
    payload = {
        "type": TYPE,
        "id": str(uid),
        "issuer": {"name": settings.SITE_NAME, "url": settings.SITE_URL},
        "url": url,
        "title": revision.title,
        "summary": revision.summary,
        "body_html": revision.html,
        "body_sha256": hashlib.sha256(revision.html.encode("utf-8")).hexdigest(),
        "content_hash": revision.content_hash,
        "version": revision.number,
        "published_at": public_signing.utc_iso(live.published_at),
        "reviewer": {
            "name": signature.printed_name,
            "credentials": signature.credentials,
            "registration_number": signature.registration_number,
            "registering_body": signature.reviewer.registering_body,
        },
        "meaning": signature.get_meaning_display(),
        "statement": signature.statement,
        "signed_at": public_signing.utc_iso(signature.signed_at),
        "reviewed_on": timezone.localdate(signature.signed_at).isoformat(),
        "next_review": next_review.isoformat(),
        "checkpoint": {key: checkpoint[key] for key in ("seq", "hash", "time")} if checkpoint else None,
        "issued_at": public_signing.utc_iso(now),
        "key_id": kid,
    }
    document = public_signing.sign(payload, now=now)
    if document is None:
        return None
    return Attestation.objects.create(uid=uid, post=live, revision=revision, signature=signature, url=url,
                                      next_review=next_review, issued_at=now, key_id=kid, document=document)


def witness(post_id: int | None) -> None:
    """After a publication changed and committed: a checkpoint, and an attestation of what is now public."""
    checkpoints.checkpoint_now()
    post = Post.objects.filter(pk=post_id).first() if post_id else None
    if post is not None:
        attest(post)


def attest_missing() -> list[Attestation]:
    """Attest every public article whose live version has no attestation yet (articles published before
    attestations existed, or while no key was configured); the scheduled work calls it."""
    attested = Attestation.objects.filter(post=OuterRef("pk"), revision=OuterRef("live_revision"))
    issued = []
    for post in Post.objects.published().filter(~Exists(attested)):
        attestation = attest(post)
        if attestation is not None:
            issued.append(attestation)
    return issued


# --- status


@dataclass(frozen=True)
class Status:
    current: bool
    reason: str = ""  # "unpublished", "superseded" or "review_lapsed"
    since: datetime | date | None = None


def statuses(attestations) -> dict[uuid.UUID, Status]:
    """Whether each of `attestations` (values with uid, post_id, revision_id, issued_at, next_review, pk) is
    current, in four queries whatever their number. A review lapses by the workflow's rule
    (`rules.rereview_due`), or when the date the attestation itself gives has passed."""
    attestations = list(attestations)
    post_ids = {a["post_id"] for a in attestations}
    live = dict(Post.objects.filter(pk__in=post_ids).values_list("pk", "live_revision_id"))
    due = dict(Workflow.objects.filter(rules.rereview_due_q(), post_id__in=post_ids)
               .values_list("post_id", "review_due_at"))
    unpublished_at = dict(AuditEvent.objects.filter(action="unpublish", post_id__in=post_ids)
                          .values("post_id").annotate(at=Max("created_at")).values_list("post_id", "at"))
    issued: dict[int, list] = {}
    for attestation in Attestation.objects.filter(post_id__in=post_ids).values("post_id", "issued_at", "pk"):
        issued.setdefault(attestation["post_id"], []).append((attestation["issued_at"], attestation["pk"]))
    today = timezone.localdate()
    found = {}
    for attestation in attestations:
        post_id = attestation["post_id"]
        later = sorted(key for key in issued[post_id] if key > (attestation["issued_at"], attestation["pk"]))
        if later:
            status = Status(False, "superseded", later[0][0])
        elif live[post_id] is None:
            status = Status(False, "unpublished", unpublished_at.get(post_id))
        elif live[post_id] != attestation["revision_id"]:
            status = Status(False, "superseded")
        elif post_id in due or attestation["next_review"] < today:
            status = Status(False, "review_lapsed", due.get(post_id) or attestation["next_review"])
        else:
            status = Status(True)
        found[attestation["uid"]] = status
    return found


STATUS_FIELDS = ("uid", "post_id", "revision_id", "issued_at", "next_review", "pk")


def status_of(attestation: Attestation) -> Status:
    return statuses(Attestation.objects.filter(pk=attestation.pk).values(*STATUS_FIELDS))[attestation.uid]


def _when(value) -> str | None:
    if isinstance(value, datetime):
        return public_signing.utc_iso(value)
    return value.isoformat() if value else None


def status_list() -> str | None:
    """The signed status list: every attestation no longer current, with why and since when.

    Kept in the cache until the audit chain or the attestations change, and at most an hour, so that
    its `issued_at` shows verifiers it is fresh; None without an attestation key.
    """
    kid = public_signing.current_key_id()
    if kid is None:
        return None
    now = timezone.now()
    head = AuditHead.objects.filter(pk=1).values_list("seq", "hash").first() or (0, "")
    newest = Attestation.objects.aggregate(newest=Max("pk"))["newest"] or 0
    key = f"medreview-status-list:{settings.SITE_URL}:{kid}:{head[0]}:{head[1]}:{newest}:{now:%Y%m%d%H}"
    document = cache.get(key)
    if document is None:
        not_current = {
            str(uid): {"reason": status.reason, "since": _when(status.since)}
            for uid, status in statuses(Attestation.objects.values(*STATUS_FIELDS)).items() if not status.current
        }
        payload = {"type": STATUS_TYPE, "issuer": {"name": settings.SITE_NAME, "url": settings.SITE_URL},
                   "issued_at": public_signing.utc_iso(now), "key_id": kid, "not_current": not_current}
        document = public_signing.sign(payload, now=now)
        cache.set(key, document, 3600)
    return document


# --- what the public site serves (public.verification reads these and nothing else of review/)


def newest_for_slug(slug: str) -> Attestation | None:
    return Attestation.objects.filter(post__slug=slug).order_by("-issued_at", "-pk").first()


def document(uid: uuid.UUID) -> str | None:
    return Attestation.objects.filter(uid=uid).values_list("document", flat=True).first()


def facts(attestation: Attestation) -> dict:
    """What the attestation states, for people: its payload, with times and dates as Python values."""
    payload = json.loads(public_signing.unb64url(json.loads(attestation.document)["payload"]))
    return {
        **payload,
        "signed_at": datetime.fromisoformat(payload["signed_at"]),
        "issued_at": datetime.fromisoformat(payload["issued_at"]),
        "next_review": date.fromisoformat(payload["next_review"]),
        "checkpoint_time": datetime.fromisoformat(payload["checkpoint"]["time"]) if payload["checkpoint"] else None,
    }


def key_set() -> dict:
    return public_signing.key_set()


def newest_checkpoint() -> bytes | None:
    newest = checkpoints.newest_document()
    return newest[1] if newest else None
