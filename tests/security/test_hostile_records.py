"""The hostile-record corpus: what someone with write access to the database (but not the record key) may change
behind the application to put words, a date, an address or a doctor's name on the public site that nobody
published or signed (issue 16, holes 4-6). Each vector takes the article off its page, the index, the feed, its
reviewer's page and the sitemap (a vector returns the post it tries to show, when not the one it was given); none
shows an unsigned fact."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from content.models import Post
from review import services
from review.models import Publication, ReviewerProfile, Signature, Workflow
from review.states import State
from tests.factories import PASSWORD, make_author, make_publisher, make_reviewer
from tests.public.test_feed_and_sitemap import sitemap_urls
from tests.public.test_tampering import tamper


def live_pointer_to_a_signed_unpublished_version(post, world):
    services.post_save_draft(post, user=world["author"], title="Caring for your skin", summary="Never published.",
                             body="A version that was signed but never published.")
    services.post_submit(post, user=world["author"])
    services.revision_sign(post, user=world["reviewer"], password=PASSWORD, attested=True)
    Post.objects.filter(pk=post.pk).update(live_revision=Post.objects.get(pk=post.pk).current_revision)


def slug_moved(post, world):
    Post.objects.filter(pk=post.pk).update(slug="a-new-address")


def back_dated(post, world):
    Post.objects.filter(pk=post.pk).update(published_at=post.published_at - timedelta(days=700),
                                           first_published_at=post.first_published_at - timedelta(days=700))


def record_names_another_publisher(post, world):
    tamper(Publication, Publication.objects.get(post=post).pk, publisher_id=make_publisher("someone-else").pk)


def record_and_post_back_dated_together(post, world):
    earlier = post.published_at - timedelta(days=700)
    tamper(Publication, Publication.objects.get(post=post).pk, published_at=earlier, first_published_at=earlier)
    Post.objects.filter(pk=post.pk).update(published_at=earlier, first_published_at=earlier)


def record_and_post_moved_together(post, world):
    tamper(Publication, Publication.objects.get(post=post).pk, slug="a-new-address")
    Post.objects.filter(pk=post.pk).update(slug="a-new-address")


def record_of_another_post(post, world):
    other = services.post_create(author=world["author"], title="Another article", body="Other words.")
    Workflow.objects.filter(post=other).update(publication=Workflow.objects.get(post=post).publication)
    Post.objects.filter(pk=other.pk).update(live_revision=post.live_revision, published_at=post.published_at,
                                            first_published_at=post.first_published_at)
    return other


def archived_and_pointed_back_at_its_old_record(post, world):
    record = Publication.objects.get(post=post)
    services.post_unpublish(post, user=world["publisher"], reason="Out of date.")
    Post.objects.filter(pk=post.pk).update(live_revision=record.revision, published_at=record.published_at,
                                           first_published_at=record.first_published_at)
    Workflow.objects.filter(post=post).update(state=State.PUBLISHED, publication=record)


def approved_and_made_live_without_publishing(post, world):
    services.post_unpublish(post, user=world["publisher"], reason="Out of date.")
    services.post_restore(post, user=world["publisher"])  # back to Approved: its sign-off is still current
    now = timezone.now()
    Post.objects.filter(pk=post.pk).update(live_revision=post.live_revision, published_at=now, first_published_at=now)
    Workflow.objects.filter(post=post).update(state=State.PUBLISHED)


def signature_moved_to_another_reviewer(post, world):
    tamper(Signature, Signature.objects.get(revision=post.live_revision).pk,
           reviewer_id=world["second_reviewer"].reviewer_profile.pk)


def signature_moved_to_another_account(post, world):
    tamper(Signature, Signature.objects.get(revision=post.live_revision).pk, signer_id=world["second_reviewer"].pk)


HOSTILE_RECORDS = [
    live_pointer_to_a_signed_unpublished_version, slug_moved, back_dated, record_names_another_publisher,
    record_and_post_back_dated_together, record_and_post_moved_together, record_of_another_post,
    archived_and_pointed_back_at_its_old_record, approved_and_made_live_without_publishing,
    signature_moved_to_another_reviewer, signature_moved_to_another_account,
]


def assert_not_public(client, post, reviewer):
    """Nothing of `post` at its address, on the index, in the feed, on its reviewer's page or in the sitemap."""
    assert client.get(f"/blog/{post.slug}/").status_code == 404
    for path in ("/blog/", "/blog/feed/", f"/reviewers/{reviewer.reviewer_profile.slug}/"):
        response = client.get(path)
        assert response.status_code == 200
        assert f"/blog/{post.slug}/" not in response.content.decode(), path
    assert not any(f"/blog/{post.slug}/" in loc for loc, _ in sitemap_urls(client))


@pytest.fixture
def world(author, reviewer, second_reviewer, publisher):
    return {"author": author, "reviewer": reviewer, "second_reviewer": second_reviewer, "publisher": publisher}


@pytest.mark.parametrize("vector", HOSTILE_RECORDS, ids=lambda vector: vector.__name__)
def test_hostile_record_takes_the_article_off_the_public_site(client, post_in, world, vector):
    post = post_in(State.PUBLISHED)
    target = vector(post, world) or post  # the post the vector tries to show
    for shown_as in {target.slug, Post.objects.get(pk=target.pk).slug}:
        target.slug = shown_as
        assert_not_public(client, target, world["reviewer"])


def test_hostile_record_a_reviewer_profile_handed_to_another_account_is_refused_by_the_database(post_in, reviewer):
    post_in(State.PUBLISHED)
    with pytest.raises(DatabaseError), transaction.atomic():
        ReviewerProfile.objects.filter(user=reviewer).update(user=make_author("impostor"))


def test_hostile_record_a_profile_renamed_behind_the_application_changes_no_review_line(client, post_in, reviewer):
    post = post_in(State.PUBLISHED)
    ReviewerProfile.objects.filter(user=reviewer).update(display_name="Famous Name", honorific="Prof.",
                                                         slug="famous-name")
    page = client.get(f"/blog/{post.slug}/").content.decode()
    assert "Famous Name" not in page and "famous-name" not in page
    assert "Ian Tan" in page


def test_hostile_record_a_second_doctor_profile_cannot_sign_for_the_first(post_in, reviewer):
    """An administrator gives another account a profile with Dr. Tan's name: its signatures seal that account."""
    impostor = make_reviewer("impostor", display_name="Ian Tan", credentials="MBBS (Singapore)")
    post = post_in(State.IN_REVIEW)
    signature = services.revision_sign(post, user=impostor, password=PASSWORD, attested=True)
    assert signature.details["signer"]["username"] == "impostor"
