"""Journeys of the Understand area: the history map written together, the relationship map and the
reading library.

Alex (clinician, desktop) and Maya (client, phone) edit Maya's history map at the same time: the
second save is refused, the other person's version is shown beside the form that still holds what
she typed, and saving again from the new version succeeds; the version history keeps both saves.
Then both walk the relationship map and the reading pages (a page sent with a note, opened by the
client, seen as read by the clinician), and the history map prints without navigation or forms.
"""

import re

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
CLINICIAN_NAME, CLIENT_NAME, CLIENT_SHORT = "Alex Morgan", "Maya Okafor", "Maya"

ALEX_STORY = "Browser test (Alex): closeness came with uncertainty, and watching made sense then."
MAYA_STORY = "Browser test (Maya): I learned to watch for distance; it kept me safe as a child."
EVENT = "Moved cities; left grandmother behind"  # from the demo history map
ALEX_DESCRIPTION = "Browser test (Alex): the move happened over one summer, with little warning."
MAYA_WORDS = "Browser test (Maya): Gran's kitchen was the safe place."

SHARED_PEOPLE = ["Sol", "Ifeoma", "Dara", "Kit"]  # the demo relationship map, all shared
PAGE_TITLE = "Triggers and everyday friction: telling them apart"
PAGE_SLUG = "triggers-and-friction"
NOTE = "Browser test: we talked about the two blue ticks; this page is about that."


def _open_client_record(page, app) -> str:
    """From the caseload to Maya's record; returns her client id."""
    from playwright.sync_api import expect

    page.goto(app.url("/caseload/"))
    press(DESKTOP, page.locator("main").get_by_role("link", name=CLIENT_SHORT, exact=True))
    expect(page).to_have_url(re.compile(re.escape(app.url("/clients/")) + r"[0-9a-f-]{36}/$"))
    return page.url.rstrip("/").rsplit("/", 1)[-1]


