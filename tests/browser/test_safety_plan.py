"""Journey of the safety plan on a phone, offline once loaded.

Maya (client, phone) opens her safety plan from its address, sees the crisis lines at the top,
fills two sections together, saves, and sees them. The phone then loses its connection: reloading
the safety plan still shows it (the copy the service worker kept), with a note that it is offline,
while another page of hers is not available offline (only the plan is ever kept).
"""

import pytest

from tests.browser.support import DEVICES, press, sign_in_client

pytestmark = pytest.mark.browser

PHONE = DEVICES["phone"]
CLIENT = "maya@demo.test"
WARNING_SIGN = "Browser test: I stop answering messages"
REASON = "Browser test: my niece's drawings on the fridge"


def _wait_until_kept(page, seconds: float = 10) -> None:
    """Until offline.js reports that the worker kept the page (no eval: CSP forbids it)."""
    for _ in range(int(seconds * 10)):
        if page.evaluate("() => document.documentElement.dataset.offlineReady") == "yes":
            return
        page.wait_for_timeout(100)
    raise AssertionError("the service worker did not report keeping the safety plan")


@pytest.mark.parametrize("device", [PHONE], ids=["phone"])
def test_a_client_fills_her_safety_plan_and_still_sees_it_offline(app, new_page, device, checks):
    from playwright.sync_api import Error, expect

    page = new_page()
    sign_in_client(page, app, device, CLIENT)

    page.goto(app.url("/home/safety-plan/"))
    expect(page.get_by_role("heading", name="If you need help now")).to_be_visible()
    checks.check(page, "safety-1-plan")

    press(device, page.locator("main .actions a").first)
    main = page.locator("main")
    main.get_by_label("Signs that a hard time is building").fill(WARNING_SIGN)
    main.get_by_label("What I live for").fill(REASON)
    checks.check(page, "safety-2-edit")
    press(device, main.get_by_role("button", name="Save the plan"))

    expect(page).to_have_url(app.url("/home/safety-plan/"))
    expect(page.get_by_text(WARNING_SIGN)).to_be_visible()
    expect(page.get_by_text(REASON)).to_be_visible()
    _wait_until_kept(page)
    checks.check(page, "safety-3-saved")

    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_text(WARNING_SIGN)).to_be_visible()
    expect(page.get_by_text(REASON)).to_be_visible()
    expect(page.get_by_text("You are offline.")).to_be_visible()
    checks.check(page, "safety-4-offline")

    with pytest.raises(Error):
        page.goto(app.url("/home/"))  # no other page is kept: truly offline, nothing cached
    page.context.set_offline(False)

    checks.assert_clean()
