"""Workflow emails: who gets them, what they say (plain text and HTML), and that a failure never undoes the action."""


import pytest
from django.core.mail.backends.base import BaseEmailBackend

from review import services
from review.states import State
from tests import factories
from tests.factories import PASSWORD


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server is down")


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def run():
        return django_capture_on_commit_callbacks(execute=True)
    return run


def html_of(message):
    return message.alternatives[0][0]


def test_submit_emails_every_reviewer_with_link_to_review_page(post_in, reviewer, second_reviewer, author,
                                                               mailoutbox, run_on_commit):
    post = post_in(State.DRAFT)

    with run_on_commit():
        services.post_submit(post, user=author)

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.subject == f"Waiting for your review: {post.title}"
    assert sorted(message.to) == sorted([reviewer.email, second_reviewer.email])
    assert f"/review/posts/{post.pk}/" in message.body
    assert f'href="http://testserver/review/posts/{post.pk}/"' in html_of(message)


def test_resubmit_emails_only_the_assigned_reviewer(post_in, reviewer, second_reviewer, author,
                                                    mailoutbox, run_on_commit):
    post = post_in(State.IN_REVIEW)
    services.post_claim(post, user=second_reviewer)
    services.post_request_changes(post, user=second_reviewer, comment="Cite a source.")

    with run_on_commit():
        services.post_resubmit(post, user=author)

    assert [(m.subject, m.to) for m in mailoutbox] == [
        (f"Revised and waiting for your review: {post.title}", [second_reviewer.email]),
    ]


def test_request_changes_emails_author_with_the_comment(post_in, reviewer, author, mailoutbox, run_on_commit):
    post = post_in(State.IN_REVIEW)

    with run_on_commit():
        services.post_request_changes(post, user=reviewer, comment="Please cite a source for the collagen claim.",
                                      quote={"exact": "stimulate collagen production"})

    message = mailoutbox[-1]
    assert message.subject == f"Changes requested: {post.title}"
    assert message.to == [author.email]
    assert "Dr. Ian Tan asked for changes before signing this article." in message.body
    assert "On “stimulate collagen production”:\nPlease cite a source for the collagen claim." in message.body
    assert "Please cite a source for the collagen claim." in html_of(message)


def test_approve_emails_author_with_signer_and_credentials(post_in, reviewer, author, mailoutbox, run_on_commit):
    post = post_in(State.IN_REVIEW)

    with run_on_commit():
        services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)

    message = mailoutbox[-1]
    assert message.subject == f"Approved: {post.title}"
    assert message.to[0] == author.email
    assert "- Dr. Ian Tan, MBBS (Singapore) (Medical accuracy review)" in message.body
    assert "Dr. Ian Tan, MBBS (Singapore)" in html_of(message)


def test_publish_emails_author(post_in, publisher, author, mailoutbox, run_on_commit):
    post = post_in(State.APPROVED)

    with run_on_commit():
        services.post_publish(post, user=publisher)

    assert [(m.subject, m.to) for m in mailoutbox] == [(f"Published: {post.title}", [author.email])]
    assert "This article is now on the public site." in mailoutbox[0].body


def test_rereview_due_emails_reviewers(post_in, reviewer, second_reviewer, mailoutbox, run_on_commit):
    post = post_in(State.PUBLISHED)

    with run_on_commit():
        factories.let_reviews_lapse()
        services.flag_rereviews_due()

    message = mailoutbox[-1]
    assert message.subject == f"Re-review due: {post.title}"
    assert sorted(message.to) == sorted([reviewer.email, second_reviewer.email])
    assert "Re-sign it as it stands, or request changes." in message.body


def test_email_failure_is_logged_and_action_stands(post_in, reviewer, author, settings, caplog, run_on_commit):
    settings.EMAIL_BACKEND = "tests.review.test_notifications.BrokenBackend"
    post = post_in(State.IN_REVIEW)

    with run_on_commit():
        services.post_request_changes(post, user=reviewer, comment="Cite it.")

    post.workflow.refresh_from_db()
    assert post.workflow.state == State.CHANGES_REQUESTED
    assert f"Could not send 'Changes requested: {post.title}'" in caplog.text


