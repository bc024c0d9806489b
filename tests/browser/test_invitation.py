"""Journey: a clinician creates a client record and invites the client by email; the client opens
the link, chooses a password and what to share, lands on their home page, signs out and back in."""

import re

import pytest

from tests.browser.support import press, sign_in_clinician

pytestmark = pytest.mark.browser

CLINICIANS = {"desktop": "alex@demo.test", "phone": "sam@demo.test"}
NEW_CLIENTS = {
    # device: (full name, email, shares new entries by default)
    "desktop": ("Noor Haddad", "noor.haddad@example.test", True),
    "phone": ("Tomás Ruiz", "tomas.ruiz@example.test", False),
}
CLIENT_PASSWORD = "quiet-lantern-river-58"


def _clinician_page(app, device, new_page, clinician_sessions):
    """A page signed in as the device's clinician, reusing an earlier sign-in when there is one."""
    email = CLINICIANS[device.name]
    state = clinician_sessions.get(email)
    page = new_page(storage_state=state)
    if state is None:
        sign_in_clinician(page, app, device, email)
        clinician_sessions[email] = page.context.storage_state()
    return page


def test_invited_client_creates_an_account_and_signs_in_again(
    app, device, new_page, checks, clinician_sessions
):
    from playwright.sync_api import expect

    name, email, shares = NEW_CLIENTS[device.name]

    # The clinician creates the record; an empty form first shows what is missing.
    clinician = _clinician_page(app, device, new_page, clinician_sessions)
    clinician.goto(app.url("/clients/new/"))
    form = clinician.locator("main")
    press(device, form.get_by_role("button", name="Create client record"))
    expect(form.locator(".field.has-error")).to_have_count(3)
    expect(form.get_by_text("This field is required.")).to_have_count(2)
    expect(form.get_by_text("Choose the country the client lives in.")).to_be_visible()
    checks.check(clinician, "4-new-client-errors")

    form.get_by_label("Full name").fill(name)
    form.get_by_label("Email", exact=True).fill(email)
    form.get_by_label("Language", exact=True).select_option("en")
    form.get_by_label("Country they live in").select_option("GB")
    press(device, form.get_by_role("button", name="Create client record"))

    client_url = re.compile(re.escape(app.url("/clients/")) + r"[0-9a-f-]{36}/$")
    expect(clinician).to_have_url(client_url)
    detail = clinician.locator("main")
    expect(detail.get_by_role("heading", name=name, level=1)).to_be_visible()
    expect(detail.get_by_text("Client record created.")).to_be_visible()
    checks.check(clinician, "5-client-detail")

    press(device, detail.get_by_role("button", name="Invite by email"))
    expect(detail.get_by_text(f"Invitation sent to {email}.")).to_be_visible()
    link = app.invitation_link(email)
    assert link.startswith(app.url("/invitation/")), link

    # The client, in a browser of their own, accepts the invitation.
    client = new_page()
    client.goto(link)
    welcome = client.locator("main")
    expect(welcome.get_by_role("heading", name=f"Welcome, {name}")).to_be_visible()
    expect(welcome.get_by_text(email)).to_be_visible()
    checks.check(client, "6-invitation")

    welcome.get_by_label("Choose a password").fill(CLIENT_PASSWORD)
    welcome.get_by_label("Type it again").fill(CLIENT_PASSWORD)
    welcome.get_by_label("Language", exact=True).select_option("en")
    choice = "Share new entries with my care team" if shares else "Keep new entries private"
    welcome.get_by_label(choice).check()
    press(device, welcome.get_by_role("button", name="Create my account"))

    privacy = (
        "New entries you write are shared with your care team."
        if shares
        else "New entries you write are private to you."
    )
    expect(client).to_have_url(app.url("/home/"))
    home = client.locator("main")
    expect(home.get_by_role("heading", name=f"Hello, {name}", level=1)).to_be_visible()
    expect(home.get_by_text(privacy)).to_be_visible()
    checks.check(client, "7-client-home")

    # Sign out, then back in with email and password only (clients have no second factor).
    press(device, client.get_by_role("button", name="Sign out"))
    expect(client).to_have_url(re.compile(re.escape(app.url("/accounts/login/"))))
    login = client.locator("main")
    login.get_by_label("Email").fill(email)
    login.get_by_label("Password").fill(CLIENT_PASSWORD)
    press(device, login.get_by_role("button", name="Sign In"))
    expect(client).to_have_url(app.url("/home/"))
    expect(client.get_by_role("heading", name=f"Hello, {name}", level=1)).to_be_visible()

    checks.assert_clean()
