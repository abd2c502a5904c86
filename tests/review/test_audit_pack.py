"""The audit pack lists every revision, diff, finding, comment, signature and event of a post."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from review import findings, services
from review.states import State
from tests.factories import PASSWORD


def test_export_audit_writes_the_whole_history_as_json(post_in, author, reviewer, publisher, capsys):
    post = post_in(State.CHANGES_REQUESTED)
    services.post_save_draft(post, user=author, title=post.title, summary="",
                             body="Results are guaranteed.[^1]\n\n[^1]: A source.")
    post.refresh_from_db()
    [blocked] = [f for f in findings.revision_findings(post.current_revision) if f.is_block]
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
