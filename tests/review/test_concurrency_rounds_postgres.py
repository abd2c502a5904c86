"""Many rounds of eight people acting on one post at the same moment, and schedulers in separate processes.

Each round starts a post in a state where several actions compete, releases eight
threads (each with its own PostgreSQL connection) at once, and then checks that what
happened is one consistent story: the audit events of the round, in order, are a
legal walk of the state machine ending in the post's state; every acknowledged
action left exactly its events; no signature was made twice; no acknowledged edit
was lost.
"""

import os
import random
import re
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from content.models import Post, Revision
from review import audit, services, signing
from review.models import AuditEvent, AuditHead, Comment, Signature, Workflow, signoffs_missing
from review.states import REOPEN_ON_EDIT_STATES, SIGNED_OFF_STATES, State
from tests import factories
from tests.factories import PASSWORD, make_post
from tests.review.test_concurrency_postgres import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS_PER_SCENARIO = 4  # × 3 starting states × 2 modes = 24 rounds of 8 threads
REFUSALS = (services.WorkflowError, PermissionDenied, ValidationError)

# What each acknowledged action leaves in the audit trail, in order.
EVENTS_OF = {
    "sign_approve": ["sign", "approve"],
    "sign_renew": ["sign", "renew_review"],
    "request_changes": ["request_changes"],
    "withdraw": ["withdraw"],
    "publish": ["publish"],
    "schedule": ["schedule"],
    "unpublish": ["unpublish"],
    "archive": ["archive"],
    "comment": ["comment"],
    "save": ["save"],
}
# (action, from) -> to, for every event a round may write: the state machine as a reader would draw it.
LEGAL_STEPS = {
    ("sign", State.IN_REVIEW): State.IN_REVIEW,
    ("sign", State.PUBLISHED): State.PUBLISHED,
    ("approve", State.IN_REVIEW): State.APPROVED,
    ("renew_review", State.PUBLISHED): State.PUBLISHED,
    ("request_changes", State.IN_REVIEW): State.CHANGES_REQUESTED,
    ("request_changes", State.PUBLISHED): State.CHANGES_REQUESTED,
    ("withdraw", State.IN_REVIEW): State.DRAFT,
    ("publish", State.APPROVED): State.PUBLISHED,
    ("schedule", State.APPROVED): State.SCHEDULED,
    ("unpublish", State.PUBLISHED): State.ARCHIVED,
    ("unpublish", State.CHANGES_REQUESTED): State.ARCHIVED,
    ("unpublish", State.DRAFT): State.ARCHIVED,
    ("unpublish", State.APPROVED): State.ARCHIVED,
    ("unpublish", State.SCHEDULED): State.ARCHIVED,
    ("unpublish", State.IN_REVIEW): State.ARCHIVED,
    ("archive", State.DRAFT): State.ARCHIVED,
    ("archive", State.CHANGES_REQUESTED): State.ARCHIVED,
    ("archive", State.APPROVED): State.ARCHIVED,
    ("save", State.DRAFT): State.DRAFT,
    ("save", State.CHANGES_REQUESTED): State.CHANGES_REQUESTED,
    ("save", State.APPROVED): State.DRAFT,
    ("save", State.SCHEDULED): State.DRAFT,
    ("save", State.PUBLISHED): State.DRAFT,
    ("reopen", State.APPROVED): State.DRAFT,
    ("reopen", State.SCHEDULED): State.DRAFT,
    ("reopen", State.PUBLISHED): State.DRAFT,
}
STATE_CHANGING = {"approve", "request_changes", "withdraw", "publish", "schedule", "unpublish", "archive", "save"}


@dataclass
class Attempt:
    kind: str
    user: object
    text: str = ""


# Eight competitors per starting state: the same person twice is a double click.
SCENARIOS = {
    State.IN_REVIEW: [
        ("sign", "reviewer"), ("sign", "reviewer"), ("sign", "second_reviewer"),
        ("request_changes", "second_reviewer"), ("withdraw", "author"), ("save", "author"),
        ("publish", "publisher"), ("comment", "reviewer"),
    ],
    State.APPROVED: [
        ("publish", "publisher"), ("publish", "publisher"), ("schedule", "publisher"), ("save", "author"),
        ("save", "publisher"), ("archive", "publisher"), ("sign", "reviewer"), ("request_changes", "second_reviewer"),
    ],
    State.PUBLISHED: [
        ("sign", "reviewer"), ("sign", "reviewer"), ("sign", "second_reviewer"),
        ("request_changes", "second_reviewer"), ("save", "author"), ("save", "publisher"),
        ("unpublish", "publisher"), ("publish", "publisher"),
    ],
}


