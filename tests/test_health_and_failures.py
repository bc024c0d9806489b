import datetime as dt
import json
import logging
import re
import uuid

from django.db import OperationalError
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from pythonjsonlogger.json import JsonFormatter

from securebase import settings as app_settings
from securebase.audit.models import AuditEvent
from securebase.care.models import Client


def test_healthz_answers_without_a_database(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_is_ready_when_migrated(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "worker": "ok"}


def test_readyz_answers_503_with_pending_migrations(client, db, monkeypatch):
    class Pending:
        def __init__(self, connection):
            self.loader = type("L", (), {"graph": type("G", (), {"leaf_nodes": lambda s: []})()})()

        def migration_plan(self, targets):
            return [("care", "0099_future")]

    monkeypatch.setattr("securebase.core.readiness.MigrationExecutor", Pending)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["pending_migrations"] == 1


def test_readyz_answers_503_when_the_database_is_unreachable(client, db, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr("django.db.backends.base.base.BaseDatabaseWrapper.cursor", unreachable)
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_a_database_failure_mid_request_saves_nothing_and_answers_503(as_alex, monkeypatch):
    real_save = AuditEvent.save

    def failing_save(self, *args, **kwargs):
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(AuditEvent, "save", failing_save)
    data = {
        "name": "Noor Haddad",
        "email": "noor@example.org",
        "language": "en",
        "country": "GB",
        "submission_id": str(uuid.uuid4()),
    }
    response = as_alex.post("/clients/new/", data)
    assert response.status_code == 503
    assert "Nothing you sent was half-saved" in response.content.decode()
    assert not Client.objects.with_email(None, "noor@example.org").exists()

    monkeypatch.setattr(AuditEvent, "save", real_save)
    response = as_alex.post("/clients/new/", data)
    assert response.status_code == 302
    assert Client.objects.with_email(None, "noor@example.org").count() == 1


def test_a_database_failure_inside_a_middleware_answers_503_too(as_alex, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("django.contrib.auth.get_user", unreachable)
    as_alex.raise_request_exception = False  # answer as a server would, not re-raise in the test
    page = as_alex.get("/caseload/")
    api = as_alex.get("/api/v1/me")

    assert (page.status_code, api.status_code) == (503, 503)
    assert page["Retry-After"] == "5"
    assert "Nothing you sent was half-saved" in page.content.decode()
    assert "Nothing you sent was half-saved" in api.json()["detail"]


def test_security_headers_forbid_inline_script(client, db):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_hold_no_inline_script(as_alex, maya):
    for path in ["/caseload/", f"/clients/{maya.pk}/", "/clients/new/", "/account/"]:
        html = as_alex.get(path).text
        assert "<script>" not in html
        assert "onclick=" not in html and "style=" not in html


def test_readyz_answers_503_when_a_task_waits_for_a_worker_too_long(client, db, clock):
    DBTaskResult.objects.create(  # as enqueue() writes it once its transaction commits
        status=TaskResultStatus.READY,
        args_kwargs={"args": [], "kwargs": {}},
        priority=0,
        task_path="securebase.practise.tasks.send_due_reminders",
        queue_name="default",
        backend_name="default",
        worker_ids=[],
    )
    assert client.get("/readyz").json()["worker"] == "ok"  # just queued
    clock.shift(dt.timedelta(minutes=11))
    late = client.get("/readyz")
    assert late.status_code == 503
    assert late.json() == {
        "status": "unavailable",
        "database": "ok",
        "cache": "ok",
        "worker": "late",
    }


def test_readyz_answers_503_when_the_cache_is_unreachable(client, db, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr("securebase.core.readiness.cache.set", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["cache"] == "unreachable"


def test_every_response_carries_a_request_id_and_the_logs_name_it(client, db, caplog):
    given = client.get("/healthz", headers={"X-Request-Id": "caddy-1234"})
    assert given["X-Request-Id"] == "caddy-1234"
    made = client.get("/healthz", headers={"X-Request-Id": "not an id; <script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", made["X-Request-Id"])
    with caplog.at_level("WARNING", logger="django.request"):
        client.get("/no-such-page/", headers={"X-Request-Id": "caddy-5678"})
    assert any(getattr(r, "request_id", None) == "caddy-5678" for r in caplog.records)


def test_the_json_log_line_holds_the_request_id():
    spec = app_settings.LOGGING["formatters"]["json"]
    formatter = JsonFormatter(spec["fmt"], rename_fields=spec["rename_fields"])
    record = logging.getLogRecordFactory()(
        "securebase", logging.WARNING, __file__, 1, "moment %s", ("x",), None
    )
    line = json.loads(formatter.format(record))
    assert line["level"] == "WARNING" and line["message"] == "moment x"
    assert line["logger"] == "securebase" and line["request_id"] == "-"
