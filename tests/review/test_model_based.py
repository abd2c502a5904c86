"""A model-based test of the workflow: random people take random actions, and the promise holds after every step.

Hypothesis drives a `RuleBasedStateMachine` through edits (text in any script),
submissions, withdrawals, comments, signatures with right and wrong passwords,
requests for changes, publications, schedules that fall due, scheduler ticks,
re-reviews falling due, unpublications, archives and restores, each by a person
picked at random (the author, another author, two reviewers, an author who also
reviews, the publisher, or nobody logged in). A refused action must leave the
database exactly as it was; an accepted one must move the post where the state
machine says. After every step: what readers see carries the required valid
signatures over its exact hash, no signature covers other content than its
revision's, nobody signed a post they wrote or edited, and the audit chain verifies.

Profiles: "ci" (the default) and "long" (HYPOTHESIS_PROFILE=long) for a longer local run.
"""

import os
from collections import Counter
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone
from hypothesis import HealthCheck, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from content.models import Post, Revision
from review import audit, services, signing
from review.models import AuditEvent, AuditHead, Comment, ReviewPolicy, Signature, Workflow, signoffs_missing
from review.states import EDITABLE_STATES, REOPEN_ON_EDIT_STATES, SIGNED_OFF_STATES, State
from tests import factories
from tests.factories import PASSWORD

settings.register_profile("ci", max_examples=40, stateful_step_count=25, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=500, stateful_step_count=50, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

REFUSALS = (services.WorkflowError, PermissionDenied, ValidationError)
PEOPLE = ["author", "other_author", "reviewer", "second_reviewer", "author_reviewer", "publisher", "anonymous"]
WRITERS = ["author", "author_reviewer", "publisher", "other_author", "anonymous"]
AUTHORS = {"author", "other_author", "author_reviewer"}
REVIEWERS = {"reviewer", "second_reviewer", "author_reviewer"}
# Who could ever be allowed each action; an author only on a post they wrote (checked in `check_allowed`).
WRITE = AUTHORS | {"publisher"}
MAY = {
    "edit": WRITE, "submit": WRITE, "withdraw": WRITE, "resubmit": WRITE,
    "comment": WRITE | REVIEWERS,
    "sign": REVIEWERS, "request_changes": REVIEWERS,
    "publish": {"publisher"}, "schedule": {"publisher"}, "unschedule": {"publisher"},
    "unpublish": {"publisher"}, "archive": {"publisher"}, "restore": {"publisher"},
}
OWN_POST_ONLY = {"edit", "submit", "withdraw", "resubmit"}
# action -> (states it may start from, state it ends in); None: the state does not change.
MOVES = {
    "submit": ({State.DRAFT}, State.IN_REVIEW),
    "withdraw": ({State.IN_REVIEW}, State.DRAFT),
    "resubmit": ({State.CHANGES_REQUESTED}, State.IN_REVIEW),
    "request_changes": ({State.IN_REVIEW, State.PUBLISHED}, State.CHANGES_REQUESTED),
    "publish": ({State.APPROVED}, State.PUBLISHED),
    "schedule": ({State.APPROVED}, State.SCHEDULED),
    "unschedule": ({State.SCHEDULED}, State.APPROVED),
    "unpublish": (set(State) - {State.ARCHIVED}, State.ARCHIVED),
    "archive": ({State.DRAFT, State.CHANGES_REQUESTED, State.APPROVED}, State.ARCHIVED),
    "restore": ({State.ARCHIVED}, State.DRAFT),
    "comment": (set(State), None),
}

TIME = ["schedule falls due", "scheduler ticks", "reviews fall due"]


# Text in many scripts: emoji with modifiers and joiners, right-to-left with marks, combining accents, Markdown.
SAMPLES = st.sampled_from([
    "Pico laser 💉✨", "مرحبا بالعالم", "שלום עולם", "e\u0301te\u0301 👩🏽\u200d⚕️", "Ωμέγα-3", "中文标题",
    "**SPF 50** every _day_", "- one\n- two", "زيت\u200f RTL \u202bembedded\u202c", "<b>bold</b> & <i>x</i>",
    "Zalgo z\u0351\u0352a\u0353l\u0354g\u0355o", "🇸🇬 Singapore",
])
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=30)
TEXT = st.one_of(SAMPLES, ANY_TEXT, st.tuples(SAMPLES, ANY_TEXT).map(" ".join))
TITLE = st.one_of(SAMPLES, ANY_TEXT.filter(str.strip))
BODY = st.lists(TEXT, min_size=1, max_size=3).map("\n\n".join)


