"""Journey: a clinician assigns the ECR-RS about two relationships; the client answers it on a phone,
one question per screen, leaves halfway and resumes, and sends it; the clinician then sees one point
per relationship on the attachment plane, scored from the answers given.

The ECR-RS wording is licensed and not shipped, so the server first imports a test Questionnaire
whose statements were written for these tests ("ECR-RS test statement 1" …).
"""

import re
from pathlib import Path

import pytest

from tests.browser.support import DEMO_PASSWORD, DEVICES, PageChecks, press, sign_in_clinician

pytestmark = pytest.mark.browser

WORDING = Path(__file__).parent / "fixtures" / "ecr-rs-test-wording.json"
CLINICIAN = "alex@demo.test"
CLIENT_EMAIL, CLIENT_NAME = "jordan@demo.test", "Jordan"  # on Alex's caseload, no ECR-RS history
DESKTOP, PHONE = DEVICES["desktop"], DEVICES["phone"]
ITEMS = 9
RESUME_AFTER = 5  # leave after answering this many questions, then come back

# The answers the client gives, as the points chosen on the 1–7 scale, items 1..9.
ANSWERS = {
    "partner": [2, 3, 1, 2, 6, 5, 6, 7, 5],
    "mother": [6, 5, 7, 6, 2, 3, 3, 2, 4],
}
LABELS = {"partner": "Partner", "mother": "Mother (or mother figure)"}
SHORT_LABELS = {"partner": "Partner", "mother": "Mother"}


def expected_scores(raw: list[int]) -> dict[str, float]:
    """The published ECR-RS key, worked out here independently of the app's engine:
    avoidance = mean of items 1–6 with 1–4 reversed (8 − x); anxiety = mean of items 7–9."""
    keyed = [8 - x if number <= 4 else x for number, x in enumerate(raw, start=1)]
    return {"avoidance": sum(keyed[:6]) / 6, "anxiety": sum(keyed[6:9]) / 3}


def shown(value: float) -> str:
    """As the results pages print a score: whole numbers bare, otherwise two decimals."""
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


# The numbers, worked by hand, so a slip in expected_scores cannot hide one in the app:
# partner avoidance (6+5+7+6+6+5)/6 = 35/6, anxiety (6+7+5)/3 = 6;
# mother avoidance (2+3+1+2+2+3)/6 = 13/6, anxiety (3+2+4)/3 = 3.
assert expected_scores(ANSWERS["partner"]) == {"avoidance": 35 / 6, "anxiety": 6}
assert expected_scores(ANSWERS["mother"]) == {"avoidance": 13 / 6, "anxiety": 3}


def plane_xy(scores: dict[str, float]) -> tuple[float, float]:
    """Where _plane.html draws a point: a 240px square from (40, 40), 1–7 on both axes,
    avoidance left to right, anxiety bottom to top."""
    return 40 + (scores["avoidance"] - 1) / 6 * 240, 40 + (7 - scores["anxiety"]) / 6 * 240


@pytest.fixture(scope="module")
def ecr_rs_wording(app):
    """The test wording of the ECR-RS, imported into the running server's database."""
    output = app.manage("instruments", "import", str(WORDING), "--key", "ecr-rs")
    assert "the wording of ECR-RS (ecr-rs), language en: 9 items." in output, output
    assert "Matched to ecr-rs by the key given (ecr-rs)" in output, output
    return output


def _clinician_page(app, new_page, clinician_sessions, on):
    """Alex signed in, reusing an earlier sign-in of this session when there is one."""
    state = clinician_sessions.get(CLINICIAN)
    page = new_page(storage_state=state, on=on)
    if state is None:
        sign_in_clinician(page, app, on, CLINICIAN)
        clinician_sessions[CLINICIAN] = page.context.storage_state()
    return page


def _answer_current_question(page, device, value: int) -> None:
    """Tap the label of the answer ``value`` (not the small radio button itself), then Next."""
    from playwright.sync_api import expect

    main = page.locator("main")
    choice = main.locator("label.scale-choice", has=page.locator(f"input[value='{value}']"))
    press(device, choice)
    expect(choice.locator("input")).to_be_checked()
    press(device, main.get_by_role("button", name="Next"))


