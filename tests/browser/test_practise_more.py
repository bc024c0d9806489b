"""More of the Practise area in a real browser: reminder settings, guided-imagery and role-play
scripts, a couple's co-regulation session with private notes, and the clinician's reflections and
toolkit page, on the demo data (Maya treated by Alex; the couple Jordan and Casey).

Clients are on a phone, the clinician on a desktop. Every page goes through PageChecks (axe,
sideways scrolling on the phone, console and CSP errors). A refused form answers 400 by design:
each such answer is asserted, once, and only then taken out of the console errors.
"""

import re
from pathlib import Path

import pytest

from tests.browser.support import (
    DEVICES,
    PageChecks,
    clinician_page,
    press,
    sign_in_client,
)

pytestmark = pytest.mark.browser

PHONE, DESKTOP = DEVICES["phone"], DEVICES["desktop"]
CLINICIAN, CLIENT = "alex@demo.test", "maya@demo.test"
JORDAN, CASEY = "jordan@demo.test", "casey@demo.test"
SCRIPTS = Path(__file__).resolve().parents[2] / "securebase" / "practise" / "scripts"

IMAGERY_NOTE = "Browser test: the kitchen at my gran's, with the radio on"
ROLEPLAY_NOTE = "Browser test: I said it out loud to the mirror twice"
JORDAN_NOTE = "Browser test: I wanted to fix it straight away, and waited instead"
CASEY_DEMO_NOTE = "I wanted to leave the room at first, then it got easier."
ATTEMPT_REFLECTION = "Browser test: you waited for the reply. Notice how long the urge lasted."
JOURNAL_REFLECTION = (
    "Browser test: harder than expected and you still did it. Let us talk about it."
)


def _headings_of(slug: str) -> list[str]:
    """The step headings of a script, from its English source (one ``##`` per step)."""
    text = (SCRIPTS / f"{slug}.en.md").read_text(encoding="utf-8")
    return [line[3:].strip() for line in text.splitlines() if line.startswith("## ")]


def _title_of(slug: str) -> str:
    text = (SCRIPTS / f"{slug}.en.md").read_text(encoding="utf-8")
    return next(line[2:].strip() for line in text.splitlines() if line.startswith("# "))


def _take_refusal(checks, app, path: str, status: int = 400) -> None:
    """The app answered ``status`` to a form it refused, on purpose: assert that happened exactly
    once, then drop it from the console errors (the harness counts every 4xx as a problem)."""
    wanted = f"POST {app.url(path)} answered {status}"
    found = [e for e in checks.console_errors if e.endswith(wanted)]
    assert len(found) == 1, checks.console_errors
    checks.console_errors.remove(found[0])


def _client_id(page) -> str:
    match = re.search(r"/clients/([0-9a-f-]{36})/", page.url)
    assert match, page.url
    return match.group(1)


def _open_client(alex, app, name: str) -> str:
    """From the caseload to the client's record, as the clinician would; answers its id."""
    from playwright.sync_api import expect

    alex.goto(app.url("/caseload/"))
    press(DESKTOP, alex.locator("main").get_by_role("link", name=name, exact=True))
    expect(alex).to_have_url(re.compile(r"/clients/[0-9a-f-]{36}/$"))
    return _client_id(alex)


def _unseen_reflections(page) -> int:
    """The badge beside "Notes from your clinician" on the client's home (none means 0)."""
    item = page.locator("main li").filter(
        has=page.get_by_role("link", name="Notes from your clinician", exact=True)
    )
    badge = item.locator(".badge")
    return int(badge.inner_text()) if badge.count() else 0


# --- 1. reminders --------------------------------------------------------------------------------


