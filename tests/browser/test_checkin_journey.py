"""Journey of a check-in on a phone: Maya signs in, checks in by tapping, sees a calm confirmation.

The demo gives Maya a daily check-in at 20:00 (London) with some missed ones. Depending on the
hour the test runs, the open slot may already be answered; then she fills in a missed check-in
late instead, from her list of check-ins. Either way every answer is a tap, and each page visited
is scanned with axe (no serious or critical violations), for sideways scrolling and for console
errors.

The client home has no link to the check-in yet, so the journey opens /home/check-in/ directly.
"""

import re

import pytest

from tests.browser.support import DEVICES, press, sign_in_client

pytestmark = pytest.mark.browser

PHONE = DEVICES["phone"]
CLIENT = "maya@demo.test"
NOTE = "Browser test: a calmer evening after a hard morning"


def _tap_rating(device, main, legend: str, value: str) -> None:
    group = main.get_by_role("group", name=legend, exact=True)
    press(device, group.get_by_label(value, exact=True))
    assert group.get_by_label(value, exact=True).is_checked()


@pytest.mark.parametrize("device", [PHONE], ids=["phone"])
def test_a_client_checks_in_on_a_phone_by_tapping(app, new_page, device, checks):
    from playwright.sync_api import expect

    maya = new_page()
    sign_in_client(maya, app, device, CLIENT)
    checks.check(maya, "checkin-1-home")

    maya.goto(app.url("/home/check-in/"))
    expect(maya.get_by_role("heading", level=1)).to_have_text("Check in")
    checks.check(maya, "checkin-2-form")
    main = maya.locator("main")
    if main.get_by_text("You have already checked in for this time.").count():
        # The open slot is answered already: fill in a missed one, marked late.
        press(device, main.get_by_role("link", name="My check-ins"))
        expect(maya).to_have_url(app.url("/home/check-ins/"))
        checks.check(maya, "checkin-3-missed")
        press(device, maya.locator("#missed").get_by_role("link").first)
        expect(maya).to_have_url(re.compile(r"/home/check-in/\?due_at="))
        expect(main).to_contain_text("It will be marked late")

    expect(main).to_contain_text(
        "Your care team sees your ratings and your answer to the safety question."
    )
    _tap_rating(device, main, "Mood", "7")
    _tap_rating(device, main, "Closeness to others", "6")
    _tap_rating(device, main, "Felt security", "8")
    safety = main.get_by_role("group", name=re.compile("have you had thoughts of harming yourself"))
    press(device, safety.get_by_label("No", exact=True))
    assert safety.get_by_label("No", exact=True).is_checked()
    press(
        device,
        main.get_by_role("group", name=re.compile("A skill I practised")).get_by_label(
            "Paced breathing"
        ),
    )
    main.get_by_label("A note").fill(NOTE)
    share = main.get_by_label("Share this note with my care team")
    if share.is_checked():
        press(device, share)
    checks.check(maya, "checkin-4-filled")
    press(device, main.get_by_role("button", name="Send check-in"))

    expect(maya).to_have_url(app.url("/home/check-in/done/"))
    expect(maya.get_by_role("heading", level=1)).to_have_text("Thank you")
    checks.check(maya, "checkin-5-thanks")
    press(device, main.get_by_role("link", name="See your check-ins"))
    expect(maya).to_have_url(app.url("/home/check-ins/"))
    first = main.locator(".checkin-item").filter(has_text=NOTE)
    expect(first).to_contain_text("7/10")
    expect(first).to_contain_text("Note private to you")
    checks.check(maya, "checkin-6-list")

    maya.goto(app.url("/home/check-in/schedule/"))
    expect(main).to_contain_text("Europe/London")
    checks.check(maya, "checkin-7-schedule")

    checks.assert_clean()
