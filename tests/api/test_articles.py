"""Published articles through the API: what the public page shows, no more, under the same check."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.http import http_date

from content.models import Revision
from review import attestations, services
from review.models import Signature
from review.states import State
from tests.content.test_images import upload
from tests.factories import PASSWORD, make_review_due
from tests.public.test_tampering import tamper


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def page_json_ld(client, slug) -> dict:
    html = client.get(f"/blog/{slug}/").content.decode()
    return json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])


def test_api_article_carries_the_signed_words_and_the_review_line(api, client, post_in, reviewer):
    post = post_in(State.PUBLISHED)
    signature = post.live_revision.signatures.get()

    article = api(f"/api/v1/articles/{post.slug}/").json()

    assert article["title"] == post.live_revision.title
    assert article["summary"] == post.live_revision.summary
    assert article["body_html"] == post.live_revision.html
    assert article["content_hash"] == post.live_revision.content_hash == signature.revision_hash
    assert article["url"] == f"http://testserver/blog/{post.slug}/"
    review = article["review"]
    assert review["reviewer"] == signature.printed_name == "Dr. Ian Tan"
    assert review["credentials"] == signature.credentials
    assert review["last_reviewed"] == timezone.localdate(signature.signed_at).isoformat()
    assert review["reviewer_url"] == f"http://testserver/reviewers/{reviewer.reviewer_profile.slug}/"
    assert review["next_review_due"] == timezone.localtime(post.workflow.review_due_at).isoformat()
    assert article["structured_data"] == page_json_ld(client, post.slug)


def test_api_article_hero_has_its_alt_text_and_resized_copies(api, author, reviewer, publisher, post_in):
    hero = upload(author, alt="Treatment room", caption="Our treatment room")
    post = post_in(State.DRAFT)
    services.post_save_draft(post, user=author, title=post.title, summary="", body="Text.",
                             hero={"image": hero.pk, "alt": "The treatment room at our clinic"})
    services.post_submit(post, user=author)
    services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    services.post_publish(post, user=publisher)

    shown = api(f"/api/v1/articles/{post.slug}/").json()["hero"]

    assert shown["alt"] == "The treatment room at our clinic"
    assert shown["caption"] == "Our treatment room"
    assert shown["url"] == f"http://testserver/media/{hero.file}"
    assert shown["sha256"] == hero.sha256
    assert {(r["width"], r["type"]) for r in shown["renditions"]} == {
        (r["width"], {"WEBP": "image/webp", "JPEG": "image/jpeg"}[r["format"]]) for r in hero.renditions}
    assert api("/api/v1/articles/").json()["results"][0]["hero"] == shown


def test_api_article_names_its_attestation_once_issued(api, post_in):
    post = post_in(State.PUBLISHED)
    assert api(f"/api/v1/articles/{post.slug}/").json()["attestation_url"] is None

    issued = attestations.attest(post)

    article = api(f"/api/v1/articles/{post.slug}/").json()
    assert article["attestation_url"] == f"http://testserver/attestations/{issued.uid}.json"
    assert article["verification_url"] == f"http://testserver/blog/{post.slug}/review/"


@pytest.mark.parametrize("model, field, value", [
    (Revision, "html", "<p>Pico laser cures everything.</p>"),
    (Revision, "title", "A different title"),
    (Signature, "printed_name", "Prof. Famous Name"),
    (Signature, "revision_hash", "0" * 64),
])
def test_api_article_failing_verification_is_absent_as_on_the_site(api, client, post_in, model, field, value):
    post = post_in(State.PUBLISHED)
    other = post_in(State.PUBLISHED, title="Sun care after treatment")
    row = post.live_revision_id if model is Revision else post.live_revision.signatures.get().pk

    tamper(model, row, **{field: value})

    assert client.get(f"/blog/{post.slug}/").status_code == 404
    assert api(f"/api/v1/articles/{post.slug}/").status_code == 404
    listed = api("/api/v1/articles/").json()["results"]
    assert [a["slug"] for a in listed] == [other.slug]
    assert value not in json.dumps(listed)


def test_api_articles_come_a_page_at_a_time(api, post_in):
    posts = [post_in(State.PUBLISHED, title=f"Article number {n}") for n in range(3)]

    first = api("/api/v1/articles/?page_size=2").json()
    second = api(first["next"].replace("http://testserver", "")).json()

    assert first["count"] == 3
    assert [a["slug"] for a in first["results"] + second["results"]] == [p.slug for p in reversed(posts)]
    assert second["next"] is None
    assert api("/api/v1/articles/?page=9").status_code == 404


def test_api_articles_updated_since_lists_only_what_changed(api, post_in, reviewer, publisher):
    old = post_in(State.PUBLISHED, title="Old article")
    rereviewed = post_in(State.PUBLISHED, title="Re-reviewed article")
    moment = timezone.now()
    new = post_in(State.PUBLISHED, title="New article")
    make_review_due(rereviewed)
    services.revision_sign(rereviewed, user=reviewer, password=PASSWORD, attested=True)

    since = moment.isoformat()
    listed = {a["slug"] for a in api("/api/v1/articles/", data={"updated_since": since}).json()["results"]}

    assert listed == {new.slug, rereviewed.slug}
    assert old.slug in {a["slug"] for a in api("/api/v1/articles/").json()["results"]}
    later = (timezone.now() + timedelta(minutes=1)).isoformat()
    assert api("/api/v1/articles/", data={"updated_since": later}).json()["results"] == []
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()  # a date alone: midnight, site's time
    assert api("/api/v1/articles/", data={"updated_since": tomorrow}).json()["results"] == []
    assert len(api("/api/v1/articles/?updated_since=2000-01-01").json()["results"]) == 3


@pytest.mark.parametrize("given", ["last-tuesday", "2026-02-30", "2026-11-23T25:00:00"])
def test_api_updated_since_that_is_not_a_date_is_a_clear_400(api, given):
    response = api("/api/v1/articles/", data={"updated_since": given})

    assert response.status_code == 400
    assert response.json() == {"updated_since": ["Give a date and time in ISO 8601, "
                                                 "for example 2026-11-23T09:00:00+08:00."]}


def test_api_article_answers_304_to_a_reader_whose_copy_is_current(api, post_in):
    post = post_in(State.PUBLISHED)
    first = api(f"/api/v1/articles/{post.slug}/")

    assert first["ETag"] and first["Last-Modified"] == http_date(post.published_at.timestamp())
    again = api(f"/api/v1/articles/{post.slug}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert api(f"/api/v1/articles/{post.slug}/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert api(f"/api/v1/articles/{post.slug}/", HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_api_article_list_etag_changes_when_an_article_is_unpublished(api, post_in, publisher):
    post_in(State.PUBLISHED, title="Stays")
    leaving = post_in(State.PUBLISHED, title="Leaves")
    etag = api("/api/v1/articles/")["ETag"]
    assert api("/api/v1/articles/", HTTP_IF_NONE_MATCH=etag).status_code == 304

    services.post_unpublish(leaving, user=publisher, reason="Out of date.")

    response = api("/api/v1/articles/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert [a["title"] for a in response.json()["results"]] == ["Stays"]


def test_api_answers_are_kept_by_the_caller_only(api, post_in):
    post = post_in(State.PUBLISHED)
    response = api(f"/api/v1/articles/{post.slug}/")

    assert response["Cache-Control"] == "private, max-age=0, must-revalidate"
    assert "Authorization" in response["Vary"]


def test_api_reviewers_come_with_their_bios(api, reviewer, second_reviewer):
    profile = reviewer.reviewer_profile

    listed = api("/api/v1/reviewers/").json()["results"]
    one = api(f"/api/v1/reviewers/{profile.slug}/").json()

    assert {r["slug"] for r in listed} == {profile.slug, second_reviewer.reviewer_profile.slug}
    assert one["bio"] == profile.bio and one["name"] == profile.printed_name
    assert one["credentials"] == profile.credentials
    assert one["url"] == f"http://testserver/reviewers/{profile.slug}/"


def test_api_inactive_reviewer_is_not_listed(api, reviewer):
    profile = reviewer.reviewer_profile
    profile.is_active = False
    profile.save()

    assert api("/api/v1/reviewers/").json()["results"] == []
    assert api(f"/api/v1/reviewers/{profile.slug}/").status_code == 404


def test_api_preview_token_reads_the_working_copy_not_the_live_one(api, post_in, author, preview_token):
    post = post_in(State.PUBLISHED)
    services.post_save_draft(post, user=author, title="A new title, not yet reviewed", summary="", body="New words.")

    draft = api(f"/api/v1/drafts/{post.slug}/", token=preview_token).json()
    live = api(f"/api/v1/articles/{post.slug}/").json()

    assert draft["title"] == "A new title, not yet reviewed" and draft["state"] == State.DRAFT
    assert "review" not in draft
    assert live["title"] == post.live_revision.title
    assert "New words." not in json.dumps(live)