def snapshot():
    """Every row that may change, in full; rows that are only ever added (ImmutableModel), by count and newest id."""
    rows = {model.__name__: list(model.objects.order_by("pk").values())
            for model in (Post, Workflow, Comment, AuditHead)}
    added = {model.__name__: model.objects.aggregate(n=Count("pk"), last=Max("pk"))
             for model in (Revision, Signature, AuditEvent)}
    return rows | added


class Refused:
    """What an attempt returns when the service said no."""


REFUSED = Refused()


class ReviewWorkflow(RuleBasedStateMachine):
    people: dict = {}  # set by the test, which creates the users once
    explored: Counter = Counter()  # (state, action) -> accepted moves, over all examples

    def __init__(self):
        super().__init__()
        # Every example starts from the same database: its writes live in a savepoint rolled back in teardown.
        self._example = transaction.atomic()
        self._example.__enter__()
        self.expected: dict[int, State] = {}
        self.forced_due: set[int] = set()

    def teardown(self):
        transaction.set_rollback(True)
        self._example.__exit__(None, None, None)

    # --- the harness

    def user(self, role):
        return AnonymousUser() if role == "anonymous" else self.people[role]

    def attempt(self, label, fn, *, wrong_password=False):
        """Call a service; a refusal must have changed nothing (a wrong password only adds its audit record)."""
        before = snapshot()
        try:
            result = fn()
        except REFUSALS as exc:
            after = snapshot()
            if wrong_password:
                logged = AuditEvent.objects.filter(pk__gt=before["AuditEvent"]["last"] or 0)
                assert set(logged.values_list("action", flat=True)) <= {"sign_failed", "signing_locked"}
                for name in ("AuditEvent", "AuditHead"):
                    before.pop(name), after.pop(name)
            assert after == before, f"{label} was refused ({exc}) but changed the database"
            note(f"{label}: refused ({type(exc).__name__}: {exc})")
            return REFUSED
        note(f"{label}: done")
        return result

    def check_allowed(self, action, role, post):
        assert role in MAY[action], f"{role} was allowed to {action}"
        owns = post.author_id == self.people[role].pk
        if role in AUTHORS and (action in OWN_POST_ONLY or (action == "comment" and role not in REVIEWERS)):
            assert owns, f"{role} could {action} someone else's post"
        if action in {"sign", "request_changes"}:
            assert not owns, f"{role} could {action} their own post"

    # --- the rules: Hypothesis leans towards the first of its choices, so one rule picks each step's move with a
    # uniform random source drawn per example (reproducible: its seed is part of the example).

    @initialize(rng=st.randoms(use_true_random=True))
    def start(self, rng):
        self.rng = rng

    @rule(data=st.data())
    def step(self, data):
        moves = [(move, weight) for move, weight, fits in self.moves() if fits]
        self.rng.choices([m for m, _ in moves], weights=[w for _, w in moves])[0](data)
        self.explored["steps"] += 1

    def moves(self):
        """(move, weight, whether some post is in a state it fits): forward moves weigh more, to go deep."""
        present = set(self.expected.values())
        return [
            (self.create, 3, len(self.expected) < 2),  # two posts, each taken through many moves
            (self.owner_submits, 3, present & {State.DRAFT, State.CHANGES_REQUESTED}),
            (self.owner_edits, 2, present & EDITABLE_STATES),
            (self.owner_edits_signed_off_text, 2, present & REOPEN_ON_EDIT_STATES),
            (self.owner_withdraws, 1, State.IN_REVIEW in present),
            (self.reviewer_signs, 4, present & {State.IN_REVIEW, State.PUBLISHED}),
            (self.reviewer_requests_changes, 1, present & {State.IN_REVIEW, State.PUBLISHED}),
            (self.publisher_publishes, 3, State.APPROVED in present),
            (self.publisher_takes_back, 2, present & {State.SCHEDULED, State.PUBLISHED, State.ARCHIVED}),
            (self.time_passes, 2, present),
            (self.anyone_tries_anything, 2, present),
            (self.anyone_comments, 1, present),
        ]

    def create(self, data):
        writer = self.rng.choice(WRITERS)
        title, body = data.draw(TITLE, label="title"), data.draw(BODY, label="body")
        result = self.attempt(f"{writer} creates {title!r}", lambda: services.post_create(
            author=self.user(writer), title=title, summary="A summary ✓", body=body))
        if result is not REFUSED:
            assert writer in {"author", "author_reviewer", "publisher", "other_author"}
            self.expected[result.pk] = State.DRAFT

    def owner_submits(self, data):
        post = self.pick(State.DRAFT, State.CHANGES_REQUESTED)
        self.act(data, post, "submit" if self.expected[post] == State.DRAFT else "resubmit", "owner")

    def owner_edits(self, data):
        self.act(data, self.pick(*EDITABLE_STATES), "edit", "owner")

    def owner_edits_signed_off_text(self, data):
        self.act(data, self.pick(*REOPEN_ON_EDIT_STATES), "edit", "owner")

    def owner_withdraws(self, data):
        self.act(data, self.pick(State.IN_REVIEW), "withdraw", "owner")

    def reviewer_signs(self, data):
        role = self.rng.choice(["reviewer", "second_reviewer", "author_reviewer"])
        self.act(data, self.pick(State.IN_REVIEW, State.PUBLISHED), "sign", role)

    def reviewer_requests_changes(self, data):
        role = self.rng.choice(["reviewer", "second_reviewer"])
        self.act(data, self.pick(State.IN_REVIEW, State.PUBLISHED), "request_changes", role)

    def publisher_publishes(self, data):
        self.act(data, self.pick(State.APPROVED), self.rng.choice(["publish", "schedule"]), "publisher")

    def publisher_takes_back(self, data):
        post = self.pick(State.SCHEDULED, State.PUBLISHED, State.ARCHIVED)
        action = {State.SCHEDULED: "unschedule", State.PUBLISHED: "unpublish",
                  State.ARCHIVED: "restore"}[self.expected[post]]
        self.act(data, post, action, "publisher")

    def time_passes(self, data):
        what = self.rng.choice(TIME)
        scheduled = State.SCHEDULED in self.expected.values() and what == "schedule falls due"
        post = self.pick(State.SCHEDULED) if scheduled else self.pick(*State)
        self.explored[(self.expected[post], what)] += 1
        if what == "schedule falls due":
            # A no-op unless the post is scheduled: its time is now in the past.
            if Workflow.objects.filter(post_id=post, state=State.SCHEDULED).update(
                    scheduled_for=timezone.now() - timedelta(minutes=1)):
                self.forced_due.add(post)
        elif what == "scheduler ticks":
            published = services.publish_due()
            due = {pk for pk in self.forced_due if self.expected[pk] == State.SCHEDULED}
            assert set(published) == due, (published, due)
            for pk in published:
                self.expected[pk] = State.PUBLISHED
            self.forced_due -= set(published)
        else:
            # A year and more passes for sign-offs: every live post is flagged for re-review, once.
            factories.let_reviews_lapse()
            services.flag_rereviews_due()
        note(f"time passes: {what}")

    def anyone_tries_anything(self, data):
        """Mostly refusals, which must change nothing."""
        self.act(data, self.pick(*State), self.rng.choice(sorted(MAY)), self.rng.choice(PEOPLE + ["owner"]))

    def anyone_comments(self, data):
        self.act(data, self.pick(*State), "comment", self.rng.choice(PEOPLE + ["owner"]))

    # --- the one way every action is taken

    def pick(self, *states):
        return self.rng.choice(sorted(pk for pk, s in self.expected.items() if s in states))

    def act(self, data, post, action, role):
        state = self.expected[post]
        current = Post.objects.select_related("current_revision").get(pk=post)
        if role == "owner":
            role = next(name for name, user in self.people.items() if user.pk == current.author_id)
        user = self.user(role)
        label = f"{role} {action} #{post} ({state})"
        wrong_password = False
        if action == "edit":
            title = data.draw(st.none() | TITLE, label="title")
            body = data.draw(BODY, label="body")
            call = lambda: services.post_save_draft(  # noqa: E731
                current, user=user, title=title or current.title, summary=current.current_revision.summary, body=body)
        elif action == "sign":
            right, attested = self.rng.random() < 0.75, self.rng.random() < 0.75
            wrong_password = not right
            call = lambda: services.revision_sign(  # noqa: E731
                current, user=user, password=PASSWORD if right else "not the password", attested=attested)
        elif action in {"comment", "request_changes"}:
            text = data.draw(TEXT, label="comment")
            call = (lambda: services.comment_add(post=current, user=user, body=text)) if action == "comment" else (
                lambda: services.post_request_changes(current, user=user, comment=text))
        elif action == "schedule":
            when = timezone.now() + timedelta(hours=self.rng.randint(1, 48))
            call = lambda: services.post_schedule(current, user=user, when=when)  # noqa: E731
        elif action == "unpublish":
            call = lambda: services.post_unpublish(current, user=user, reason="Off the site for now.")  # noqa: E731
        else:
            call = lambda: getattr(services, f"post_{action}")(current, user=user)  # noqa: E731

        result = self.attempt(label, call, wrong_password=wrong_password)
        if result is REFUSED:
            return
        self.check_allowed(action, role, current)
        if action == "sign":
            assert not wrong_password and attested, "signed without the password and the attestation"
            assert state in {State.IN_REVIEW, State.PUBLISHED}, f"signed while {state}"
            self.expected[post] = State.APPROVED if state == State.IN_REVIEW else State.PUBLISHED
        elif action == "edit":
            assert state in EDITABLE_STATES | REOPEN_ON_EDIT_STATES, f"edited while {state}"
            if result and state in REOPEN_ON_EDIT_STATES:
                self.expected[post] = State.DRAFT
        else:
            sources, target = MOVES[action]
            assert state in sources, f"{action} went through from {state}"
            if action == "restore" and not signoffs_missing(current.current_revision):
                target = State.APPROVED  # the signed words are unchanged: no new signature is needed
            self.expected[post] = target or state
        if action == "schedule" or self.expected[post] != State.SCHEDULED:
            self.forced_due.discard(post)
        self.explored[(state, action)] += 1

    # --- what must hold after every step (one invariant that loads each table once, to keep steps cheap)

    @invariant()
    def the_promise_holds(self):
        workflows = list(Workflow.objects.select_related("post__current_revision", "post__live_revision"))
        policy = ReviewPolicy.current()
        missing = {}  # revision id -> signoffs_missing, each revision asked once

        def signoffs(revision):
            if revision.pk not in missing:
                missing[revision.pk] = signoffs_missing(revision, policy)
            return missing[revision.pk]

        # Every post is in the state the state machine's rules put it in.
        assert {w.post_id: w.state for w in workflows} == {pk: state.value for pk, state in self.expected.items()}

        editors, newest = {}, {}
        for post_id, author_id, number, pk in Revision.objects.values_list("post_id", "author_id", "number", "pk"):
            editors.setdefault(post_id, set()).add(author_id)
            newest[post_id] = max(newest.get(post_id, (0, None)), (number, pk))
        for workflow in workflows:
            post = workflow.post
            editors[post.pk].add(post.author_id)
            # What readers see carries the required valid sign-offs over its exact, intact content.
            if post.is_live:
                assert post.live_revision.is_intact
                assert signoffs(post.live_revision) == {}, f"post {post.pk} is live without its sign-offs"
                assert workflow.state != State.ARCHIVED
            # Each state carries what it promises.
            if workflow.state in SIGNED_OFF_STATES:
                assert signoffs(post.current_revision) == {}, f"{workflow.state} without its sign-offs"
            if workflow.state == State.PUBLISHED:
                assert post.live_revision_id == post.current_revision_id
            if workflow.state == State.SCHEDULED:
                assert workflow.scheduled_for is not None
            assert post.current_revision_id == newest[post.pk][1], "the working copy is not the newest revision"

        # No signature covers other content than its revision's, and nobody signed what they wrote or edited.
        for signature in Signature.objects.select_related("revision"):
            revision = signature.revision
            assert signature.revision_hash == revision.content_hash == revision.compute_hash()
            assert signing.is_valid(signature, revision)
            assert signature.signer_id not in editors[revision.post_id], "signed by someone who wrote or edited it"

        # The audit chain verifies, up to its head.
        result = audit.verify()
        assert result.ok, result.problem


def test_random_workflows_keep_every_review_line_true(author, other_author, reviewer, second_reviewer,
                                                     author_reviewer, publisher):
    ReviewWorkflow.people = {
        "author": author, "other_author": other_author, "reviewer": reviewer, "second_reviewer": second_reviewer,
        "author_reviewer": author_reviewer, "publisher": publisher,
    }
    profile = settings.get_profile(PROFILE)
    if PROFILE == "ci" and connection.vendor == "postgresql":
        # `make test` runs the suite on both databases; PostgreSQL steps cost about twice as much, and what is
        # particular to it (row locks, savepoints, constraints) shows in the first examples.
        profile = settings(profile, max_examples=profile.max_examples // 3)
    ReviewWorkflow.explored = explored = Counter()
    run_state_machine_as_test(ReviewWorkflow, settings=profile)
    print(f"{PROFILE} on {connection.vendor}: {profile.max_examples} examples, {explored['steps']} steps;",
          sorted(explored.items(), key=str))
    # The run went deep: posts were signed and published, not only drafted and refused.
    assert explored["steps"] >= 10 * profile.max_examples
    assert explored[(State.IN_REVIEW, "sign")] and explored[(State.APPROVED, "publish")] + explored[
        (State.APPROVED, "schedule")]