@pytest.mark.parametrize("device", [PHONE], ids=["phone"])
def test_clinician_and_client_edit_the_history_map_at_the_same_time(
    app, new_page, device, checks, artifacts, clinician_sessions
):
    from playwright.sync_api import expect

    desk = PageChecks(DESKTOP, artifacts)

    # --- Both open the map: Alex from Maya's record, Maya from her home page. ---
    alex = clinician_page(app, new_page, clinician_sessions, CLINICIAN, on=DESKTOP)
    maya_id = _open_client_record(alex, app)
    press(DESKTOP, alex.locator("main").get_by_role("link", name="History map", exact=True))
    alex_map = app.url(f"/clients/{maya_id}/history/")
    expect(alex).to_have_url(alex_map)
    expect(alex.get_by_role("heading", level=1)).to_have_text(f"History map of {CLIENT_SHORT}")
    expect(alex.locator("main .timeline-event").filter(has_text=EVENT)).to_have_count(1)
    desk.check(alex, "history-1-map")

    maya = new_page()
    sign_in_client(maya, app, device, CLIENT)
    press(device, maya.locator("main").get_by_role("link", name="Your history map"))
    expect(maya).to_have_url(app.url("/home/history/"))
    expect(maya.get_by_role("heading", level=1)).to_have_text("Your history map")
    checks.check(maya, "history-1-map")

    # --- The story: both open the form, Alex saves first. ---
    press(DESKTOP, alex.locator("main").get_by_role("link", name="Edit the story"))
    press(device, maya.locator("main").get_by_role("link", name="Edit the story"))
    expect(alex).to_have_url(alex_map + "edit/")
    expect(maya).to_have_url(app.url("/home/history/edit/"))
    checks.check(maya, "history-2-story-form")

    alex.locator("main").get_by_label("Our story so far").fill(ALEX_STORY)
    press(DESKTOP, alex.locator("main").get_by_role("button", name="Save the story"))
    expect(alex).to_have_url(alex_map)
    expect(alex.locator("main .messages")).to_contain_text("The story is saved.")
    expect(alex.locator("main .narrative")).to_have_text(ALEX_STORY)

    # Maya, still on the form she opened before Alex saved, saves her own words: refused.
    story = maya.locator("main").get_by_label("Our story so far")
    story.fill(MAYA_STORY)
    press(device, maya.locator("main").get_by_role("button", name="Save the story"))
    main = maya.locator("main")
    expect(main.locator(".form-errors")).to_contain_text(
        "Someone else saved the history map while you were editing. Nothing was overwritten"
    )
    theirs = main.locator("section.stale-version")
    expect(theirs.get_by_role("heading", name="The version saved by someone else")).to_be_visible()
    expect(theirs).to_contain_text(f"by {CLINICIAN_NAME}")
    expect(theirs.locator(".narrative")).to_have_text(ALEX_STORY)
    expect(main.get_by_role("heading", name="Your version")).to_be_visible()
    expect(story).to_have_value(MAYA_STORY)  # what she typed is still in the form
    checks.check(maya, "history-3-story-refused")

    # She has compared; saving again, now from Alex's version, succeeds.
    press(device, main.get_by_role("button", name="Save the story"))
    expect(maya).to_have_url(app.url("/home/history/"))
    expect(maya.locator("main .messages")).to_contain_text("The story is saved.")
    expect(maya.locator("main .narrative")).to_have_text(MAYA_STORY)

    # Nothing lost: the map shows Maya's story, the version history keeps Alex's save too.
    alex.goto(alex_map)
    expect(alex.locator("main .narrative")).to_have_text(MAYA_STORY)
    press(DESKTOP, alex.locator("main").get_by_role("link", name="Version history"))
    expect(alex).to_have_url(alex_map + "versions/")
    rows = alex.locator("main table.versions tbody tr")
    newest, before = rows.nth(0), rows.nth(1)
    expect(newest.locator("td").nth(2)).to_have_text(CLIENT_NAME)
    expect(newest).to_contain_text("current")
    expect(before.locator("td").nth(2)).to_have_text(CLINICIAN_NAME)
    desk.check(alex, "history-4-versions")
    alex_version = before.get_by_role("link").inner_text()  # "Version N"
    press(DESKTOP, before.get_by_role("link"))
    expect(alex.get_by_role("heading", level=1)).to_have_text(
        f"History map, {alex_version.lower()}"
    )
    expect(alex.locator("main .narrative")).to_have_text(ALEX_STORY)
    expect(alex.locator("main .notice")).to_contain_text("This is an earlier version")
    desk.check(alex, "history-5-old-version")

    # --- One timeline event, the same race: Alex edits the description, Maya her own words. ---
    edit_event = re.compile(r"^Edit: " + re.escape(EVENT))
    alex.goto(alex_map)
    press(DESKTOP, alex.locator("main").get_by_role("link", name=edit_event))
    maya.goto(app.url("/home/history/"))
    press(device, maya.locator("main").get_by_role("link", name=edit_event))
    expect(alex.get_by_role("heading", level=1)).to_have_text("Edit an event")
    expect(maya.get_by_role("heading", level=1)).to_have_text("Edit an event")
    old_description = maya.locator("main").get_by_label("What happened, and how it was")
    old_description = old_description.input_value()

    alex.locator("main").get_by_label("What happened, and how it was").fill(ALEX_DESCRIPTION)
    press(DESKTOP, alex.locator("main").get_by_role("button", name="Save the event"))
    expect(alex).to_have_url(alex_map)
    expect(alex.locator("main .messages")).to_contain_text("The timeline is saved.")

    main = maya.locator("main")
    words = main.get_by_label("Your own words for this person or time")
    words.fill(MAYA_WORDS)
    press(device, main.get_by_role("button", name="Save the event"))
    expect(main.locator(".form-errors")).to_contain_text("Someone else saved the history map")
    theirs = main.locator("section.stale-version")
    expect(theirs.get_by_role("heading", name="This event now")).to_be_visible()
    expect(theirs).to_contain_text(ALEX_DESCRIPTION)
    expect(theirs).to_contain_text(f"by {CLINICIAN_NAME}")
    expect(words).to_have_value(MAYA_WORDS)
    description = main.get_by_label("What happened, and how it was")
    expect(description).to_have_value(old_description)  # her form, as she had it
    checks.check(maya, "history-6-event-refused")

    # She keeps Alex's description and her own words, and saves from the new version.
    description.fill(ALEX_DESCRIPTION)
    press(device, main.get_by_role("button", name="Save the event"))
    expect(maya).to_have_url(app.url("/home/history/"))
    expect(maya.locator("main .messages")).to_contain_text("The timeline is saved.")
    alex.goto(alex_map)
    event = alex.locator("main .timeline-event").filter(has_text=EVENT)
    expect(event).to_contain_text(ALEX_DESCRIPTION)
    expect(event.locator(".own-words")).to_contain_text(MAYA_WORDS)
    alex.goto(alex_map + "versions/")
    expect(rows.nth(0).locator("td").nth(2)).to_have_text(CLIENT_NAME)  # Maya's event save
    expect(rows.nth(1).locator("td").nth(2)).to_have_text(CLINICIAN_NAME)  # Alex's event save

    desk.assert_clean()
    checks.assert_clean()


