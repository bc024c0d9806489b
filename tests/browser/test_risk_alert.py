"""Journey of a risk flag: a "yes" to the check-in's safety question reaches the care team within
seconds, and is closed with a note that the audit log records.

Alex (desktop) opens the caseload and leaves it open. Maya (phone) checks in and answers the
safety question "Yes, and I'm worried I might act on them": the very response shows her safety
plan and a crisis line. Without reloading, Alex's caseload shows the new alert (its banner and
Maya's alerts polled every 10 seconds). Alex opens the alerts page, acknowledges the alert with a
note, and it leaves the open list; the audit log holds the acknowledgement (without the note) and
still verifies. Every page is scanned with axe.
"""

import re

import pytest

from tests.browser.support import DEVICES, clinician_page, press, sign_in_client

pytestmark = pytest.mark.browser

DESKTOP, PHONE = DEVICES["desktop"], DEVICES["phone"]
CLIENT = "maya@demo.test"
CLINICIAN = "alex@demo.test"
ANSWER = "Yes, and I'm worried I might act on them"
NOTE = "Browser test: phoned Maya, safe tonight with her sister; session moved to tomorrow."
MAYA_ID = (
    "from securebase.care.models import Client\n"
    "print(Client.objects.with_email(None, 'maya@demo.test').get().pk)\n"
)
ACKNOWLEDGED = (
    "from securebase.audit.models import AuditEvent\n"
    "from securebase.safety.models import Alert\n"
    "from securebase.care.models import Client\n"
    "maya = Client.objects.with_email(None, 'maya@demo.test')\n"
    "alert = Alert.objects.filter(client__in=maya, kind='risk_checkin')"
    ".latest('created_at')\n"
    "events = AuditEvent.objects.filter(object_type='alert', object_id=str(alert.pk), "
    "detail__event='acknowledged')\n"
    "print(alert.acknowledged_by.email, events.count(), "
    "any('sister' in str(e.detail) for e in events))\n"
)


def _tap_rating(device, main, legend: str, value: str) -> None:
    group = main.get_by_role("group", name=legend, exact=True)
    press(device, group.get_by_label(value, exact=True))


def _risk_count(cell_text: str) -> int:
    found = re.search(r"(\d+) risk alerts?", cell_text)
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize("device", [DESKTOP], ids=["desktop"])
def test_a_yes_to_the_safety_question_reaches_the_caseload_and_is_acknowledged_with_a_note(
    app, new_page, device, checks, clinician_sessions
):
    from playwright.sync_api import expect

    maya_id = app.manage("shell", "--command", MAYA_ID).strip().splitlines()[-1]

    # Alex's caseload, left open.
    alex = clinician_page(app, new_page, clinician_sessions, CLINICIAN, on=DESKTOP)
    alex.goto(app.url("/caseload/"))
    banner = alex.locator("#caseload-alerts")
    maya_alerts = alex.locator(f"#caseload-alerts-{maya_id}")
    expect(banner).to_be_visible()
    risk_before = _risk_count(maya_alerts.inner_text())
    checks.check(alex, "risk-1-caseload")

    # Maya checks in on her phone and says yes to the safety question.
    maya = new_page(on=PHONE)
    sign_in_client(maya, app, PHONE, CLIENT)
    maya.goto(app.url("/home/check-in/"))
    main = maya.locator("main")
    if main.get_by_text("You have already checked in for this time.").count():
        press(PHONE, main.get_by_role("link", name="My check-ins"))
        press(PHONE, maya.locator("#missed").get_by_role("link").first)
        expect(maya).to_have_url(re.compile(r"/home/check-in/\?due_at="))
    _tap_rating(PHONE, main, "Mood", "2")
    _tap_rating(PHONE, main, "Closeness to others", "3")
    _tap_rating(PHONE, main, "Felt security", "1")
    safety = main.get_by_role("group", name=re.compile("have you had thoughts of harming"))
    press(PHONE, safety.get_by_label(ANSWER, exact=True))
    checks.check(maya, "risk-2-checkin")
    press(PHONE, main.get_by_role("button", name="Send check-in"))

    # The same response: her safety plan and a crisis line.
    expect(maya.get_by_role("heading", name="Your safety plan")).to_be_visible()
    expect(maya.get_by_role("heading", name="If you need help now")).to_be_visible()
    expect(main).to_contain_text(re.compile("Samaritans|999"))
    checks.check(maya, "risk-3-support")

    # Alex's caseload shows it without a reload, within ~15 seconds (polled every 10).
    expect(maya_alerts).to_contain_text(
        re.compile(rf"{risk_before + 1} risk alerts?"), timeout=15_000
    )
    expect(banner).to_contain_text(re.compile(r"\d+ open alerts?"))
    checks.check(alex, "risk-4-caseload-updated")

    # The alerts page: acknowledge with a note.
    press(DESKTOP, banner.get_by_role("link", name=re.compile("Review")))
    expect(alex).to_have_url(app.url("/alerts/"))
    open_list = alex.locator("section[aria-labelledby='open-h']")
    item = open_list.locator("article").filter(has_text=f"“{ANSWER}”").first
    expect(item).to_contain_text("Maya")
    checks.check(alex, "risk-5-alerts")
    item_id = item.get_attribute("id")
    item.get_by_label("What you did or decided").fill(NOTE)
    press(DESKTOP, item.get_by_role("button", name=re.compile("^Acknowledge")))

    expect(alex).to_have_url(app.url("/alerts/"))
    expect(alex.locator("main")).to_contain_text("Alert acknowledged for")
    expect(open_list.locator(f"#{item_id}")).to_have_count(0)
    acknowledged = alex.locator("section[aria-labelledby='acknowledged-h']")
    expect(acknowledged.locator(f"#{item_id}")).to_contain_text(NOTE)
    checks.check(alex, "risk-6-acknowledged")

    alex.goto(app.url("/risk-rules/"))
    expect(alex.get_by_role("heading", level=1)).to_have_text("What raises a risk flag")
    checks.check(alex, "risk-7-rules")

    # The audit log records the acknowledgement (without the note) and still verifies.
    last_line = app.manage("shell", "--command", ACKNOWLEDGED).strip().splitlines()[-1]
    who, events, leaked = last_line.split()
    assert (who, events, leaked) == (CLINICIAN, "1", "False")
    app.manage("audit", "verify")

    checks.assert_clean()
