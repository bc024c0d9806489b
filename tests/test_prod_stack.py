"""The production stack on this machine (deploy/prod-local): Caddy with TLS in front of two app
processes under gunicorn, two task workers, PostgreSQL and Redis, as `make prod-local` starts it."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests import cli

# Not under faketime: Caddy (Go) reads the real clock, so its certificates would look expired.
pytestmark = [pytest.mark.subprocess, pytest.mark.stack]

ROOT = Path(__file__).resolve().parent.parent
READY = "Secure Base (production stack): "


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """The stack on free ports, with the demo practice, stopped after the module's tests."""
    if shutil.which("caddy") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Caddy is missing, and CI=true requires it", pytrace=False)
        pytest.skip("Caddy is not installed (apt-get install caddy)")
    cli.require_postgres()
    state = tmp_path_factory.mktemp("prod-local")
    https_port, http_port, app_a, app_b = _free_ports(4)
    with cli.postgres_database() as url:
        env = {
            **os.environ,
            "PROD_LOCAL_DIR": str(state),
            "PROD_LOCAL_DATABASE_URL": url,
            "HTTPS_PORT": str(https_port),
            "HTTP_PORT": str(http_port),
            "APP_PORTS": f"{app_a} {app_b}",
            "REDIS_DB": "7",
            "SECUREBASE_BIN": str(ROOT / ".venv" / "bin" / "securebase"),
            "PYTHONPATH": str(ROOT),
        }
        process = subprocess.Popen(
            [str(ROOT / "deploy" / "prod-local")],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        output = []
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            output.append(line)
            if line.startswith(READY):
                break
        if not output or not output[-1].startswith(READY):
            os.killpg(process.pid, signal.SIGTERM)
            pytest.fail("the stack did not start:\n" + "".join(output[-40:]), pytrace=False)
        address = output[-1].removeprefix(READY).strip()
        session = requests.Session()
        session.trust_env = False  # else REQUESTS_CA_BUNDLE would win over the verify below
        session.verify = str(state / "caddy" / "pki" / "authorities" / "local" / "root.crt")
        try:
            yield {
                "address": address,
                "session": session,
                "state": state,
                "http_port": http_port,
                "app_ports": (app_a, app_b),
                "env": env,
            }
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def test_caddy_serves_the_app_over_tls_with_hsts(stack):
    session, address = stack["session"], stack["address"]
    ready = session.get(address + "readyz", timeout=10)
    assert ready.status_code == 200 and ready.json()["status"] == "ok"
    login = session.get(address + "accounts/login/", timeout=10)
    assert login.status_code == 200
    assert "max-age=31536000" in login.headers["Strict-Transport-Security"]
    assert "Server" not in login.headers
    css = session.get(address + "static/securebase/app.css", timeout=10)
    assert css.status_code == 200 and "Secure Base" in css.text
    plain = requests.get(
        f"http://127.0.0.1:{stack['http_port']}/accounts/login/", allow_redirects=False, timeout=10
    )
    assert plain.status_code == 308 and plain.headers["Location"] == address + "accounts/login/"


def test_a_client_signs_in_through_caddy_and_both_app_processes_serve(stack):
    session, address = stack["session"], stack["address"]
    page = session.get(address + "accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    signed_in = session.post(
        address + "accounts/login/",
        data={
            "csrfmiddlewaretoken": token,
            "login": "maya@demo.test",
            "password": "demo-harbour-2026",
        },
        headers={"Referer": address + "accounts/login/"},
        timeout=20,
    )
    assert signed_in.status_code == 200 and signed_in.url == address + "home/"
    for _ in range(6):  # the session holds on whichever process answers (Redis, the database)
        assert session.get(address + "home/", timeout=10).status_code == 200

    logs = stack["state"] / "logs"
    lines = {
        port: (logs / f"app-{port}.log").read_text().splitlines() for port in stack["app_ports"]
    }
    assert all(lines.values()), "each app process answered some of the requests"
    metrics = session.get(address + "metrics", timeout=10)  # scraped from this machine
    assert metrics.status_code == 200
    assert 'view="client_home"' in metrics.text and "Maya" not in metrics.text
    entry = json.loads(lines[stack["app_ports"][0]][-1])
    assert re.fullmatch(r"[0-9a-f-]{36}", entry["request_id"])  # Caddy's id for the request
    assert "?" not in entry["path"]


def test_a_reload_replaces_the_workers_without_failing_a_request(stack):
    session, address = stack["session"], stack["address"]
    port = stack["app_ports"][0]
    master = subprocess.run(
        ["pgrep", "-o", "-f", f"securebase serve --bind 127.0.0.1:{port}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[0]
    os.kill(int(master), signal.SIGHUP)
    # A request may wait while the new workers start (seconds, on a busy machine), never fail.
    statuses = [session.get(address + "healthz", timeout=60).status_code for _ in range(20)]
    assert statuses == [200] * 20


def test_the_scheduled_jobs_run_against_the_stack(stack):
    env = {
        **stack["env"],
        **dict(
            line.split("=", 1) for line in (stack["state"] / "keys.env").read_text().splitlines()
        ),
        "DEBUG": "0",
        "DATABASE_URL": stack["env"]["PROD_LOCAL_DATABASE_URL"],
        "ALLOWED_HOSTS": "127.0.0.1",
        "AUDIT_WITNESS_DIR": str(stack["state"] / "witness"),
        "BACKUP_DIR": str(stack["state"] / "backups"),
    }
    (stack["state"] / "backups").mkdir()
    for job in ("reminders", "boosters", "checkpoint", "verify", "backup"):
        done = subprocess.run(
            [str(ROOT / "deploy" / "run-job"), job],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"{job}: {done.stdout}{done.stderr}"
    assert len(list((stack["state"] / "backups").glob("securebase-*.backup"))) == 1
