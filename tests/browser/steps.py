"""Steps several browser journeys share."""

from review.models import DEFAULT_CHECKLIST


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
