"""Helpers for the browser tests: the running app, viewports, and per-page checks.

Each page a journey reaches is scanned with axe (and, with BROWSER_SCREENSHOTS=1, screenshotted
into ``test-artifacts/screenshots/``); serious or critical accessibility violations, horizontal overflow and browser console errors
(for example a Content-Security-Policy refusal) are collected and reported at the end of the test,
after the journey itself has run to completion.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
import subprocess
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from allauth.mfa import app_settings

from securebase.accounts.totp import current_code

DEMO_PASSWORD = "demo-harbour-2026"
BLOCKING_IMPACTS = ("serious", "critical")
# Also ask axe for what it could not decide ("incomplete"): reported, never failing.
AXE_OPTIONS = {"resultTypes": ["violations", "incomplete"]}
# A full-page screenshot of every checked page costs a good part of a journey's CPU time: taken
# when asked for (BROWSER_SCREENSHOTS=1) to look at the pages; a failing test always keeps its own.
SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS") == "1"
# A TOTP code is only accepted in its own 30-second period: never start with less than this left.
TOTP_MIN_SECONDS_LEFT = 4


@dataclass(frozen=True)
class Device:
    name: str
    options: dict[str, Any]

    @property
    def is_phone(self) -> bool:
        return bool(self.options.get("is_mobile"))


DEVICES = {
    "desktop": Device("desktop", {"viewport": {"width": 1280, "height": 800}}),
    "phone": Device(
        "phone",
        {
            "viewport": {"width": 390, "height": 844},
            "device_scale_factor": 2,
            "is_mobile": True,
            "has_touch": True,
        },
    ),
}


@dataclass
class RunningApp:
    """The real app served by ``securebase runserver`` against its own scratch database."""

    base_url: str
    env: dict[str, str]
    command: list[str]
    work_dir: Path
    mail_dir: Path  # the file-based email backend writes here
    totp_secrets: dict[str, str]
    _used_codes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def url(self, path: str) -> str:
        return self.base_url + path

    def manage(self, *args: str, timeout: float = 120) -> str:
        done = subprocess.run(
            [*self.command, *args],
            env=self.env,
            cwd=self.work_dir,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"securebase {' '.join(args)} failed ({done.returncode}):\n"
                f"{done.stdout}\n{done.stderr}"
            )
        return done.stdout

    def totp_code(self, email: str) -> str:
        """A current code that this user has not used yet (allauth refuses a replayed code)."""
        secret = self.totp_secrets[email]
        period = app_settings.TOTP_PERIOD
        deadline = time.monotonic() + 3 * period
        while time.monotonic() < deadline:
            now = time.time()
            left = period - now % period
            code = current_code(secret, now)
            if left >= TOTP_MIN_SECONDS_LEFT and code not in self._used_codes[email]:
                self._used_codes[email].add(code)
                return code
            time.sleep(left + 0.2)
        raise AssertionError(f"no fresh TOTP code for {email}")

    def _emails_to(self, address: str) -> list[str]:
        """Bodies of the emails sent to ``address``, oldest first (file-based backend files)."""
        if not self.mail_dir.is_dir():
            return []
        bodies = []
        for path in sorted(self.mail_dir.iterdir(), key=lambda p: p.stat().st_mtime):
            for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                message = email.message_from_bytes(raw.strip(), policy=email.policy.default)
                if address in str(message.get("To", "")):
                    body = message.get_body(preferencelist=("plain",))
                    bodies.append(body.get_content() if body else "")
        return bodies

    def invitation_link(self, address: str, timeout: float = 10) -> str:
        """The newest invitation link emailed to ``address``."""
        pattern = re.compile(r"https?://\S+/invitation/[\w-]+/")
        deadline = time.monotonic() + timeout
        while True:
            links = [link for body in self._emails_to(address) for link in pattern.findall(body)]
            if links:
                return links[-1]
            if time.monotonic() > deadline:
                raise AssertionError(f"no invitation email to {address} in {self.mail_dir}")
            time.sleep(0.2)


def _describe(finding: dict, page_name: str, device: str, url: str) -> str:
    targets = [str(t) for node in finding["nodes"] for t in node["target"]]
    return (
        f"{page_name} [{device}] {url}\n"
        f"    {finding['id']} ({finding['impact']}): {finding['help']}\n"
        f"    targets: {', '.join(targets)}"
    )


class PageChecks:
    """Screenshot, axe scan, overflow and console checks for every page a journey visits."""

    def __init__(self, device: Device, artifacts: Path):
        from axe_playwright_python.sync_playwright import Axe

        self.device = device
        self.screenshots = artifacts / "screenshots"
        self.axe_reports = artifacts / "axe"
        self.screenshots.mkdir(parents=True, exist_ok=True)
        self.axe_reports.mkdir(parents=True, exist_ok=True)
        self.axe = Axe()
        self.problems: list[str] = []
        self.minor: list[str] = []
        self.console_errors: list[str] = []

    def watch(self, page) -> None:
        """Record console errors and uncaught exceptions of ``page``."""

        def on_console(message):
            # Failed loads are reported with their URL by on_response instead.
            if message.type == "error" and not message.text.startswith("Failed to load resource"):
                self.console_errors.append(f"{page.url}: {message.text}")

        def on_response(response):
            if response.status >= 400 and not response.url.endswith("/favicon.ico"):
                self.console_errors.append(
                    f"{page.url}: {response.request.method} {response.url} "
                    f"answered {response.status}"
                )

        page.on("console", on_console)
        page.on("response", on_response)
        page.on("pageerror", lambda exc: self.console_errors.append(f"{page.url}: {exc}"))

    def check(self, page, name: str) -> None:
        page.wait_for_load_state("load")
        label = f"{self.device.name}-{name}"
        if SCREENSHOTS:
            page.screenshot(path=self.screenshots / f"{label}.png", full_page=True)

        results = self.axe.run(page, options=AXE_OPTIONS).response
        violations, needs_review = results["violations"], results["incomplete"]
        (self.axe_reports / f"{label}.json").write_text(
            json.dumps(
                {"url": page.url, "violations": violations, "incomplete": needs_review},
                indent=2,
            )
        )
        for violation in violations:
            line = _describe(violation, name, self.device.name, page.url)
            if violation["impact"] in BLOCKING_IMPACTS:
                self.problems.append("accessibility: " + line)
            else:
                self.minor.append("violation: " + line)
        for finding in needs_review:
            self.minor.append(
                "needs review: " + _describe(finding, name, self.device.name, page.url)
            )

        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            self.problems.append(
                f"layout: {name} [{self.device.name}] {page.url} scrolls sideways by {overflow}px"
            )

    def assert_clean(self) -> None:
        if self.minor:
            print("axe findings that do not fail the test:\n" + "\n".join(self.minor))
        problems = self.problems + [f"console error: {e}" for e in self.console_errors]
        assert not problems, f"{len(problems)} problem(s) on the pages visited:\n" + "\n".join(
            problems
        )


def press(device: Device, locator) -> None:
    """Tap on a phone, click on a desktop."""
    if device.is_phone:
        locator.tap()
    else:
        locator.click()


def sign_in_clinician(page, app: RunningApp, device: Device, email: str, checks=None) -> None:
    """Email and password, then the TOTP code: the full clinician sign-in, through the pages."""
    from playwright.sync_api import expect

    page.goto(app.url("/accounts/login/"))
    if checks:
        checks.check(page, "1-login")
    main = page.locator("main")
    main.get_by_label("Email").fill(email)
    main.get_by_label("Password").fill(DEMO_PASSWORD)
    press(device, main.get_by_role("button", name="Sign In"))

    expect(page).to_have_url(app.url("/accounts/2fa/authenticate/"))
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    if checks:
        checks.check(page, "2-totp")
    main.get_by_label("Code").fill(app.totp_code(email))
    press(device, main.get_by_role("button", name="Sign In"))
    expect(page).to_have_url(app.url("/caseload/"))


def sign_in_client(page, app: RunningApp, device: Device, email: str) -> None:
    """Email and password (clients have no second factor), landing on the client's home page."""
    from playwright.sync_api import expect

    page.goto(app.url("/accounts/login/"))
    main = page.locator("main")
    main.get_by_label("Email").fill(email)
    main.get_by_label("Password").fill(DEMO_PASSWORD)
    press(device, main.get_by_role("button", name="Sign in"))
    expect(page).to_have_url(app.url("/home/"))


def clinician_page(app: RunningApp, new_page, clinician_sessions: dict, email: str, on: Device):
    """A page of this clinician, signed in; reuses an earlier sign-in of the test session, so a
    TOTP code is never needed twice (each is accepted once, in its own 30-second period)."""
    state = clinician_sessions.get(email)
    page = new_page(storage_state=state, on=on)
    if state is None:
        sign_in_clinician(page, app, on, email)
        clinician_sessions[email] = page.context.storage_state()
    return page
