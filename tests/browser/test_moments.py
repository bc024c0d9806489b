"""Journey: a client logs a moment on a phone. The tab closes halfway and the draft comes back;
a double tap on Save makes one moment; a moment left private never reaches the clinician, neither
in the pages nor in the API."""

import json
import re

import pytest

from tests.browser.support import DEMO_PASSWORD, DEVICES, press, sign_in_clinician

pytestmark = pytest.mark.browser

PHONE, DESKTOP = DEVICES["phone"], DEVICES["desktop"]
PRIVATE = "Browser test: he went quiet after dinner"
SHARED = "Browser test: we walked and talked"
COUNT = (
    "from securebase.understand.models import Moment\n"
    "from securebase.care.models import Client\n"
    "import json\n"
    "print(json.dumps({m.situation: m.shared for m in Moment.objects.filter("
    "client__in=Client.objects.with_email(None, 'maya@demo.test'))}))\n"
)
MAYA_ID = (
    "from securebase.care.models import Client\n"
    "print(Client.objects.with_email(None, 'maya@demo.test').get().pk)\n"
)


def _moments(app) -> dict:
    return json.loads(app.manage("shell", "--command", COUNT).strip().splitlines()[-1])


def _sign_in_client(page, app, device):
    from playwright.sync_api import expect

    page.goto(app.url("/accounts/login/"))
    page.get_by_label("Email").fill("maya@demo.test")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    press(device, page.get_by_role("button", name="Sign in"))
    expect(page).to_have_url(app.url("/home/"))


def _fill_quick(page, device, situation, feeling="lonely", strength="7"):
    main = page.locator("main")
    press(device, main.get_by_label("A moment of threat or feeling let down"))
    main.get_by_label("What was happening").fill(situation)
    main.get_by_label("Feeling 1").select_option(feeling)
    main.locator("#id_intensity_1").select_option(strength)


@pytest.mark.parametrize("device", [PHONE], ids=["phone"])
def test_a_client_logs_a_moment_with_a_draft_and_a_double_tap(
    app, new_page, device, checks, clinician_sessions
):
    from playwright.sync_api import expect

    page = new_page()
    _sign_in_client(page, app, device)
    press(device, page.locator("main").get_by_role("link", name="Log a moment"))
    expect(page).to_have_url(app.url("/home/moments/new/"))
    checks.check(page, "moments-1-new")
    _fill_quick(page, device, PRIVATE)
    share = page.locator("main").get_by_label("Share this moment with my care team")
    if share.is_checked():  # Maya shares by default; this one she keeps to herself
        press(device, share)
    expect(share).not_to_be_checked()
    context = page.context
    page.close()  # the tab closes before Save

    page = context.new_page()
    page.goto(app.url("/home/moments/new/"))
    main = page.locator("main")
    expect(main.locator(".draft-notice")).to_contain_text("We brought back what you typed")
    expect(main.get_by_label("What was happening")).to_have_value(PRIVATE)
    expect(main.get_by_label("Share this moment with my care team")).not_to_be_checked()
    checks.check(page, "moments-2-draft")

    main.get_by_role("button", name="Save moment").dblclick()
    expect(page).to_have_url(re.compile(r"/home/moments/[0-9a-f-]+/\?saved=moment-new$"))
    expect(page.locator("main")).to_contain_text("Moment saved")
    assert page.evaluate("localStorage.getItem('securebase.draft.moment-new')") is None
    assert _moments(app).get(PRIVATE) is False  # one moment, private by default
    assert list(_moments(app)).count(PRIVATE) == 1

    page.goto(app.url("/home/moments/new/"))
    _fill_quick(page, device, SHARED, feeling="close", strength="6")
    share = page.locator("main").get_by_label("Share this moment with my care team")
    if not share.is_checked():
        press(device, share)
    press(device, page.locator("main").get_by_role("button", name="Save moment"))
    expect(page.locator("main")).to_contain_text("Moment saved")
    page.goto(app.url("/home/moments/"))
    checks.check(page, "moments-3-list")

    # The clinician sees the shared moment and never the private one.
    maya = app.manage("shell", "--command", MAYA_ID).strip().splitlines()[-1]
    state = clinician_sessions.get("alex@demo.test")
    clinician = new_page(storage_state=state, on=DESKTOP)
    if state is None:
        sign_in_clinician(clinician, app, DESKTOP, "alex@demo.test")
        clinician_sessions["alex@demo.test"] = clinician.context.storage_state()
    clinician.goto(app.url(f"/clients/{maya}/moments/"))
    expect(clinician.locator("main")).to_contain_text(SHARED)
    expect(clinician.locator("main")).not_to_contain_text(PRIVATE)
    checks.check(clinician, "moments-4-clinician")

    token = app.manage("token", "create", "alex@demo.test").strip().splitlines()[-1]
    response = clinician.request.get(
        app.url(f"/api/v1/clients/{maya}/moments"), headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status == 200
    situations = [m["situation"] for m in response.json()]
    assert SHARED in situations and PRIVATE not in situations
