"""The claims check in the editor: findings beside the preview, after a save, and the justification fields when submit is refused."""

import pytest
from django.urls import reverse

from claims import findings as claim_findings
from claims.models import FindingJustification
from review.states import State
from tests.factories import make_post

pytestmark = pytest.mark.django_db

RISKY = "Our laser gives 100% clearance with no downtime."


def edit_url(post):
    return reverse("editor:post_edit", kwargs={"pk": post.pk})


def form_data(post, body, **extra):
    post.refresh_from_db()
    return {"title": post.current_revision.title, "slug": post.slug, "summary": post.current_revision.summary,
            "body": body, "base_revision": post.current_revision_id, **extra}


def test_preview_returns_findings_for_title_summary_and_body(client, author):
    client.force_login(author)

    response = client.post(reverse("editor:preview"),
                           {"title": "The best laser", "summary": "Guaranteed results.", "body": RISKY})

    assert response.status_code == 200
    data = response.json()
    assert [(f["field"], f["text"], f["severity"]) for f in data["findings"]] == [
        ("title", "best", "block"), ("summary", "Guaranteed", "block"),
        ("body", "100%", "block"), ("body", "no downtime", "warn")]
    body_block = data["findings"][2]
    assert body_block["rule"] == "hundred-percent" and body_block["message"] and body_block["source"]
    assert body_block["key"] == "body:hundred-percent:16:20"
    assert '<p>Our laser gives <mark class="finding">100%</mark> clearance' in data["html"]


def test_preview_positions_are_code_points(client, author):
    client.force_login(author)
    body = "😀 " + RISKY  # the emoji is one code point, two UTF-16 units

    [block, _] = client.post(reverse("editor:preview"), {"body": body}).json()["findings"]

    assert (block["start"], block["end"]) == (18, 22)
    assert body[block["start"]:block["end"]] == "100%"


def test_preview_of_a_clean_text_has_no_findings(client, author):
    client.force_login(author)

    assert client.post(reverse("editor:preview"), {"body": "Use SPF 50 every day."}).json()["findings"] == []


def test_writing_page_shows_findings_and_marks_them_in_the_preview_without_js(client, author):
    post = make_post(author=author, body=RISKY)
    client.force_login(author)

    html = client.get(edit_url(post)).content.decode()

    assert "Claims check" in html
    assert '<mark class="finding">100%</mark> clearance with <mark class="finding">no downtime</mark>' in html
    assert "Blocks submission" in html and "Warning" in html
    assert "Body, characters 16–20" in html


def test_update_preview_button_shows_findings_of_the_unsaved_text(client, author):
    post = make_post(author=author)
    client.force_login(author)

    html = client.post(edit_url(post), form_data(post, RISKY, action="preview")).content.decode()

    assert '<mark class="finding">100%</mark>' in html


def test_post_page_shows_findings_after_save(client, author):
    post = make_post(author=author)
    client.force_login(author)
    client.post(edit_url(post), form_data(post, RISKY, action="save"))

    html = client.get(reverse("editor:post", kwargs={"pk": post.pk})).content.decode()

    assert "Claims check" in html and '<mark class="finding">100%</mark>' in html


def test_submit_from_the_form_is_refused_with_a_justification_field_and_the_text_kept(client, author):
    post = make_post(author=author)
    client.force_login(author)

    response = client.post(edit_url(post), form_data(post, RISKY, action="submit"))

    assert response.status_code == 400
    html = response.content.decode()
    assert "Not submitted: the claims check blocks “100%”" in html
    assert RISKY in html  # the text is still in the form
    post.refresh_from_db()
    assert post.workflow.state == State.DRAFT and post.current_revision.body == RISKY  # saved, not submitted
    assert f'name="justify:body:hundred-percent:16:20" form="write-form"' in html
    assert f'name="base_revision" value="{post.current_revision_id}"' in html


def test_submit_from_the_form_with_a_justification_goes_to_review(client, author):
    post = make_post(author=author)
    client.force_login(author)
    client.post(edit_url(post), form_data(post, RISKY, action="submit"))

    response = client.post(edit_url(post), form_data(post, RISKY, action="submit", **{
        "justify:body:hundred-percent:16:20": "The trial reported it; please check the wording."}))

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.workflow.state == State.IN_REVIEW
    assert FindingJustification.objects.get().justification == "The trial reported it; please check the wording."


def test_refused_submit_keeps_typed_justifications(client, author):
    post = make_post(author=author, body=RISKY + " Guaranteed.")
    client.force_login(author)

    response = client.post(edit_url(post), form_data(post, RISKY + " Guaranteed.", action="submit", **{
        "justify:body:hundred-percent:16:20": "Typed reason"}))

    assert response.status_code == 400
    assert ">Typed reason</textarea>" in response.content.decode()
    assert not FindingJustification.objects.exists()


def test_submit_button_on_the_post_page_is_refused_and_offers_justification(client, author):
    post = make_post(author=author, body=RISKY)
    client.force_login(author)
    url = reverse("editor:post_action", kwargs={"pk": post.pk, "action": "submit"})
    [key] = [f.key for f in claim_findings.revision_findings(post.current_revision) if f.is_block]

    response = client.post(url, {"expected_state": State.DRAFT})

    assert response.status_code == 400
    html = response.content.decode()
    assert f'name="justify:{key}" form="justify-form"' in html and 'id="justify-form"' in html

    response = client.post(url, {"expected_state": State.DRAFT, f"justify:{key}": "From the trial."})

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.workflow.state == State.IN_REVIEW
    html = client.get(reverse("editor:post", kwargs={"pk": post.pk})).content.decode()
    assert "From the trial." in html
