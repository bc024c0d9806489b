"""Journey of the Practise area on a phone: the pause skill, paced breathing, a ladder attempt and a
behavioural experiment, found again from the client's home; the clinician sees the shared ones.

Alex (clinician, desktop) builds a ladder for Maya. Maya (client, phone) pauses from her home in one
tap and shares the pause, breathes with the pacer (visible, moving, then stopped) and logs it,
records an attempt on the ladder's first step, plans an experiment and shares it, and finds each of
them again through the links on her home. Alex then reads the shared pause, attempt and experiment.
A second test checks that with reduced motion the pacer circle stays still while the words advance.

The pacer is observed by polling ``page.evaluate`` from Python: the Content-Security-Policy forbids
eval, so ``page.wait_for_function`` with a string cannot be used.
"""

import re
import time

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

LADDER = "Browser test ladder: letting people in"
STEP_1 = "Browser test: send a text and wait for the reply without a follow-up"
STEP_2 = "Browser test: tell Sol about a painful memory"
PAUSE_STEP = "Browser test: make tea and read the message again in ten minutes"
ATTEMPT_NOTES = "Browser test: he answered after an hour; I did not send a second text"
BELIEF = "Browser test: if I ask for help, they will think I am too much"
PREDICTION = "Browser test: Dara will sigh and say she is busy"

# What the pacer shows, read in one evaluate (no eval: a function literal, not a string body).
PACER_STATE = """() => {
  const root = document.querySelector('[data-pacer]');
  const circle = root.querySelector('[data-pacer-circle]');
  const box = circle.getBoundingClientRect();
  return {
    hidden: root.hidden,
    phase: root.querySelector('[data-pacer-phase]').textContent,
    count: root.querySelector('[data-pacer-count]').textContent,
    classes: circle.className,
    transform: getComputedStyle(circle).transform,
    width: box.width,
    reduced: root.classList.contains('pacer-reduced'),
  };
}"""


def _pacer_states(page, seconds: float) -> list[dict]:
    """Samples of the pacer's state every 100 ms for ``seconds``."""
    samples = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        samples.append(page.evaluate(PACER_STATE))
        page.wait_for_timeout(100)
    return samples


def _set_pacer_seconds(page, value: str) -> None:
    """One second per phase keeps the test short; the client may adjust the seconds."""
    pacer = page.locator("[data-pacer]")
    for field in pacer.locator("[data-pacer-seconds]").all():
        field.fill(value)
        field.dispatch_event("change")


# Known app bugs, reported and left out of the failure until fixed (each: page label, axe rule).
KNOWN_APP_BUGS: list[tuple[str, str]] = []


def _allow_known_app_bugs(checks) -> None:
    known = [p for p in checks.problems if any(a in p and b in p for a, b in KNOWN_APP_BUGS)]
    for problem in known:
        checks.problems.remove(problem)
        print("known app bug (not failing the test): " + problem)


def _client_id(page) -> str:
    match = re.search(r"/clients/([0-9a-f-]{36})/", page.url)
    assert match, page.url
    return match.group(1)


