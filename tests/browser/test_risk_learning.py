"""Journey of learning from misses: a false alarm and a missed risk reach the practice's admin,
who teaches the detector from one report and closes the other, and the detector then reads the
practice's everyday phrase as not risk.

An idiom in Maya's shared journal raised a risk alert. Alex (desktop) marks it as a false alarm
with a note and a paraphrase; from Maya's record he reports a missed risk. The admin opens the
risk detector page: both reports, without Maya's name. She teaches the detector from the false
alarm (the form comes prefilled; the change is evaluated, then added, with the numbers shown) and
closes the other report with a reason, then opens the practice's crisis lines and adds one of
her own. Every page is scanned with axe.
"""

import datetime as dt

import pytest

from tests.browser.support import DEMO_PASSWORD, DEVICES, clinician_page, press

pytestmark = pytest.mark.browser

DESKTOP = DEVICES["desktop"]
IDIOM = "This weekend I want to disappear into a good book and forget the office."
RAISE = (
    "from securebase.care.models import Client\n"
    "from securebase.practise.journal import domain as journal_domain\n"
    "maya = Client.objects.with_email(None, 'maya@demo.test').get()\n"
    f"entry, _ = journal_domain.write_entry(maya, by=maya.user, data={{'text': {IDIOM!r}, "
    "'shared': True})\n"
    "print(maya.pk, entry.risk_alert.pk)\n"
)
STILL_FLAGS = (
    "from securebase.care.models import Client\n"
    "from securebase.safety.detector import domain as detect\n"
    "from securebase.safety.learning import additions\n"
    "maya = Client.objects.with_email(None, 'maya@demo.test').get()\n"
    "added = additions.additions_for(maya.practice_id)\n"
    f"print(detect.detect({IDIOM!r}, additions=added).flag,"
    " detect.detect('I want to disappear for good', additions=added).flag)\n"
)


def _sign_in_admin(page, app, checks) -> None:
    from playwright.sync_api import expect

    email = "admin@demo.test"
    page.goto(app.url("/accounts/login/"))
    main = page.locator("main")
    main.get_by_label("Email").fill(email)
    main.get_by_label("Password").fill(DEMO_PASSWORD)
    press(DESKTOP, main.get_by_role("button", name="Sign In"))
    expect(page).to_have_url(app.url("/accounts/2fa/authenticate/"))
    main.get_by_label("Code").fill(app.totp_code(email))
    press(DESKTOP, main.get_by_role("button", name="Sign In"))
    expect(page.get_by_role("link", name="Risk detector")).to_be_visible()


