"""The browser shows what the server computes: the address made from a title, the word count, where a finding's
wording lies in its field, the key a reason is kept under, and where a comment's passage lies in the article."""

from playwright.sync_api import expect

from content.models import Post, word_count
from content.services import slug_from_title
from review import services
from review.anchoring import text_of, utf16_offset
from claims.models import FindingJustification
from review.states import State
from tests.browser.steps import scripts_ready
from tests.factories import make_post

RISKY = "Our laser gives 100% clearance with no downtime."
# An emoji (two UTF-16 units), a line with trailing blanks and blank lines before the finding: positions
# in the text as saved, in the text as posted (CRLF) and in the field all differ.
MULTILINE = "😀 Before and after.  \n\nSecond 😀 line.\n\n" + RISKY


def open_new_post(page, login, author):
    login(author)
    page.goto("/editor/new/")
    scripts_ready(page, "editor")


def selected_text(page, name):
    return page.evaluate("(name) => { const f = document.querySelector(`[name=${name}]`);"
                         " return f.value.slice(f.selectionStart, f.selectionEnd); }", name)


def test_typed_title_shows_the_address_the_server_makes(page, login, author):
    open_new_post(page, login, author)

    page.get_by_label("Title").fill("Ωμέγα-3 oils")

    expect(page.get_by_label("Slug")).to_have_value(slug_from_title("Ωμέγα-3 oils"))  # "ωμέγα-3-oils"


def test_typed_title_of_a_taken_address_shows_the_free_one(page, login, author):
    make_post(author=author, title="Acne scars")
    open_new_post(page, login, author)

    page.get_by_label("Title").fill("Acne scars")

    expect(page.get_by_label("Slug")).to_have_value("acne-scars-2")
    page.get_by_label("Body").fill("Text.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    assert Post.objects.latest("pk").slug == "acne-scars-2"


def test_word_count_is_the_servers(page, login, author):
    body = "Zero\ufeffwidth joins here"  # pasted with a zero-width no-break space: /\s+/ in a script counts 4 words
    open_new_post(page, login, author)

    page.get_by_label("Body").fill(body)

    expect(page.locator("[data-stats]:not([data-stale]) [data-words]")).to_have_text(str(word_count(body)))


def test_finding_position_selects_its_wording_on_a_later_line(page, login, author):
    open_new_post(page, login, author)

    page.get_by_label("Body").fill(MULTILINE)
    findings = page.locator("[data-findings-list] li")
    expect(findings).to_have_count(2)
    findings.first.get_by_role("button", name="Body, characters").click()
    assert selected_text(page, "body") == "100%"
    findings.nth(1).get_by_role("button", name="Body, characters").click()
    assert selected_text(page, "body") == "no downtime"


def test_reason_kept_beside_the_live_preview_sends_a_multiline_article_to_review(page, login, author):
    open_new_post(page, login, author)
    page.get_by_label("Title").fill("Laser for acne scars")
    page.get_by_label("Body").fill(MULTILINE)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Not submitted: the claims check blocks “100%”")).to_be_visible()
    scripts_ready(page, "editor")

    page.get_by_label("Why this wording must stay").fill("Quoted from the supplier's trial.")
    page.get_by_label("Body").press("Control+End")
    page.get_by_label("Body").press_sequentially(" Ask us.")
    expect(page.locator("[data-preview]")).to_contain_text("Ask us.")  # the list was rendered again
    expect(page.get_by_label("Why this wording must stay")).to_have_value("Quoted from the supplier's trial.")
    page.get_by_role("button", name="Submit for review").click()

    expect(page.locator("[data-state]")).to_have_text("In review")
    assert FindingJustification.objects.get().justification == "Quoted from the supplier's trial."


def test_comment_mark_lies_where_the_server_placed_it(page, login, author, reviewer):
    body = "Use SPF 50 😀 daily.\n\nIn summer, use SPF 50 😀 daily and reapply."
    post = make_post(author=author, state=State.IN_REVIEW, title="Sunscreen after laser", body=body)
    comment = services.comment_add(post=post, user=reviewer, body="Which SPF?",
                                   quote={"exact": "SPF 50", "prefix": "In summer, use ", "suffix": " 😀 daily and"})
    login(reviewer)

    page.goto(f"/review/posts/{post.pk}/")
    scripts_ready(page, "review")

    mark = page.locator("mark.comment-mark")
    expect(mark).to_have_text("SPF 50")
    shown_at = mark.evaluate("(mark) => { const range = document.createRange();"
                             " range.setStart(document.querySelector('[data-annotate-root]'), 0);"
                             " range.setEnd(mark, 0); return range.toString().length; }")
    assert shown_at == utf16_offset(text_of(post.current_revision.html), comment.quote_start)
