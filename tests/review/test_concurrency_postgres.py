"""Real row locking on PostgreSQL: simultaneous actions end in one consistent outcome."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from review import audit, services
from review.models import AuditEvent, Signature, Workflow
from review.states import State
from tests.factories import PASSWORD, make_post, make_publisher, make_reviewer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_at_once(*callables):
    """Start every callable at the same moment in its own thread and connection; return results or exceptions."""
    barrier = threading.Barrier(len(callables))
    results = [None] * len(callables)

    def worker(i, fn):
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:  # collected for the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(callables)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_two_reviewers_signing_at_once_make_one_signature(author, reviewer, second_reviewer, publisher):
    post = make_post(author=author, reviewer=reviewer, publisher=publisher, state=State.IN_REVIEW)
    revision = post.current_revision_id
    results = run_at_once(
        *[lambda u=u: services.revision_sign(post, user=u, password=PASSWORD, attested=True, expected_revision=revision)
          for u in (reviewer, second_reviewer)]
    )
    signed = [r for r in results if isinstance(r, Signature)]
    refused = [r for r in results if isinstance(r, services.WorkflowError)]
    assert len(signed) == 1 and len(refused) == 1, results
    assert Signature.objects.count() == 1
    assert Workflow.objects.get(post=post).state == State.APPROVED
    assert AuditEvent.objects.filter(action="approve").count() == 1
    assert audit.verify().ok


def test_eight_concurrent_writers_keep_the_audit_chain_whole(author, reviewer, publisher):
    post = make_post(author=author, reviewer=reviewer, publisher=publisher, state=State.IN_REVIEW)
    before = AuditEvent.objects.count()
    results = run_at_once(*[lambda i=i: services.comment_add(post=post, user=reviewer, body=f"Note {i}")
                            for i in range(8)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert AuditEvent.objects.count() == before + 8
    assert audit.verify().ok


def test_three_schedulers_at_once_publish_each_due_post_once(author, reviewer, publisher):
    posts = [make_post(author=author, reviewer=reviewer, publisher=publisher, state=State.SCHEDULED, title=f"Post {i}")
             for i in range(5)]
    Workflow.objects.filter(post__in=posts).update(scheduled_for=timezone.now() - timedelta(minutes=1))
    results = run_at_once(services.publish_due, services.publish_due, services.publish_due)
    assert not [r for r in results if isinstance(r, Exception)], results
    published = sorted(pk for batch in results for pk in batch)
    assert published == sorted(p.pk for p in posts)
    assert AuditEvent.objects.filter(action="publish_scheduled").count() == 5
    assert audit.verify().ok


def test_parallel_wrong_passwords_check_no_more_than_the_signing_limit(author, reviewer, second_reviewer, publisher):
    """Twenty signing attempts at once with a wrong password: the count is taken under a lock, so only the
    first SIGNING_MAX_FAILURES passwords are checked and every later attempt is refused as locked out."""
    post = make_post(author=author, reviewer=second_reviewer, publisher=publisher, state=State.IN_REVIEW)
    results = run_at_once(*[lambda: services.revision_sign(post, user=reviewer, password="wrong", attested=True)
                            for _ in range(20)])

    checked = AuditEvent.objects.filter(action="sign_failed", actor=reviewer).count()
    locked = [r for r in results if isinstance(r, services.SigningRefused)]
    assert checked == services.SIGNING_MAX_FAILURES
    assert len(locked) == 20 - services.SIGNING_MAX_FAILURES, results
    assert AuditEvent.objects.filter(action="signing_locked", actor=reviewer).count() == 1
    assert not Signature.objects.exists()