@pytest.mark.parametrize("device", [PHONE], ids=["phone"])
def test_a_client_changes_her_reminders_and_a_bad_value_is_explained_beside_the_field(
    app, new_page, device, checks
):
    from playwright.sync_api import expect

    maya = new_page()
    sign_in_client(maya, app, device, CLIENT)
    press(device, maya.locator("main").get_by_role("link", name="Reminders", exact=True))
    expect(maya).to_have_url(app.url("/home/reminders/"))
    expect(maya.get_by_role("heading", level=1)).to_have_text("Reminders")
    checks.check(maya, "more-1-reminders")

    main = maya.locator("main")
    by_email = main.get_by_label("Send me reminders by email")
    at_time = main.get_by_label("Time of day for reminders")
    quiet_from = main.get_by_label("Quiet hours from")
    quiet_until = main.get_by_label("Quiet hours until")
    email_was_on = by_email.is_checked()
    press(device, by_email)
    at_time.fill("19:30")
    quiet_from.fill("22:15")
    quiet_until.fill("07:45")
    press(device, main.get_by_role("button", name="Save"))
    expect(maya).to_have_url(app.url("/home/reminders/"))
    expect(main).to_contain_text("Your reminder settings are saved.")

    # Kept after a reload, read back from the server.
    maya.reload()
    expect(by_email).to_be_checked(checked=not email_was_on)
    expect(at_time).to_have_value("19:30")
    expect(quiet_from).to_have_value("22:15")
    expect(quiet_until).to_have_value("07:45")
    checks.check(maya, "more-2-reminders-saved")

    # Quiet hours that start and end at the same time: refused, explained beside the field,
    # and everything she typed is still there.
    press(device, by_email)
    at_time.fill("18:45")
    quiet_from.fill("21:00")
    quiet_until.fill("21:00")
    press(device, main.get_by_role("button", name="Save"))
    field = main.locator(".field.has-error")
    expect(field).to_have_count(1)
    expect(field.get_by_label("Quiet hours until")).to_be_visible()
    expect(field.locator(".error")).to_have_text(
        "Quiet hours start and end at the same time. Choose two different times."
    )
    expect(quiet_until).to_have_attribute("aria-invalid", "true")
    expect(main.locator(".form-errors")).to_contain_text("Everything you typed is still here.")
    expect(by_email).to_be_checked(checked=email_was_on)
    expect(at_time).to_have_value("18:45")
    expect(quiet_from).to_have_value("21:00")
    expect(quiet_until).to_have_value("21:00")
    expect(main).not_to_contain_text("Your reminder settings are saved.")
    checks.check(maya, "more-3-reminders-refused")
    _take_refusal(checks, app, "/home/reminders/")

    # A reminder time inside the quiet hours could never be sent: refused at that field.
    quiet_until.fill("06:30")
    at_time.fill("23:00")
    press(device, main.get_by_role("button", name="Save"))
    field = main.locator(".field.has-error")
    expect(field).to_have_count(1)
    expect(field.get_by_label("Time of day for reminders")).to_be_visible()
    expect(field.locator(".error")).to_contain_text("This time falls within your quiet hours")
    expect(at_time).to_have_value("23:00")
    expect(quiet_until).to_have_value("06:30")
    _take_refusal(checks, app, "/home/reminders/")

    # Corrected: saved, and the refused values never replaced the saved ones in between.
    at_time.fill("18:45")
    press(device, main.get_by_role("button", name="Save"))
    expect(main).to_contain_text("Your reminder settings are saved.")
    expect(main.locator(".field.has-error")).to_have_count(0)
    maya.reload()
    expect(by_email).to_be_checked(checked=email_was_on)
    expect(at_time).to_have_value("18:45")
    expect(quiet_from).to_have_value("21:00")
    expect(quiet_until).to_have_value("06:30")
    checks.check(maya, "more-4-reminders-corrected")

    press(device, main.get_by_role("link", name="Back to homework"))
    expect(maya).to_have_url(app.url("/home/homework/"))
    checks.assert_clean()


# --- 2. scripts, and what the clinician sees of them ---------------------------------------------


