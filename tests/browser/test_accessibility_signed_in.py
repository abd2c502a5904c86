"""Every signed-in page, for the role that uses it, at 1280 px and at 390 px: axe-core finds no serious or critical
violation, and nothing scrolls sideways on a phone. Django's admin is left out: its pages are Django's own."""

import pytest

from review import services
from review.states import State
from tests import factories
from tests.browser.steps import DESKTOP, PHONE, log_in, new_page, serious_violations, sideways_overflow
from tests.factories import make_post

BODY = factories.BODY + """
| Sessions | Typical result |
| --- | --- |
| 3 | Smaller pores for most patients, as a 2024 study of 40 patients found [^1] |

[^1]: Example et al., Journal of Skin Lasers, 2024.
"""


@pytest.fixture
def world(author, reviewer, publisher):
    """Posts in the states each role's pages show, one of them sent back with comments and resubmitted."""
    make = dict(author=author, reviewer=reviewer, publisher=publisher, body=BODY)
    sent_back = make_post(state=State.CHANGES_REQUESTED, title="Pico laser for open pores", **make)
    services.comment_add(post=sent_back, user=reviewer, body="Which study shows this?",
                         quote={"exact": "stimulate collagen production", "prefix": "", "suffix": ""})
    sent_back.refresh_from_db()
    services.post_save_draft(sent_back, user=author, title=sent_back.current_revision.title, summary="",
                             body=BODY.replace("production**.", "production** (Example et al., 2024)."))
    services.post_resubmit(sent_back, user=author)
    return {
        "in_review": sent_back,
        "draft": make_post(state=State.DRAFT, title="Sunscreen after laser", **make),
        "approved": make_post(state=State.APPROVED, title="Retinoids and lasers", **make),
        "published": make_post(state=State.PUBLISHED, title="Redness after treatment", **make),
    }


PAGES = {
    "reviewer": [
        "/review/", "/review/?tab=assigned", "/review/?tab=rereview", "/review/?tab=signed",
        "/review/posts/{in_review}/", "/review/posts/{in_review}/?since=signed", "/review/posts/{published}/",
        "/editor/",  # the 403 page, with navigation
        "/review/posts/999999/",  # the 404 page
    ],
    "author": [
        "/editor/", "/editor/new/", "/editor/posts/{draft}/", "/editor/posts/{draft}/edit/",
        "/editor/posts/{in_review}/", "/editor/posts/{in_review}/compare/",
    ],
    "publisher": [
        "/editor/", "/editor/posts/{approved}/", "/editor/posts/{published}/", "/review/posts/{in_review}/",
    ],
}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
@pytest.mark.parametrize("role", list(PAGES))
def test_signed_in_pages_have_no_serious_violations_and_fit_the_screen(browser, live_server, world, role, viewport,
                                                                        request):
    user = request.getfixturevalue(role)
    page = new_page(browser, live_server.url, viewport, bypass_csp=True)
    try:
        log_in(page, user)
        problems = []
        for pattern in PAGES[role]:
            path = pattern.format(**{name: post.pk for name, post in world.items()})
            page.goto(path)
            page.wait_for_load_state("networkidle")
            problems += [f"{path}: {v}" for v in serious_violations(page)]
            wider = sideways_overflow(page)
            if wider:
                problems.append(f"{path}: {wider} px wider than the screen")
        assert problems == []
    finally:
        page.context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_pages_around_signing_in_have_no_serious_violations(browser, live_server, author, viewport):
    page = new_page(browser, live_server.url, viewport, bypass_csp=True)
    try:
        problems = []
        for path in ("/accounts/login/", "/accounts/password-reset/", "/accounts/password-reset/sent/",
                     "/accounts/reset/MQ/not-a-token/"):
            page.goto(path)
            problems += [f"{path}: {v}" for v in serious_violations(page)]
            if sideways_overflow(page):
                problems.append(f"{path}: wider than the screen")
        assert problems == []
    finally:
        page.context.close()
