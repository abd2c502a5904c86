"""The XSS corpus goes through the whole workflow to the public site, and Chromium runs none of it.

Every vector lands in a post's body, in some post's title and in some post's summary; each post
is written, submitted, signed and published through review.services. Chromium then opens every
public page that shows them (with the Content-Security-Policy bypassed, so that the sanitiser and
the templates alone must stop them), and a sample of the editor's and reviewer's pages. A detector
installed before any page script records alert/confirm/prompt/print, `window.__pwned` and
document.title; dialogs and script errors are recorded too, and the DOM is searched for event
handler attributes, script URLs and active elements.
"""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from content import images
from review import services
from review.states import State
from tests.factories import make_post
from tests.security.vectors import load_vectors

VECTORS = load_vectors()
TITLE_MAX, SUMMARY_MAX = 200, 500
BODY_VECTORS_PER_POST = 10

DETECTOR = """
(() => {
  window.__pwned = false;
  window.__calls = [];
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    const record = function (...args) { window.__calls.push(name + "(" + args.join(",") + ")"); window.__pwned = true; };
    Object.defineProperty(window, name, { value: record, writable: false, configurable: false });
  }
})();
"""

INSPECT = """
() => {
  const URL_ATTRIBUTES = new Set(["href", "src", "srcset", "action", "formaction", "data", "background", "poster",
                                  "xlink:href", "ping", "cite", "lowsrc", "dynsrc", "codebase", "longdesc"]);
  const ACTIVE = /^(javascript|vbscript|data|livescript):/i;
  const problems = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) problems.push(`<${el.localName} ${name}>`);
      if (URL_ATTRIBUTES.has(name)) {
        const value = attr.value.replace(/[\\t\\n\\r]/g, "");
        const candidates = name === "srcset" ? value.split(",").map((c) => c.trim().split(/\\s+/)[0]) : [value];
        for (const candidate of candidates) {
          if (ACTIVE.test(candidate.replace(/^[\\u0000-\\u0020]+/, ""))) problems.push(`<${el.localName} ${name}=${attr.value}>`);
        }
      }
    }
  }
  for (const script of document.querySelectorAll("script")) {
    const own = script.src ? script.src.startsWith(location.origin + "/static/") : ["application/ld+json", "application/json"].includes(script.type);  // data, never run
    if (!own) problems.push("<script> " + (script.src || script.textContent.slice(0, 60)));
  }
  // The site's own forms are fine; nothing of this kind comes from the site itself.
  const active = "iframe, frame, object, embed, applet, base, svg, math, style, template, video, audio, "
    + "meta[http-equiv], link[rel=import], [style]";
  for (const el of document.querySelectorAll(active)) problems.push(`<${el.localName}> ${el.outerHTML.slice(0, 80)}`);
  return {problems, pwned: window.__pwned, calls: window.__calls, title: document.title};
}
"""


def pack(vectors, limit, separator=" "):
    """Vectors joined into as few strings of at most `limit` characters as possible; longer ones alone are skipped."""
    packs, current = [], ""
    for vector in vectors:
        if len(vector) > limit:
            continue
        candidate = f"{current}{separator}{vector}" if current else vector
        if len(candidate) > limit:
            packs.append(current)
            candidate = vector
        current = candidate
    return [*packs, current] if current else packs


def refused_at_save(vector, author) -> bool:
    """Whether saving a body of just this vector is refused with a message (e.g. an image that is not an upload)."""
    try:
        with transaction.atomic():
            services.post_create(author=author, title="Probe", body=vector)
            transaction.set_rollback(True)
    except ValidationError as error:
        assert error.messages and all(message.strip() for message in error.messages)
        return True
    return False


def hostile_posts(author, reviewer, publisher):
    """Published posts that between them carry every vector in a title, a summary and a body. A body that saving
    refuses (with a clear message: a picture that is not an upload, an element that does not display …) is saved
    past that check, as an old revision would be, so that the renderer alone must make it inert there.
    Returns the posts and the vectors refused in a body."""
    titles = pack(VECTORS, TITLE_MAX)
    summaries = pack(VECTORS, SUMMARY_MAX)
    bodies = [VECTORS[i:i + BODY_VECTORS_PER_POST] for i in range(0, len(VECTORS), BODY_VECTORS_PER_POST)]
    count = max(len(titles), len(summaries), len(bodies))
    refused = [vector for vector in VECTORS if refused_at_save(vector, author)]
    posts = []
    with mock.patch.object(images, "check_pictures"):
        for i in range(count):
            posts.append(make_post(
                author=author, reviewer=reviewer, publisher=publisher, state=State.PUBLISHED,
                body="\n\n".join([f"Hostile batch {i}.", *(bodies[i] if i < len(bodies) else [])]),
                title=titles[i] if i < len(titles) else f"Hostile post {i}",
                summary=summaries[i] if i < len(summaries) else ""))
    return posts, refused