def _read_script(page, device, checks, slug: str, label: str) -> list[str]:
    """From the script's first screen to its log form, one step per screen: the headings seen."""
    from playwright.sync_api import expect

    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(_title_of(slug))
    expect(main).to_contain_text(re.compile(r"About \d+ minutes? to read\."))
    checks.check(page, f"{label}-start")
    press(device, main.get_by_role("link", name="Begin"))
    expected = _headings_of(slug)
    seen = []
    for number, heading in enumerate(expected, start=1):
        expect(page).to_have_url(re.compile(rf"\?step={number}$"))
        expect(main).to_contain_text(f"Step {number} of {len(expected)}")
        expect(main.get_by_role("heading", level=2)).to_have_text(heading)
        seen.append(main.get_by_role("heading", level=2).inner_text())
        if number == 1:
            checks.check(page, f"{label}-step-1")
        press(device, main.get_by_role("link", name="Next"))
    expect(main.get_by_role("heading", level=2)).to_have_text(
        "Well done for practising. Log it (optional)"
    )
    return seen


@pytest.mark.parametrize("device", [PHONE], ids=["phone"])
def test_a_client_reads_an_imagery_and_a_role_play_script_and_the_clinician_sees_what_she_shared(
    app, new_page, device, checks, artifacts, clinician_sessions
):
    from playwright.sync_api import expect

    desk = PageChecks(DESKTOP, artifacts)
    maya = new_page()
    sign_in_client(maya, app, device, CLIENT)
    press(device, maya.locator("main").get_by_role("link", name="Toolkit", exact=True))
    expect(maya).to_have_url(app.url("/home/toolkit/"))
    press(
        device,
        maya.locator("main").get_by_role("link", name="Guided imagery and role-play scripts"),
    )
    expect(maya).to_have_url(app.url("/home/toolkit/scripts/"))
    main = maya.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Imagery and role-play")
    for slug in ("safe-place", "secure-base-figure", "asking-for-reassurance", "saying-no-kindly"):
        expect(main.get_by_role("link", name=_title_of(slug), exact=True)).to_be_visible()
    checks.check(maya, "more-5-scripts")

    # Guided imagery, read to the end and logged as shared.
    press(device, main.get_by_role("link", name=_title_of("safe-place"), exact=True))
    expect(maya).to_have_url(app.url("/home/toolkit/scripts/safe-place/"))
    assert _read_script(maya, device, checks, "safe-place", "more-6-imagery") == _headings_of(
        "safe-place"
    )
    main.get_by_label("How strong was the feeling before? (0–10)").select_option("6")
    main.get_by_label("And now? (0–10)").select_option("3")
    main.get_by_label("Anything you noticed").fill(IMAGERY_NOTE)
    share = main.get_by_label("Share with my care team")
    if not share.is_checked():
        press(device, share)
    checks.check(maya, "more-7-imagery-log")
    press(device, main.get_by_role("button", name="Save"))
    expect(maya).to_have_url(app.url("/home/toolkit/scripts/"))
    expect(main).to_contain_text("Logged. Thank you for practising.")

    # Role-play: Back returns to the step before; logged and kept private.
    slug = "asking-for-reassurance"
    headings = _headings_of(slug)
    press(device, main.get_by_role("link", name=_title_of(slug), exact=True))
    expect(maya).to_have_url(app.url(f"/home/toolkit/scripts/{slug}/"))
    expect(main).to_contain_text("ask sideways")
    press(device, main.get_by_role("link", name="Begin"))
    press(device, main.get_by_role("link", name="Next"))
    expect(main.get_by_role("heading", level=2)).to_have_text(headings[1])
    expect(main).to_contain_text(f"Step 2 of {len(headings)}")
    press(device, main.get_by_role("link", name="Back"))
    expect(main.get_by_role("heading", level=2)).to_have_text(headings[0])
    expect(main).to_contain_text(f"Step 1 of {len(headings)}")
    press(device, main.get_by_role("link", name="Back"))
    expect(main.get_by_role("link", name="Begin")).to_be_visible()
    assert _read_script(maya, device, checks, slug, "more-8-roleplay") == headings
    main.get_by_label("How strong was the feeling before? (0–10)").select_option("5")
    main.get_by_label("And now? (0–10)").select_option("4")
    main.get_by_label("Anything you noticed").fill(ROLEPLAY_NOTE)
    share = main.get_by_label("Share with my care team")
    if share.is_checked():
        press(device, share)
    press(device, main.get_by_role("button", name="Save"))
    expect(maya).to_have_url(app.url("/home/toolkit/scripts/"))
    expect(main).to_contain_text("Logged. Thank you for practising.")
    checks.check(maya, "more-9-scripts-logged")

    # Alex opens Maya's toolkit from her record: the shared imagery, never the private role-play.
    alex = clinician_page(app, new_page, clinician_sessions, CLINICIAN, on=DESKTOP)
    maya_id = _open_client(alex, app, "Maya")
    press(DESKTOP, alex.locator("main").get_by_role("link", name="Toolkit", exact=True))
    expect(alex).to_have_url(app.url(f"/clients/{maya_id}/toolkit/"))
    main = alex.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Toolkit shared by Maya")
    helped = main.locator("table.what-helped")
    imagery = helped.locator("tr").filter(has=alex.get_by_role("rowheader", name="Guided imagery"))
    expect(imagery.locator("td")).to_have_text(["1", "1", "3.0/10"])
    expect(helped.get_by_role("rowheader", name="Paced breathing")).to_be_visible()
    expect(helped.get_by_role("rowheader", name="Role-play rehearsal")).to_have_count(0)
    uses = main.locator("ul.tool-uses")
    expect(uses.locator("li").filter(has_text=IMAGERY_NOTE)).to_contain_text("Guided imagery")
    expect(uses.locator("li").filter(has_text=IMAGERY_NOTE)).to_contain_text("intensity 6 → 3/10")
    expect(main).not_to_contain_text(ROLEPLAY_NOTE)
    expect(main).not_to_contain_text("Role-play rehearsal")
    expect(main.locator("article.reframe")).to_contain_text(
        "A friend cancelled our dinner an hour before"
    )
    expect(main.locator("article.request")).to_contain_text(
        "Can we talk about weekend plans together on Thursday evenings?"
    )
    desk.check(alex, "more-1-client-toolkit")
    press(DESKTOP, main.get_by_role("link", name="Back to the record"))
    expect(alex).to_have_url(app.url(f"/clients/{maya_id}/"))

    desk.assert_clean()
    checks.assert_clean()


