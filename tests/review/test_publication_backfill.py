"""Upgrading a database whose posts were published before publication records existed (migration review.0013):
each post published through the application keeps its place on the public site; one that does not match the
audit trail or its signature gets no record."""

from django.apps import apps
from django.db import connection

from review import audit, publication, selectors
from review.models import AuditEvent, Workflow
from review.states import State


def as_before_records():
    """The database as it was before this release: no publication records, no pointers to them."""
    Workflow.objects.update(publication=None)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM review_publication")


def backfill(reported=None):
    models = {name: apps.get_model(app, name) for app, name in (
        ("content", "Post"), ("review", "Workflow"), ("review", "Signature"), ("review", "AuditEvent"),
        ("review", "AuditHead"), ("review", "Publication"))}
    return publication.record_existing_publications(**models, report=(reported if reported is not None else []).append)


def test_publication_backfill_keeps_published_posts_public_and_the_chain_intact(post_in):
    live, archived, approved = post_in(State.PUBLISHED), post_in(State.ARCHIVED), post_in(State.APPROVED)
    as_before_records()
    assert selectors.public_post(live.slug) is None
    assert backfill() == 1
    assert selectors.public_post(live.slug) is not None
    assert selectors.public_post(archived.slug) is None and selectors.public_post(approved.slug) is None
    event = AuditEvent.objects.get(action="publication_recorded")
    assert (event.post_id, event.actor_id) == (live.pk, None)
    assert audit.verify().ok


def test_publication_backfill_leaves_out_a_post_made_live_behind_the_application(post_in):
    from django.utils import timezone

    from content.models import Post

    post = post_in(State.APPROVED)
    now = timezone.now()
    Post.objects.filter(pk=post.pk).update(live_revision=post.current_revision, published_at=now,
                                           first_published_at=now)
    reported = []
    assert backfill(reported) == 0
    assert post.slug in reported[0]
    assert selectors.public_post(post.slug) is None
