"""A reader's view of the public site in Chromium: navigation, the review line, and axe-core accessibility checks."""

import os
from pathlib import Path

import pytest

from review.states import State
from tests.browser.steps import serious_violations
from tests.public.conftest import LONG_BODY

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def article(post_in):
    post_in(State.PUBLISHED, title="Sun protection after laser", summary="Why SPF matters for weeks afterwards.")
    post_in(State.APPROVED, title="Not public yet")
    return post_in(State.PUBLISHED, title="5 tips to minimise large and open pores with Pico Laser",
                   summary="What pico lasers can and cannot do for enlarged pores.", body=LONG_BODY)


@pytest.fixture
def axe_page(browser, live_server):
    """A page whose context lets Playwright inject axe-core past the site's Content-Security-Policy."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def shoot(page, name):
    if os.environ.get("MEDREVIEW_SCREENSHOTS"):
        page.screenshot(path=str(SCREENSHOTS / f"public-{name}.png"), full_page=True)


def test_reader_goes_from_index_to_article_to_reviewer(page, article, reviewer):
    page.goto("/")
    assert page.url.endswith("/blog/")
    assert page.get_by_role("link", name="Not public yet").count() == 0
    shoot(page, "index")
    page.get_by_role("link", name="5 tips to minimise large and open pores with Pico Laser").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/blog/{article.slug}/")
    line = page.locator(".review-box .review-line")
    assert "Medically reviewed by Dr. Ian Tan, MBBS (Singapore) on" in " ".join(line.inner_text().split())
    assert page.get_by_role("navigation", name="On this page").is_visible()
    shoot(page, "article")
    page.get_by_role("link", name="Dr. Ian Tan").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/reviewers/{reviewer.reviewer_profile.slug}/")
    assert page.get_by_role("heading", name="Dr. Ian Tan", level=1).is_visible()
    assert page.get_by_role("link", name="5 tips to minimise large and open pores with Pico Laser").is_visible()
    shoot(page, "reviewer")


def test_table_of_contents_links_jump_to_their_sections(page, article):
    page.goto(f"/blog/{article.slug}/")
    page.get_by_role("navigation", name="On this page").get_by_role("link", name="Results").click()
    assert page.url.endswith("#body-results")


def test_reader_verifies_the_review_from_the_article(page, article):
    page.goto(f"/blog/{article.slug}/")
    page.locator(".review-box").get_by_role("link", name="Verify this review").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/blog/{article.slug}/review/")
    assert page.get_by_role("heading", name="Verify this review", level=1).is_visible()
    assert "Yes. The article on this site is the version the doctor below signed." in page.locator(".status").inner_text()
    assert page.get_by_text(f"python verify_review.py {page.url.removesuffix('review/')}").is_visible()
    shoot(page, "verify-review")


@pytest.mark.parametrize("path", ["/blog/", "/blog/{slug}/", "/blog/{slug}/review/", "/reviewers/{reviewer}/",
                                  "/editorial-policy/"])
def test_public_page_has_no_serious_accessibility_violations(axe_page, article, reviewer, path):
    page = axe_page
    page.goto(path.format(slug=article.slug, reviewer=reviewer.reviewer_profile.slug))
    assert serious_violations(page) == []
    if path == "/editorial-policy/":
        shoot(page, "editorial-policy")


def test_public_page_on_a_phone_has_no_serious_accessibility_violations(axe_page, article):
    page = axe_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/blog/{article.slug}/")
    assert serious_violations(page) == []
    shoot(page, "article-phone")
