"""Steps several browser journeys share."""

from review.models import DEFAULT_CHECKLIST


def open_signing_panel(page, password):
    """Tick the policy's default checklist, open "Approve and sign", type the password and attest."""
    for item in DEFAULT_CHECKLIST:
        page.get_by_label(item).check()
    page.get_by_role("button", name="Approve and sign").click()
    page.get_by_label("Password").fill(password)
    page.get_by_label("I have reviewed").check()
