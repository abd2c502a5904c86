"""The approval queue at /review/: tabs, rows, claim and assign, access, and a query count that stays flat."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone

from review import queue, rules, services
from review.models import AuditEvent, Workflow
from review.states import State
from tests import factories

QUEUE = "/review/"


def _submitted(post, *, ago):
    """Pretend `post` was submitted `ago` in the past (the queue orders by it)."""
    post.workflow.__class__.objects.filter(pk=post.workflow.pk).update(submitted_at=timezone.now() - ago)


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def test_queue_refuses_author(client, author):
    client.force_login(author)
    assert client.get(QUEUE).status_code == 403


def test_queue_refuses_publisher_without_reviewer_profile(client, publisher):
    client.force_login(publisher)
    assert client.get(QUEUE).status_code == 403


def test_queue_sends_anonymous_visitor_to_log_in(client, db):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_queue_waiting_lists_oldest_first_linked_by_title(reviewer_client, post_in):
    newer = post_in(State.IN_REVIEW, title="Newer article about sunscreen")
    older = post_in(State.IN_REVIEW, title="Older article about pico laser")
    _submitted(newer, ago=timedelta(hours=1))
    _submitted(older, ago=timedelta(days=2))
    post_in(State.DRAFT, title="A draft nobody should see")

    response = reviewer_client.get(QUEUE)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Older article about pico laser") < html.index("Newer article about sunscreen")
    assert f'<a href="{reverse("review:post", args=[older.pk])}">Older article about pico laser</a>' in html
    assert "A draft nobody should see" not in html
    assert "2\xa0days" in html  # waiting time
    older.workflow.refresh_from_db()
    submitted = timezone.localtime(older.workflow.submitted_at)
    assert (f'<time datetime="{date_filter(submitted, "c")}">{date_filter(submitted, "j M Y, H:i")}</time>'
            in html)


def test_queue_rereview_row_shows_the_day_it_fell_due(reviewer_client, post_in):
    post_in(State.PUBLISHED, title="Due article")
    for day in (datetime(2026, 1, 5, 23, 30), datetime(2026, 9, 30, 0, 5)):
        flagged = timezone.make_aware(day)
        Workflow.objects.update(review_due_at=flagged)

        html = reviewer_client.get(QUEUE + "?tab=rereview").content.decode()

        assert f'<time datetime="{date_filter(flagged, "c")}">{date_filter(flagged, "j M Y")}</time>' in html


def test_queue_row_shows_author_words_and_first_review(reviewer_client, post_in, author):
    post = post_in(State.IN_REVIEW)

    html = reviewer_client.get(QUEUE).content.decode()

    assert author.get_full_name() in html
    assert f"data-label=\"Words\">{post.current_revision.word_count}</td>" in html
    assert "No, first review" in html


def test_queue_row_says_reviewed_before_after_an_earlier_signature(reviewer_client, post_in, author):
    post = post_in(State.APPROVED)
    services.post_save_draft(post, user=author, title="Caring for your skin after laser, revised",
                             summary="", body="New body text.")
    services.post_submit(post, user=author)

    html = reviewer_client.get(QUEUE).content.decode()

    assert "Caring for your skin after laser, revised" in html
    assert "Reviewed before?\">Signed v1</td>" in html


def test_queue_row_says_changes_were_requested_on_the_earlier_version(reviewer_client, post_in, author):
    post = post_in(State.CHANGES_REQUESTED)
    services.post_save_draft(post, user=author, title=post.current_revision.title, summary="",
                             body="A revised body that cites its source.")
    services.post_resubmit(post, user=author)

    html = reviewer_client.get(QUEUE).content.decode()

    assert "Reviewed before?\">Changes requested on v1</td>" in html


def test_queue_tabs_show_counts(reviewer_client, reviewer, post_in):
    post_in(State.IN_REVIEW)
    mine = post_in(State.IN_REVIEW)
    services.post_claim(mine, user=reviewer)
    post_in(State.APPROVED)

    response = reviewer_client.get(QUEUE)

    assert [(t.key, n) for t, n in response.context["tabs"]] == [
        ("waiting", 2), ("assigned", 1), ("rereview", 0), ("signed", 1),
    ]


def test_queue_rereview_tab_lists_flagged_published_posts(reviewer_client, post_in):
    post = post_in(State.PUBLISHED, title="Old but live article")
    factories.let_reviews_lapse()
    services.flag_rereviews_due()

    response = reviewer_client.get(QUEUE + "?tab=rereview")

    assert "Old but live article" in response.content.decode()
    assert [w.post_id for w in response.context["rows"]] == [post.pk]


def test_queue_recently_signed_tab_lists_my_signatures(reviewer_client, post_in):
    post_in(State.APPROVED, title="Signed this morning")

    html = reviewer_client.get(QUEUE + "?tab=signed").content.decode()

    assert "Signed this morning" in html
    assert "Medical accuracy review" in html


def test_queue_hides_posts_the_reviewer_wrote(client, author_reviewer, reviewer, publisher):
    factories.make_post(author=author_reviewer, state=State.IN_REVIEW, title="My own article")
    client.force_login(author_reviewer)

    response = client.get(QUEUE)

    assert "My own article" not in response.content.decode()


def test_queue_counts_leave_out_posts_the_reviewer_wrote(client, author_reviewer, author):
    factories.make_post(author=author_reviewer, state=State.IN_REVIEW, title="My own article")
    factories.make_post(author=author, state=State.IN_REVIEW, title="A colleague's article")
    client.force_login(author_reviewer)

    response = client.get(QUEUE)

    assert dict((t.key, n) for t, n in response.context["tabs"])["waiting"] == 1
    assert '<span class="count" aria-label="1 waiting">1</span>' in response.content.decode()  # the navigation
    assert queue.waiting_count(author_reviewer) == 1


def test_claim_assigns_post_to_reviewer(reviewer_client, reviewer, post_in):
    post = post_in(State.IN_REVIEW)

    response = reviewer_client.post(reverse("review:claim", args=[post.pk]), {"expected_state": State.IN_REVIEW})

    assert response.status_code == 302
    post.workflow.refresh_from_db()
    assert post.workflow.assignee == reviewer
    assert AuditEvent.objects.filter(action="claim", post=post).count() == 1
    html = reviewer_client.get(QUEUE + "?tab=assigned").content.decode()
    assert post.title in html


def test_claim_taken_by_colleague_is_409_with_their_name(reviewer_client, second_reviewer, post_in):
    post = post_in(State.IN_REVIEW)
    services.post_claim(post, user=second_reviewer)

    response = reviewer_client.post(reverse("review:claim", args=[post.pk]), {"expected_state": State.IN_REVIEW})

    assert response.status_code == 409
    assert "Dr. Goh Mei Lin has already taken this post" in response.content.decode()
    post.workflow.refresh_from_db()
    assert post.workflow.assignee == second_reviewer


def test_claim_after_post_left_review_is_409(reviewer_client, second_reviewer, post_in):
    post = post_in(State.IN_REVIEW)
    services.post_request_changes(post, user=second_reviewer, comment="Cite a source.")

    response = reviewer_client.post(reverse("review:claim", args=[post.pk]), {"expected_state": State.IN_REVIEW})

    assert response.status_code == 409
    assert "requested changes" in response.content.decode()


def test_assign_by_publisher_names_reviewer_and_emails_them(client, reviewer, publisher, post_in, mailoutbox,
                                                            django_capture_on_commit_callbacks):
    post = post_in(State.IN_REVIEW)
    client.force_login(publisher)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("review:assign", args=[post.pk]),
                               {"reviewer": reviewer.pk, "expected_state": State.IN_REVIEW})

    assert response.status_code == 302
    post.workflow.refresh_from_db()
    assert post.workflow.assignee == reviewer
    assert [m.subject for m in mailoutbox] == [f"Assigned to you for review: {post.title}"]
    assert mailoutbox[0].to == [reviewer.email]


def test_assign_by_reviewer_is_refused(reviewer_client, second_reviewer, post_in):
    post = post_in(State.IN_REVIEW)

    response = reviewer_client.post(reverse("review:assign", args=[post.pk]), {"reviewer": second_reviewer.pk})

    assert response.status_code == 403


def test_assign_to_the_posts_author_is_refused(client, author_reviewer, reviewer, publisher):
    post = factories.make_post(author=author_reviewer, state=State.IN_REVIEW)
    client.force_login(publisher)

    response = client.post(reverse("review:assign", args=[post.pk]), {"reviewer": author_reviewer.pk})

    assert response.status_code == 400
    post.workflow.refresh_from_db()
    assert post.workflow.assignee is None


def _fill_every_tab(n, *, author, reviewer, publisher):
    for i in range(n):
        factories.make_post(author=author, reviewer=reviewer, state=State.IN_REVIEW, title=f"Waiting {i}")
        assigned = factories.make_post(author=author, reviewer=reviewer, state=State.IN_REVIEW, title=f"Mine {i}")
        services.post_claim(assigned, user=reviewer)
        factories.make_post(author=author, reviewer=reviewer, publisher=publisher, state=State.PUBLISHED,
                            title=f"Live {i}")
    factories.let_reviews_lapse()
    services.flag_rereviews_due()


def test_queue_query_count_does_not_grow_with_rows(client, settings, author, reviewer, publisher):
    # A cheap password hash: this test signs a hundred posts and measures queries, not hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The same password, hashed again: stored as a hash, not set as a new password (which someone else setting
    # would stop the reviewer signing, review.identity).
    reviewer.password = make_password(factories.PASSWORD)
    reviewer.save(update_fields=["password"])
    reviewer.groups.add(*publisher.groups.all())  # sees the assign menu as well
    user = type(reviewer).objects.get(pk=reviewer.pk)
    client.force_login(user)
    client.get(QUEUE)  # the first page after signing in renews the session
    tabs = ["waiting", "assigned", "rereview", "signed"]

    def measure():
        counts = {}
        for tab in tabs:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(QUEUE, {"tab": tab})
            counts[tab] = (len(queries.captured_queries), len(response.context["rows"]))
        return counts

    _fill_every_tab(1, author=author, reviewer=user, publisher=publisher)
    with_one = measure()
    _fill_every_tab(49, author=author, reviewer=user, publisher=publisher)
    with_fifty = measure()

    assert {tab: rows for tab, (_, rows) in with_one.items()} == {"waiting": 2, "assigned": 1, "rereview": 1, "signed": 1}
    # A tab shows one page of rows however many wait.
    assert {tab: rows for tab, (_, rows) in with_fifty.items()} == dict.fromkeys(tabs, queue.PAGE_SIZE)
    print("queries per tab with 1 and 50 rows:", with_one, with_fifty)
    assert {tab: n for tab, (n, _) in with_fifty.items()} == {tab: n for tab, (n, _) in with_one.items()}


def test_queue_rows_name_colleagues_and_authors_without_a_query_per_row(client, author, reviewer, second_reviewer):
    # Rows load only the columns they show; a name read from a column left out would cost a query per row.
    client.force_login(reviewer)

    def waiting_tab():
        cache.clear()  # both pages count their tabs (review.queue.counts keeps them while nothing changes)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(QUEUE, {"tab": "waiting"})
        return len(queries.captured_queries), response

    def add_claimed_post(title):
        services.post_claim(factories.make_post(author=author, state=State.IN_REVIEW, title=title),
                            user=second_reviewer)

    add_claimed_post("Claimed 0")
    client.get(QUEUE)  # the first page after signing in renews the session
    with_one, _ = waiting_tab()
    for i in range(1, 5):
        add_claimed_post(f"Claimed {i}")
    with_five, response = waiting_tab()

    html = response.content.decode()
    assert len(response.context["rows"]) == 5
    assert html.count(second_reviewer.reviewer_profile.printed_name) == 5
    assert html.count(author.get_full_name()) == 5
    assert all(f">Claimed {i}</a>" in html for i in range(5))
    assert with_five == with_one


def test_queue_pages_show_every_waiting_post_oldest_first(client, author, reviewer):
    for i in range(queue.PAGE_SIZE + 2):
        factories.make_post(author=author, state=State.IN_REVIEW, title=f"Waiting {i}")
    client.force_login(reviewer)

    first = client.get(QUEUE, {"tab": "waiting"})
    second = client.get(QUEUE, {"tab": "waiting", "page": 2})

    titles = [r.title for r in first.context["rows"]] + [r.title for r in second.context["rows"]]
    assert titles == [f"Waiting {i}" for i in range(queue.PAGE_SIZE + 2)]
    assert "Page 1 of 2" in first.content.decode() and 'rel="next"' in first.content.decode()
    assert client.get(QUEUE, {"tab": "waiting", "page": "nonsense"}).context["page"] == 1


def test_an_edit_of_a_live_post_is_listed_by_the_version_under_review(reviewer_client, post_in, author):
    post = post_in(State.PUBLISHED, title="What readers see now")
    services.post_save_draft(post, user=author, title="An edit waiting for review", summary="",
                             body="A much longer working copy " * 40)
    services.post_submit(post, user=author)
    post.refresh_from_db()
    assert post.live_differs_from_working_copy

    response = reviewer_client.get(QUEUE)

    html = response.content.decode()
    assert ">An edit waiting for review</a>" in html and "What readers see now" not in html
    [row] = response.context["rows"]
    assert row.words == post.current_revision.word_count == 200 and not row.rereview
    assert "Reviewed before?\">Signed v1</td>" in html  # its live version was signed


def test_queue_counts_agree_with_the_rules_for_every_post(author, author_reviewer, reviewer, publisher):
    # The counts read the tabs' rows along indexes (waiting: the user's own posts left out; re-review: a live post
    # never signed off and one whose sign-off ran out, counted apart); each must still be what the rules say.
    def make(state, *, by):
        return factories.make_post(author=by, reviewer=reviewer, publisher=publisher, state=state)

    for by in (author, author_reviewer):
        make(State.IN_REVIEW, by=by)
        factories.make_review_due(make(State.PUBLISHED, by=by))
        never_signed = make(State.PUBLISHED, by=by)
        Workflow.objects.filter(post=never_signed).update(review_due_at=None)
        make(State.PUBLISHED, by=by)  # its review is current
    make(State.IN_REVIEW, by=author)
    now = timezone.now()
    workflows = list(Workflow.objects.select_related("post"))

    for user in (reviewer, author_reviewer):
        counted = queue.counts(user, now)
        not_involved = [w for w in workflows if not rules.involved(w, user)]
        assert counted["waiting"] == sum(w.state == State.IN_REVIEW for w in not_involved) == queue.waiting_count(user)
        assert counted["rereview"] == sum(rules.rereview_due(w, now) for w in not_involved)
    assert queue.counts(author_reviewer, now)["waiting"] == 2  # the author's two, not their own
    assert queue.counts(author_reviewer, now)["rereview"] == 2
    assert queue.counts(reviewer, now) | {"signed": 0} == {"waiting": 3, "assigned": 0, "rereview": 4, "signed": 0}


def test_queue_waiting_lists_posts_with_the_earliest_due_date_first_and_marks_overdue(
        reviewer_client, post_in, publisher):
    first_in, due_soon, overdue = (post_in(State.IN_REVIEW, title=t) for t in ("Waited longest", "Due soon", "Overdue"))
    _submitted(first_in, ago=timedelta(days=5))
    services.post_set_due_date(due_soon, user=publisher, due_date=timezone.localdate() + timedelta(days=2))
    services.post_set_due_date(overdue, user=publisher, due_date=timezone.localdate())
    Workflow.objects.filter(post=overdue).update(due_date=timezone.localdate() - timedelta(days=1))

    content = reviewer_client.get(QUEUE).content.decode()

    assert content.index("Overdue</a>") < content.index("Due soon</a>") < content.index("Waited longest</a>")
    assert "Overdue: was due" in content
    assert content.count("Overdue: was due") == 1 and "Due by" in content


@pytest.mark.parametrize("page_size", [2, 3, 5, 25])
def test_rereview_tab_pages_read_half_by_half_list_the_rules_posts_in_order(
        monkeypatch, author, reviewer, second_reviewer, publisher, page_size):
    # Four live posts never signed off under the current policy (no review date) and three whose sign-off ran
    # out: pages that end inside the first half, on its edge and beyond it.
    posts = [factories.make_post(author=author, reviewer=second_reviewer, publisher=publisher, state=State.PUBLISHED,
                                 title=f"Live {i}") for i in range(7)]
    now = timezone.now()
    for i, post in enumerate(posts):
        Workflow.objects.filter(post=post).update(review_due_at=None if i % 2 else now - timedelta(days=10 - i))
    monkeypatch.setattr(queue, "PAGE_SIZE", page_size)

    expected = list(queue.rereview_due(reviewer, now).values_list("pk", flat=True))
    pages = [queue.rereview_page_ids(reviewer, start, now) for start in range(0, len(expected) + page_size, page_size)]

    assert len(expected) == 7 and set(expected) == set(Workflow.objects.filter(post__in=posts).values_list("pk", flat=True))
    assert [pk for page in pages for pk in page] == expected
    assert all(len(page) == page_size for page in pages[:len(expected) // page_size])
    assert expected[:3] == list(Workflow.objects.filter(post__in=posts, review_due_at=None)
                                .order_by("post").values_list("pk", flat=True))[:3]  # never signed off: first
