"""The reviewers' daily digest (issue 17.17): one email a day per reviewer listing what waits for them."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from review.services import scheduler
from review.states import State
from tests import factories

SINGAPORE = ZoneInfo("Asia/Singapore")
MORNING = datetime(2026, 11, 30, 9, 0, tzinfo=SINGAPORE)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def digests(mailoutbox):
    return [m for m in mailoutbox if "waiting for your review" in m.subject]


def test_digest_lists_every_waiting_post_in_one_email_per_reviewer(post_in, reviewer, second_reviewer, author,
                                                                   mailoutbox, run_on_commit, settings):
    settings.REVIEW_DIGEST_HOUR = 7
    first = post_in(State.IN_REVIEW, title="Pico laser aftercare")
    second = post_in(State.IN_REVIEW, title="Sunscreen after peels")
    mailoutbox.clear()

    with run_on_commit():
        sent = scheduler.send_digests(MORNING)

    assert sorted(sent) == sorted([reviewer.pk, second_reviewer.pk])
    mails = digests(mailoutbox)
    assert sorted(m.to[0] for m in mails) == sorted([reviewer.email, second_reviewer.email])
    for mail in mails:
        assert mail.subject == "2 articles waiting for your review"
        assert first.title in mail.body and second.title in mail.body
        assert f"/review/posts/{first.pk}/" in mail.body


def test_digest_is_sent_once_a_day_however_often_the_tick_runs(post_in, reviewer, mailoutbox, run_on_commit):
    post_in(State.IN_REVIEW)
    mailoutbox.clear()

    with run_on_commit():
        for minutes in (0, 1, 60, 600):
            scheduler.send_digests(MORNING + timedelta(minutes=minutes))
    assert len(digests(mailoutbox)) == 1

    with run_on_commit():
        scheduler.send_digests(MORNING + timedelta(days=1))
    assert len(digests(mailoutbox)) == 2


def test_digest_waits_for_the_morning_hour(post_in, reviewer, mailoutbox, run_on_commit, settings):
    settings.REVIEW_DIGEST_HOUR = 7
    post_in(State.IN_REVIEW)
    mailoutbox.clear()
    with run_on_commit():
        assert scheduler.send_digests(MORNING.replace(hour=6, minute=59)) == []
    assert digests(mailoutbox) == []


def test_digest_skips_a_reviewer_with_nothing_waiting_and_lists_only_what_they_may_review(
        author, reviewer, mailoutbox, run_on_commit):
    own_post_writer = factories.make_reviewer("doctor-writer", display_name="Lim Wei")
    own_post_writer.groups.add(*factories.make_author("x").groups.all())
    with run_on_commit():
        assert scheduler.send_digests(MORNING) == []  # nothing waits for anyone

    factories.make_post(author=own_post_writer, state=State.IN_REVIEW, title="My own article")
    mailoutbox.clear()
    with run_on_commit():
        sent = scheduler.send_digests(MORNING + timedelta(days=1))
    assert sent == [reviewer.pk]  # nobody reviews their own post
