"""Journey: the clinician reads Maya's session brief, records the session, opens the printable
report, and prints it to PDF: navigation, buttons and forms stay off the paper."""

import re

import pytest

from tests.browser.support import DEVICES, clinician_page, press, sign_in_client

pytestmark = pytest.mark.browser

DESKTOP = DEVICES["desktop"]
MAYA_ID = (
    "from securebase.care.models import Client\n"
    "print(Client.objects.with_email(None, 'maya@demo.test').get().pk)\n"
)


@pytest.mark.parametrize("device", [DESKTOP], ids=["desktop"])
def test_the_clinician_reads_the_brief_records_the_session_and_prints_the_report(
    app, new_page, device, checks, clinician_sessions, artifacts
):
    from playwright.sync_api import expect

    maya_id = app.manage("shell", "--command", MAYA_ID).strip().splitlines()[-1]
    page = clinician_page(app, new_page, clinician_sessions, "alex@demo.test", on=device)

    page.goto(app.url(f"/clients/{maya_id}/brief/"))
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Session brief")
    for section in ("Risk flags", "Moments to discuss", "Check-ins", "Goals and GAS"):
        expect(main.get_by_role("heading", name=section, exact=True)).to_be_visible()
    checks.check(page, "brief-1-brief")

    record = main.locator("form.brief-record")
    expect(record.get_by_label("Date of the session")).not_to_have_value("")
    press(device, record.get_by_label("Attended", exact=True))
    press(device, record.get_by_role("button", name="Record session"))
    expect(page).to_have_url(app.url(f"/clients/{maya_id}/brief/"))
    expect(main).to_contain_text("Session recorded")
    expect(main.locator(".brief-window")).to_contain_text("Last session")
    checks.check(page, "brief-2-recorded")

    press(device, main.get_by_role("link", name="Printable report"))
    expect(page).to_have_url(re.compile(rf"/clients/{maya_id}/report/$"))
    expect(main.get_by_role("heading", name="Progress summary")).to_be_visible()
    press(device, main.get_by_role("link", name="Last 4 weeks"))
    expect(page).to_have_url(re.compile(r"/report/\?preset=4w$"))
    print_button = main.get_by_role("button", name="Print or save as PDF")
    expect(print_button).to_be_visible()
    checks.check(page, "brief-3-report")

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(print_button).to_be_hidden()
    expect(main.locator("form")).to_have_count(1)  # the period form, hidden on paper
    expect(main.locator("form.report-period")).to_be_hidden()
    expect(main.get_by_role("heading", name="Risk flags")).to_be_visible()
    page.screenshot(path=artifacts / "screenshots" / "desktop-brief-4-print.png", full_page=True)
    pdf_path = artifacts / "session-report.pdf"
    page.pdf(path=str(pdf_path), format="A4", print_background=True)
    data = pdf_path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5_000
    page.emulate_media(media="screen")

    checks.assert_clean()


@pytest.mark.parametrize("device", [DEVICES["phone"]], ids=["phone"])
def test_a_client_adds_what_she_wants_to_talk_about_on_her_phone(app, new_page, device, checks):
    from playwright.sync_api import expect

    page = new_page()
    sign_in_client(page, app, device, "maya@demo.test")
    page.goto(app.url("/home/talk-about/"))
    main = page.locator("main")
    expect(main).to_contain_text("Your care team will see what you add here")
    checks.check(page, "topics-1-page")
    field = main.get_by_label("What I want to talk about next session")
    field.fill("Browser test: the phone call with my dad")
    press(device, main.get_by_role("button", name="Add"))
    expect(page).to_have_url(app.url("/home/talk-about/"))
    expect(main).to_contain_text("Added. Your care team will see it.")
    expect(main.locator(".topic-list")).to_contain_text("the phone call with my dad")
    checks.check(page, "topics-2-added")
    checks.assert_clean()