@pytest.mark.parametrize("device", [DESKTOP], ids=["desktop"])
def test_reports_reach_the_admin_who_teaches_the_detector(
    app, new_page, device, checks, clinician_sessions
):
    from playwright.sync_api import expect

    maya_id, alert_id = app.manage("shell", "--command", RAISE).strip().splitlines()[-1].split()

    # Alex: the alert was a false alarm.
    alex = clinician_page(app, new_page, clinician_sessions, "alex@demo.test", on=DESKTOP)
    alex.goto(app.url(f"/alerts/{alert_id}/"))
    main = alex.locator("main")
    press(DESKTOP, main.get_by_text("Was this a false alarm?"))
    main.get_by_label("Why it was a false alarm").fill("An idiom: a weekend of reading.")
    main.get_by_label("How it was worded").fill("I want to disappear into a good book")
    checks.check(alex, "learn-1-false-alarm-form")
    press(DESKTOP, main.get_by_role("button", name="Mark as a false alarm"))
    expect(alex.get_by_text("Marked as a false alarm. The practice's admins")).to_be_visible()
    expect(main.get_by_role("heading", name="Marked as a false alarm")).to_be_visible()
    checks.check(alex, "learn-2-marked")

    # Alex: a missed risk, from Maya's record.
    alex.goto(app.url(f"/clients/{maya_id}/"))
    press(DESKTOP, alex.locator("main").get_by_role("link", name="Report a missed risk"))
    main = alex.locator("main")
    main.get_by_label("Where you read it").select_option("moment")
    # The server runs on the real clock: a day before today, whatever today is.
    written = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    main.get_by_label("When it was written").fill(written)
    main.get_by_label("What kind of risk").select_option("wish_dead")
    main.get_by_label("How it was worded").fill("hoping the illness comes back and wins")
    checks.check(alex, "learn-3-missed-form")
    press(DESKTOP, main.get_by_role("button", name="Send the report"))
    expect(alex.get_by_text("the missed risk is reported to the practice's admins")).to_be_visible()

    # The admin: both reports, no client named.
    admin = new_page(on=DESKTOP)
    _sign_in_admin(admin, app, checks)
    press(DESKTOP, admin.get_by_role("link", name="Risk detector"))
    main = admin.locator("main")
    expect(main.get_by_text("I want to disappear into a good book")).to_be_visible()
    expect(main.get_by_text("hoping the illness comes back and wins")).to_be_visible()
    assert "Maya" not in main.inner_text()
    checks.check(admin, "learn-4-admin")

    # Teach the detector from the false alarm: prefilled, evaluated, added.
    false_alarm = main.locator("li", has_text="I want to disappear into a good book")
    press(DESKTOP, false_alarm.get_by_role("link", name="Teach the detector from it"))
    form = admin.locator("main form", has=admin.get_by_role("button", name="Try it and add it"))
    expect(form.get_by_label("Phrase or example")).to_have_value(
        "I want to disappear into a good book"
    )
    form.get_by_label("Phrase or example").fill("disappear into a good book")
    checks.check(admin, "learn-5-prefilled")
    press(DESKTOP, form.get_by_role("button", name="Try it and add it"))
    expect(admin.get_by_text("Added; the detector uses it from now on.")).to_be_visible(
        timeout=90_000
    )
    expect(admin.get_by_text("en: recall")).to_be_visible()

    # Close the other report without a change.
    missed = admin.locator("main li", has_text="hoping the illness comes back and wins")
    press(DESKTOP, missed.get_by_text("Close without a change"))
    missed.get_by_label("Why no change is needed").fill("Covered by the next lexicon release.")
    press(DESKTOP, missed.get_by_role("button", name="Close"))
    expect(admin.get_by_text("Report closed without a change.")).to_be_visible()
    checks.check(admin, "learn-6-done")

    # The same admin's crisis lines: every entry with its source and the day it was read.
    press(DESKTOP, admin.get_by_role("link", name="Crisis lines"))
    lines = admin.locator("main")
    expect(lines.get_by_role("heading", name="Crisis lines", level=1)).to_be_visible()
    expect(lines.get_by_role("link", name="www.samaritans.org")).to_have_count(2)  # GB and IE
    checks.check(admin, "learn-7-crisis-lines")

    # She adds her region's line for Spain, with its source and the day she read it.
    form = admin.locator("main form", has=admin.get_by_role("button", name="Save the entry"))
    form.get_by_label("Country", exact=True).select_option("ES")
    form.get_by_label("Name", exact=True).fill("Browser test: regional listening line")
    form.get_by_label("Phone number").fill("900 000 000")
    form.get_by_label("Spanish").check()
    form.get_by_label("Source", exact=True).fill("https://www.example.gob.es/linea")
    press(DESKTOP, form.get_by_role("button", name="Save the entry"))
    expect(admin.get_by_text("Saved; your clients see it from now on.")).to_be_visible()
    row = admin.locator("main tr", has_text="Browser test: regional listening line")
    expect(row.get_by_text("your practice's")).to_be_visible()
    checks.check(admin, "learn-8-own-line")

    assert app.manage("shell", "--command", STILL_FLAGS).split()[-2:] == ["False", "True"]
    checks.assert_clean()
