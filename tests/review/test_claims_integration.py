"""The claims check in the workflow: blocked wording stops submission until justified, warnings are acknowledged when signing."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from claims import findings as claim_findings
from claims.models import FindingJustification
from content.models import ImmutableError
from review import queue, services, signing
from review.models import AuditEvent, ReviewPolicy, Workflow
from review.states import State
from tests.factories import PASSWORD, make_post

BLOCKED_BODY = "Our laser gives 100% clearance of acne scars.\n\nMost patients heal within a week."
WARNED_BODY = "Laser resurfacing with no downtime.\n\nYour doctor explains the risks."


def blocked_keys(post):
    post.refresh_from_db()
    return [f.key for f in claim_findings.revision_findings(post.current_revision) if f.is_block]


def warned_keys(post):
    post.refresh_from_db()
    return [f.key for f in claim_findings.revision_findings(post.current_revision) if f.is_warn]


# --- the submit gate


def test_submit_with_blocked_wording_is_refused_and_names_it(author, post_in):
    post = post_in(State.DRAFT, body=BLOCKED_BODY)

    with pytest.raises(services.SubmitBlocked, match="“100%” \\(body, hundred-percent\\)") as refused:
        services.post_submit(post, user=author)

    post.workflow.refresh_from_db()
    assert post.workflow.state == State.DRAFT
    assert [f.text for f in refused.value.findings] == ["100%"]
    assert not AuditEvent.objects.filter(post=post, action="submit").exists()


def test_submit_blocked_in_title_or_summary_too(author, post_in):
    post = post_in(State.DRAFT, title="Guaranteed results with laser", summary="A permanent cure.")

    with pytest.raises(services.SubmitBlocked) as refused:
        services.post_submit(post, user=author)

    assert {f.field for f in refused.value.findings} == {"title", "summary"}


def test_submit_with_a_justification_per_block_finding_goes_to_review(author, post_in):
    post = post_in(State.DRAFT, body=BLOCKED_BODY)
    [key] = blocked_keys(post)

    services.post_submit(post, user=author, justifications={key: "Quoted from the supplier's trial; please check."})

    post.workflow.refresh_from_db()
    assert post.workflow.state == State.IN_REVIEW
    [justification] = FindingJustification.objects.filter(revision=post.current_revision)
    assert (justification.rule, justification.text, justification.start, justification.end, justification.author) == (
        "hundred-percent", "100%", 16, 20, author)
    assert list(AuditEvent.objects.filter(post=post).values_list("action", flat=True))[-2:] == ["justify", "submit"]
    assert AuditEvent.objects.get(post=post, action="justify").detail["justification"].startswith("Quoted")


def test_submit_with_a_blank_justification_is_refused_and_stores_nothing(author, post_in):
    post = post_in(State.DRAFT, body=BLOCKED_BODY)

    with pytest.raises(services.SubmitBlocked):
        services.post_submit(post, user=author, justifications={blocked_keys(post)[0]: "   "})

    assert not FindingJustification.objects.exists()


def test_submit_after_the_wording_changed_needs_no_justification(author, post_in):
    post = post_in(State.DRAFT, body=BLOCKED_BODY)
    with pytest.raises(services.SubmitBlocked):
        services.post_submit(post, user=author)

    services.post_save_draft(post, user=author, title=post.title, summary="",
                             body="Our laser improves acne scars for most patients.")
    services.post_submit(post, user=author)

    post.workflow.refresh_from_db()
    assert post.workflow.state == State.IN_REVIEW


def test_resubmit_is_gated_too(author, reviewer, post_in):
    post = post_in(State.CHANGES_REQUESTED)
    services.post_save_draft(post, user=author, title=post.title, summary="", body=BLOCKED_BODY)

    with pytest.raises(services.SubmitBlocked):
        services.post_resubmit(post, user=author)
    services.post_resubmit(post, user=author, justifications={blocked_keys(post)[0]: "From the trial."})

    post.workflow.refresh_from_db()
    assert post.workflow.state == State.IN_REVIEW


def test_justifications_are_immutable(author, post_in):
    post = post_in(State.DRAFT, body=BLOCKED_BODY)
    services.post_submit(post, user=author, justifications={blocked_keys(post)[0]: "From the trial."})
    justification = FindingJustification.objects.get()

    justification.justification = "Something else"
    with pytest.raises(ImmutableError):
        justification.save()
    with pytest.raises(ImmutableError):
        justification.delete()


def test_factory_body_has_no_block_findings(db):
    from tests.factories import BODY

    assert not [f for f in claim_findings.text_findings(body=BODY) if f.is_block]


# --- signing


def sign(post, user, **kwargs):
    return services.revision_sign(post, user=user, password=PASSWORD, attested=True, **kwargs)


def test_signing_without_acknowledging_a_warning_is_refused(reviewer, post_in):
    post = post_in(State.IN_REVIEW, body=WARNED_BODY)

    with pytest.raises(ValidationError) as refused:
        sign(post, reviewer)

    assert "“no downtime”" in refused.value.message_dict["acknowledged"][0]
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.IN_REVIEW
    assert not post.current_revision.signatures.exists()


def test_signing_seals_the_acknowledged_warnings_and_the_justifications_seen(author, reviewer, post_in):
    post = make_post(author=author, body=BLOCKED_BODY + "\n\nLaser with no downtime.")
    services.post_submit(post, user=author, justifications={blocked_keys(post)[0]: "From the trial."})

    signature = sign(post, reviewer, acknowledged=warned_keys(post))

    claims = signature.details["claims"]
    assert [(a["rule"], a["text"]) for a in claims["findings_acknowledged"]] == [("no-downtime", "no downtime")]
    assert [(j["text"], j["justification"]) for j in claims["justifications_seen"]] == [("100%", "From the trial.")]
    assert signing.is_valid(signature, post.current_revision)
    post.workflow.refresh_from_db()
    assert post.workflow.state == State.APPROVED


def test_acknowledgements_are_sealed_so_editing_them_invalidates_the_signature(reviewer, post_in):
    post = post_in(State.IN_REVIEW, body=WARNED_BODY)
    signature = sign(post, reviewer, acknowledged=warned_keys(post))

    signature.details["claims"]["findings_acknowledged"] = []

    assert signing.signature_seal(signature) != signature.seal


def test_signing_a_text_without_findings_records_empty_claims(reviewer, post_in):
    signature = sign(post_in(State.IN_REVIEW), reviewer)

    assert signature.details["claims"] == {"findings_acknowledged": [], "justifications_seen": []}


# --- the review page


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def test_review_page_lists_findings_justifications_and_warning_checkboxes(reviewer_client, author):
    post = make_post(author=author, body=BLOCKED_BODY + "\n\nLaser with no downtime.")
    services.post_submit(post, user=author, justifications={blocked_keys(post)[0]: "Quoted from the trial."})

    html = reviewer_client.get(reverse("review:post", args=[post.pk])).content.decode()

    assert "Claims check" in html
    assert '<mark class="finding-mark">100%</mark>' in html
    assert '<mark class="finding-mark">no downtime</mark>' in html
    assert "Quoted from the trial." in html
    [warn_key] = warned_keys(post)
    assert f'name="acknowledged" value="{warn_key}"' in html
    assert f'value="{blocked_keys(post)[0]}"' not in html  # justified: nothing to tick


def test_review_page_lists_number_and_outcome_sentences_with_whether_they_cite(reviewer_client, author):
    body = ("Most patients see results after three sessions.[^1]\n\n"
            "Laser reduces scarring by 50%.\n\n[^1]: Wu DC, et al. Dermatol Surg. 2020.")
    post = make_post(author=author, body=body, state=State.IN_REVIEW)

    html = reviewer_client.get(reverse("review:post", args=[post.pk])).content.decode()

    table = html.split('class="list claim-sentences"')[1].split("</table>")[0]
    assert "Most patients see results after three sessions." in table
    assert "Laser reduces scarring by 50%." in table
    rows = table.split("<tr")
    cited = next(r for r in rows if "three sessions" in r)
    uncited = next(r for r in rows if "by 50%" in r)
    assert "Yes" in cited and "No source" in uncited


def test_sign_view_without_the_warning_ticked_is_400_and_signs_nothing(reviewer_client, post_in):
    post = post_in(State.IN_REVIEW, body=WARNED_BODY)
    data = {"password": PASSWORD, "attest": "on", "checklist": list(ReviewPolicy.current().checklist),
            "expected_state": State.IN_REVIEW, "expected_revision": post.current_revision_id}

    response = reviewer_client.post(reverse("review:sign", args=[post.pk]), data)

    assert response.status_code == 400
    assert "Acknowledge each claims warning before signing" in response.content.decode()
    assert not post.current_revision.signatures.exists()

    response = reviewer_client.post(reverse("review:sign", args=[post.pk]), {**data, "acknowledged": warned_keys(post)})

    assert response.status_code == 302
    assert post.current_revision.signatures.get().details["claims"]["findings_acknowledged"][0]["text"] == "no downtime"


# --- the queue


def test_rereview_tab_shows_a_post_whose_only_reviewer_lapsed_before_it_is_flagged(reviewer_client, second_reviewer,
                                                                                   reviewer, post_in):
    post = post_in(State.PUBLISHED)
    profile = reviewer.reviewer_profile
    profile.verified_until = timezone.localdate() - timedelta(days=1)
    profile.save()

    assert [w.post_id for w in queue.rereview_due(second_reviewer)] == [post.pk]
    assert queue.counts(second_reviewer)["rereview"] == 1
    html = reviewer_client.get(reverse("review:queue") + "?tab=rereview").content.decode()
    assert post.title in html and "registration lapsed" in html


def test_rereview_tab_shows_flagged_posts_and_not_current_ones(second_reviewer, reviewer, post_in):
    current = post_in(State.PUBLISHED, slug="current")
    lapsed = post_in(State.PUBLISHED, slug="lapsed-one")
    assert list(queue.rereview_due(second_reviewer)) == []

    profile = reviewer.reviewer_profile
    profile.verified_until = timezone.localdate() - timedelta(days=1)
    profile.save()
    flagged = services.flag_rereviews_due()

    assert set(flagged) == {current.pk, lapsed.pk}
    assert {w.post_id for w in queue.rereview_due(second_reviewer)} == {current.pk, lapsed.pk}


def test_queue_counts_agree_with_the_tabs_for_flagged_and_lapsed_posts(second_reviewer, reviewer, post_in):
    flagged = post_in(State.PUBLISHED, slug="flagged")
    lapsed = post_in(State.PUBLISHED, slug="lapsed-not-yet-flagged")
    profile = reviewer.reviewer_profile
    profile.verified_until = timezone.localdate() - timedelta(days=1)
    profile.save()
    services.flag_rereviews_due()
    Workflow.objects.filter(post=lapsed).update(rereview_flagged_at=None, assignee=second_reviewer)

    counts = queue.counts(second_reviewer)

    assert {w.post_id for w in queue.rereview_due(second_reviewer)} == {flagged.pk, lapsed.pk}
    assert counts["rereview"] == 2  # each once, whether flagged or only lapsed
    assert [w.post_id for w in queue.assigned_to(second_reviewer)] == [lapsed.pk]
    assert counts["assigned"] == 1


def test_rereview_tab_leaves_out_a_post_signed_by_a_reviewer_still_verified(second_reviewer, reviewer, post_in):
    post_in(State.PUBLISHED)
    profile = reviewer.reviewer_profile
    profile.verified_until = timezone.localdate()  # valid through today
    profile.save()

    assert list(queue.rereview_due(second_reviewer)) == []


# --- the audit pack page


def test_audit_pack_page_is_html_for_reviewers_and_json_on_request(reviewer_client, author):
    post = make_post(author=author, body=BLOCKED_BODY)
    services.post_submit(post, user=author, justifications={blocked_keys(post)[0]: "Quoted from the trial."})
    url = reverse("review:audit_pack", args=[post.pk])

    html = reviewer_client.get(url)
    data = reviewer_client.get(url + "?format=json")

    assert html.status_code == 200 and "Audit pack: " in html.content.decode()
    assert "Quoted from the trial." in html.content.decode()
    assert data["Content-Type"] == "application/json"
    pack = json.loads(data.content)
    assert pack["revisions"][0]["justifications"][0]["justification"] == "Quoted from the trial."


def test_audit_pack_page_for_publishers_and_admins_but_not_authors(client, author, publisher, post_in,
                                                                   django_user_model):
    post = post_in(State.IN_REVIEW)
    url = reverse("review:audit_pack", args=[post.pk])
    admin = django_user_model.objects.create_superuser("root", "root@clinic.example", "pw")

    assert client.get(url).status_code == 302  # to the login page
    client.force_login(author)
    assert client.get(url).status_code == 403
    client.force_login(publisher)
    assert client.get(url).status_code == 200
    client.force_login(admin)
    assert client.get(url).status_code == 200


# --- demo data


def test_demo_loads_with_the_acne_scars_claim_justified(db):
    from django.core.management import call_command

    call_command("demo", "--password", "pw")

    from content.models import Post

    post = Post.objects.get(slug="acne-scars-options")
    assert post.workflow.state == State.CHANGES_REQUESTED
    assert FindingJustification.objects.filter(revision__post=post, text="100%").exists()
    assert {f.text for f in claim_findings.revision_findings(post.current_revision)} >= {"100%", "no downtime"}
