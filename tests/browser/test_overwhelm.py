"""Journey of an overwhelming pause on a phone: calm words and grounding, not the crisis
page.

Maya (client, phone) pauses at 10 out of 10. The very response validates what she feels and offers
5-4-3-2-1 grounding and breathing without holds; it shows no crisis lines and raises no alert.
She taps through the grounding steps to the end. The breathing link opens the pacer with the holds
at 0 seconds; the "Skip the holds" checkbox, worked from the keyboard, puts them back and takes
them away again, and says so. Every page is scanned with axe.
"""

import re

import pytest

from tests.browser.support import DEVICES, press, sign_in_client

pytestmark = pytest.mark.browser

PHONE = DEVICES["phone"]
CLIENT = "maya@demo.test"
NO_ALERT_FOR = (
    "from securebase.safety.models import Alert\n"
    "print(Alert.objects.filter(source_id='{pause_id}').count())\n"
)


@pytest.mark.parametrize("device", [PHONE], ids=["phone"])
def test_a_pause_at_ten_is_met_with_grounding_not_the_crisis_page(app, new_page, device, checks):
    from playwright.sync_api import expect

    maya = new_page()
    sign_in_client(maya, app, device, CLIENT)
    press(device, maya.locator("main").get_by_role("link", name="Pause", exact=True))
    expect(maya).to_have_url(app.url("/home/pause/"))
    main = maya.locator("main")
    press(device, main.get_by_label("tight chest"))
    press(device, main.get_by_label("overwhelmed", exact=True))
    press(
        device,
        main.get_by_role("group", name=re.compile("How strong is it")).get_by_label(
            "10", exact=True
        ),
    )
    share = main.get_by_label("Share this pause with my care team")
    if share.is_checked():  # private: the other journeys read what Maya shares
        press(device, share)
    press(device, main.get_by_role("button", name="Save pause"))

    # The answer to the very POST: validation and the offer, no crisis lines.
    expect(main.get_by_role("heading", level=1)).to_have_text("That sounds really intense")
    expect(main).to_contain_text("It makes sense to feel overwhelmed.")
    expect(main).to_contain_text("You don't have to do anything with it right now.")
    expect(main).to_contain_text("It stays private to you.")
    expect(main.get_by_role("heading", name="Thank you for telling us")).to_have_count(0)
    expect(main.get_by_role("heading", name="If you need help now")).to_have_count(0)
    expect(maya.locator("a[href^='tel:']")).to_have_count(0)
    grounding = main.get_by_role("link", name="Ground yourself: 5-4-3-2-1")
    breathing = main.get_by_role("link", name="Breathe slowly, without holding")
    expect(grounding).to_be_visible()
    expect(breathing).to_be_visible()
    continue_link = main.get_by_role("link", name="Not now, continue")
    pause_id = continue_link.get_attribute("href").strip("/").rsplit("/", 1)[-1]
    breathing_href = breathing.get_attribute("href")
    assert breathing_href == "/home/toolkit/breathing/?holds=skip"
    checks.check(maya, "overwhelm-1-offer")
    alerts = app.manage("shell", "--command", NO_ALERT_FOR.format(pause_id=pause_id))
    assert alerts.strip().splitlines()[-1] == "0"

    # Grounding, one step per screen, to the end.
    press(device, grounding)
    expect(maya).to_have_url(app.url("/home/toolkit/grounding/"))
    expect(main).to_contain_text("Name five things you can see.")
    checks.check(maya, "overwhelm-2-grounding")
    for step in range(2, 7):
        press(device, main.get_by_role("link", name="Next"))
        expect(maya).to_have_url(re.compile(rf"\?step={step}$"))
    expect(main.get_by_role("heading", level=2)).to_have_text(
        "You are here, now. Log it (optional)"
    )

    # Breathing without holds, and the one-tap skip worked from the keyboard.
    maya.goto(app.url(breathing_href))
    pacer = maya.locator("[data-pacer]")
    expect(pacer).to_be_visible()
    seconds = pacer.locator("[data-pacer-seconds]")
    expect(pacer).to_contain_text("Holding your breath can feel uncomfortable.")
    skip = pacer.get_by_role("checkbox", name="Skip the holds")
    expect(skip).to_be_checked()
    assert [field.input_value() for field in seconds.all()] == ["4", "0", "4", "0"]
    checks.check(maya, "overwhelm-3-breathing-no-holds")
    skip.focus()
    maya.keyboard.press("Space")
    expect(skip).not_to_be_checked()
    expect(pacer.locator("[data-pacer-holds-status]")).to_have_text("The holds are back.")
    assert [field.input_value() for field in seconds.all()] == ["4", "4", "4", "4"]
    maya.keyboard.press("Space")
    expect(skip).to_be_checked()
    expect(pacer.locator("[data-pacer-holds-status]")).to_have_text("The holds are now 0 seconds.")
    assert [field.input_value() for field in seconds.all()] == ["4", "0", "4", "0"]
    log = maya.locator("form[data-pacer-log]")
    assert log.locator("[name=seconds]").input_value() == "4,0,4,0"

    # A pattern without holds has nothing to skip.
    press(device, pacer.get_by_label("Resonance (about 6 a minute)"))
    expect(pacer.locator("[data-pacer-holds]")).to_be_hidden()
    assert [field.input_value() for field in seconds.all()] == ["5", "0", "5", "0"]
    checks.assert_clean()