@pytest.mark.parametrize("device", [PHONE], ids=["phone"])
def test_a_client_practises_on_a_phone_and_the_clinician_sees_what_she_shared(
    app, new_page, device, checks, artifacts, clinician_sessions
):
    from playwright.sync_api import expect

    desk = PageChecks(DESKTOP, artifacts)

    # --- Alex builds a ladder with Maya, from her record. ---
    alex = clinician_page(app, new_page, clinician_sessions, CLINICIAN, on=DESKTOP)
    alex.goto(app.url("/caseload/"))
    press(DESKTOP, alex.locator("main").get_by_role("link", name="Maya", exact=True))
    expect(alex).to_have_url(re.compile(r"/clients/[0-9a-f-]{36}/$"))
    maya_id = _client_id(alex)
    alex.goto(app.url(f"/clients/{maya_id}/ladders/new/"))
    main = alex.locator("main")
    main.get_by_label("Name of the ladder").fill(LADDER)
    main.get_by_label("Step 1", exact=True).fill(STEP_1)
    main.get_by_label("Expected distress of step 1 (0–100)").fill("40")
    main.get_by_label("Step 2", exact=True).fill(STEP_2)
    main.get_by_label("Expected distress of step 2 (0–100)").fill("80")
    desk.check(alex, "practise-1-ladder-new")
    press(DESKTOP, main.get_by_role("button", name="Save the ladder"))
    expect(alex).to_have_url(
        re.compile(re.escape(app.url(f"/clients/{maya_id}/ladders/")) + r"[0-9a-f-]{36}/$")
    )
    ladder_id = alex.url.rstrip("/").rsplit("/", 1)[-1]
    expect(alex.get_by_role("heading", level=1)).to_have_text(LADDER)

    # --- Maya pauses: one tap from her home. ---
    maya = new_page()
    sign_in_client(maya, app, device, CLIENT)
    checks.check(maya, "practise-1-home")
    press(device, maya.locator("main").get_by_role("link", name="Pause", exact=True))
    expect(maya).to_have_url(app.url("/home/pause/"))
    checks.check(maya, "practise-2-pause")
    main = maya.locator("main")
    press(device, main.get_by_label("tight chest"))
    press(device, main.get_by_label("anxious", exact=True))
    press(
        device,
        main.get_by_role("group", name=re.compile("How strong is it")).get_by_label(
            "7", exact=True
        ),
    )
    main.get_by_label("…or in your own words").fill(PAUSE_STEP)
    share = main.get_by_label("Share this pause with my care team")
    if share.is_checked():  # kept private here, shared afterwards from the pause itself
        press(device, share)
    press(device, main.get_by_role("button", name="Save pause"))
    expect(maya).to_have_url(re.compile(r"/home/pause/[0-9a-f-]{36}/$"))
    expect(main).to_contain_text("Pause saved")
    expect(main).to_contain_text(PAUSE_STEP)
    expect(main).to_contain_text("Private to you")
    press(device, main.get_by_role("button", name="Share", exact=True))
    expect(main).to_contain_text("Shared with your care team")
    press(
        device,
        main.get_by_role("group", name=re.compile("How strong")).get_by_label("4", exact=True),
    )
    press(device, main.get_by_role("button", name="Save rating"))
    expect(main).to_contain_text("4/10 later")
    checks.check(maya, "practise-3-pause-saved")

    # --- Breathing: the pacer shows, moves, stops; the session is logged. ---
    maya.goto(app.url("/home/"))
    press(device, maya.locator("main").get_by_role("link", name="Breathe", exact=True))
    expect(maya).to_have_url(app.url("/home/toolkit/breathing/"))
    pacer = maya.locator("[data-pacer]")
    expect(pacer).to_be_visible()
    expect(pacer.locator("[data-pacer-phase]")).to_have_text("Ready when you are")
    checks.check(maya, "practise-4-breathing")
    _set_pacer_seconds(maya, "1")
    press(device, pacer.get_by_role("button", name="Start"))
    expect(pacer.locator("[data-pacer-phase]")).to_have_text("Breathe in")
    expect(pacer.locator("[data-pacer-circle]")).to_be_visible()
    samples = _pacer_states(maya, 3.5)
    phases = [s["phase"] for s in samples]
    assert {"Breathe in", "Hold", "Breathe out"} <= set(phases), phases
    assert phases.index("Hold") > phases.index("Breathe in"), phases
    widths = [round(s["width"]) for s in samples]
    assert max(widths) - min(widths) > 20, f"the circle did not grow or shrink: {widths}"
    assert len({s["classes"] for s in samples}) > 1
    assert any(s["count"].startswith("1 / 1") for s in samples), [s["count"] for s in samples]
    checks.check(maya, "practise-5-breathing-running")
    press(device, pacer.get_by_role("button", name="Stop"))
    expect(pacer.locator("[data-pacer-phase]")).to_have_text("Ready when you are")
    stopped = _pacer_states(maya, 1.2)
    assert {s["phase"] for s in stopped} == {"Ready when you are"}
    assert {s["classes"] for s in stopped} == {"pacer-circle"}, stopped
    log = maya.locator("form[data-pacer-log]")
    assert log.locator("[name=seconds]").input_value() == "1,1,1,1"
    assert log.locator("[name=minutes]").input_value() == "1"
    log.get_by_label("How strong was the feeling before? (0–10)").select_option("6")
    log.get_by_label("And now? (0–10)").select_option("3")
    press(device, log.get_by_role("button", name="Save"))
    expect(maya).to_have_url(app.url("/home/toolkit/"))
    expect(maya.locator("main")).to_contain_text(
        "Logged. Thank you for taking the time to breathe."
    )
    breathing = maya.locator("main li").filter(has_text="Paced breathing")
    expect(breathing).to_contain_text("average drop in intensity")
    checks.check(maya, "practise-6-toolkit")

    # --- A ladder attempt, shared. ---
    maya.goto(app.url("/home/"))
    press(device, maya.locator("main").get_by_role("link", name="Ladders", exact=True))
    expect(maya).to_have_url(app.url("/home/ladders/"))
    checks.check(maya, "practise-7-ladders")
    press(device, maya.locator("main").get_by_role("link", name=LADDER))
    expect(maya).to_have_url(app.url(f"/home/ladders/{ladder_id}/"))
    step = maya.locator("main section.ladder-step").filter(has_text=STEP_1)
    press(device, step.get_by_role("link", name="Record an attempt"))
    expect(maya).to_have_url(re.compile(r"/home/ladder-steps/[0-9a-f-]{36}/attempt/$"))
    main = maya.locator("main")
    main.get_by_label("Distress before (0–100)").fill("50")
    main.get_by_label("Distress at its peak (0–100)").fill("65")
    main.get_by_label("Distress after (0–100)").fill("20")
    main.get_by_label("What happened").fill(ATTEMPT_NOTES)
    share = main.get_by_label("Share this attempt (and its journal entry) with my care team")
    if not share.is_checked():
        press(device, share)
    checks.check(maya, "practise-8-attempt")
    press(device, main.get_by_role("button", name="Save the attempt"))
    expect(maya).to_have_url(re.compile(re.escape(f"/home/ladders/{ladder_id}/#step-")))
    expect(main).to_contain_text("Attempt saved")
    attempt = main.locator(".ladder-attempts li").filter(has_text=ATTEMPT_NOTES)
    expect(attempt).to_contain_text("before 50, peak 65, after 20")
    expect(attempt).to_contain_text("Shared with your care team")
    checks.check(maya, "practise-9-ladder")

    # --- An experiment, planned, then shared from the list. ---
    maya.goto(app.url("/home/"))
    press(device, maya.locator("main").get_by_role("link", name="Experiments", exact=True))
    expect(maya).to_have_url(app.url("/home/experiments/"))
    press(device, maya.locator("main").get_by_role("link", name="Plan an experiment"))
    expect(maya).to_have_url(app.url("/home/experiments/new/"))
    main = maya.locator("main")
    main.get_by_label("The belief I am testing").fill(BELIEF)
    main.get_by_label("How strongly I hold it (0–100 %)").fill("80")
    main.get_by_label("What I predict will happen").fill(PREDICTION)
    main.get_by_label("What I will do, when and where").fill("Ask Dara to help me move on Saturday")
    share = main.get_by_label("Share this experiment with my care team")
    if share.is_checked():  # kept private here, shared afterwards from the list
        press(device, share)
    checks.check(maya, "practise-10-experiment-new")
    press(device, main.get_by_role("button", name="Save experiment"))
    expect(maya).to_have_url(re.compile(r"/home/experiments/[0-9a-f-]{36}/$"))
    expect(main).to_contain_text("Experiment saved")
    maya.goto(app.url("/home/experiments/"))
    card = maya.locator("main article.experiment").filter(has_text=BELIEF)
    expect(card).to_contain_text("Private to you")
    press(device, card.get_by_role("button", name="Share", exact=True))
    expect(maya).to_have_url(app.url("/home/experiments/"))
    card = maya.locator("main article.experiment").filter(has_text=BELIEF)
    expect(card).to_contain_text("Shared with your care team")
    checks.check(maya, "practise-11-experiments")

    # --- Back home: each is found again through the links of the home page. ---
    maya.goto(app.url("/home/"))
    press(device, maya.locator("main").get_by_role("link", name="Pauses", exact=True))
    expect(maya).to_have_url(app.url("/home/pause/all/"))
    expect(maya.locator("main")).to_contain_text(PAUSE_STEP)
    checks.check(maya, "practise-12-pauses")
    maya.go_back()
    press(device, maya.locator("main").get_by_role("link", name="Ladders", exact=True))
    expect(maya.locator("main")).to_contain_text(LADDER)
    maya.go_back()
    press(device, maya.locator("main").get_by_role("link", name="Experiments", exact=True))
    expect(maya.locator("main")).to_contain_text(BELIEF)
    maya.go_back()
    press(device, maya.locator("main").get_by_role("link", name="Toolkit", exact=True))
    expect(maya.locator("main li").filter(has_text="Paced breathing")).to_contain_text("Used")

    # --- Alex reads what Maya shared. ---
    alex.goto(app.url(f"/clients/{maya_id}/pauses/"))
    expect(alex.locator("main")).to_contain_text(PAUSE_STEP)
    desk.check(alex, "practise-2-client-pauses")
    alex.goto(app.url(f"/clients/{maya_id}/ladders/{ladder_id}/"))
    expect(alex.locator("main")).to_contain_text(ATTEMPT_NOTES)
    expect(alex.locator("main")).to_contain_text("before 50, peak 65, after 20")
    desk.check(alex, "practise-3-client-ladder")
    alex.goto(app.url(f"/clients/{maya_id}/experiments/"))
    expect(alex.locator("main")).to_contain_text(BELIEF)
    expect(alex.locator("main")).to_contain_text(PREDICTION)
    desk.check(alex, "practise-4-client-experiments")

    desk.assert_clean()
    _allow_known_app_bugs(checks)
    checks.assert_clean()


@pytest.mark.parametrize("device", [PHONE], ids=["phone"])
def test_with_reduced_motion_the_pacer_circle_stays_still_and_the_words_advance(
    app, new_page, device, checks
):
    from playwright.sync_api import expect

    page = new_page()
    page.emulate_media(reduced_motion="reduce")
    sign_in_client(page, app, device, CLIENT)
    page.goto(app.url("/home/toolkit/breathing/"))
    pacer = page.locator("[data-pacer]")
    expect(pacer).to_be_visible()
    _set_pacer_seconds(page, "1")
    press(device, pacer.get_by_role("button", name="Start"))
    samples = _pacer_states(page, 3.5)
    phases = [s["phase"] for s in samples]
    assert {"Breathe in", "Hold", "Breathe out"} <= set(phases), phases
    assert all(s["reduced"] for s in samples)
    assert {s["transform"] for s in samples} == {"matrix(0.8, 0, 0, 0.8, 0, 0)"}, samples
    assert len({round(s["width"]) for s in samples}) == 1, samples
    checks.check(page, "practise-reduced-motion")
    press(device, pacer.get_by_role("button", name="Stop"))
    expect(pacer.locator("[data-pacer-phase]")).to_have_text("Ready when you are")
    checks.assert_clean()