# --- 3. co-regulation for the couple -------------------------------------------------------------


@pytest.mark.parametrize("device", [PHONE], ids=["phone"])
def test_partners_share_a_co_regulation_session_but_never_each_others_private_notes(
    app, new_page, device, checks, artifacts, clinician_sessions
):
    from playwright.sync_api import expect

    title = _title_of("hand-on-heart")
    jordan = new_page()
    sign_in_client(jordan, app, device, JORDAN)
    press(device, jordan.locator("main").get_by_role("link", name="Toolkit", exact=True))
    press(
        device, jordan.locator("main").get_by_role("link", name="Co-regulation with your partner")
    )
    expect(jordan).to_have_url(app.url("/home/toolkit/together/"))
    main = jordan.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Together: co-regulation")
    expect(main.get_by_role("button", name="Start together")).to_have_count(2)
    checks.check(jordan, "more-10-together")

    # The demo's session, started four days ago.
    press(device, main.get_by_role("link", name=title, exact=True))
    expect(jordan).to_have_url(re.compile(r"/home/toolkit/together/sessions/[0-9a-f-]{36}/$"))
    session_path = jordan.url.removeprefix(app.base_url)
    expect(main.get_by_role("heading", level=1)).to_have_text(title)
    for heading in _headings_of("hand-on-heart"):
        expect(main.get_by_role("heading", level=2, name=heading, exact=True)).to_be_visible()
    expect(main).to_contain_text("Started together on")
    checks.check(jordan, "more-11-session")

    main.get_by_label("How strong was the feeling before? (0–10)").select_option("7")
    main.get_by_label("And now? (0–10)").select_option("3")
    main.get_by_label("My private notes").fill(JORDAN_NOTE)
    share = main.get_by_label("Share with my care team")
    if share.is_checked():
        press(device, share)
    press(device, main.get_by_role("button", name="Save"))
    expect(jordan).to_have_url(app.url(session_path))
    expect(main).to_contain_text("Your private notes are saved.")
    jordan.reload()
    expect(main.get_by_label("My private notes")).to_have_value(JORDAN_NOTE)
    expect(main.get_by_label("How strong was the feeling before? (0–10)")).to_have_value("7")
    expect(main.get_by_label("And now? (0–10)")).to_have_value("3")
    expect(main.get_by_label("Share with my care team")).not_to_be_checked()
    checks.check(jordan, "more-12-session-note-saved")

    # Casey, on her own phone: the same session, her own note, nothing of Jordan's.
    casey = new_page()
    sign_in_client(casey, app, device, CASEY)
    casey.goto(app.url("/home/toolkit/together/"))
    main = casey.locator("main")
    press(device, main.get_by_role("link", name=title, exact=True))
    expect(casey).to_have_url(app.url(session_path))
    expect(main.get_by_role("heading", level=1)).to_have_text(title)
    expect(main.get_by_role("heading", level=2, name="Breathe together")).to_be_visible()
    expect(main.get_by_label("My private notes")).to_have_value(CASEY_DEMO_NOTE)
    assert JORDAN_NOTE not in casey.content()
    checks.check(casey, "more-13-session-partner")

    # The care team sees that the session happened, and no note that was not shared.
    desk = PageChecks(DESKTOP, artifacts)
    alex = clinician_page(app, new_page, clinician_sessions, CLINICIAN, on=DESKTOP)
    jordan_id = _open_client(alex, app, "Jordan")
    press(DESKTOP, alex.locator("main").get_by_role("link", name="Together (couple)"))
    expect(alex).to_have_url(app.url(f"/clients/{jordan_id}/together/"))
    session = alex.locator("main section.card").filter(has_text=title)
    expect(session).to_have_count(1)
    expect(session).to_contain_text("No shared notes.")
    assert JORDAN_NOTE not in alex.content()
    assert CASEY_DEMO_NOTE not in alex.content()
    desk.check(alex, "more-2-client-together")

    desk.assert_clean()
    checks.assert_clean()