@pytest.mark.parametrize("device", [PHONE], ids=["phone"])
def test_relationship_map_and_a_page_sent_with_a_note(
    app, new_page, device, checks, artifacts, clinician_sessions
):
    from playwright.sync_api import expect

    desk = PageChecks(DESKTOP, artifacts)

    # --- The clinician: the shared circle, then sends a page with a note. ---
    alex = clinician_page(app, new_page, clinician_sessions, CLINICIAN, on=DESKTOP)
    maya_id = _open_client_record(alex, app)
    press(DESKTOP, alex.locator("main").get_by_role("link", name="Relationship map", exact=True))
    expect(alex).to_have_url(app.url(f"/clients/{maya_id}/people/"))
    _expect_people_map(alex, expect)
    desk.check(alex, "people-1-clinician")

    alex.goto(app.url(f"/clients/{maya_id}/"))
    press(DESKTOP, alex.locator("main").get_by_role("link", name="Reading", exact=True))
    reading_url = app.url(f"/clients/{maya_id}/learn/")
    expect(alex).to_have_url(reading_url)
    desk.check(alex, "learn-1-clinician")
    send = alex.locator("main section[aria-labelledby='send-heading']")
    send.get_by_label(PAGE_TITLE).check()
    send.get_by_label("A note for the client").fill(NOTE)
    press(DESKTOP, send.get_by_role("button", name="Send page"))
    expect(alex).to_have_url(reading_url)
    expect(alex.locator("main .messages")).to_contain_text(
        f"Page sent. {CLIENT_SHORT} will find it under Reading."
    )
    sent_row = alex.locator("main section.learn-sent tbody tr").filter(has_text=PAGE_TITLE)
    expect(sent_row).to_have_count(1)
    expect(sent_row).to_contain_text(NOTE)
    expect(sent_row.locator("td").nth(3)).to_have_text("Not opened yet")

    # The clinician's preview of the page, as Maya will see it.
    alex.locator("main").get_by_role("link", name=PAGE_TITLE).click()
    expect(alex).to_have_url(reading_url + f"{PAGE_SLUG}/")
    expect(alex.get_by_role("heading", level=1)).to_have_text(PAGE_TITLE)
    desk.check(alex, "learn-2-clinician-preview")

    # --- The client, on a phone: her circle, then the page from her clinician. ---
    maya = new_page()
    sign_in_client(maya, app, device, CLIENT)
    press(device, maya.locator("main").get_by_role("link", name="Your relationship map"))
    expect(maya).to_have_url(app.url("/home/people/"))
    _expect_people_map(maya, expect)
    # Its phone checks (axe, overflow) are test_the_relationship_map_fits_a_phone's, below.

    maya.goto(app.url("/home/"))
    press(device, maya.locator("main").get_by_role("link", name="Reading", exact=True))
    expect(maya).to_have_url(app.url("/learn/"))
    from_clinician = maya.locator("main section[aria-labelledby='sent-heading']")
    expect(from_clinician.get_by_role("heading", level=2)).to_have_text("From your clinician")
    item = from_clinician.locator(".learn-item").filter(has_text=PAGE_TITLE)
    expect(item).to_have_count(1)
    expect(item.locator(".badge")).to_have_text("New")
    expect(item.locator(".learn-note")).to_have_text(NOTE)
    expect(item).to_contain_text(CLINICIAN_NAME)
    # Not offered twice: the page is no longer under "More to read".
    more = maya.locator("main section[aria-labelledby='library-heading']")
    expect(more.get_by_role("heading", level=2)).to_have_text("More to read")
    expect(more.get_by_role("link", name=PAGE_TITLE)).to_have_count(0)
    checks.check(maya, "learn-1-library")

    press(device, item.get_by_role("link", name=PAGE_TITLE))
    expect(maya).to_have_url(app.url(f"/learn/{PAGE_SLUG}/"))
    expect(maya.get_by_role("heading", level=1)).to_have_text(PAGE_TITLE)
    note = maya.get_by_role("complementary", name="A note from your clinician")
    expect(note).to_contain_text(NOTE)
    expect(note).to_contain_text(f"From {CLINICIAN_NAME}")
    checks.check(maya, "learn-2-page")

    maya.goto(app.url("/learn/"))
    expect(
        maya.locator("main .learn-item").filter(has_text=PAGE_TITLE).locator(".badge")
    ).to_have_count(0)

    # --- The clinician sees it opened. ---
    alex.goto(reading_url)
    sent_row = alex.locator("main section.learn-sent tbody tr").filter(has_text=PAGE_TITLE)
    expect(sent_row.locator("td").nth(3)).not_to_have_text("Not opened yet")
    expect(sent_row.locator("td").nth(3)).not_to_be_empty()
    desk.check(alex, "learn-3-clinician-read")

    desk.assert_clean()
    checks.assert_clean()


