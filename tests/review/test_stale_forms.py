"""A form left open while someone else changes the post is refused with 409 and a sentence, and changes nothing.

Each case loads the page's form values (the state and version it shows), lets another user act, then submits.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from review import services
from review.models import AuditHead, Comment, ReviewPolicy, Signature
from review.states import State
from tests import factories
from tests.factories import PASSWORD


def resubmitted_with_new_text(post, author, **_):
    """The author withdraws, changes the text and submits again: the same state, another version."""
    services.post_withdraw(post, user=author)
    services.post_save_draft(post, user=author, title=post.title, summary="", body="New words the form never saw.")
    services.post_submit(post, user=author)


def approved_again_with_new_text(post, author, second_reviewer, **_):
    services.post_save_draft(post, user=author, title=post.title, summary="", body="New words the form never saw.")
    services.post_submit(post, user=author)
    services.revision_sign(post, user=second_reviewer, password=PASSWORD, attested=True)


def withdrawn(post, author, **_):
    services.post_withdraw(post, user=author)


def saved_in_another_tab(post, author, **_):
    services.post_save_draft(post, user=author, title=post.title, summary="", body="Words the form never saw.")


def unpublished(post, publisher, **_):
    services.post_unpublish(post, user=publisher, reason="Taken down while the clinic checks the prices.")


def unscheduled(post, publisher, **_):
    services.post_unschedule(post, user=publisher)


def restored(post, publisher, **_):
    services.post_restore(post, user=publisher)


def resubmitted_after_changes(post, author, **_):
    services.post_save_draft(post, user=author, title=post.title, summary="", body="Changed as asked.")
    services.post_resubmit(post, user=author)


def sign_data(post, user):
    return {"password": PASSWORD, "attest": "on", "checklist": list(ReviewPolicy.current().checklist)}


# name: (start state, who submits, url name, extra form data, what someone else does meanwhile)
CASES = {
    "request changes": (State.IN_REVIEW, "reviewer", "review:request_changes",
                        lambda post, user: {"comment": "Cite a source."}, resubmitted_with_new_text),
    "sign": (State.IN_REVIEW, "reviewer", "review:sign", sign_data, resubmitted_with_new_text),
    "comment": (State.IN_REVIEW, "reviewer", "review:comment", lambda post, user: {"body": "A source?"},
                resubmitted_with_new_text),
    "claim": (State.IN_REVIEW, "reviewer", "review:claim", lambda post, user: {}, resubmitted_with_new_text),
    "assign": (State.IN_REVIEW, "publisher", "review:assign", lambda post, user: {"reviewer": "REVIEWER"},
               resubmitted_with_new_text),
    "publish": (State.APPROVED, "publisher", "editor:post_action:publish", lambda post, user: {},
                approved_again_with_new_text),
    "schedule": (State.APPROVED, "publisher", "editor:post_action:schedule",
                 lambda post, user: {"when": (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")},
                 approved_again_with_new_text),
    "unschedule": (State.SCHEDULED, "publisher", "editor:post_action:unschedule", lambda post, user: {},
                   unscheduled),
    "unpublish": (State.PUBLISHED, "publisher", "editor:post_action:unpublish",
                  lambda post, user: {"reason": "The clinic stopped offering it."}, unpublished),
    "archive": (State.APPROVED, "publisher", "editor:post_action:archive", lambda post, user: {},
                approved_again_with_new_text),
    "restore": (State.ARCHIVED, "publisher", "editor:post_action:restore", lambda post, user: {}, restored),
    "withdraw": (State.IN_REVIEW, "author", "editor:post_action:withdraw", lambda post, user: {},
                 resubmitted_with_new_text),
    "resubmit": (State.CHANGES_REQUESTED, "author", "editor:post_action:resubmit", lambda post, user: {},
                 resubmitted_after_changes),
    "submit": (State.DRAFT, "author", "editor:post_action:submit", lambda post, user: {}, saved_in_another_tab),
}


def url_for(name, post):
    if name.startswith("editor:post_action:"):
        return reverse("editor:post_action", args=[post.pk, name.rsplit(":", 1)[1]])
    return reverse(name, args=[post.pk])


@pytest.mark.parametrize("action", list(CASES))
def test_stale_form_is_refused_with_409_and_changes_nothing(action, author, reviewer, second_reviewer, publisher):
    start, who, url_name, extra, meanwhile = CASES[action]
    post = factories.make_post(author=author, reviewer=second_reviewer, publisher=publisher, state=start)
    user = {"author": author, "reviewer": reviewer, "publisher": publisher}[who]
    # The form as the page rendered it: the state and version the user saw.
    loaded = {"expected_state": post.workflow.state, "expected_revision": post.current_revision_id}
    meanwhile(post, author=author, publisher=publisher, second_reviewer=second_reviewer)
    post = factories.refresh(post)
    data = {key: (reviewer.pk if value == "REVIEWER" else value) for key, value in extra(post, user).items()}
    before = (post.workflow.state, post.current_revision_id, post.live_revision_id, post.workflow.assignee_id,
              AuditHead.objects.get(pk=1).seq, Comment.objects.count(), Signature.objects.count())
    client = Client()
    client.force_login(user)

    response = client.post(url_for(url_name, post), {**loaded, **data})

    post = factories.refresh(post)
    after = (post.workflow.state, post.current_revision_id, post.live_revision_id, post.workflow.assignee_id,
             AuditHead.objects.get(pk=1).seq, Comment.objects.count(), Signature.objects.count())
    assert response.status_code == 409, response.content.decode()[:2000]
    assert after == before
    assert "was not applied" in response.content.decode() or "already" in response.content.decode()
