"""Publication records: what went live where, by whom and when, sealed with the record key; and the one test of
whether the public may see a post now (`shows`).

Publishing (and a live post's change of address) writes a `Publication` linked to its audit event; unpublishing
writes an event with no record, which ends the one before. A post is shown only while the record its workflow
points to is the record of the post's newest publication event, its seal verifies, and it names the live
revision (by id and hash), the address and the times the post carries now. So setting the live revision pointer,
the slug or the dates behind the application's back, re-pointing an archived post at its old record, or editing a
record, takes the article off the site, page, feed and sitemap alike.
"""

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from content.hashing import content_hash
from review import audit, keyed_hash, keyring, signing
from review.models import AuditEvent, Publication, Workflow

# Audit actions that start or end a publication; the newest of them for a post decides which record is current.
RECORDING_ACTIONS = ("publish", "publish_scheduled", "change_slug", "publication_recorded")
PUBLICATION_ACTIONS = (*RECORDING_ACTIONS, "unpublish")
# The annotation `newest_event` puts on each row: the id of the post's newest publication event.
NEWEST_EVENT = "newest_publication_event"


def sealed_fields(*, post_id, slug, revision_id, revision_hash, publisher_id, publisher_name, published_at,
                  first_published_at, audit_event_id) -> dict:
    return {
        "post_id": post_id,
        "slug": slug,
        "revision_id": revision_id,
        "revision_hash": revision_hash,
        "publisher_id": publisher_id,
        "publisher_name": publisher_name,
        "published_at": published_at.isoformat(),
        "first_published_at": first_published_at.isoformat(),
        "audit_event_id": audit_event_id,
    }


def record_fields(record: Publication) -> dict:
    return sealed_fields(**{name: getattr(record, name) for name in (
        "post_id", "slug", "revision_id", "revision_hash", "publisher_id", "publisher_name", "published_at",
        "first_published_at", "audit_event_id")})


def seal_matches(record: Publication) -> bool:
    return keyed_hash.matches(record_fields(record), record.seal, record.key_id)


def record_publication(post, *, event: AuditEvent, publisher) -> Publication:
    """Seal what `post` shows now (its live revision, address and times), as published by `publisher`, under
    `event`; the workflow points to it from now on. Inside the caller's transaction."""
    key = keyring.newest()
    record = Publication(
        post=post, slug=post.slug, revision=post.live_revision, revision_hash=post.live_revision.content_hash,
        publisher=publisher, publisher_name=audit.actor_label(publisher) if publisher else "",
        published_at=post.published_at, first_published_at=post.first_published_at, audit_event=event,
        key_id=key.id,
    )
    record.seal = keyed_hash.keyed_hash(record_fields(record), key=key.secret)
    record.save()
    Workflow.objects.filter(post_id=post.pk).update(publication=record)
    return record


def scheduled_by(post):
    """Who scheduled `post`: the publisher of a scheduled publication."""
    event = post.audit_events.filter(action="schedule").select_related("actor").order_by("-seq").first()
    return event.actor if event else None


def newest_event(post: str = "pk") -> Subquery:
    """An annotation (name it NEWEST_EVENT): the id of the newest publication event of the post at `post`."""
    return Subquery(AuditEvent.objects.filter(post=OuterRef(post), action__in=PUBLICATION_ACTIONS)
                    .order_by("-seq").values("pk")[:1])


def shows(post) -> bool:
    """Whether the public may see `post` now, as far as its publication goes (its signatures are checked
    beside this, in review.selectors). `post` comes with `workflow__publication` and `live_revision` loaded and
    the NEWEST_EVENT annotation (review.selectors.public_posts); without them, nothing is shown."""
    workflow = getattr(post, "workflow", None)
    record = workflow.publication if workflow is not None else None
    revision = post.live_revision if post.live_revision_id else None
    return (
        record is not None and revision is not None
        and record.audit_event_id == getattr(post, NEWEST_EVENT, None)
        and record.post_id == post.pk
        and record.slug == post.slug
        and record.revision_id == revision.pk
        and record.revision_hash == revision.content_hash
        and record.published_at == post.published_at
        and record.first_published_at == post.first_published_at
        and seal_matches(record)
    )


# --- records for publications made before records existed

RECORD_FROM = ("publish", "publish_scheduled")
ENDS_OR_STARTS = ("publish", "publish_scheduled", "unpublish")
MEDICAL = "medical"


