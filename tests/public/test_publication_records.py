"""A post is public only while its sealed publication record verifies and matches it (issue 16, hole 4).

Each test changes what someone with write access to the database would, behind the application, and finds the
article gone from its page, the index, the feed, its reviewer's page and the sitemap.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from content.models import Post
from review import selectors, services
from review.models import AuditEvent, Publication, Workflow
from review.states import State
from tests.factories import PASSWORD, make_publisher
from tests.public.test_tampering import assert_not_public, tamper


def test_publication_record_seals_what_went_live_and_links_its_audit_event(published, publisher):
    post = published()
    record = Publication.objects.get(post=post)
    event = AuditEvent.objects.filter(post=post, action="publish").get()
    assert (record.slug, record.revision_id, record.revision_hash, record.publisher_id, record.published_at,
            record.first_published_at, record.audit_event_id) == (
        post.slug, post.live_revision_id, post.live_revision.content_hash, publisher.pk, post.published_at,
        post.first_published_at, event.pk)
    assert Workflow.objects.get(post=post).publication_id == record.pk
    assert selectors.public_post(post.slug) is not None


def test_publication_live_revision_pointer_moved_to_another_signed_revision_is_not_public(
        client, published, author, reviewer, publisher):
    post = published()
    services.post_save_draft(post, user=author, title="Caring for your skin", summary="Unpublished words.",
                             body="A signed but never published version.")
    services.post_submit(post, user=author)
    services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    post.refresh_from_db()
    assert post.workflow.state == State.APPROVED
    Post.objects.filter(pk=post.pk).update(live_revision=post.current_revision)
    assert_not_public(client, post, reviewer)


def test_publication_slug_changed_behind_the_application_is_not_public(client, published, reviewer):
    post = published()
    Post.objects.filter(pk=post.pk).update(slug="another-address")
    assert_not_public(client, post, reviewer)
    post.slug = "another-address"
    assert_not_public(client, post, reviewer)


@pytest.mark.parametrize("field", ["published_at", "first_published_at"])
def test_publication_back_dated_post_is_not_public(client, published, reviewer, field):
    post = published()
    Post.objects.filter(pk=post.pk).update(**{field: getattr(post, field) - timedelta(days=400)})
    assert_not_public(client, post, reviewer)


@pytest.mark.parametrize("field, value", [
    ("publisher_id", "other"),
    ("publisher_name", "Someone Else"),
    ("published_at", timezone.now() - timedelta(days=400)),
    ("slug", "another-address"),
    ("revision_hash", "0" * 64),
])
def test_publication_record_altered_is_not_public(client, published, reviewer, field, value):
    post = published()
    if value == "other":
        value = make_publisher("other-publisher").pk
    tamper(Publication, Publication.objects.get(post=post).pk, **{field: value})
    assert_not_public(client, post, reviewer)


def test_publication_approved_post_made_live_without_publishing_is_not_public(client, post_in, reviewer):
    post = post_in(State.APPROVED)
    now = timezone.now()
    Post.objects.filter(pk=post.pk).update(live_revision=post.current_revision, published_at=now,
                                           first_published_at=now)
    Workflow.objects.filter(post=post).update(state=State.PUBLISHED)
    assert_not_public(client, post, reviewer)


def test_publication_archived_post_pointed_at_its_old_record_is_not_public(client, post_in, reviewer):
    post = post_in(State.ARCHIVED)
    record = Publication.objects.get(post=post)
    Post.objects.filter(pk=post.pk).update(live_revision=record.revision, published_at=record.published_at,
                                           first_published_at=record.first_published_at)
    Workflow.objects.filter(post=post).update(state=State.PUBLISHED, publication=record)
    assert_not_public(client, post, reviewer)


def test_publication_ended_by_unpublish_and_made_again_by_publishing(client, post_in, author, second_reviewer,
                                                                   publisher):
    post = post_in(State.ARCHIVED)
    assert Workflow.objects.get(post=post).publication is None
    services.post_restore(post, user=publisher)  # back to Approved: its sign-off is still current
    assert Workflow.objects.get(post=post).state == State.APPROVED
    services.post_publish(post, user=publisher)
    assert Publication.objects.filter(post=post).count() == 2
    assert client.get(f"/blog/{post.slug}/").status_code == 200


def test_publication_scheduled_names_who_scheduled_it(post_in, publisher):
    post = post_in(State.SCHEDULED)
    Workflow.objects.filter(post=post).update(scheduled_for=timezone.now() - timedelta(seconds=1))
    services.publish_due()
    record = Publication.objects.get(post=post)
    assert (record.publisher_id, record.audit_event.action) == (publisher.pk, "publish_scheduled")
    assert selectors.public_post(post.slug) is not None
