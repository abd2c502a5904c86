"""Every rule of review.rules agrees with its queryset twin, and the queue lists an action exactly when it is allowed.

The walk: every role (writer, another writer, a reviewer, the reviewer who signed, a colleague who claimed
the post, a reviewer who edited it, one whose registration lapsed, one whose profile is inactive, a
publisher) × every state of a post (plus a live post whose review is due) × each predicate and its twin.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content.models import Revision
from review import queue, rules
from review.models import Workflow
from review.states import State
from tests import factories

PAIRS = [
    (rules.may_see, rules.seeable),
    (rules.may_review, rules.reviewable),
    (rules.may_claim, rules.claimable),
    (rules.may_sign, rules.signable),
    (rules.may_request_changes, rules.changes_requestable),
    (rules.may_write, rules.writable),
    (rules.may_edit, rules.editable),
    (rules.may_comment, rules.commentable),
    (rules.may_publish, rules.publishable),
    (rules.may_assign, rules.assignable),
    (rules.may_set_due_date, rules.due_date_settable),
]


@pytest.fixture
def world(db, author, other_author, reviewer, second_reviewer, publisher):
    editor = factories.make_reviewer("editing-doctor")
    lapsed = factories.make_reviewer("lapsed-doctor", verified_until=timezone.localdate() - timedelta(days=1))
    inactive = factories.make_reviewer("inactive-doctor")
    inactive.reviewer_profile.is_active = False
    inactive.reviewer_profile.save()
    posts = {}
    for state in State:
        post = factories.make_post(author=author, reviewer=reviewer, publisher=publisher, state=state,
                                   slug=f"post-{state}")
        # A reviewer who wrote an earlier version had a hand in it.
        Revision.objects.create(post=post, number=99, title="Their words", body="Their words", html="<p>x</p>",
                                author=editor, content_hash="0" * 64)
        posts[state.value] = post
    due = factories.make_post(author=author, reviewer=reviewer, publisher=publisher, state=State.PUBLISHED,
                              slug="post-due")
    factories.make_review_due(due)
    posts["published, review due"] = due
    claimed = factories.make_post(author=author, reviewer=reviewer, publisher=publisher, state=State.IN_REVIEW,
                                  slug="post-claimed")
    Workflow.objects.filter(post=claimed).update(assignee=second_reviewer)
    posts["in review, claimed"] = claimed
    users = {"writer": author, "other writer": other_author, "signer": reviewer, "colleague": second_reviewer,
             "editing reviewer": editor, "lapsed reviewer": lapsed, "inactive reviewer": inactive,
             "publisher": publisher}
    users = {name: type(user).objects.get(pk=user.pk) for name, user in users.items()}
    workflows = {name: Workflow.objects.select_related("post").get(post=post) for name, post in posts.items()}
    return users, workflows


def test_rules_every_predicate_agrees_with_its_queryset_twin(world):
    users, workflows = world
    disagreements = []
    for predicate, twin in PAIRS:
        for who, user in users.items():
            listed = set(twin(user).filter(pk__in=[w.pk for w in workflows.values()]).values_list("pk", flat=True))
            for what, workflow in workflows.items():
                if predicate(workflow, user) != (workflow.pk in listed):
                    disagreements.append(f"{predicate.__name__}: {who} on {what}: predicate says "
                                         f"{predicate(workflow, user)}, {twin.__name__} says {workflow.pk in listed}")
    assert disagreements == []


def test_rules_the_walk_covers_allowed_and_refused_cases(world):
    """Each predicate answers yes for someone and no for someone, so the agreement above is not vacuous."""
    users, workflows = world
    for predicate, _ in PAIRS:
        answers = {predicate(w, u) for w in workflows.values() for u in users.values()}
        assert answers == {True, False}, predicate.__name__


def test_rules_reviewers_act_on_nothing_when_lapsed_inactive_or_involved(world):
    users, workflows = world
    in_review = workflows["in_review"]
    assert rules.may_claim(in_review, users["colleague"]) is True
    for who in ("lapsed reviewer", "inactive reviewer", "editing reviewer", "writer"):
        assert not rules.may_claim(in_review, users[who]), who
        assert not rules.may_sign(in_review, users[who]), who
        assert not rules.may_comment(in_review, users[who]) or who == "writer", who
    assert not rules.may_see(workflows["draft"], users["colleague"])  # never submitted
    assert not rules.may_see(in_review, users["inactive reviewer"])


def test_queue_lists_a_claim_button_exactly_where_may_claim_allows(world):
    users, workflows = world
    for who in ("colleague", "signer", "editing reviewer", "lapsed reviewer"):
        user = users[who]
        client = Client()
        client.force_login(user)
        shown = {}
        for tab in ("waiting", "assigned", "rereview"):
            response = client.get(reverse("review:queue"), {"tab": tab})
            assert response.status_code == 200
            for row in response.context["rows"]:
                shown[row.post_id] = row.can_claim or shown.get(row.post_id, False)
                claim_form = f'action="{reverse("review:claim", args=[row.post_id])}"'
                assert (claim_form in response.content.decode()) is row.can_claim
        for workflow in workflows.values():
            allowed = rules.may_claim(workflow, user)
            assert shown.get(workflow.post_id, False) is allowed, (who, workflow.state)


def test_rereview_due_is_one_rule_for_the_queue_and_the_tick(world):
    users, workflows = world
    from review import services

    flagged = set(services.flag_rereviews_due())
    due = {w.post_id for w in workflows.values() if rules.rereview_due(w)}
    listed = {w.post_id for w in queue.rereview_due(users["colleague"])}
    assert flagged == due == listed == {workflows["published, review due"].post_id}


def test_rules_who_justified_blocked_wording_may_not_sign_that_post(db, author, reviewer, second_reviewer):
    """A publisher-reviewer who records why blocked wording must stay had a hand in the text: they may not sign it."""
    from django.core.exceptions import PermissionDenied

    from claims.models import FindingJustification
    from review import services
    from tests.factories import PASSWORD

    post = factories.make_post(author=author, reviewer=reviewer, state=State.IN_REVIEW)
    FindingJustification.objects.create(revision=post.current_revision, field="body", rule="absolute-claim",
                                        text="100%", start=0, end=4, justification="Quoted from the study.",
                                        author=second_reviewer)
    workflow = Workflow.objects.get(post=post)

    assert not rules.may_sign(workflow, second_reviewer)
    assert workflow.pk not in set(rules.signable(second_reviewer).values_list("pk", flat=True))
    with pytest.raises(PermissionDenied, match="someone else must review it"):
        services.revision_sign(post, user=second_reviewer, password=PASSWORD, attested=True)
    assert rules.may_sign(workflow, reviewer)


def test_rules_may_sign_answers_the_same_from_the_signatures_a_page_read(world, reviewer, second_reviewer, author):
    """The review page passes who signed the working copy (`signer_ids`); the rule gives the answer it reads itself."""
    from review import services
    from review.models import ReviewPolicy, Signature

    users, workflows = world
    ReviewPolicy.objects.create(medical_signoffs=2)  # one signature leaves the post in review
    half_signed = factories.make_post(author=author, state=State.IN_REVIEW, slug="post-half-signed")
    services.revision_sign(half_signed, user=reviewer, password=factories.PASSWORD, attested=True)
    workflows = {**workflows, "in review, signed once": Workflow.objects.select_related("post").get(post=half_signed)}
    assert workflows["in review, signed once"].state == State.IN_REVIEW
    for what, workflow in workflows.items():
        signer_ids = {s.signer_id for s in Signature.objects.recorded_for(workflow.post.current_revision)}
        for who, user in users.items():
            assert rules.may_sign(workflow, user, signer_ids=signer_ids) == rules.may_sign(workflow, user), (who, what)
    half = workflows["in review, signed once"]
    assert not rules.may_sign(half, users["signer"], signer_ids={reviewer.pk})
    assert rules.may_sign(half, users["colleague"], signer_ids={reviewer.pk})
