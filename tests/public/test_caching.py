"""Article pages answer conditional requests, and every change readers must see changes the validators."""

from datetime import timedelta

from django.utils import timezone
from django.utils.http import http_date

from review import services
from review.models import ReviewPolicy
from review.states import State
from tests import factories
from tests.factories import PASSWORD
from tests.public.test_pages import text_of
from tests.public.test_tampering import tamper


def test_article_has_etag_last_modified_and_revalidation_headers(client, published):
    post = published()
    response = client.get(f"/blog/{post.slug}/")
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"] == http_date(post.published_at.timestamp())
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=0", "must-revalidate"}


def test_article_matching_etag_is_304_without_a_body(client, published):
    post = published()
    etag = client.get(f"/blog/{post.slug}/")["ETag"]
    response = client.get(f"/blog/{post.slug}/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_article_unchanged_since_last_modified_is_304(client, published):
    post = published()
    last_modified = client.get(f"/blog/{post.slug}/")["Last-Modified"]
    assert client.get(f"/blog/{post.slug}/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_article_republished_version_gets_a_new_etag(client, published, author, reviewer, publisher):
    post = published(body="First words.")
    etag = client.get(f"/blog/{post.slug}/")["ETag"]
    services.post_save_draft(post, user=author, title="New title", summary="", body="Second words.")
    services.post_submit(post, user=author)
    services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    services.post_publish(post, user=publisher)
    response = client.get(f"/blog/{post.slug}/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Second words." in response.content.decode()


def test_article_unpublished_answers_404_even_to_a_cached_etag(client, published, publisher):
    post = published()
    etag = client.get(f"/blog/{post.slug}/")["ETag"]
    services.post_unpublish(post, user=publisher, reason="Taken down while the clinic checks the prices.")
    assert client.get(f"/blog/{post.slug}/", HTTP_IF_NONE_MATCH=etag).status_code == 404


def test_article_tampered_answers_404_to_a_cached_etag_at_the_next_check(client, published, seconds_ago):
    from content.models import Revision
    from public.views import ARTICLE_RECHECK_SECONDS

    post = published()
    with seconds_ago(ARTICLE_RECHECK_SECONDS + 1):  # the page was verified and kept that long ago
        etag = client.get(f"/blog/{post.slug}/")["ETag"]
    tamper(Revision, post.live_revision_id, body="changed")
    assert client.get(f"/blog/{post.slug}/", HTTP_IF_NONE_MATCH=etag).status_code == 404


def test_article_tampered_until_the_next_check_is_served_only_as_it_was_signed(client, published):
    from content.models import Revision

    post = published(body="Signed words.")
    signed = client.get(f"/blog/{post.slug}/")
    tamper(Revision, post.live_revision_id, html="<p>Altered words.</p>")
    assert client.get(f"/blog/{post.slug}/", HTTP_IF_NONE_MATCH=signed["ETag"]).status_code == 304
    assert client.get(f"/blog/{post.slug}/").content == signed.content
    assert "Signed words." in text_of(signed) and "Altered words." not in text_of(signed)


def test_article_re_review_changes_the_etag(client, published, second_reviewer):
    post = published()
    etag = client.get(f"/blog/{post.slug}/")["ETag"]
    factories.let_reviews_lapse()
    services.flag_rereviews_due()  # renewal waits until the review is due
    services.revision_sign(post, user=second_reviewer, password=PASSWORD, attested=True)
    response = client.get(f"/blog/{post.slug}/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Medically reviewed by Dr. Goh Mei Lin" in text_of(response)


def test_article_review_policy_change_changes_the_etag(client, published):
    post = published()
    etag = client.get(f"/blog/{post.slug}/")["ETag"]
    ReviewPolicy.objects.create(rereview_days=30)
    response = client.get(f"/blog/{post.slug}/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    due = timezone.localtime(post.live_revision.signatures.get().signed_at) + timedelta(days=30)
    assert f"{due:%-d %b %Y}" in response.content.decode()


def test_article_scheduled_is_public_as_soon_as_workflow_tick_publishes_it(client, post_in):
    from django.core.management import call_command

    from review.models import Workflow

    post = post_in(State.SCHEDULED)
    assert client.get(f"/blog/{post.slug}/").status_code == 404
    Workflow.objects.filter(post=post).update(scheduled_for=timezone.now() - timedelta(minutes=1))
    call_command("workflow_tick", stdout=open("/dev/null", "w"))
    assert client.get(f"/blog/{post.slug}/").status_code == 200


def test_index_must_be_revalidated(client, db):
    assert set(client.get("/blog/")["Cache-Control"].split(", ")) == {"public", "max-age=0", "must-revalidate"}


def test_article_is_rendered_once_for_readers_who_are_not_signed_in(client, published):
    post = published()
    first = client.get(f"/blog/{post.slug}/")
    again = client.get(f"/blog/{post.slug}/")
    assert [t.name for t in first.templates][0] == "public/article.html"
    assert again.templates == []  # from the cache
    assert again.content == first.content and again["ETag"] == first["ETag"]


def test_article_reader_with_a_message_waiting_sees_it_and_nobody_else_does(client, published):
    from django.contrib import messages
    from django.contrib.messages.middleware import MessageMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.test import RequestFactory

    from public import views

    post = published()
    client.get(f"/blog/{post.slug}/")  # the page is in the cache

    def signed_out(request):  # as a page that says something, then leads to the article
        messages.info(request, "You have been signed out.")
        return views.article(request, slug=post.slug)

    told = SessionMiddleware(MessageMiddleware(signed_out))(RequestFactory().get(f"/blog/{post.slug}/"))
    assert "You have been signed out." in told.content.decode()
    assert "You have been signed out." not in client.get(f"/blog/{post.slug}/").content.decode()


def test_article_signed_in_reader_gets_the_page_everyone_gets(client, published, author):
    post = published()
    page = client.get(f"/blog/{post.slug}/").content
    client.force_login(author)
    assert client.get(f"/blog/{post.slug}/").content == page


def test_article_author_renamed_shows_the_new_name_at_once(client, published, author):
    post = published()
    etag = client.get(f"/blog/{post.slug}/")["ETag"]
    author.first_name, author.last_name = "Mei", "Wong"
    author.save()
    response = client.get(f"/blog/{post.slug}/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "By Mei Wong" in text_of(response)