@pytest.fixture
def hostile_page(browser, live_server):
    """A page with the detector installed, the CSP bypassed, and every request off the live server refused."""
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    context.add_init_script(DETECTOR)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(live_server.url)
                  else route.abort())
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.seen = {"dialogs": [], "errors": []}
    page.on("dialog", lambda dialog: on_dialog(page, dialog))
    page.on("pageerror", lambda error: page.seen["errors"].append(str(error)))
    page.on("console", lambda message: page.seen["errors"].append(message.text)
            if message.type == "error" and "Failed to load resource" not in message.text else None)
    yield page
    context.close()


def on_dialog(page, dialog):
    # The editor asks before leaving unsaved changes; any other dialog is a vector that ran.
    if dialog.type == "beforeunload":
        dialog.accept()
    else:
        page.seen["dialogs"].append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()


def visit_and_check(page, path, findings):
    # Until the network is quiet: every picture has loaded or failed, so an onerror handler would have run.
    page.goto(path, wait_until="networkidle")
    states = [frame.evaluate(INSPECT) for frame in page.frames]
    for state in states:
        if state["pwned"] or state["calls"] or state["title"] == "pwned" or state["problems"]:
            findings.append((path, state))
    if page.seen["dialogs"] or page.seen["errors"]:
        findings.append((path, dict(page.seen)))
        page.seen["dialogs"].clear()
        page.seen["errors"].clear()
    if not page.url.endswith(path):
        findings.append((path, f"navigated away to {page.url}"))


def test_no_xss_vector_runs_on_any_page(hostile_page, login, author, reviewer, publisher):
    posts, refused = hostile_posts(author, reviewer, publisher)
    revisions = [post.current_revision for post in posts]
    for vector in VECTORS:  # every vector reaches readers in a body, and in a title or a summary
        stored = vector.replace("\x00", "")  # NUL is dropped on save: readers never see it, PostgreSQL cannot store it
        assert any(stored in r.title or stored in r.summary for r in revisions), vector
        assert any(stored in r.body for r in revisions), vector
    assert any("outside.example" in vector for vector in refused)  # refused on save, yet rendered inert above
    findings = []
    pages = -(-len(posts) // 10)
    for path in [*(reverse("public:article", args=[post.slug]) for post in posts),
                 reverse("public:index"), *(f"{reverse('public:index')}?page={n}" for n in range(2, pages + 1)),
                 reverse("public:reviewer", args=[reviewer.reviewer_profile.slug])]:
        visit_and_check(hostile_page, path, findings)

    # The writer's and the reviewer's pages, for a sample; the editor also previews the body live.
    sample = posts[:2]
    page = hostile_page
    login_as(page, author)
    for post in sample:
        for path in (reverse("editor:post", args=[post.pk]), reverse("editor:post_diff", args=[post.pk]),
                     reverse("editor:post_edit", args=[post.pk])):
            visit_and_check(page, path, findings)
        with page.expect_response(lambda response: response.url.endswith(reverse("editor:preview"))):
            page.get_by_label("Body").fill(post.current_revision.body + "\n\nEdited.")
        page.wait_for_load_state("networkidle")  # the preview's pictures have loaded or failed
        state = page.evaluate(INSPECT)
        if state["pwned"] or state["calls"] or state["problems"] or page.seen["errors"]:
            findings.append(("live preview", state))
    page.context.clear_cookies()
    login_as(page, reviewer)
    for post in sample:
        visit_and_check(page, reverse("review:post", args=[post.pk]), findings)

    assert findings == [], f"{len(VECTORS)} vectors: {findings}"


def login_as(page, user):
    from tests.factories import PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def test_the_detector_sees_a_vector_that_runs(hostile_page):
    """The checks above would notice: a page that does run a vector is caught by every one of them."""
    hostile_page.goto("/robots.txt")
    hostile_page.set_content('<a href="javascript:alert(2)">x</a><img src=x onerror="alert(1);document.title=\'pwned\'">')
    hostile_page.wait_for_function("window.__pwned")
    state = hostile_page.evaluate(INSPECT)
    assert state["calls"] == ["alert(1)"] and state["title"] == "pwned"
    assert "<img onerror>" in state["problems"] and "<a href=javascript:alert(2)>" in state["problems"]
