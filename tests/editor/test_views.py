"""The editor's pages: what each role sees and may do, and how refusals read."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from content.models import Post
from review import services
from review.models import Comment
from review.states import State
from tests.factories import PASSWORD, make_post

pytestmark = pytest.mark.django_db


def post_url(post, name="editor:post", **kwargs):
    return reverse(name, kwargs={"pk": post.pk, **kwargs})


def action_url(post, action):
    return reverse("editor:post_action", kwargs={"pk": post.pk, "action": action})


# --- the desk


def test_dashboard_requires_login(client):
    response = client.get("/editor/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_dashboard_lists_only_my_posts_with_state_badges(client, author, other_author):
    make_post(author=author, title="Pico laser aftercare")
    make_post(author=other_author, title="Someone else's draft")
    client.force_login(author)
    response = client.get("/editor/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Pico laser aftercare" in content
    assert "Someone else" not in content
    assert 'class="badge state-draft"' in content
    assert "New post" in content


def test_dashboard_shows_every_post_to_publishers(client, author, other_author, publisher):
    make_post(author=author, title="First article")
    make_post(author=other_author, title="Second article")
    client.force_login(publisher)
    content = client.get("/editor/").content.decode()
    assert "First article" in content and "Second article" in content


def test_dashboard_is_forbidden_to_reviewers_who_do_not_write(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/editor/").status_code == 403


def test_dashboard_filters_by_state_and_title(client, post_in):
    post_in(State.DRAFT, title="Sunscreen basics")
    post_in(State.IN_REVIEW, title="Laser myths")
    client.force_login(Post.objects.first().author)
    in_review = client.get("/editor/", {"state": State.IN_REVIEW}).content.decode()
    assert "Laser myths" in in_review and "Sunscreen basics" not in in_review
    searched = client.get("/editor/", {"q": "sunscreen"}).content.decode()
    assert "Sunscreen basics" in searched and "Laser myths" not in searched


def test_dashboard_shows_who_has_the_post_and_open_comments(client, post_in, author):
    post_in(State.CHANGES_REQUESTED, title="Collagen claims")
    post_in(State.IN_REVIEW, title="Acne scars")
    client.force_login(author)
    content = client.get("/editor/").content.decode()
    assert 'class="count-pill">1<' in content
    assert "Reviewers" in content
    assert author.get_full_name() in content


def test_dashboard_paginates(client, author):
    for n in range(23):
        make_post(author=author, title=f"Article {n}")
    client.force_login(author)
    first = client.get("/editor/").content.decode()
    second = client.get("/editor/", {"page": 2}).content.decode()
    assert "Page 1 of 2" in first
    assert second.count("<tr>") == 3 + 1  # three posts and the header row


def test_dashboard_lists_the_latest_change_first_across_pages(client, author):
    oldest = make_post(author=author, title="Article one")
    make_post(author=author, title="Article two")
    make_post(author=author, title="Article three")
    services.post_submit(oldest, user=author)  # now the most recently changed
    client.force_login(author)

    html = client.get("/editor/").content.decode()

    positions = [html.index(f"Article {name}") for name in ("one", "three", "two")]
    assert positions == sorted(positions)


@pytest.mark.parametrize("count", [1, 50])
def test_dashboard_query_count_does_not_grow_with_posts(client, author, django_assert_num_queries, count):
    for n in range(count):
        make_post(author=author, title=f"Article {n}")
    client.force_login(author)
    client.get("/editor/")  # warm the session and permission caches
    # the user's permissions (one: config.auth), the page's ids, then its posts, and the reviewers the list can be
    # filtered by
    with django_assert_num_queries(7):
        assert client.get("/editor/").status_code == 200


# --- writing


def test_new_post_form_has_the_contract_labels_and_buttons(client, author):
    client.force_login(author)
    content = client.get("/editor/new/").content.decode()
    for label in ('>Title</label>', '>Summary</label>', '>Body</label>', '>Slug</label>'):
        assert label in content
    assert ">Save draft</button>" in content and ">Submit for review</button>" in content


def test_new_post_save_draft_creates_a_post_with_a_derived_slug(client, author):
    client.force_login(author)
    response = client.post("/editor/new/", {"title": "5 tips for open pores", "summary": "S", "body": "Hello **there**",
                                            "slug": "", "action": "save"})
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == post_url(post, "editor:post_edit")
    assert post.slug == "5-tips-for-open-pores"
    assert post.current_revision.body == "Hello **there**"
    assert post.workflow.state == State.DRAFT


def test_new_post_submit_for_review_saves_and_submits(client, author):
    client.force_login(author)
    client.post("/editor/new/", {"title": "Pores", "summary": "", "body": "Text", "action": "submit"})
    assert Post.objects.get().workflow.state == State.IN_REVIEW


def test_new_post_without_title_keeps_the_text_and_says_why(client, author):
    client.force_login(author)
    response = client.post("/editor/new/", {"title": "", "summary": "My summary", "body": "My long body text",
                                            "action": "save"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "A post needs a title." in content
    assert "My long body text" in content and "My summary" in content
    assert Post.objects.count() == 0


def test_new_post_with_a_taken_slug_is_refused_next_to_the_slug(client, author):
    make_post(author=author, title="Taken", slug="taken")
    client.force_login(author)
    response = client.post("/editor/new/", {"title": "New", "slug": "taken", "body": "Kept text", "action": "save"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "already uses the address" in content and "Kept text" in content
    assert 'id="id_slug_errors"' in content


def test_new_post_with_an_invalid_slug_is_refused(client, author):
    client.force_login(author)
    response = client.post("/editor/new/", {"title": "New", "slug": "no spaces/please", "body": "x", "action": "save"})
    assert response.status_code == 400
    assert "Use only letters, numbers, hyphens" in response.content.decode()


def test_new_post_preview_button_renders_without_saving(client, author):
    client.force_login(author)
    response = client.post("/editor/new/", {"title": "T", "body": "## Aftercare", "action": "preview"})
    assert response.status_code == 200
    assert '<h2 id="body-aftercare">Aftercare</h2>' in response.content.decode()
    assert Post.objects.count() == 0


def test_edit_saves_a_new_revision(client, post_in, author):
    post = post_in(State.DRAFT)
    client.force_login(author)
    response = client.post(post_url(post, "editor:post_edit"), {
        "title": "New title", "slug": post.slug, "summary": "", "body": "New body", "action": "save",
        "base_revision": post.current_revision_id,
    })
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.current_revision.number == 2 and post.current_revision.body == "New body"


def test_edit_over_a_newer_save_is_a_conflict_and_keeps_the_text(client, post_in, author):
    post = post_in(State.DRAFT)
    stale_base = post.current_revision_id
    services.post_save_draft(post, user=author, title="Someone else", summary="", body="Their body")
    client.force_login(author)
    response = client.post(post_url(post, "editor:post_edit"), {
        "title": "Mine", "slug": post.slug, "summary": "", "body": "My careful words", "action": "save",
        "base_revision": stale_base,
    })
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone saved a newer version" in content and "My careful words" in content


def test_edit_of_a_post_in_review_is_refused_with_400_and_keeps_the_text(client, post_in, author):
    post = post_in(State.IN_REVIEW)
    client.force_login(author)
    response = client.post(post_url(post, "editor:post_edit"), {
        "title": "T", "slug": post.slug, "body": "Typed while in review", "action": "save",
        "base_revision": post.current_revision_id,
    })
    assert response.status_code == 400
    assert "with a reviewer" in response.content.decode() and "Typed while in review" in response.content.decode()


def test_edit_page_of_a_post_in_review_sends_the_writer_to_the_post_page(client, post_in, author):
    post = post_in(State.IN_REVIEW)
    client.force_login(author)
    response = client.get(post_url(post, "editor:post_edit"))
    assert response.status_code == 302 and response["Location"] == post_url(post)


def test_edit_page_is_forbidden_to_a_reviewer_even_while_in_review(client, post_in, reviewer):
    post = post_in(State.IN_REVIEW)
    client.force_login(reviewer)
    assert client.get(post_url(post, "editor:post_edit")).status_code == 403


def test_edit_of_someone_elses_post_is_forbidden(client, post_in, other_author):
    post = post_in(State.DRAFT)
    client.force_login(other_author)
    assert client.get(post_url(post, "editor:post_edit")).status_code == 403
    assert client.post(post_url(post, "editor:post_edit"), {"title": "Mine", "body": "x"}).status_code == 403


def test_edit_of_a_published_post_leaves_the_live_version_alone(client, post_in, author):
    post = post_in(State.PUBLISHED)
    live = post.live_revision_id
    client.force_login(author)
    page = client.get(post_url(post, "editor:post_edit")).content.decode()
    assert "the live version stays on the site" in page
    client.post(post_url(post, "editor:post_edit"), {
        "title": post.title, "summary": "", "body": "A corrected paragraph.", "action": "save",
        "base_revision": post.current_revision_id,
    })
    post.refresh_from_db()
    assert post.live_revision_id == live
    assert post.current_revision_id != live
    assert post.workflow.state == State.DRAFT


def test_preview_endpoint_renders_with_the_public_renderer_and_counts_words(client, author):
    client.force_login(author)
    response = client.post("/editor/preview/", {"body": "Hello **world** <script>alert(1)</script>"})
    assert response.status_code == 200
    data = response.json()
    assert "<strong>world</strong>" in data["html"] and "<script" not in data["html"]
    assert data["words"] == 3 and data["minutes"] == 1


def test_preview_endpoint_refuses_a_body_over_the_size_limit(client, author, settings):
    settings.MAX_BODY_BYTES = 1024
    client.force_login(author)
    response = client.post("/editor/preview/", {"body": "x" * 2048})
    assert response.status_code == 400
    assert "the limit is 1 KB" in response.json()["error"]


def test_preview_endpoint_shows_what_saving_would_refuse_above_the_article(client, author):
    client.force_login(author)

    html = client.post("/editor/preview/", {"body": "Text.\n\n![Out](https://outside.example/a.jpg)"}).json()["html"]

    problems = html.split('<ul class="errorlist preview-problems" role="alert">')[1].split("</ul>")[0]
    assert "The picture https://outside.example/a.jpg (&lt;img&gt;) is not one uploaded here" in problems
    assert "outside.example" not in html.split("</ul>", 1)[1]  # the article itself shows nothing of it
    assert client.post("/editor/preview/", {"body": "Text."}).json()["html"] == "<p>Text.</p>"


def test_saving_a_body_with_an_outside_picture_is_refused_next_to_body_keeping_the_text(client, author):
    client.force_login(author)
    body = 'Before.\n\n<picture><source srcset="https://outside.example/phone.jpg"></picture>'

    response = client.post("/editor/new/", {"title": "Pico laser", "body": body, "action": "save"})

    assert response.status_code == 400
    assert not Post.objects.exists()
    field = response.content.decode().split('<label for="id_body">')[1].split("</textarea>")[0]
    assert 'class="errorlist"' in field and "The picture https://outside.example/phone.jpg (&lt;source&gt;)" in field
    assert "Before." in field  # nothing typed is lost


def test_preview_endpoint_limits_each_writer_to_a_few_previews_at_a_time(client, author, other_author, monkeypatch):
    import time

    from django.conf import settings

    PREVIEWS_PER_WINDOW = settings.PREVIEWS_PER_10_SECONDS
    # The windows are whole ten seconds of the clock: all the requests go in one of them, as a writer's burst does.
    # On the real clock a boundary could fall between them (a worker's first preview took 4 s under load), and then
    # the eleventh preview, in a fresh window, was allowed.
    start_of_a_window = time.time() // 10 * 10
    monkeypatch.setattr(time, "time", lambda: start_of_a_window)

    client.force_login(author)
    answers = [client.post("/editor/preview/", {"body": "Text."}) for _ in range(PREVIEWS_PER_WINDOW + 1)]

    assert [a.status_code for a in answers] == [200] * PREVIEWS_PER_WINDOW + [429]
    assert "Too many previews" in answers[-1].json()["error"] and answers[-1]["Retry-After"]
    client.force_login(other_author)
    assert client.post("/editor/preview/", {"body": "Text."}).status_code == 200  # each writer has their own


def test_preview_endpoint_refuses_anonymous_users(client):
    response = client.post("/editor/preview/", {"body": "x"})
    assert response.status_code == 302


def test_writing_page_shows_word_count_and_reading_time(client, author):
    make_post(author=author, body="word " * 450)
    client.force_login(author)
    content = client.get(post_url(Post.objects.get(), "editor:post_edit")).content.decode()
    assert "<span data-words>450</span> words" in content and "<span data-minutes>3</span> min read" in content


# --- a post's page


def test_post_page_shows_state_and_submit_button_to_its_author(client, post_in, author):
    post = post_in(State.DRAFT)
    client.force_login(author)
    content = client.get(post_url(post)).content.decode()
    assert 'data-state="draft"' in content
    assert ">Submit for review</button>" in content
    assert ">Publish</button>" not in content


def test_post_page_of_unknown_post_is_404(client, author):
    client.force_login(author)
    assert client.get("/editor/posts/999999/").status_code == 404


def test_post_page_of_someone_elses_post_is_403(client, post_in, other_author):
    post = post_in(State.DRAFT)
    client.force_login(other_author)
    assert client.get(post_url(post)).status_code == 403


def test_post_page_offers_publish_and_schedule_to_publishers_only(client, post_in, author, publisher):
    post = post_in(State.APPROVED)
    client.force_login(author)
    author_view = client.get(post_url(post)).content.decode()
    assert ">Publish</button>" not in author_view and ">Schedule</button>" not in author_view
    client.force_login(publisher)
    publisher_view = client.get(post_url(post)).content.decode()
    assert ">Publish</button>" in publisher_view and ">Schedule</button>" in publisher_view
    assert 'type="datetime-local"' in publisher_view


def test_post_page_highlights_the_quoted_passage_of_a_comment(client, post_in, author, reviewer):
    post = post_in(State.IN_REVIEW)
    services.post_request_changes(post, user=reviewer, comment="Cite a study for this.",
                                  quote={"exact": "stimulate collagen production", "prefix": "may ", "suffix": "."})
    client.force_login(author)
    content = client.get(post_url(post)).content.decode()
    assert "Cite a study for this." in content
    assert '<mark class="quote">stimulate collagen production</mark>' in content
    assert "<mark>stimulate collagen production</mark>" in content


def test_post_page_says_when_a_quoted_passage_has_gone(client, post_in, author, reviewer):
    post = post_in(State.IN_REVIEW)
    services.post_request_changes(post, user=reviewer, comment="Soften this.",
                                  quote={"exact": "stimulate collagen production"})
    services.post_save_draft(post, user=author, title=post.title, summary="", body="Rewritten entirely.")
    client.force_login(author)
    assert "no longer in the current text" in client.get(post_url(post)).content.decode()


def test_post_page_shows_timeline_and_revisions(client, post_in, author):
    post = post_in(State.IN_REVIEW)
    client.force_login(author)
    content = client.get(post_url(post)).content.decode()
    assert "started the post" in content and "submitted it for review" in content
    assert "Version 1" in content


def test_post_page_notes_when_the_working_draft_differs_from_live(client, post_in, author):
    post = post_in(State.PUBLISHED)
    client.force_login(author)
    assert "data-live-differs" not in client.get(post_url(post)).content.decode()
    services.post_save_draft(post, user=author, title=post.title, summary="", body="Updated advice.")
    content = client.get(post_url(post)).content.decode()
    assert "data-live-differs" in content and "differs from what is live" in content


@pytest.mark.parametrize("count", [1, 50])
def test_post_page_query_count_does_not_grow_with_revisions(client, post_in, author, reviewer,
                                                             django_assert_num_queries, count):
    post = post_in(State.DRAFT)
    for n in range(count):
        services.post_save_draft(post, user=author, title=post.title, summary="", body=f"Body {n}")
    services.post_submit(post, user=author)
    post.refresh_from_db()
    for n in range(count):
        services.comment_add(post=post, user=reviewer, body=f"Comment {n}", quote={"exact": "Body"})
    client.force_login(author)
    client.get(post_url(post))
    # 7 (the user's permissions are one: config.auth), plus the claims check: the admin's rule overrides and the
    # justifications on the revision; the comments' replies, and the writer's note of what they changed. Whether
    # the post was imported from WordPress (its notices) comes with the post.
    with django_assert_num_queries(11):
        assert client.get(post_url(post)).status_code == 200


# --- actions


def test_submit_action_moves_the_post_into_review(client, post_in, author):
    post = post_in(State.DRAFT)
    client.force_login(author)
    response = client.post(action_url(post, "submit"), {"expected_state": State.DRAFT})
    assert response.status_code == 302
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.IN_REVIEW


def test_submit_twice_from_a_stale_page_is_a_409_with_a_sentence(client, post_in, author):
    post = post_in(State.DRAFT)
    client.force_login(author)
    client.post(action_url(post, "submit"), {"expected_state": State.DRAFT})
    response = client.post(action_url(post, "submit"), {"expected_state": State.DRAFT})
    assert response.status_code == 409
    assert "submitted it for review" in response.content.decode()
    assert "Nothing was changed." in response.content.decode()


def test_withdraw_and_resubmit_actions(client, post_in, author):
    post = post_in(State.IN_REVIEW)
    client.force_login(author)
    client.post(action_url(post, "withdraw"), {"expected_state": State.IN_REVIEW})
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.DRAFT


def test_resubmit_after_changes_requested(client, post_in, author):
    post = post_in(State.CHANGES_REQUESTED)
    client.force_login(author)
    assert ">Resubmit</button>" in client.get(post_url(post)).content.decode()
    client.post(action_url(post, "resubmit"), {"expected_state": State.CHANGES_REQUESTED})
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.IN_REVIEW


def test_publish_by_an_author_is_forbidden(client, post_in, author):
    post = post_in(State.APPROVED)
    client.force_login(author)
    response = client.post(action_url(post, "publish"), {"expected_state": State.APPROVED})
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.live_revision_id is None


def test_publish_by_a_publisher_puts_the_post_live(client, post_in, publisher):
    post = post_in(State.APPROVED)
    client.force_login(publisher)
    client.post(action_url(post, "publish"), {"expected_state": State.APPROVED})
    post.refresh_from_db()
    assert post.live_revision_id == post.current_revision_id


def test_schedule_needs_a_future_time(client, post_in, publisher):
    post = post_in(State.APPROVED)
    client.force_login(publisher)
    response = client.post(action_url(post, "schedule"), {"expected_state": State.APPROVED, "when": "2000-01-01T09:00"})
    assert response.status_code == 400
    assert "Choose a time in the future" in response.content.decode()
    missing = client.post(action_url(post, "schedule"), {"expected_state": State.APPROVED, "when": ""})
    assert missing.status_code == 400 and "Choose the date and time" in missing.content.decode()


def test_schedule_with_a_future_time_schedules(client, post_in, publisher):
    post = post_in(State.APPROVED)
    client.force_login(publisher)
    when = timezone.localtime() + timezone.timedelta(days=2)
    client.post(action_url(post, "schedule"), {"expected_state": State.APPROVED, "when": when.strftime("%Y-%m-%dT%H:%M")})
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.SCHEDULED
    assert post.workflow.scheduled_for.strftime("%Y-%m-%d %H:%M") == when.astimezone(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(("state", "action", "target"), [
    (State.PUBLISHED, "unpublish", State.ARCHIVED),
    (State.APPROVED, "archive", State.ARCHIVED),
    (State.ARCHIVED, "restore", State.APPROVED),
    (State.SCHEDULED, "unschedule", State.APPROVED),
])
def test_publisher_actions_move_the_post(client, post_in, publisher, state, action, target):
    post = post_in(state)
    client.force_login(publisher)
    sent = {"expected_state": state, "reason": "The clinic stopped offering this treatment."}
    assert client.post(action_url(post, action), sent).status_code == 302
    post.workflow.refresh_from_db()
    assert post.workflow.state == target


def test_action_not_allowed_in_this_state_is_a_400_with_a_sentence(client, post_in, author):
    post = post_in(State.DRAFT)
    client.force_login(author)
    response = client.post(action_url(post, "withdraw"))
    assert response.status_code == 400
    assert "You cannot withdraw a post that is draft." in response.content.decode()


def test_unknown_action_is_404(client, post_in, author):
    post = post_in(State.DRAFT)
    client.force_login(author)
    assert client.post(action_url(post, "approve")).status_code == 404


def test_action_on_someone_elses_post_is_403(client, post_in, other_author):
    post = post_in(State.DRAFT)
    client.force_login(other_author)
    assert client.post(action_url(post, "submit")).status_code == 403


def test_action_needs_post(client, post_in, author):
    post = post_in(State.DRAFT)
    client.force_login(author)
    assert client.get(action_url(post, "submit")).status_code == 405


# --- comparing revisions


def test_compare_shows_word_level_changes(client, post_in, author):
    post = post_in(State.DRAFT, body="Use SPF 30 every day.")
    services.post_save_draft(post, user=author, title=post.title, summary=post.current_revision.summary,
                             body="Use SPF 50 every single day.")
    client.force_login(author)
    response = client.get(post_url(post, "editor:post_diff"), {"from": 1, "to": 2})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<del>30</del><ins>50</ins>" in content
    assert "<ins>single </ins>" in content or "<ins>single</ins>" in content


def test_compare_counts_the_words_it_marks(client, post_in, author):
    post = post_in(State.DRAFT, body="Use SPF 30 every day.\n\nReapply after swimming.")
    services.post_save_draft(post, user=author, title=post.title, summary=post.current_revision.summary,
                             body="Use SPF 50 every single day.")
    client.force_login(author)

    content = client.get(post_url(post, "editor:post_diff"), {"from": 1, "to": 2}).content.decode()

    body = content.split('class="diff-text diff-body">')[1].split("</div>")[0]
    marked = {tag: sum(len(text.split()) for text in re.findall(rf"<{tag}>(.*?)</{tag}>", body, re.S))
              for tag in ("ins", "del")}
    assert marked == {"ins": 2, "del": 4}
    assert "2 words added" in content and "4 words removed" in content


def test_compare_with_an_unknown_revision_is_a_404_and_with_a_non_number_a_400(client, post_in, author):
    post = post_in(State.DRAFT)
    client.force_login(author)
    assert client.get(post_url(post, "editor:post_diff"), {"from": 1, "to": 7}).status_code == 404
    assert client.get(post_url(post, "editor:post_diff"), {"from": "x"}).status_code == 400


def test_compare_of_someone_elses_post_is_403(client, post_in, other_author):
    post = post_in(State.DRAFT)
    client.force_login(other_author)
    assert client.get(post_url(post, "editor:post_diff")).status_code == 403


@pytest.mark.parametrize("count", [1, 50])
def test_post_page_query_count_for_a_publisher_does_not_grow_with_revisions(
        client, author, reviewer, publisher, django_assert_num_queries, count):
    post = make_post(author=author)
    for n in range(count):
        services.post_save_draft(post, user=author, title=post.title, summary="", body=f"Body {n}")
    post.refresh_from_db()
    services.post_submit(post, user=author)
    services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    client.force_login(publisher)
    client.get(post_url(post))
    # 11 (the user's permissions are one: config.auth), plus the claims check's rule overrides and justifications, the comments'
    # replies, and the version's signatures, read once for every button that needs a full sign-off (publish,
    # schedule) and for what is shown beside Publish (who signed, the review line as it will appear); whether the
    # post was imported from WordPress comes with the post
    with django_assert_num_queries(12):
        content = client.get(post_url(post)).content.decode()
    assert ">Publish</button>" in content
