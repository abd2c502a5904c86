"""A post's address changes only through the service: audited, the old address redirects, and a live post stays
public at its new one (issue 16, hole 7)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from review import services
from review.models import AuditEvent, Publication
from review.states import State


def test_post_change_slug_is_audited_redirects_and_keeps_the_article_public(client, post_in, publisher):
    post = post_in(State.PUBLISHED, slug="after-laser")
    services.post_change_slug(post, user=publisher, slug="laser-aftercare")
    event = AuditEvent.objects.get(post=post, action="change_slug")
    assert (event.actor_id, event.detail) == (publisher.pk, {"from": "after-laser", "to": "laser-aftercare"})
    old = client.get("/blog/after-laser/")
    assert (old.status_code, old["Location"]) == (301, "/blog/laser-aftercare/")
    assert client.get("/blog/laser-aftercare/").status_code == 200
    record = Publication.objects.filter(post=post).latest("pk")
    assert (record.slug, record.audit_event_id, record.publisher_id) == ("laser-aftercare", event.pk, publisher.pk)


def test_post_change_slug_of_a_draft_leaves_no_redirect(client, post_in, publisher):
    post = post_in(State.DRAFT, slug="first-name")
    services.post_change_slug(post, user=publisher, slug="second-name")
    assert AuditEvent.objects.filter(post=post, action="change_slug").exists()
    assert client.get("/blog/first-name/").status_code == 404


def test_post_change_slug_refused_to_a_writer(post_in, author):
    post = post_in(State.PUBLISHED)
    with pytest.raises(PermissionDenied):
        services.post_change_slug(post, user=author, slug="elsewhere")


@pytest.mark.parametrize("slug, message", [("", "Give the post an address."), ("has space", "Use only letters"),
                                           ("taken", "Another post already uses")])
def test_post_change_slug_refuses_a_bad_address(post_in, publisher, slug, message):
    post_in(State.DRAFT, slug="taken")
    post = post_in(State.PUBLISHED, slug="kept")
    with pytest.raises(ValidationError) as refused:
        services.post_change_slug(post, user=publisher, slug=slug)
    assert message in refused.value.message_dict["slug"][0]
    post.refresh_from_db()
    assert post.slug == "kept"


def admin_change(admin_client, post, slug):
    revisions = list(post.revisions.order_by("-number"))
    data = {"slug": slug, "revisions-TOTAL_FORMS": len(revisions), "revisions-INITIAL_FORMS": len(revisions),
            "revisions-MIN_NUM_FORMS": 0, "revisions-MAX_NUM_FORMS": 1000}
    for n, revision in enumerate(revisions):
        data.update({f"revisions-{n}-id": revision.pk, f"revisions-{n}-post": post.pk})
    return admin_client.post(f"/admin/content/post/{post.pk}/change/", data)


def test_post_slug_changed_in_the_admin_goes_through_the_service(client, admin_client, post_in):
    post = post_in(State.PUBLISHED, slug="after-laser")
    assert admin_change(admin_client, post, "laser-aftercare").status_code == 302
    assert AuditEvent.objects.get(post=post, action="change_slug").detail == {"from": "after-laser",
                                                                            "to": "laser-aftercare"}
    assert client.get("/blog/after-laser/")["Location"] == "/blog/laser-aftercare/"
    assert client.get("/blog/laser-aftercare/").status_code == 200


def test_post_slug_refused_in_the_admin_next_to_the_field(admin_client, post_in):
    post_in(State.DRAFT, slug="taken")
    post = post_in(State.PUBLISHED, slug="after-laser")
    response = admin_change(admin_client, post, "taken")
    assert response.status_code == 200
    assert "Another post already uses the address" in response.content.decode()
    post.refresh_from_db()
    assert post.slug == "after-laser"


def test_post_change_slug_attests_the_article_at_its_new_address(post_in, publisher,
                                                                django_capture_on_commit_callbacks):
    from review import attestations

    with django_capture_on_commit_callbacks(execute=True):
        post = post_in(State.PUBLISHED, slug="after-laser")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_change_slug(post, user=publisher, slug="laser-aftercare")
    assert attestations.newest_for_slug("laser-aftercare").url == "http://testserver/blog/laser-aftercare/"
