"""The claims check in a real browser: a writer sees a risky claim flagged while typing, must justify it to submit,
and the doctor must acknowledge the warning before signing."""


from playwright.sync_api import expect

from claims.models import FindingJustification
from content.models import Post
from review.models import Signature
from review.states import State
from tests.browser.steps import open_signing_panel, scripts_ready

RISKY = "😀 Our fractional laser gives 100% clearance of acne scars with no downtime."


def test_writer_sees_findings_while_typing_justifies_and_reviewer_acknowledges(page, login, author, reviewer, screenshot):
    login(author)
    page.get_by_role("link", name="New post").click()
    scripts_ready(page, "editor")
    page.get_by_label("Title").fill("Acne scars: your options")
    page.get_by_label("Body").fill(RISKY)

    findings = page.locator("[data-findings-list]")
    expect(findings.locator("li")).to_have_count(2)
    expect(findings.locator("li").first).to_contain_text("Blocks submission")
    expect(findings.locator("li").first).to_contain_text("100%")
    expect(findings.locator("li").nth(1)).to_contain_text("no downtime")
    expect(page.locator("[data-preview] mark.finding")).to_have_count(2)
    expect(page.locator("[data-preview] mark.finding").first).to_have_text("100%")

    # "Body, characters 30–34" selects the wording in the field: code points converted to UTF-16 for the emoji.
    findings.locator("li").first.get_by_role("button").click()
    selected = page.evaluate("() => { const b = document.querySelector('[name=body]');"
                             " return b.value.slice(b.selectionStart, b.selectionEnd); }")
    assert selected == "100%"
    screenshot("editor-claims")

    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Not submitted: the claims check blocks “100%”")).to_be_visible()
    expect(page.get_by_label("Body")).to_have_value(RISKY)
    post = Post.objects.get()
    assert post.workflow.state == State.DRAFT

    page.get_by_label("Why this wording must stay").fill("Quoted from the supplier's trial; please check it.")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("[data-state]")).to_have_text("In review")
    assert FindingJustification.objects.get().justification == "Quoted from the supplier's trial; please check it."

    page.context.clear_cookies()
    login(reviewer)
    page.goto("/review/")
    page.get_by_role("link", name="Acne scars: your options").click()
    expect(page.locator("[data-claims]")).to_contain_text("Quoted from the supplier's trial; please check it.")
    expect(page.locator("[data-annotate-root] mark.finding-mark")).to_have_count(2)
    open_signing_panel(page, "correct horse battery staple")
    page.get_by_role("button", name="Sign", exact=True).click()

    expect(page.locator("#sign-acknowledged-error")).to_contain_text("Acknowledge each claims warning before signing")
    assert not Signature.objects.exists()

    page.get_by_label("“no downtime”", exact=False).check()
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign", exact=True).click()

    expect(page.get_by_text("It is approved and can be published.")).to_be_visible()
    acknowledged = Signature.objects.get().details["claims"]["findings_acknowledged"]
    assert [a["text"] for a in acknowledged] == ["no downtime"]