def _open_questionnaire_from_home(page, app, device) -> None:
    from playwright.sync_api import expect

    page.goto(app.url("/home/"))
    home = page.locator("main")
    expect(home.get_by_text("You have 1 questionnaire to fill in.")).to_be_visible()
    press(device, home.get_by_role("link", name="Questionnaires and results"))
    expect(page).to_have_url(app.url("/home/questionnaires/"))
    due = page.locator("main form.due-row").filter(has_text="ECR-RS")
    expect(due).to_have_count(1)
    expect(due).to_contain_text("9 questions · about 2 relationships")
    press(device, due.get_by_role("button", name="Start or continue"))


@pytest.mark.parametrize("device", [PHONE], ids=["phone"])
def test_client_completes_ecr_rs_for_two_relationships_on_a_phone(
    app, device, new_page, checks, artifacts, clinician_sessions, ecr_rs_wording
):
    from playwright.sync_api import expect

    desk = PageChecks(DESKTOP, artifacts)  # the clinician's pages, on a desktop

    # --- The clinician assigns the ECR-RS about a partner and a mother. ---
    clinician = _clinician_page(app, new_page, clinician_sessions, on=DESKTOP)
    clinician.goto(app.url("/caseload/"))
    press(DESKTOP, clinician.locator("main").get_by_role("link", name=CLIENT_NAME, exact=True))
    press(DESKTOP, clinician.locator("main").get_by_role("link", name=re.compile(r"^Measures")))
    measures_url = re.compile(re.escape(app.url("/clients/")) + r"[0-9a-f-]{36}/measures/$")
    expect(clinician).to_have_url(measures_url)
    measures_url = clinician.url
    results = clinician.locator("main")
    expect(results.get_by_role("heading", name=re.compile(r"^Measures for Jordan"))).to_be_visible()
    # No ECR-RS history yet, so every point asserted below is a new one.
    expect(results.locator("#panel-ecr-rs")).to_have_count(0)
    expect(results.locator("#catalogue-heading + p")).to_contain_text("ECR-RS")  # wording loaded

    assign = results.locator("section[aria-labelledby='assign-heading']")
    assign.get_by_label("Measure", exact=True).select_option("ecr-rs")
    assign.get_by_label("How often").select_option("once")
    assign.get_by_label(LABELS["partner"], exact=True).check()
    assign.get_by_label(LABELS["mother"], exact=True).check()
    desk.check(clinician, "measures-1-assign")
    press(DESKTOP, assign.get_by_role("button", name="Assign"))
    expect(clinician).to_have_url(measures_url)
    expect(
        results.get_by_text("Measure assigned. The client sees it on their home page.")
    ).to_be_visible()
    expect(assign.locator("ul.plain li").filter(has_text="ecr-rs")).to_have_count(1)

    # --- The client signs in on a phone and starts it. ---
    client = new_page()
    client.goto(app.url("/accounts/login/"))
    login = client.locator("main")
    login.get_by_label("Email").fill(CLIENT_EMAIL)
    login.get_by_label("Password").fill(DEMO_PASSWORD)
    press(device, login.get_by_role("button", name="Sign In"))
    expect(client).to_have_url(app.url("/home/"))
    _open_questionnaire_from_home(client, app, device)

    # --- 18 questions, one per screen: 9 about one relationship, then 9 about the other. ---
    total = ITEMS * len(ANSWERS)
    order: list[str] = []
    # Every question page the phone loads, to see that each is loaded once, not twice.
    loaded: list[str] = []
    client.on(
        "request",
        lambda req: loaded.append(req.url) if req.method == "GET" and "?step=" in req.url else None,
    )
    answers_url = re.escape(app.url("/home/answers/")) + r"[0-9a-f-]{36}/"
    by_label = {label: key for key, label in LABELS.items()}
    for step in range(total):
        position, number = step + 1, step % ITEMS + 1
        expect(client).to_have_url(re.compile(answers_url + rf"\?step={step}$"))
        main = client.locator("main")
        expect(main.get_by_text(f"Question {position} of {total}", exact=True)).to_be_visible()
        legend = main.locator("fieldset legend")
        expect(legend.locator(".question-text")).to_have_text(f"ECR-RS test statement {number}")
        about = legend.locator(".target").inner_text().strip()
        assert about.startswith("About: "), about
        target = by_label[about.removeprefix("About: ")]
        if number == 1:
            order.append(target)
        assert target == order[-1], f"question {position} is about {target}, not {order[-1]}"
        expect(main.locator("input[type=radio][name=value]")).to_have_count(7)
        if step == 0:
            checks.check(client, "measures-2-question")
        if 0 < step < RESUME_AFTER:
            assert loaded.count(client.url) == 1, f"question {position} loaded {loaded}"
        _answer_current_question(client, device, ANSWERS[target][number - 1])

        if position == RESUME_AFTER:
            # Leave halfway; the answers are kept and "Start or continue" resumes at the next one.
            expect(client).to_have_url(re.compile(rf"\?step={RESUME_AFTER}$"))
            _open_questionnaire_from_home(client, app, device)
            expect(client).to_have_url(re.compile(rf"\?step={RESUME_AFTER}$"))
            resumed = client.locator("main")
            expect(resumed.get_by_text(f"Question {RESUME_AFTER + 1} of {total}")).to_be_visible()
            checks.check(client, "measures-3-resumed")
            # One step back shows the answer given before leaving.
            press(device, resumed.get_by_role("link", name="Back"))
            expect(resumed.get_by_text(f"Question {RESUME_AFTER} of {total}")).to_be_visible()
            kept = ANSWERS[order[-1]][RESUME_AFTER - 1]
            expect(resumed.locator(f"input[value='{kept}']")).to_be_checked()
            expect(resumed.locator("input[type=radio]:checked")).to_have_count(1)
            press(device, resumed.get_by_role("button", name="Next"))

    assert sorted(order) == sorted(ANSWERS), order

    # --- Review and send. ---
    expect(client).to_have_url(re.compile(answers_url + "send/$"))
    review = client.locator("main")
    expect(review.get_by_role("heading", name="ECR-RS", level=1)).to_be_visible()
    expect(
        review.get_by_text("You answered every question. Send your answers to your care team?")
    ).to_be_visible()
    checks.check(client, "measures-4-review")
    press(device, review.get_by_role("button", name="Send my answers"))
    expect(client).to_have_url(app.url("/home/questionnaires/"))
    mine = client.locator("main")
    expect(mine.get_by_text("Thank you. Your answers were sent to your care team.")).to_be_visible()
    expect(mine.get_by_text("Nothing to fill in right now.")).to_be_visible()
    own = mine.locator("section[aria-labelledby='mine-ecr-rs']")
    for target, raw in ANSWERS.items():
        scores = expected_scores(raw)
        heading = own.locator("h3.latest").filter(has_text=LABELS[target])
        expect(heading).to_have_count(1)
        summary = heading.locator("xpath=following-sibling::ul[1]")
        expect(summary).to_contain_text(
            f"Attachment-related avoidance: {shown(scores['avoidance'])}"
        )
        expect(summary).to_contain_text(f"Attachment-related anxiety: {shown(scores['anxiety'])}")
    expect(own.locator("circle.plane-point")).to_have_count(2)
    checks.check(client, "measures-5-client-results")

    # --- The clinician reloads the results: one point per relationship on the plane. ---
    clinician.goto(measures_url)
    panel = clinician.locator("main section[aria-labelledby='panel-ecr-rs']")
    expect(panel).to_have_count(1)
    points = panel.locator("svg circle.plane-point")
    expect(points).to_have_count(2)
    for target, raw in ANSWERS.items():
        scores = expected_scores(raw)
        point = points.and_(clinician.locator(f"[data-target='{target}']"))
        expect(point).to_have_count(1)
        expect(point).to_have_attribute("r", "7")  # drawn as the latest point
        x, y = plane_xy(scores)
        assert float(point.get_attribute("cx")) == pytest.approx(x, abs=0.1)
        assert float(point.get_attribute("cy")) == pytest.approx(y, abs=0.1)
        # "Partner, <date>: anxiety 6, avoidance 5.83"
        expect(point.locator("title")).to_have_text(
            re.compile(
                rf"^{SHORT_LABELS[target]}, .+: anxiety {re.escape(shown(scores['anxiety']))}, "
                rf"avoidance {re.escape(shown(scores['avoidance']))}$"
            )
        )
        row = panel.locator("table.history tbody tr").filter(
            has=clinician.locator(
                "td", has_text=re.compile(rf"^\s*{re.escape(LABELS[target])}\s*$")
            )
        )
        expect(row).to_have_count(1)
        cells = row.locator("td")
        # Date, Relationship, then the subscales in the definition's order: avoidance, anxiety.
        expect(cells).to_have_count(4)
        expect(cells.nth(2).locator("strong")).to_have_text(shown(scores["avoidance"]))
        expect(cells.nth(3).locator("strong")).to_have_text(shown(scores["anxiety"]))
    headers = panel.locator("table.history thead th")
    expect(headers).to_have_text(
        ["Date", "Relationship", "Attachment-related avoidance", "Attachment-related anxiety"]
    )
    expect(panel.locator("table.history tbody tr")).to_have_count(2)
    desk.check(clinician, "measures-6-clinician-results")

    # The same results on a phone: the plane and the table must fit a narrow screen too.
    small = new_page(storage_state=clinician_sessions[CLINICIAN])
    small.goto(measures_url)
    expect(
        small.locator("main section[aria-labelledby='panel-ecr-rs'] circle.plane-point")
    ).to_have_count(2)
    checks.check(small, "measures-6-clinician-results")

    desk.assert_clean()
    checks.assert_clean()


