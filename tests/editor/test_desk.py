"""The writer's and publisher's pages for issue 17: replies beside the text, the resubmission note, empty bodies,
the desk's published-with-a-new-version rows, sorting and filters, the publisher's check before Publish,
unpublishing with a reason, and due dates."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from review import services
from review.models import AuditEvent, Comment, Workflow
from review.states import State
from tests import factories
from tests.factories import make_post

pytestmark = pytest.mark.django_db


def post_url(post):
    return reverse("editor:post", args=[post.pk])


def action_url(post, action):
    return reverse("editor:post_action", args=[post.pk, action])


def test_post_page_lets_the_author_reply_and_resolve(client, post_in, author):
    post = post_in(State.CHANGES_REQUESTED)
    comment = Comment.objects.get(post=post)
    client.force_login(author)

    page = client.get(post_url(post)).content.decode()
    assert ">Reply</button>" in page and ">Resolve without reply</button>" in page

    response = client.post(reverse("editor:comment_reply", args=[post.pk, comment.pk]),
                           {f"reply-{comment.pk}-body": "Source added: AAD 2021.", "resolve": "1"})
    assert response.status_code == 302
    page = client.get(post_url(post)).content.decode()
    assert "Source added: AAD 2021." in page
    assert "Resolved by" in page


def test_post_page_reply_without_text_is_a_400_next_to_the_field(client, post_in, author):
    post = post_in(State.CHANGES_REQUESTED)
    comment = Comment.objects.get(post=post)
    client.force_login(author)
    response = client.post(reverse("editor:comment_reply", args=[post.pk, comment.pk]),
                           {f"reply-{comment.pk}-body": ""})
    assert response.status_code == 400
    assert f'id="id_reply-{comment.pk}-body_errors"><li>Write a reply first.</li>' in response.content.decode()


def test_post_page_refuses_replies_from_another_writer(client, post_in, other_author):
    post = post_in(State.CHANGES_REQUESTED)
    comment = Comment.objects.get(post=post)
    client.force_login(other_author)
    response = client.post(reverse("editor:comment_reply", args=[post.pk, comment.pk]),
                           {f"reply-{comment.pk}-body": "Hello"})
    assert response.status_code == 403


def test_writing_page_shows_the_comment_thread_beside_the_text(client, post_in, author):
    post = post_in(State.CHANGES_REQUESTED)
    comment = Comment.objects.get(post=post)
    services.comment_reply(comment, user=author, body="Looking for a source.")
    client.force_login(author)
    page = client.get(reverse("editor:post_edit", args=[post.pk])).content.decode()
    thread = page[page.index("data-writing-thread"):]
    assert "Please cite a source for the collagen claim." in thread
    assert "Looking for a source." in thread
    assert "What I changed (optional)" in page


def test_resubmit_from_the_writing_page_keeps_the_note(client, post_in, author):
    post = post_in(State.CHANGES_REQUESTED)
    client.force_login(author)
    response = client.post(reverse("editor:post_edit", args=[post.pk]), {
        "title": post.title, "summary": "", "body": post.current_revision.body + "\n\nSource: AAD 2021.",
        "base_revision": post.current_revision_id, "note": "Added the AAD source.", "action": "submit"})
    assert response.status_code == 302
    post = factories.refresh(post)
    assert post.workflow.state == State.IN_REVIEW
    assert services.resubmit_note(post) == "Added the AAD source."


def test_resubmit_from_the_post_page_keeps_the_note(client, post_in, author):
    post = post_in(State.CHANGES_REQUESTED)
    client.force_login(author)
    assert "What I changed (optional)" in client.get(post_url(post)).content.decode()
    client.post(action_url(post, "resubmit"), {"expected_state": State.CHANGES_REQUESTED, "note": "Reworded."})
    assert services.resubmit_note(factories.refresh(post)) == "Reworded."


def test_submit_with_an_empty_body_says_so_next_to_body_and_keeps_the_title(client, author, mailoutbox):
    client.force_login(author)
    response = client.post("/editor/new/", {"title": "Empty so far", "summary": "", "body": "   ", "action": "submit"})
    content = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_body_errors"><li>The body has no words yet.' in content
    assert 'value="Empty so far"' in content
    assert Workflow.objects.get(post__slug="empty-so-far").state == State.DRAFT
    assert mailoutbox == []


def test_desk_lists_a_live_post_being_edited_as_published_with_a_new_version_in_progress(client, post_in, author):
    post = post_in(State.PUBLISHED, title="Live and edited")
    services.post_save_draft(post, user=author, title=post.title, summary="", body="A second version.")
    client.force_login(author)
    for url in ("/editor/", "/editor/?state=published"):
        content = client.get(url).content.decode()
        row = content[content.index("Live and edited"):]
        assert "Published</span>" in row[:600] and "new version in progress (draft)" in row[:600]
    assert "Live and edited" not in client.get("/editor/?state=archived").content.decode()


def test_desk_sorts_by_title_both_ways(client, author):
    for title in ("Banana peel", "apple skin", "Cherry eyes"):
        make_post(author=author, title=title)
    client.force_login(author)
    content = client.get("/editor/?sort=title").content.decode()
    assert content.index("apple skin") < content.index("Banana peel") < content.index("Cherry eyes")
    assert 'aria-sort="ascending"' in content
    content = client.get("/editor/?sort=-title").content.decode()
    assert content.index("Cherry eyes") < content.index("Banana peel") < content.index("apple skin")


def with_column(content: str) -> list[str]:
    return re.findall(r'<td data-label="With">([^<]*)</td>', content)


def test_desk_sorts_by_whom_the_post_is_with_both_ways(client, post_in, author, reviewer, publisher):
    author.first_name, author.last_name = "amy", "Writer"
    author.save()
    reviewer.first_name, reviewer.last_name = "Ian", "Tan"
    reviewer.save()
    for state in (State.APPROVED, State.PUBLISHED, State.IN_REVIEW, State.DRAFT):
        post_in(state)
    services.post_claim(post_in(State.IN_REVIEW), user=reviewer)
    client.force_login(publisher)

    content = client.get("/editor/?sort=with").content.decode()

    assert with_column(content) == ["amy Writer", "Ian Tan", "On the site", "Publisher", "Reviewers"]
    assert '<th scope="col" aria-sort="ascending"><a href="?sort=-with" data-sort="with">With' in content
    assert with_column(client.get("/editor/?sort=-with").content.decode()) == [
        "Reviewers", "Publisher", "On the site", "Ian Tan", "amy Writer"]


@pytest.mark.parametrize("sort", ["state", "-changed", "with", "-with", "comments", "-comments", "due", "author", "-author", "bogus"])
def test_desk_every_sort_answers(client, post_in, publisher, sort):
    post_in(State.IN_REVIEW)
    post_in(State.DRAFT)
    client.force_login(publisher)
    assert client.get(f"/editor/?sort={sort}").status_code == 200


def test_desk_filters_by_author_reviewer_and_date(client, author, other_author, reviewer, publisher):
    mine = make_post(author=author, title="By the author")
    theirs = make_post(author=other_author, title="By someone else", state=State.IN_REVIEW)
    signed = make_post(author=other_author, title="Signed one", state=State.APPROVED, reviewer=reviewer)
    client.force_login(publisher)

    by_author = client.get(f"/editor/?author={author.pk}").content.decode()
    assert "By the author" in by_author and "By someone else" not in by_author

    by_reviewer = client.get(f"/editor/?reviewer={reviewer.pk}").content.decode()
    assert "Signed one" in by_reviewer and "By the author" not in by_reviewer

    Workflow.objects.filter(post=mine).update(changed_at=timezone.now() - timedelta(days=30))
    today = timezone.localdate().isoformat()
    recent = client.get(f"/editor/?changed_from={today}").content.decode()
    assert "By someone else" in recent and "By the author" not in recent
    assert theirs and signed


def test_desk_bad_date_filter_is_a_400_next_to_the_field(client, author):
    client.force_login(author)
    response = client.get("/editor/?changed_from=yesterday")
    assert response.status_code == 400
    assert 'id="id_changed_from_errors"><li>Enter a date, for example 2026-11-23.</li>' in response.content.decode()


def test_desk_cells_carry_their_labels_for_phones(client, author):
    make_post(author=author)
    client.force_login(author)
    content = client.get("/editor/").content.decode()
    for label in ("State", "Last change", "With", "Open comments", "Review due"):
        assert f'data-label="{label}"' in content


def test_desk_tells_the_publisher_what_is_approved_and_waiting(client, post_in, publisher):
    post_in(State.APPROVED, title="Ready for the site")
    client.force_login(publisher)
    content = client.get("/editor/").content.decode()
    assert "Approved and waiting for you to publish" in content
    assert "Ready for the site" in content[content.index("data-ready-to-publish"):][:800]


def test_publish_panel_shows_the_signer_the_review_line_and_open_comments(client, post_in, publisher, reviewer):
    post = post_in(State.IN_REVIEW)
    services.comment_add(post=post, user=reviewer, body="Minor: the list could be shorter.")
    services.revision_sign(factories.refresh(post), user=reviewer, password=factories.PASSWORD, attested=True)
    client.force_login(publisher)
    content = client.get(post_url(post)).content.decode()
    panel = content[content.index("data-publish-check"):content.index(">Publish</button>")]
    profile = reviewer.reviewer_profile
    assert f"<strong>{profile.printed_name}</strong>, {profile.credentials} (registration {profile.registration_number}" in panel
    assert "Readers will see:" in panel and "Medically reviewed by" in panel
    assert "1 comment is still open." in panel


def test_unpublish_without_a_reason_is_a_400_next_to_the_field_and_changes_nothing(client, post_in, publisher):
    post = post_in(State.PUBLISHED)
    client.force_login(publisher)
    response = client.post(action_url(post, "unpublish"), {"expected_state": State.PUBLISHED, "reason": " "})
    assert response.status_code == 400
    assert 'id="unpublish-reason_errors"><li>Say why the post comes off the site' in response.content.decode()
    assert factories.refresh(post).workflow.state == State.PUBLISHED


def test_unpublish_with_a_reason_shows_it_in_the_timeline(client, post_in, publisher):
    post = post_in(State.PUBLISHED)
    client.force_login(publisher)
    client.post(action_url(post, "unpublish"), {"expected_state": State.PUBLISHED, "reason": "Prices changed."})
    assert factories.refresh(post).workflow.state == State.ARCHIVED
    assert "Reason: Prices changed." in client.get(post_url(post)).content.decode()
    assert AuditEvent.objects.get(post=post, action="unpublish").detail == {"reason": "Prices changed."}


def test_due_date_form_for_publishers_on_posts_in_review(client, post_in, publisher, author):
    post = post_in(State.IN_REVIEW)
    client.force_login(author)
    assert "Review due by" not in client.get(post_url(post)).content.decode()
    client.force_login(publisher)
    assert "Review due by" in client.get(post_url(post)).content.decode()
    due = timezone.localdate() + timedelta(days=4)
    response = client.post(reverse("editor:set_due_date", args=[post.pk]),
                           {"due_date": due.isoformat(), "expected_state": State.IN_REVIEW})
    assert response.status_code == 302
    assert Workflow.objects.get(post=post).due_date == due


def test_due_date_in_the_past_is_a_400_next_to_the_field(client, post_in, publisher):
    post = post_in(State.IN_REVIEW)
    client.force_login(publisher)
    response = client.post(reverse("editor:set_due_date", args=[post.pk]),
                           {"due_date": (timezone.localdate() - timedelta(days=1)).isoformat()})
    assert response.status_code == 400
    assert 'id="id_due_date_errors"><li>Choose today or a later date.</li>' in response.content.decode()


def test_writing_page_shows_no_template_comment_to_the_writer(client, author):
    client.force_login(author)
    assert "{#" not in client.get("/editor/new/").content.decode()


def test_desk_shows_publishers_their_website_deliveries_and_background_tasks(client, author, publisher):
    client.force_login(publisher)
    html = client.get(reverse("editor:dashboard")).content.decode()
    assert 'href="/webhooks/deliveries/"' in html and 'href="/admin/tasks/"' in html
    assert client.get("/webhooks/deliveries/").status_code == 200
    assert client.get("/admin/tasks/").status_code == 200

    client.force_login(author)
    assert "/webhooks/deliveries/" not in client.get(reverse("editor:dashboard")).content.decode()
