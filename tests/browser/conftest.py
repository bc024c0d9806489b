"""Browser fixtures: the real app in a subprocess on a scratch SQLite database, and Chromium.

The app is not pytest-django's live_server: the audit tables refuse DELETE, so a flushed test
database cannot be used. Instead one ``securebase runserver`` serves the whole session from its own
temporary directory, loaded with ``securebase demo-data``.

Without Chromium (or Playwright) the tests skip, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.browser.support import DEVICES, PageChecks, RunningApp

# Debian's Chromium built as a headless shell (the package chromium-headless-shell), as Playwright
# itself runs headless tests: the full browser in headless mode took 259 s of wall time for the
# journeys that this one runs in 173 s, on 2 cores. SECUREBASE_CHROMIUM picks another build.
CHROMIUM = os.environ.get("SECUREBASE_CHROMIUM", "/usr/bin/chromium-headless-shell")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _cannot_run(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}. CI=true requires the browser tests to run.", pytrace=False)
    pytest.skip(f"{reason}; the browser tests need it (they fail instead of skipping in CI)")


@pytest.fixture(scope="session")
def browser_prerequisites():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _cannot_run(f"Chromium not found at {CHROMIUM} (apt-get install chromium-headless-shell)")
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        _cannot_run(f"{exc.name} is not installed (pip install -e '.[test]')")


def _securebase_command() -> list[str]:
    script = Path(sys.executable).parent / "securebase"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "securebase"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_healthy(url: str, server: subprocess.Popen, logs: list[Path]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own URL)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    output = "\n".join(f"--- {log}\n{log.read_text(errors='replace')}" for log in logs)
    raise RuntimeError(f"securebase runserver did not become healthy at {url}\n{output}")


@pytest.fixture(scope="session")
def app(browser_prerequisites, tmp_path_factory):
    # Imported here, not at the top: tests.cli asks pytest to rewrite its asserts, which only
    # works if nothing imported it during collection.
    from tests.cli import clean_env, copy_sqlite, copy_var_dir, demo_data_output, sqlite_template

    work_dir = tmp_path_factory.mktemp("securebase-browser")
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    # Only PATH, HOME, locale... pass through: none of the test run's settings (tests.settings,
    # its keys, a PostgreSQL DATABASE_URL) reach the server.
    env = clean_env(
        DEBUG="1",
        SECUREBASE_VAR_DIR=str(work_dir),
        DATABASE_URL=f"sqlite:///{work_dir}/db.sqlite3",
        SITE_URL=base_url,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(work_dir / "mail"),
        PYTHONUNBUFFERED="1",
    )
    stdout_log, stderr_log = work_dir / "server.stdout.log", work_dir / "server.stderr.log"
    running = RunningApp(
        base_url=base_url,
        env=env,
        command=_securebase_command(),
        work_dir=work_dir,
        mail_dir=work_dir / "mail",
        totp_secrets={},
    )
    # The demo site the command-line tests use too: migrated and loaded once per test run.
    copy_var_dir(sqlite_template(tmp_path_factory, "demo").var_dir, work_dir)
    copy_sqlite(sqlite_template(tmp_path_factory, "demo").sqlite_path, work_dir / "db.sqlite3")
    demo = demo_data_output(tmp_path_factory)
    running.totp_secrets.update(
        re.findall(r"^\s*(\S+@demo\.test)\s.*TOTP secret (\S+)\s*$", demo, re.MULTILINE)
    )
    assert running.totp_secrets, f"no TOTP secrets in the demo-data output:\n{demo}"

    with stdout_log.open("w") as out, stderr_log.open("w") as err:
        server = subprocess.Popen(
            [*running.command, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            cwd=work_dir,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
        )
    try:
        _wait_until_healthy(running.url("/healthz"), server, [stdout_log, stderr_log])
        yield running
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def browser(browser_prerequisites):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(params=list(DEVICES), ids=list(DEVICES))
def device(request):
    return DEVICES[request.param]


@pytest.fixture(scope="session")
def artifacts(request) -> Path:
    path = request.config.rootpath / "test-artifacts"
    shutil.rmtree(path / "failures", ignore_errors=True)
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture
def checks(device, artifacts):
    return PageChecks(device, artifacts)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_failed = report.failed
    return report


@pytest.fixture
def new_page(browser, device, checks, artifacts, request):
    """Make a page in a fresh browser context (its own cookies) with the device's viewport.

    ``on`` gives another device's viewport, for a journey with people on different devices."""
    contexts = []

    def make(storage_state=None, on=None):
        context = browser.new_context(
            **(on or device).options, locale="en-GB", timezone_id="UTC", storage_state=storage_state
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        checks.watch(page)
        return page

    yield make
    if getattr(request.node, "browser_failed", False):
        failures = artifacts / "failures"
        failures.mkdir(exist_ok=True)
        safe = re.sub(r"[^\w.-]+", "_", request.node.name)
        for c, context in enumerate(contexts):
            for p, page in enumerate(context.pages):
                try:
                    page.screenshot(path=failures / f"{safe}-{c}-{p}.png", full_page=True)
                except Exception as exc:  # noqa: BLE001 (best effort, the test already failed)
                    print(f"no failure screenshot of {page.url}: {exc}")
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def clinician_sessions():
    """Storage states of clinicians already signed in, so later journeys skip a second TOTP."""
    return {}
