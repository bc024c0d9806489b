"""Journey: a clinician signs in with email, password and a TOTP code, and sees their caseload."""

import pytest

from tests.browser.support import sign_in_clinician

pytestmark = pytest.mark.browser

# Each viewport signs in a different clinician: allauth refuses a TOTP code used before.
CLINICIANS = {
    # device: (clinician, a client on their caseload, another clinician's client)
    "desktop": ("alex@demo.test", "Maya", "Priya"),
    "phone": ("sam@demo.test", "Priya", "Maya"),
}


def test_clinician_signs_in_with_two_factor_and_sees_only_their_caseload(
    app, device, new_page, checks, clinician_sessions
):
    from playwright.sync_api import expect

    email, own_client, other_client = CLINICIANS[device.name]
    page = new_page()

    sign_in_clinician(page, app, device, email, checks)

    main = page.locator("main")
    expect(page.get_by_role("heading", name="Caseload", level=1)).to_be_visible()
    expect(main.get_by_role("link", name=own_client, exact=True)).to_be_visible()
    expect(main.get_by_role("link", name=other_client, exact=True)).to_have_count(0)
    checks.check(page, "3-caseload")
    clinician_sessions[email] = page.context.storage_state()

    checks.assert_clean()