def _expect_people_map(page, expect) -> None:
    """The circles (an accessible SVG) and the table alternative list the same shared people."""
    main = page.locator("main")
    svg = main.locator("svg.people-map-svg")
    expect(svg).to_have_attribute("role", "img")
    desc = svg.locator("desc")
    for name in SHARED_PEOPLE:
        expect(desc).to_contain_text(name)
    expect(svg.locator("circle")).to_have_count(3 + 1 + len(SHARED_PEOPLE))  # rings, centre, dots
    dots = svg.locator("g.people-map-person")
    expect(dots).to_have_count(len(SHARED_PEOPLE))
    table = main.locator("table.people-table")
    expect(table.locator("tbody tr")).to_have_count(len(SHARED_PEOPLE))
    for name in SHARED_PEOPLE:
        expect(dots.filter(has_text=name)).to_have_count(1)
        expect(table.locator("tbody th").filter(has_text=re.compile(rf"^{name}\b"))).to_have_count(
            1
        )


@pytest.mark.parametrize("device", [PHONE], ids=["phone"])
def test_the_history_map_prints_without_navigation_or_forms(
    app, new_page, device, artifacts, clinician_sessions
):
    from playwright.sync_api import expect

    maya = new_page()
    sign_in_client(maya, app, device, CLIENT)
    alex = clinician_page(app, new_page, clinician_sessions, CLINICIAN, on=DESKTOP)
    maya_id = _open_client_record(alex, app)

    for who, page, url in (
        ("phone-client", maya, app.url("/home/history/")),
        ("desktop-clinician", alex, app.url(f"/clients/{maya_id}/history/")),
    ):
        page.goto(url)
        # On screen: navigation, the sign-out form and the edit links are there.
        expect(page.locator("header.site-header nav")).to_be_visible()
        expect(page.locator("form").first).to_be_visible()
        expect(page.locator("main").get_by_role("link", name="Add an event")).to_be_visible()

        page.emulate_media(media="print")
        expect(page.locator("header.site-header")).to_be_hidden()
        expect(page.locator("nav")).to_have_count(1)
        expect(page.locator("nav")).to_be_hidden()
        expect(page.locator("footer.site-footer")).to_be_hidden()
        forms = page.locator("form")
        for n in range(forms.count()):
            expect(forms.nth(n)).to_be_hidden()
        main = page.locator("main")
        for hidden in ("Version history", "Add an event", "Add a script", "Edit the story"):
            expect(main.get_by_role("link", name=hidden)).to_be_hidden()
        expect(main.locator(".item-actions").first).to_be_hidden()
        expect(main.locator(".back-link")).to_be_hidden()
        # What is printed: the heading, the timeline, the scripts and the story.
        expect(main.get_by_role("heading", level=1)).to_be_visible()
        expect(main.locator(".timeline-event").filter(has_text=EVENT)).to_be_visible()
        expect(main.locator(".scripts, .script").first).to_be_visible()
        expect(main.locator("section[aria-labelledby='narrative-heading']")).to_be_visible()
        page.screenshot(path=artifacts / "screenshots" / f"{who}-history-print.png", full_page=True)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the printed map of {who} is {overflow}px too wide"
        page.emulate_media(media="screen")


# --- Once known app bugs, now fixed; kept as plain checks. ---


@pytest.mark.parametrize("device", [PHONE], ids=["phone"])
def test_the_relationship_map_fits_a_phone(app, new_page, device, checks):
    from playwright.sync_api import expect

    maya = new_page()
    sign_in_client(maya, app, device, CLIENT)
    maya.goto(app.url("/home/people/"))
    _expect_people_map(maya, expect)
    checks.check(maya, "people-1-client")
    checks.assert_clean()


@pytest.mark.parametrize("device", [PHONE], ids=["phone"])
def test_the_first_version_of_the_demo_history_map_opens(app, new_page, device):
    from playwright.sync_api import expect

    maya = new_page()
    sign_in_client(maya, app, device, CLIENT)
    response = maya.goto(app.url("/home/history/versions/1/"))
    assert response.status == 200, f"version 1 answered {response.status}"
    expect(maya.get_by_role("heading", level=1)).to_have_text("History map, version 1")