ASSIGN_CHECKIN = (
    "from securebase.care.models import Client\n"
    "from securebase.measures import domain\n"
    "client = Client.objects.with_email(None, 'maya@demo.test').get()\n"
    "lead = client.care_team.select_related('clinician').first().clinician\n"
    "domain.assign(by=lead, client=client, key='checkin')\n"
)
SHOW_ANSWERS = (
    "import json\n"
    "from securebase.measures.models import Administration\n"
    "from securebase.measures.domain import answers_of\n"
    "from securebase.care.models import Client\n"
    "maya = Client.objects.with_email(None, 'maya@demo.test')\n"
    "a = Administration.objects.filter(client__in=maya, instrument_key='checkin')"
    ".order_by('-started_at').first()\n"
    "print(json.dumps(answers_of(a)))\n"
)


@pytest.mark.parametrize("device", [PHONE], ids=["phone"])
def test_an_answer_given_offline_is_kept_on_the_phone_and_sent_when_back_online(
    app, new_page, device
):
    """The check-in is our own wording, so it needs no import. The connection drops just as
    Maya answers; her answer waits on the phone and reaches the server when she is back."""
    from playwright.sync_api import expect

    app.manage("shell", "--command", ASSIGN_CHECKIN)
    page = new_page()
    page.goto(app.url("/accounts/login/"))
    page.get_by_label("Email").fill("maya@demo.test")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    press(device, page.get_by_role("button", name="Sign in"))
    expect(page).to_have_url(app.url("/home/"))
    page.goto(app.url("/home/questionnaires/"))
    due = page.locator("main form.due-row").filter(has_text="Check-in")
    press(device, due.get_by_role("button", name="Start or continue"))
    expect(page.locator("main")).to_contain_text("Question 1 of 3")

    page.context.set_offline(True)
    main = page.locator("main")
    press(device, main.locator("label.scale-choice", has=page.locator("input[value='6']")))
    press(device, main.get_by_role("button", name="Next"))
    expect(main.locator(".offline-notice")).to_contain_text("kept on this phone")
    assert (
        page.evaluate("JSON.parse(localStorage.getItem('securebase.pendingAnswers')).length") == 1
    )

    page.context.set_offline(False)
    # Once sent, the page reloads to show the answer as saved.
    with page.expect_event("load"):
        page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(main.locator("input[value='6']")).to_be_checked()
    assert page.evaluate("localStorage.getItem('securebase.pendingAnswers')") == "[]"
    assert '"1": 6' in app.manage("shell", "--command", SHOW_ANSWERS)