def attempt(kind, user, post_pk, *, guarded, expected_state, expected_revision, text, delay):
    """The callable one thread runs: load the post as a request would, then call the service."""

    def run():
        post = Post.objects.get(pk=post_pk)
        time.sleep(delay)
        stale = {"expected_state": expected_state} if guarded else {}
        if kind == "sign":
            extra = {"expected_revision": expected_revision} if guarded else {}
            return services.revision_sign(post, user=user, password=PASSWORD, attested=True, **stale, **extra)
        if kind == "request_changes":
            return services.post_request_changes(post, user=user, comment=text, **stale)
        if kind == "comment":
            return services.comment_add(post=post, user=user, body=text)
        if kind == "save":
            base = {"base_revision": expected_revision} if guarded else {}
            return services.post_save_draft(post, user=user, title=f"Title {text}", summary="", body=text, **base)
        if kind == "schedule":
            return services.post_schedule(post, user=user, when=timezone.now() + timedelta(hours=1), **stale)
        if kind == "unpublish":
            return services.post_unpublish(post, user=user, reason=f"Reason {text}", **stale)
        return getattr(services, f"post_{kind}")(post, user=user, **stale)

    return run


def events_for(kind, start_state, result):
    if kind == "sign":
        return EVENTS_OF["sign_approve" if start_state == State.IN_REVIEW else "sign_renew"]
    if kind == "save" and result is False:
        return []
    return EVENTS_OF[kind]


def play_round(n, start, guarded, people, favourite):
    post = make_post(author=people["author"], reviewer=people["reviewer"], publisher=people["publisher"],
                     state=start, title=f"Round {n} {start}")
    if start == State.PUBLISHED:
        # The sign-off is due, so its reviewer may renew it (once).
        factories.make_review_due(post)
    post.refresh_from_db()
    seq_before = AuditHead.objects.get(pk=1).seq
    revisions_before = set(Revision.objects.filter(post=post).values_list("pk", flat=True))
    signatures_before = set(Signature.objects.values_list("pk", flat=True))

    attempts = [Attempt(kind, people[who], text=f"round {n} move {i} by {who} ✓ مرحبا")
                for i, (kind, who) in enumerate(SCENARIOS[start])]
    # Actions that do more work before taking the lock (a signature checks a password) would nearly always
    # lose; a head start of 15 to 40 milliseconds for one favourite per round lets every action win some rounds.
    jitter = random.Random(n)
    delays = [0 if i == favourite else jitter.uniform(0.015, 0.04) for i in range(len(attempts))]
    results = run_at_once(*[
        attempt(a.kind, a.user, post.pk, guarded=guarded, expected_state=start,
                expected_revision=post.current_revision_id, text=a.text, delay=delay)
        for a, delay in zip(attempts, delays)
    ])
    story = f"round {n} from {start} ({'guarded' if guarded else 'blind'}): " + ", ".join(
        f"{a.kind}/{a.user.username}={type(r).__name__}:{r}" for a, r in zip(attempts, results))

    # Every answer is an acknowledgement or a clear refusal: no deadlock, no integrity error, no raw FSM error.
    unexpected = [r for r in results if isinstance(r, BaseException) and not isinstance(r, REFUSALS)]
    assert not unexpected, story
    acked = [(a, r) for a, r in zip(attempts, results) if not isinstance(r, BaseException)]
    assert acked, story

    # The audit trail is whole, and holds exactly the acknowledged actions' events.
    assert audit.verify().ok, story
    events = list(AuditEvent.objects.filter(seq__gt=seq_before).order_by("seq"))
    expected_actions = Counter(e for a, r in acked for e in events_for(a.kind, start, r))
    assert Counter(e.action for e in events if e.action != "reopen") == expected_actions, story
    # New text for an approved, scheduled or live post reopens it first: each reopen is followed by its save.
    for before, after in zip(events, events[1:] + [None]):
        if before.action == "reopen":
            assert before.from_state in REOPEN_ON_EDIT_STATES and after is not None and after.action == "save", story

    # Read in order, the events are a legal walk from the starting state to the state the post is in.
    workflow = Workflow.objects.select_related("post").get(post=post)
    state = start
    for event in events:
        if event.action == "comment":
            continue
        assert event.from_state == state, story
        assert LEGAL_STEPS.get((event.action, State(event.from_state))) == event.to_state, (event.action, story)
        state = State(event.to_state)
    assert workflow.state == state, story
    if guarded:
        # Each transition was checked against the state its page showed, and each save against the revision
        # its form started from: at most one of each can have gone through, and the transition from the start.
        transitions = [e for e in events if e.action in STATE_CHANGING - {"save"} and e.action != "reopen"]
        assert len(transitions) <= 1 and all(e.from_state == start for e in transitions), story
        assert sum(e.action == "save" for e in events) <= 1, story

    # No signature twice (a double click signs once), every signature valid over its exact revision.
    signatures = list(Signature.objects.filter(revision__post=post).select_related("revision"))
    keys = [(s.revision_id, s.signer_id, s.meaning) for s in signatures if s.pk not in signatures_before]
    assert len(keys) == len(set(keys)), story
    assert len(keys) == sum(a.kind == "sign" for a, _ in acked), story
    assert all(signing.is_valid(s, s.revision) for s in signatures), story

    # No lost edit: each acknowledged save is a revision, current or superseded by a later acknowledged save.
    post = workflow.post
    new_revisions = {r.body: r for r in Revision.objects.filter(post=post).exclude(pk__in=revisions_before)}
    saved = [a for a, r in acked if a.kind == "save" and r is True]
    assert sorted(new_revisions) == sorted(a.text for a in saved), story
    for a in saved:
        revision = new_revisions[a.text]
        assert revision.author_id == a.user.pk, story
        later = [r for r in new_revisions.values() if r.number > revision.number]
        assert post.current_revision_id == revision.pk or later, story
    assert post.current_revision == Revision.objects.filter(post=post).order_by("-number").first(), story
    refused_comments = [a.text for a, r in zip(attempts, results) if isinstance(r, BaseException)]
    assert not Comment.objects.filter(post=post, body__in=refused_comments).exists(), story

    # What readers see is signed; a signed-off state means the working copy is signed.
    if post.is_live:
        assert signoffs_missing(post.live_revision) == {}, story
    if workflow.state in SIGNED_OFF_STATES:
        assert signoffs_missing(post.current_revision) == {}, story
    if workflow.state == State.PUBLISHED:
        assert post.live_revision_id == post.current_revision_id, story
    if workflow.state == State.ARCHIVED:
        assert not post.is_live, story
    return workflow.state


