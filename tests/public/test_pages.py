"""The public pages: what readers see, and that nothing unpublished is ever served."""

import re

import pytest
from django.utils import timezone

from public.models import EditorialPolicy
from review import services
from review.states import State
from tests.factories import make_reviewer
from tests.public.conftest import LONG_BODY
from tests.public.test_feed_and_sitemap import sitemap_urls


def text_of(response) -> str:
    """The page's visible text, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_home_redirects_to_the_blog(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/blog/"


def test_index_lists_published_articles_newest_first_with_summary_and_review_line(client, published):
    older = published(title="Older article", summary="The older one.")
    newer = published(title="Newer article", summary="The newer one.")
    response = client.get("/blog/")
    assert response.status_code == 200
    text = text_of(response)
    assert text.index("Newer article") < text.index("Older article")
    assert "The older one." in text and "The newer one." in text
    assert text.count("Medically reviewed by Dr. Ian Tan , MBBS (Singapore)") == 2
    html = response.content.decode()
    assert f'href="/blog/{older.slug}/"' in html and f'href="/blog/{newer.slug}/"' in html


@pytest.mark.parametrize("state", [State.DRAFT, State.IN_REVIEW, State.CHANGES_REQUESTED, State.APPROVED,
                                   State.SCHEDULED, State.ARCHIVED])
def test_article_not_public_in_state_is_404_and_unlisted(client, post_in, state):
    post = post_in(state, title=f"Secret {state}")
    assert client.get(f"/blog/{post.slug}/").status_code == 404
    assert f"Secret {state}" not in client.get("/blog/").content.decode()
    assert f"Secret {state}" not in client.get("/blog/feed/").content.decode()
    assert not any(post.slug in loc for loc, _ in sitemap_urls(client))


def test_article_unknown_slug_is_404(client, db):
    assert client.get("/blog/no-such-article/").status_code == 404


def test_index_page_beyond_the_last_is_404(client, published):
    published()
    assert client.get("/blog/?page=2").status_code == 404
    assert client.get("/blog/?page=abc").status_code == 404


def test_index_paginates_ten_per_page(client, published):
    for n in range(11):
        published(title=f"Article number {n}")
    first, second = text_of(client.get("/blog/")), text_of(client.get("/blog/?page=2"))
    assert "Article number 10" in first and "Article number 1 " in first and "Article number 0" not in first
    assert "Article number 0" in second and "Page 2 of 2" in second


def test_article_shows_the_live_revision_with_author_date_and_review_line(client, published, reviewer):
    post = published(title="Pico laser aftercare", summary="What to do after laser.")
    signature = post.live_revision.signatures.get()
    response = client.get(f"/blog/{post.slug}/")
    assert response.status_code == 200
    html, text = response.content.decode(), text_of(response)
    assert post.live_revision.html in html
    assert "Pico laser aftercare" in text
    assert f"By {post.author.get_full_name()}" in text
    published_on = timezone.localtime(post.first_published_at)
    assert f"Published {published_on:%-d %b %Y}" in text
    signed_on = timezone.localtime(signature.signed_at)
    assert f"Medically reviewed by Dr. Ian Tan , MBBS (Singapore) on {signed_on:%-d %b %Y}" in text
    assert '<a href="/reviewers/reviewer-' in html
    assert f'href="/reviewers/{reviewer.reviewer_profile.slug}/"' in html
    due = timezone.localtime(signature.signed_at) + timezone.timedelta(days=365)
    assert f"Last reviewed {signed_on:%-d %b %Y}" in text
    assert f"Next review due {due:%-d %b %Y}" in text


def test_article_has_canonical_url_meta_description_and_open_graph(client, published):
    post = published(summary="A short summary & more.")
    html = client.get(f"/blog/{post.slug}/").content.decode()
    url = f"http://testserver/blog/{post.slug}/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert '<meta name="description" content="A short summary &amp; more.">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:title" content="{post.live_revision.title}">' in html


def test_article_edited_after_publication_keeps_showing_the_signed_version(client, published, author):
    post = published(title="Signed title", body="Signed words.")
    services.post_save_draft(post, user=author, title="Unsigned title", summary="", body="Unsigned words.")
    services.post_submit(post, user=author)
    response = client.get(f"/blog/{post.slug}/")
    assert response.status_code == 200
    assert "Signed words." in response.content.decode()
    assert "Unsigned" not in response.content.decode()
    assert "Unsigned" not in client.get("/blog/").content.decode()


def test_article_unpublished_is_404_immediately(client, published, publisher):
    post = published()
    assert client.get(f"/blog/{post.slug}/").status_code == 200
    services.post_unpublish(post, user=publisher, reason="Taken down while the clinic checks the prices.")
    assert client.get(f"/blog/{post.slug}/").status_code == 404
    assert post.slug not in client.get("/blog/").content.decode()


def test_article_long_has_table_of_contents_from_its_headings(client, published):
    post = published(body=LONG_BODY)
    html = client.get(f"/blog/{post.slug}/").content.decode()
    toc = re.search(r'<nav class="toc".*?</nav>', html, re.S).group(0)
    assert re.findall(r'href="#([^"]+)"', toc) == ["body-aftercare", "body-before-your-treatment", "body-on-the-day",
                                                   "body-results"]
    for anchor in ("body-aftercare", "body-on-the-day", "body-results"):
        assert f'id="{anchor}"' in html


def test_article_short_has_no_table_of_contents(client, published):
    post = published()
    assert 'class="toc"' not in client.get(f"/blog/{post.slug}/").content.decode()


def test_reviewer_page_shows_profile_and_reviewed_articles(client, published, reviewer):
    post = published(title="Reviewed by Ian")
    profile = reviewer.reviewer_profile
    response = client.get(f"/reviewers/{profile.slug}/")
    assert response.status_code == 200
    text = text_of(response)
    for fact in ("Dr. Ian Tan", "MBBS (Singapore)", profile.registration_number, "Dermatology",
                 "Reviews skin articles.", "Reviewed by Ian"):
        assert fact in text
    assert f'href="/blog/{post.slug}/"' in response.content.decode()


def test_reviewer_page_leaves_out_articles_that_are_not_public(client, post_in, reviewer):
    post_in(State.APPROVED, title="Approved only")
    post_in(State.ARCHIVED, title="Taken down")
    text = text_of(client.get(f"/reviewers/{reviewer.reviewer_profile.slug}/"))
    assert "Approved only" not in text and "Taken down" not in text
    assert "No published articles yet." in text


def test_reviewer_page_of_another_reviewer_lists_only_their_articles(client, published, second_reviewer):
    published(title="Ian's article")
    text = text_of(client.get(f"/reviewers/{second_reviewer.reviewer_profile.slug}/"))
    assert "Ian's article" not in text


def test_reviewer_page_unknown_is_404(client, db):
    assert client.get("/reviewers/nobody/").status_code == 404


def test_reviewer_page_inactive_without_public_articles_is_404(client, db):
    user = make_reviewer("retired", display_name="Retired Doctor")
    user.reviewer_profile.is_active = False
    user.reviewer_profile.save()
    assert client.get(f"/reviewers/{user.reviewer_profile.slug}/").status_code == 404


def test_reviewer_page_inactive_with_public_articles_stays_for_their_review_lines(client, published, reviewer):
    published(title="Still live")
    reviewer.reviewer_profile.is_active = False
    reviewer.reviewer_profile.save()
    response = client.get(f"/reviewers/{reviewer.reviewer_profile.slug}/")
    assert response.status_code == 200
    assert "Still live" in text_of(response)


def test_editorial_policy_shows_admin_text_and_active_reviewers(client, reviewer, second_reviewer):
    policy = EditorialPolicy.current()
    policy.body = "## Our promise\n\nEvery claim is checked."
    policy.save()
    retired = make_reviewer("retired", display_name="Retired Doctor")
    retired.reviewer_profile.is_active = False
    retired.reviewer_profile.save()
    response = client.get("/editorial-policy/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Our promise" in text and "Every claim is checked." in text
    assert "Dr. Ian Tan" in text and "Dr. Goh Mei Lin" in text
    assert "Retired Doctor" not in text
    assert "365 days" in text


def test_editorial_policy_default_text_exists_after_migration(db):
    assert "Medically reviewed by" in EditorialPolicy.current().html


def test_editorial_policy_admin_edits_the_text(admin_client, db):
    policy = EditorialPolicy.current()
    response = admin_client.post(f"/admin/public/editorialpolicy/{policy.pk}/change/",
                                 {"title": "How we review", "body": "New *policy*."})
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.html == "<p>New <em>policy</em>.</p>"


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_the_workspace(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    for prefix in ("/admin/", "/editor/", "/review/", "/accounts/"):
        assert f"Disallow: {prefix}" in body
    assert "Disallow: /blog/" not in body


@pytest.mark.parametrize("path", ["/blog/", "/editorial-policy/", "/robots.txt", "/sitemap.xml",
                                  "/sitemap-articles.xml", "/blog/feed/"])
def test_public_pages_refuse_post(client, db, path):
    assert client.post(path).status_code == 405


def test_article_next_review_due_comes_first_when_the_reviewers_registration_runs_out(client, published, reviewer):
    """The public line and the queue read one rule: a sign-off stops being current when the signer's
    registration does, if that comes before the policy's interval."""
    post = published()
    profile = reviewer.reviewer_profile
    profile.verified_until = timezone.localdate() + timezone.timedelta(days=30)
    profile.save()

    text = text_of(client.get(f"/blog/{post.slug}/"))

    due = timezone.localdate() + timezone.timedelta(days=31)
    assert f"Next review due {due:%-d %b %Y}" in text
