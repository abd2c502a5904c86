"""The audit pack lists every revision, diff, finding, comment, signature and event of a post."""

import json
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import findings as claim_findings
from review import audit, audit_pack, services
from review.states import State
from tests.factories import PASSWORD


def test_export_audit_writes_the_whole_history_as_json(post_in, author, reviewer, publisher, capsys):
    post = post_in(State.CHANGES_REQUESTED)
    services.post_save_draft(post, user=author, title=post.title, summary="",
                             body="Results are guaranteed.[^1]\n\n[^1]: A source.")
    post.refresh_from_db()
    [blocked] = [f for f in claim_findings.revision_findings(post.current_revision) if f.is_block]
    services.post_resubmit(post, user=author, justifications={blocked.key: "Quoted from the trial's abstract."})
    services.revision_sign(post, user=reviewer, password=PASSWORD, attested=True)
    services.post_publish(post, user=publisher)

    call_command("export_audit", post.slug)
    pack = json.loads(capsys.readouterr().out)

    assert [r["number"] for r in pack["revisions"]] == [1, 2]
    assert pack["revisions"][1]["is_live"] and pack["revisions"][1]["hash_verifies"]
    added = "".join(p["text"] for p in pack["revisions"][1]["diff_from_previous"] if p["op"] == "added")
    assert "guaranteed" in added
    assert any(f["text"].lower() == "guaranteed" for f in pack["revisions"][1]["findings"])
    [signature] = pack["signatures"]
    assert signature["printed_name"] == "Dr. Ian Tan" and signature["verifies"] is True
    assert signature["revision"] == 2
    assert pack["comments"][0]["body"].startswith("Please cite")
    assert [j["justification"] for j in pack["revisions"][1]["justifications"]] == ["Quoted from the trial's abstract."]
    assert [j["text"] for j in signature["justifications_seen"]] == ["guaranteed"]
    assert [e["action"] for e in pack["audit_events"]] == [
        "create", "submit", "request_changes", "save", "justify", "resubmit", "sign", "approve", "publish"]
    assert pack["audit_chain"]["intact"] is True


def test_export_audit_as_html_is_readable(post_in, tmp_path):
    post = post_in(State.PUBLISHED)
    out = tmp_path / "pack.html"
    call_command("export_audit", post.slug, "--format", "html", "--output", str(out))
    html = out.read_text()
    assert "Audit pack: Caring for your skin after laser" in html
    assert "Dr. Ian Tan" in html and "verifies" in html


def test_export_audit_of_an_unknown_slug_says_so(db):
    with pytest.raises(CommandError, match="No post with the address"):
        call_command("export_audit", "no-such-post")


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_audit_pack_shows_a_tampered_event_of_its_post_as_broken(post_in):
    post = post_in(State.PUBLISHED)
    tampered = post.audit_events.order_by("seq")[2]
    raw("UPDATE review_auditevent SET actor_name = 'Dr. Nobody' WHERE seq = %s", [tampered.seq])

    chain = audit_pack.build(post)["audit_chain"]

    assert chain["intact"] is False
    assert chain["problem"] == f"event #{tampered.seq} was altered after it was written"


def test_audit_pack_shows_a_removed_link_before_its_post_as_broken(post_in):
    other = post_in(State.DRAFT)
    post = post_in(State.PUBLISHED)
    first = post.audit_events.order_by("seq").first()
    assert other.audit_events.filter(seq=first.seq - 1).exists()
    raw("DELETE FROM review_auditevent WHERE seq = %s", [first.seq - 1])

    chain = audit_pack.build(post)["audit_chain"]

    assert chain["intact"] is False
    assert chain["problem"] == f"event #{first.seq - 1} is missing (deleted or renumbered)"


def pack_cost(post):
    with CaptureQueriesContext(connection) as queries, \
            mock.patch("review.audit.matches", wraps=audit.matches) as hashed:
        pack = audit_pack.build(post)
    assert pack["audit_chain"]["intact"] is True
    return len(queries), hashed.call_count


def test_audit_pack_checks_only_its_posts_events_whatever_the_others(post_in):
    post = post_in(State.PUBLISHED)
    own_events = post.audit_events.count()
    post_in(State.PUBLISHED)
    pack_cost(post)  # fills the caches a first export fills
    queries_with_one_other, hashed_with_one_other = pack_cost(post)
    for _ in range(3):
        post_in(State.PUBLISHED)

    queries_with_four_others, hashed_with_four_others = pack_cost(post)

    assert queries_with_four_others == queries_with_one_other
    assert hashed_with_one_other == hashed_with_four_others == own_events


def test_audit_pack_lists_a_comment_under_the_version_it_was_written_on(post_in, author, reviewer):
    post = post_in(State.IN_REVIEW)
    services.comment_add(post=post, user=reviewer, body="Which study?", quote={"exact": "SPF 50"})
    services.post_withdraw(post, user=author)
    services.post_save_draft(post, user=author, title=post.title, summary="",
                             body=post.current_revision.body + "\nA new closing line.")

    comment = audit_pack.build(post)["comments"][0]

    # The open comment moved along to v2 (its passage is still there), but it was written on v1.
    assert (comment["revision"], comment["carried_to"]) == (1, 2)