def test_eight_people_acting_at_once_end_each_round_in_one_consistent_outcome(
        author, reviewer, second_reviewer, publisher):
    people = {"author": author, "reviewer": reviewer, "second_reviewer": second_reviewer, "publisher": publisher}
    outcomes = Counter()
    n = 0
    for rep in range(ROUNDS_PER_SCENARIO):
        for start in SCENARIOS:
            for guarded in (True, False):
                n += 1
                favourite = rep * 2 + guarded  # each of the eight competitors is favoured once per start
                outcomes[(start, guarded, play_round(n, start, guarded, people, favourite))] += 1
    assert n == ROUNDS_PER_SCENARIO * len(SCENARIOS) * 2
    # The rounds really competed: more than one kind of winner from the same start.
    assert len({end for (start, _, end) in outcomes}) > 2, outcomes


def test_workflow_tick_in_three_processes_at_once_publishes_each_due_post_once(author, reviewer, publisher):
    posts = [make_post(author=author, reviewer=reviewer, publisher=publisher, state=State.SCHEDULED,
                       title=f"Due {i}") for i in range(9)]
    Workflow.objects.filter(post__in=posts).update(scheduled_for=timezone.now() - timedelta(minutes=1))
    db = connection.settings_dict
    auth = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db.get("PASSWORD") else "")
    url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "SECRET_KEY": os.environ.get("SECRET_KEY", "x"),
           "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
           # this test's checkpoint folder and key, not the checkout's
           "CHECKPOINT_STORAGE": settings.STORAGES["checkpoints"]["OPTIONS"]["location"],
           "ATTESTATION_KEY_FILE": str(settings.ATTESTATION_KEY_FILE)}
    command = [sys.executable, "manage.py", "workflow_tick"]

    # Hold the audit chain's head so that each process, once it has taken a post, waits at the same gate;
    # release them together when all three are waiting.
    with transaction.atomic():
        AuditHead.objects.select_for_update().get(pk=1)
        procs = [subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(3)]
        deadline = time.monotonic() + 60
        waiting = 0
        with connection.cursor() as cursor:
            while waiting < 3 and time.monotonic() < deadline and all(p.poll() is None for p in procs):
                time.sleep(0.1)
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
                               [db["NAME"]])
                waiting = cursor.fetchone()[0]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert waiting == 3, outputs
    assert [p.returncode for p in procs] == [0, 0, 0], outputs

    published = [int(re.search(r"^Published (\d+) scheduled post", out, re.M).group(1)) for out, _ in outputs]
    assert sum(published) == len(posts), outputs
    assert min(published) >= 1, outputs  # each process published at least the post it held at the gate
    for post in posts:
        assert AuditEvent.objects.filter(post=post, action="publish_scheduled").count() == 1
        post.refresh_from_db()
        assert post.workflow.state == State.PUBLISHED
        assert post.live_revision_id == post.current_revision_id
    assert audit.verify().ok
