"""A review line is always true: a revision or signature changed behind the application's back is never shown."""

import pytest
from django.db import connection

from content.models import Revision
from review import selectors
from review.models import Signature
from tests.public.test_feed_and_sitemap import sitemap_urls


def tamper(model, pk, **values):
    """Change a row directly in the database, as someone bypassing the application would."""
    table = model._meta.db_table
    assignments = ", ".join(f"{connection.ops.quote_name(column)} = %s" for column in values)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {assignments} WHERE id = %s", [*values.values(), pk])  # noqa: S608


def assert_not_public(client, post, reviewer):
    assert client.get(f"/blog/{post.slug}/").status_code == 404
    for path in ("/blog/", "/blog/feed/", f"/reviewers/{reviewer.reviewer_profile.slug}/"):
        response = client.get(path)
        assert response.status_code == 200
        body = response.content.decode()
        assert post.slug not in body, path
        assert "Medically reviewed by" not in body, path
    assert not any(post.slug in loc for loc, _ in sitemap_urls(client))


@pytest.mark.parametrize("field, value", [
    ("body", "Pico laser cures everything."),
    ("html", "<p>Pico laser cures everything.</p>"),
    ("title", "A different title"),
    ("summary", "A different summary"),
])
def test_tampered_revision_is_never_served(client, published, reviewer, field, value):
    post = published()
    tamper(Revision, post.live_revision_id, **{field: value})
    assert_not_public(client, post, reviewer)


def test_tampered_revision_with_recomputed_hash_is_never_served(client, published, reviewer):
    post = published()
    revision = post.live_revision
    revision.body = "Pico laser cures everything."
    tamper(Revision, revision.pk, body=revision.body, content_hash=revision.compute_hash())
    assert_not_public(client, post, reviewer)


@pytest.mark.parametrize("field, value", [
    ("printed_name", "Prof. Famous Name"),
    ("credentials", "FRCP (London)"),
    ("revision_hash", "0" * 64),
])
def test_tampered_signature_is_never_displayed(client, published, reviewer, field, value):
    post = published()
    tamper(Signature, post.live_revision.signatures.get().pk, **{field: value})
    assert_not_public(client, post, reviewer)
    assert value not in client.get(f"/blog/{post.slug}/").content.decode()


def test_tampered_signature_date_is_never_displayed(client, published, reviewer):
    post = published()
    signature = post.live_revision.signatures.get()
    tamper(Signature, signature.pk, signed_at=signature.signed_at.replace(year=signature.signed_at.year + 1))
    assert_not_public(client, post, reviewer)


def test_tampered_article_leaves_the_others_listed(client, published, reviewer):
    kept = published(title="Kept article")
    spoiled = published(title="Spoiled article")
    tamper(Revision, spoiled.live_revision_id, body="changed")
    body = client.get("/blog/").content.decode()
    assert "Kept article" in body and "Spoiled article" not in body
    assert client.get(f"/blog/{kept.slug}/").status_code == 200
    listed = [loc for loc, _ in sitemap_urls(client)]
    assert f"http://testserver/blog/{kept.slug}/" in listed
    assert not any(spoiled.slug in loc for loc in listed)


def test_tampered_article_is_left_off_its_sitemap_page_only(client, published, reviewer, monkeypatch):
    from public.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    posts = [published(title=f"Article {n}") for n in range(4)]
    spoiled = posts[1]
    tamper(Signature, spoiled.live_revision.signatures.get().pk, printed_name="Prof. Famous Name")
    listed = [loc for loc, _ in sitemap_urls(client)]
    assert not any(spoiled.slug in loc for loc in listed)
    for post in posts:
        if post != spoiled:
            assert listed.count(f"http://testserver/blog/{post.slug}/") == 1


def test_selector_public_review_for_is_none_when_tampered(published):
    post = published()
    assert selectors.public_review_for(post) is not None
    tamper(Revision, post.live_revision_id, body="changed")
    post.refresh_from_db()
    post.live_revision = Revision.objects.get(pk=post.live_revision_id)
    assert selectors.public_review_for(post) is None


def test_selector_public_review_for_unpublished_post_is_none(post_in):
    from review.states import State

    assert selectors.public_review_for(post_in(State.APPROVED)) is None


@pytest.fixture(params=["locmem", "database"])
def each_cache(request, settings, db):
    """The article page with each kind of cache a deployment may choose (README: Configuration)."""
    from django.core.management import call_command

    from config.settings import cache_backend

    settings.CACHES = {"default": {"BACKEND": cache_backend(request.param), "LOCATION": "test_cache"}}
    if request.param == "database":
        call_command("createcachetable", verbosity=0)
    return request.param


@pytest.mark.parametrize("model, field, value", [
    (Revision, "body", "Pico laser cures everything."),
    (Revision, "html", "<p>Pico laser cures everything.</p>"),
    (Signature, "printed_name", "Prof. Famous Name"),
    (Signature, "revision_hash", "0" * 64),
])
def test_tampered_article_already_in_the_cache_is_gone_at_the_next_check(client, published, reviewer, each_cache,
                                                                         seconds_ago, model, field, value):
    from public.views import ARTICLE_RECHECK_SECONDS

    post = published()
    with seconds_ago(ARTICLE_RECHECK_SECONDS + 1):  # verified and kept that long ago
        assert client.get(f"/blog/{post.slug}/").status_code == 200
    row = post.live_revision_id if model is Revision else post.live_revision.signatures.get().pk
    tamper(model, row, **{field: value})
    assert_not_public(client, post, reviewer)


@pytest.mark.parametrize("model, field, value", [
    (Revision, "html", "<p>Pico laser cures everything.</p>"),
    (Signature, "printed_name", "Prof. Famous Name"),
])
def test_tampered_article_until_the_next_check_shows_only_what_was_signed(client, published, each_cache,
                                                                          model, field, value):
    post = published()
    signed = client.get(f"/blog/{post.slug}/").content
    row = post.live_revision_id if model is Revision else post.live_revision.signatures.get().pk
    tamper(model, row, **{field: value})
    shown = client.get(f"/blog/{post.slug}/").content
    assert shown == signed
    assert value.removeprefix("<p>").removesuffix("</p>") not in shown.decode()
