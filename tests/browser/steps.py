"""Steps several browser journeys share."""

import os
from pathlib import Path

import pytest

from review.models import DEFAULT_CHECKLIST
from tests.factories import PASSWORD

# Installed by scripts/test.sh from the npm registry into a git-ignored folder.
AXE = Path(os.environ.get("MEDREVIEW_AXE", Path(__file__).resolve().parents[2] / ".venv" / "node" / "node_modules"
                          / "axe-core" / "axe.min.js"))


def open_signing_panel(page, password):
    """Tick the policy's default checklist, open "Approve and sign", type the password and attest."""
    for item in DEFAULT_CHECKLIST:
        page.get_by_label(item).check()
    page.get_by_role("button", name="Approve and sign").click()
    page.get_by_label("Password").fill(password)
    page.get_by_label("I have reviewed").check()


def scripts_ready(page, *names):
    """Wait until each named script of the page has bound its handlers: each adds its name to <html data-ready>.

    Text typed or a selection made before then would reach no handler (editor.js catches up with typed
    text, but a test that checks more than the preview must not race the script).
    """
    for name in names:
        page.locator(f"html[data-ready~={name}]").wait_for(state="attached")


def select_passage(page, passage):
    """Select `passage` inside the article the way a mouse drag would."""
    page.evaluate(
        """(passage) => {
            const root = document.querySelector('[data-annotate-root]');
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const at = node.data.indexOf(passage);
                if (at === -1) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + passage.length);
                const selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
                root.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
                return;
            }
            throw new Error('passage not found: ' + passage);
        }""",
        passage,
    )


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def new_page(browser, base_url, viewport, **options):
    """A page in a fresh browser context; at phone width it behaves as a phone (touch, mobile viewport)."""
    phone = viewport["width"] < 500
    context = browser.new_context(base_url=base_url, viewport=viewport, is_mobile=phone, has_touch=phone, **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def sideways_overflow(page) -> int:
    """How many pixels the page is wider than the screen (0: nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def in_view(page, locator) -> bool:
    """Whether the element is at least partly inside the visible part of the page."""
    box = locator.bounding_box()
    height = page.evaluate("window.innerHeight")
    return box is not None and box["y"] < height and box["y"] + box["height"] > 0


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now (the context must bypass the CSP)."""
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} (scripts/test.sh installs it with npm)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def log_in(page, user):
    """Sign in through the login form, as the user does (the factories' shared password)."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
