import datetime as dt
import uuid

import pytest
from django.core import mail
from django.utils import timezone

from securebase.measures import domain as measures_domain
from securebase.measures.models import Assignment
from securebase.practise.homework import domain
from securebase.practise.homework.domain import in_quiet_hours, settings_of
from securebase.practise.models import Homework, Reminder
from securebase.practise.tasks import deliver_due_reminders, send_due_reminders
from tests.conftest import sign_in
from tests.factories import ReminderSettingsFactory, bearer


def _homework(maya, alex, **kw):
    data = {"kind": "pause", "due_on": timezone.localdate(), "schedule": "once", **kw}
    return domain.assign(maya, by=alex, data=data)[0]


@pytest.mark.parametrize("path", ["assignments", "homework"])
def test_api_assigns_homework_and_client_marks_done(client, alex, sam, maya, path):
    url = f"/api/v1/clients/{maya.pk}/{path}"
    body = {"kind": "reading", "target": "attachment-styles", "due_on": "2026-12-01"}
    headers = {**bearer(alex, "write"), "Idempotency-Key": str(uuid.uuid4())}
    first = client.post(url, body, content_type="application/json", headers=headers)
    again = client.post(url, body, content_type="application/json", headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    sam_headers = {**bearer(sam, "write"), "Idempotency-Key": str(uuid.uuid4())}
    assert (
        client.post(url, body, content_type="application/json", headers=sam_headers).status_code
        == 404
    )
    listed = client.get(url, headers=bearer(maya.user)).json()
    assert [h["target"] for h in listed] == ["attachment-styles"]
    done = client.post(
        f"/api/v1/homework/{listed[0]['id']}/done", headers=bearer(maya.user, "write")
    )
    assert done.json()["done_for_now"] is True


def test_both_homework_paths_are_one_collection_and_share_idempotency(client, alex, maya):
    body = {"kind": "pause", "due_on": "2026-12-01", "schedule": "daily"}
    headers = {**bearer(alex, "write"), "Idempotency-Key": str(uuid.uuid4())}
    base = f"/api/v1/clients/{maya.pk}"
    first = client.post(
        f"{base}/assignments", body, content_type="application/json", headers=headers
    )
    again = client.post(f"{base}/homework", body, content_type="application/json", headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Homework.objects.filter(client=maya).count() == 1
    for path in ("assignments", "homework"):
        listed = client.get(f"{base}/{path}", headers=bearer(alex)).json()
        assert [h["id"] for h in listed] == [first.json()["id"]]


def test_the_assignments_path_serves_homework_not_measures(client, alex, maya):
    measures_domain.assign(by=alex, client=maya, key="checkin")
    base = f"/api/v1/clients/{maya.pk}"
    assert client.get(f"{base}/assignments", headers=bearer(alex)).json() == []
    measure = client.get(f"{base}/measure-assignments", headers=bearer(alex)).json()
    assert len(measure) == 1
    headers = {**bearer(alex, "write"), "Idempotency-Key": str(uuid.uuid4())}
    response = client.post(
        f"{base}/assignments",
        {"instrument": "checkin"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 422
    assert Assignment.objects.filter(client=maya).count() == 1


def test_the_openapi_schema_lists_both_homework_paths(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("assignments", "homework"):
        assert set(paths[f"/api/v1/clients/{{client_id}}/{path}"]) == {"get", "post"}


def test_this_week_and_pages(alex, maya):
    hw = _homework(maya, alex)
    _homework(maya, alex, due_on=timezone.localdate() + dt.timedelta(days=30))
    assert [h.pk for h in domain.this_week(maya)] == [hw.pk]
    as_maya = sign_in(maya.user)
    assert as_maya.post(f"/home/homework/{hw.pk}/done/").status_code == 302
    assert domain.this_week(maya)[0].is_done
    assert sign_in(alex).get(f"/clients/{maya.pk}/homework/").status_code == 200


def test_a_due_reminder_is_sent_once_even_when_run_twice(alex, maya):
    hw = _homework(maya, alex)
    now = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(19, 0)))
    assert domain.plan_reminders(now) == 1
    assert domain.plan_reminders(now) == 0
    assert deliver_due_reminders(now) == 1
    assert deliver_due_reminders(now) == 0
    assert send_due_reminders.call() == 0
    assert len(mail.outbox) == 1
    assert "practise" in mail.outbox[0].subject and "pause" not in mail.outbox[0].body.lower()
    assert Reminder.objects.get(homework=hw).sent_at is not None


def test_quiet_hours_hold_a_reminder_back(alex, maya):
    _homework(maya, alex)
    ReminderSettingsFactory(
        client=maya, at_time=dt.time(6, 0), quiet_from=dt.time(21, 0), quiet_until=dt.time(8, 0)
    )
    day = timezone.localdate()
    domain.plan_reminders(timezone.make_aware(dt.datetime.combine(day, dt.time(5, 0))))
    assert deliver_due_reminders(timezone.make_aware(dt.datetime.combine(day, dt.time(7, 0)))) == 0
    assert deliver_due_reminders(timezone.make_aware(dt.datetime.combine(day, dt.time(8, 30)))) == 1
    assert len(mail.outbox) == 1


def test_gentle_pacing_sends_at_most_one_a_day(alex, maya):
    maya.pacing = "gentle"
    maya.save()
    _homework(maya, alex)
    _homework(maya, alex, kind="journal")
    now = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(19, 0)))
    domain.plan_reminders(now)
    assert deliver_due_reminders(now) == 1
    assert Homework.objects.count() == 2 and len(mail.outbox) == 1


def test_quiet_hours_follow_the_clients_own_clock(maya):
    maya.time_zone = "America/Los_Angeles"
    prefs = settings_of(maya)
    prefs.quiet_from, prefs.quiet_until = dt.time(22, 0), dt.time(7, 0)
    # 08:30 in London is 00:30 in Los Angeles: quiet for this client.
    assert in_quiet_hours(prefs, dt.datetime(2026, 11, 29, 8, 30, tzinfo=dt.UTC))
    assert not in_quiet_hours(prefs, dt.datetime(2026, 11, 29, 18, 30, tzinfo=dt.UTC))