def _intact(revision) -> bool:
    return content_hash(title=revision.title, summary=revision.summary, body=revision.body, html=revision.html,
                        images=revision.images) == revision.content_hash


def _medically_signed(Signature, revision) -> bool:
    return any(signature.revision_hash == revision.content_hash and signing.seal_matches(signature)
               for signature in Signature.objects.filter(revision_id=revision.pk, meaning=MEDICAL))


def record_existing_publications(*, Post, Workflow, Signature, AuditEvent, AuditHead, Publication,
                                 report=print) -> int:
    """A publication record for every post live now that was published through the application, for an upgrade
    from before records existed (migration review.0013), or a database built row by row (bench.build). Pass the
    models (a migration's historical ones); returns how many posts got one.

    A post gets one only if what it shows is what the application published: its live revision is intact (its
    content hash recomputes), carries a medical signature whose seal verifies, and the post's newest publish or
    unpublish audit event is a publication of exactly that revision's hash. Each record is made under a new
    audit event, "publication_recorded", appended to the chain by the system, naming the publication event it
    rests on; the record names that event's publisher (for a scheduled one, who scheduled it). A live post that
    fails a check gets no record and leaves the public site; `report` names it, so that a publisher can look at
    it and publish it again through the application.
    """
    live = list(Post.objects.filter(live_revision__isnull=False).select_related("live_revision").order_by("pk"))
    if not live:
        return 0
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1, defaults={"hash": audit.GENESIS})
    newest = AuditEvent.objects.filter(seq=head.seq).first()
    if newest is not None and not keyed_hash.matches(
            audit.chained_values(**{name: getattr(newest, name) for name in audit.CHAINED_FIELDS}),
            newest.hash, newest.key_id):
        raise RuntimeError(
            f"The configured record keys do not verify the newest audit event (#{newest.seq}): configure the key "
            "that made the records (RECORD_KEYS, newest first) and run the migration again. Nothing was changed.")
    key = keyring.newest()
    made = 0
    for post in live:
        revision = post.live_revision
        event = (AuditEvent.objects.filter(post_id=post.pk, action__in=ENDS_OR_STARTS).select_related("actor")
                 .order_by("-seq").first())
        workflow = Workflow.objects.filter(post_id=post.pk).first()
        if not (workflow and event and event.action in RECORD_FROM and event.revision_hash == revision.content_hash
                and post.published_at and post.first_published_at and _intact(revision)
                and _medically_signed(Signature, revision)):
            report(f"Post #{post.pk} ({post.slug}) is live but does not match its publication in the audit "
                   "trail, or its signature: it gets no publication record and leaves the public site until a "
                   "publisher publishes it again.")
            continue
        publisher = event.actor
        if event.action == "publish_scheduled":
            scheduled = (AuditEvent.objects.filter(post_id=post.pk, action="schedule", seq__lt=event.seq)
                         .select_related("actor").order_by("-seq").first())
            publisher = scheduled.actor if scheduled else None
        fields = dict(
            seq=head.seq + 1, created_at=timezone.now(), actor_id=None, actor_name="system",
            action="publication_recorded", post_id=post.pk, from_state=workflow.state, to_state=workflow.state,
            revision_hash=revision.content_hash,
            detail={"reason": "upgrade: a sealed record of the publication already in the trail",
                    "publication_event": event.seq},
            prev_hash=head.hash,
        )
        recorded = AuditEvent.objects.create(hash=audit.event_hash(**fields, key=key.secret), key_id=key.id, **fields)
        head.seq, head.hash = recorded.seq, recorded.hash
        record = Publication(
            post_id=post.pk, slug=post.slug, revision_id=revision.pk, revision_hash=revision.content_hash,
            publisher_id=publisher.pk if publisher else None,
            publisher_name=audit.actor_label(publisher) if publisher else "",
            published_at=post.published_at, first_published_at=post.first_published_at,
            audit_event_id=recorded.pk, key_id=key.id,
        )
        record.seal = keyed_hash.keyed_hash(record_fields(record), key=key.secret)
        record.save()
        Workflow.objects.filter(pk=workflow.pk).update(publication_id=record.pk)
        made += 1
    AuditHead.objects.filter(pk=head.pk).update(seq=head.seq, hash=head.hash)
    return made