def test_approve_emails_every_publisher_too(post_in, reviewer, author, publisher, mailoutbox, run_on_commit):
    post = post_in(State.IN_REVIEW)

    with run_on_commit():
        services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)

    message = mailoutbox[-1]
    assert message.to == [author.email, publisher.email]
    assert "It can now be published." in message.body


def test_unpublish_emails_the_author_with_the_reason(post_in, publisher, author, mailoutbox, run_on_commit):
    post = post_in(State.PUBLISHED)

    with run_on_commit():
        services.post_unpublish(post, user=publisher, reason="The clinic no longer offers this laser.")

    message = mailoutbox[-1]
    assert message.subject == f"Taken off the site: {post.title}"
    assert message.to == [author.email]
    assert "Reason: The clinic no longer offers this laser." in message.body
    assert "The clinic no longer offers this laser." in html_of(message)


def test_request_changes_email_carries_every_open_comment_on_a_passage(post_in, reviewer, author, mailoutbox,
                                                                      run_on_commit):
    post = post_in(State.IN_REVIEW)
    services.comment_add(post=post, user=reviewer, body="Which study shows this?",
                         quote={"exact": "stimulate collagen production", "prefix": "", "suffix": ""})
    services.comment_add(post=post, user=reviewer, body="Say for how long.",
                         quote={"exact": "Use SPF 50 every day.", "prefix": "", "suffix": ""})

    with run_on_commit():
        services.post_request_changes(post, user=reviewer, comment="See my comments on the text.")

    message = mailoutbox[-1]
    assert "See my comments on the text." in message.body
    assert "- On “stimulate collagen production”: Which study shows this?" in message.body
    assert "- On “Use SPF 50 every day.”: Say for how long." in message.body
    assert "<em>On “stimulate collagen production”:</em> Which study shows this?" in html_of(message)


def test_resubmit_email_carries_the_writers_note(post_in, reviewer, author, mailoutbox, run_on_commit):
    from review.services.transitions import transition_post

    post = post_in(State.CHANGES_REQUESTED)

    with run_on_commit():
        transition_post(post, "resubmit", user=author, detail={"note": "Cited the 2024 study."})

    assert "What the writer changed: Cited the 2024 study." in mailoutbox[-1].body


def test_resubmit_email_without_a_note_does_not_repeat_the_last_rounds_note(post_in, reviewer, author, mailoutbox,
                                                                             run_on_commit):
    post = post_in(State.CHANGES_REQUESTED)
    services.post_resubmit(post, user=author, note="Cited the 2024 study.")
    services.post_request_changes(factories.refresh(post), user=reviewer, comment="Say for how long.")
    services.post_save_draft(factories.refresh(post), user=author, title=post.title, summary="",
                             body="Use SPF 50 every day for two weeks.")

    with run_on_commit():
        services.post_resubmit(factories.refresh(post), user=author)

    assert "Revised and waiting for your review" in mailoutbox[-1].subject
    assert "What the writer changed" not in mailoutbox[-1].body


@pytest.mark.parametrize(("action", "subject", "sentence"), [
    ("archive", "Archived", "archived this article"),
    ("restore", "Restored", "restored this article from the archive"),
])
def test_archive_and_restore_tell_the_author(post_in, publisher, author, mailoutbox, run_on_commit, action, subject,
                                             sentence):
    post = post_in(State.ARCHIVED if action == "restore" else State.DRAFT)

    with run_on_commit():
        getattr(services, f"post_{action}")(post, user=publisher)

    message = mailoutbox[-1]
    assert message.subject == f"{subject}: {post.title}" and message.to == [author.email]
    assert sentence in message.body and f"http://testserver/editor/posts/{post.pk}/" in message.body