# --- 4. reflections ------------------------------------------------------------------------------


@pytest.mark.parametrize("device", [PHONE], ids=["phone"])
def test_the_clinician_reflects_on_a_shared_attempt_and_journal_entry_and_the_client_reads_them(
    app, new_page, device, checks, artifacts, clinician_sessions
):
    from playwright.sync_api import expect

    desk = PageChecks(DESKTOP, artifacts)
    maya = new_page()
    sign_in_client(maya, app, device, CLIENT)
    # Whatever the care team wrote before on her ladder and journal, she has read it by now.
    maya.goto(app.url("/home/journal/"))
    maya.goto(app.url("/home/ladders/"))
    press(device, maya.locator("main").get_by_role("link", name="Letting people close"))
    expect(maya.get_by_role("heading", level=1)).to_have_text("Letting people close")
    maya.goto(app.url("/home/"))
    unseen_before = _unseen_reflections(maya)

    # Alex, on the demo ladder: a reflection on the first shared attempt of step 1.
    alex = clinician_page(app, new_page, clinician_sessions, CLINICIAN, on=DESKTOP)
    maya_id = _open_client(alex, app, "Maya")
    press(DESKTOP, alex.locator("main").get_by_role("link", name="Ladders", exact=True))
    expect(alex).to_have_url(app.url(f"/clients/{maya_id}/ladders/"))
    press(DESKTOP, alex.locator("main").get_by_role("link", name="Letting people close"))
    expect(alex).to_have_url(re.compile(rf"/clients/{maya_id}/ladders/[0-9a-f-]{{36}}/$"))
    ladder_path = alex.url.removeprefix(app.base_url)
    desk.check(alex, "more-3-client-ladder")
    step = alex.locator("main section.ladder-step").first
    attempt = step.locator(".ladder-attempts > li").first
    attempt_id = attempt.get_attribute("id")
    attempt.get_by_label("Leave a short reflection").fill(ATTEMPT_REFLECTION)
    press(DESKTOP, attempt.get_by_role("button", name="Send reflection"))
    expect(alex).to_have_url(app.url(f"{ladder_path}#{attempt_id}"))
    main = alex.locator("main")
    expect(main).to_contain_text("Reflection left. The client sees it with the entry.")
    expect(alex.locator(f"#{attempt_id} .reflections")).to_contain_text(ATTEMPT_REFLECTION)
    expect(alex.locator(f"#{attempt_id} .reflections")).to_contain_text("Alex Morgan")

    # ... and on her shared journal entry.
    alex.goto(app.url(f"/clients/{maya_id}/"))
    press(DESKTOP, alex.locator("main").get_by_role("link", name="Journal", exact=True))
    expect(alex).to_have_url(app.url(f"/clients/{maya_id}/journal/"))
    entry = alex.locator("main article.journal-entry").filter(
        has_text="Harder than I expected, but nothing bad happened."
    )
    expect(entry).to_have_count(1)
    desk.check(alex, "more-4-client-journal")
    entry_id = entry.get_attribute("id")
    # An empty reflection is refused with a message, and nothing is saved.
    press(DESKTOP, entry.get_by_role("button", name="Send reflection"))
    expect(alex.locator("main")).to_contain_text("Write a few words first.")
    expect(alex.locator(f"#{entry_id} .reflections")).to_have_count(0)
    alex.locator(f"#{entry_id}").get_by_label("Leave a short reflection").fill(JOURNAL_REFLECTION)
    press(DESKTOP, alex.locator(f"#{entry_id}").get_by_role("button", name="Send reflection"))
    expect(alex).to_have_url(app.url(f"/clients/{maya_id}/journal/#{entry_id}"))
    expect(alex.locator("main")).to_contain_text(
        "Reflection left. The client sees it with the entry."
    )
    expect(alex.locator(f"#{entry_id} .reflections")).to_contain_text(JOURNAL_REFLECTION)
    desk.check(alex, "more-5-client-journal-reflected")

    # Maya: two new notes on her home, both readable, and each with its entry.
    maya.reload()
    assert _unseen_reflections(maya) == unseen_before + 2
    checks.check(maya, "more-14-home-with-reflections")
    press(
        device,
        maya.locator("main").get_by_role("link", name="Notes from your clinician", exact=True),
    )
    expect(maya).to_have_url(app.url("/home/reflections/"))
    main = maya.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Reflections from your care team")
    newest = main.locator("article.reflection")
    expect(newest.nth(0)).to_contain_text(JOURNAL_REFLECTION)
    expect(newest.nth(1)).to_contain_text(ATTEMPT_REFLECTION)
    expect(newest.nth(0)).to_have_class(re.compile(r"\bunseen\b"))
    checks.check(maya, "more-15-reflections")

    press(device, newest.nth(0).get_by_role("link", name="Open the entry"))
    expect(maya).to_have_url(app.url(f"/home/journal/#{entry_id}"))
    mine = maya.locator(f"main #{entry_id}")
    expect(mine).to_be_in_viewport()
    expect(mine.locator(".reflections")).to_contain_text(JOURNAL_REFLECTION)
    expect(mine).to_contain_text("New reflection from your care team")
    checks.check(maya, "more-16-journal")

    maya.go_back()
    press(device, newest.nth(1).get_by_role("link", name="Open the entry"))
    ladder_id = ladder_path.rstrip("/").rsplit("/", 1)[-1]
    expect(maya).to_have_url(app.url(f"/home/ladders/{ladder_id}/#{attempt_id}"))
    mine = maya.locator(f"main #{attempt_id}")
    expect(mine).to_be_in_viewport()
    expect(mine.locator(".reflections")).to_contain_text(ATTEMPT_REFLECTION)
    expect(mine).to_contain_text("New reflection from your care team")
    expect(mine.get_by_label("Leave a short reflection")).to_have_count(0)
    checks.check(maya, "more-17-ladder")

    # Seen now: the home's count is back to what it was.
    maya.goto(app.url("/home/"))
    assert _unseen_reflections(maya) == unseen_before
    maya.goto(app.url("/home/journal/"))
    expect(maya.locator(f"main #{entry_id}")).not_to_contain_text(
        "New reflection from your care team"
    )

    desk.assert_clean()
    checks.assert_clean()
