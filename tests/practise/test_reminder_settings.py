import datetime as dt

from django.utils import timezone

from securebase.audit.models import AuditEvent
from securebase.practise.homework import domain as homework
from securebase.practise.models import Reminder, ReminderSettings

URL = "/home/reminders/"


def _form(**extra):
    data = {"by_email": "on", "at_time": "19:15", "quiet_from": "22:00", "quiet_until": "07:30"}
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def test_client_sees_the_defaults_and_saves_settings(as_maya, maya):
    page = as_maya.get(URL)
    assert page.status_code == 200
    assert 'value="18:00"' in page.content.decode()
    response = as_maya.post(URL, _form(by_email=None))
    assert response.status_code == 302
    prefs = ReminderSettings.objects.get(client=maya)
    assert (prefs.by_email, prefs.at_time, prefs.quiet_from, prefs.quiet_until) == (
        False,
        dt.time(19, 15),
        dt.time(22, 0),
        dt.time(7, 30),
    )
    again = as_maya.get(URL).content.decode()
    assert 'value="19:15"' in again and 'value="07:30"' in again


def test_quiet_hours_may_cross_midnight_or_not(as_maya, maya):
    assert as_maya.post(URL, _form(quiet_from="23:00", quiet_until="06:00")).status_code == 302
    assert as_maya.post(URL, _form(quiet_from="12:00", quiet_until="14:00")).status_code == 302
    assert ReminderSettings.objects.get(client=maya).quiet_until == dt.time(14, 0)


def test_errors_are_clear_and_keep_what_was_typed(as_maya, maya):
    response = as_maya.post(URL, _form(at_time="23:30", quiet_from="22:00", quiet_until="07:00"))
    body = response.content.decode()
    assert response.status_code == 400
    assert "falls within your quiet hours" in body
    assert 'value="23:30"' in body and 'value="22:00"' in body
    same = as_maya.post(URL, _form(quiet_from="21:00", quiet_until="21:00"))
    assert same.status_code == 400 and "same time" in same.content.decode()
    bad = as_maya.post(URL, _form(at_time="half past six"))
    assert bad.status_code == 400 and 'value="half past six"' in bad.content.decode()
    missing = as_maya.post(URL, _form(quiet_until=""))
    assert "quiet hours end" in missing.content.decode()
    assert not ReminderSettings.objects.filter(client=maya).exists()


def test_saving_is_audited_without_times_or_clinical_text(as_maya, maya):
    as_maya.post(URL, _form())
    event = AuditEvent.objects.filter(client_id=maya.pk, object_type="reminder_settings").last()
    assert event.action == "update"
    assert event.detail["by_email"] is True
    assert "19:15" not in str(event.detail)


def test_a_new_time_replans_pending_reminders(as_maya, maya, alex):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    hw, _ = homework.assign(maya, by=alex, data={"kind": "pause", "due_on": tomorrow})
    homework.plan_reminders()
    assert timezone.localtime(Reminder.objects.get(homework=hw).due_at).time() == dt.time(18, 0)
    as_maya.post(URL, _form(at_time="09:30"))
    homework.plan_reminders()
    due = Reminder.objects.get(homework=hw).due_at
    assert timezone.localtime(due).time() == dt.time(9, 30)


def test_only_clients_have_reminder_settings(as_alex, as_sam):
    assert as_alex.get(URL).status_code == 404
    assert as_sam.post(URL, _form()).status_code == 404


def test_home_shows_a_banner_for_homework_due_today_or_overdue(as_maya, maya, alex):
    assert "reminder-banner" not in as_maya.get("/home/").content.decode()
    today = timezone.localdate()
    homework.assign(maya, by=alex, data={"kind": "pause", "due_on": today + dt.timedelta(days=3)})
    assert "reminder-banner" not in as_maya.get("/home/").content.decode()
    homework.assign(maya, by=alex, data={"kind": "journal", "due_on": today})
    body = as_maya.get("/home/").content.decode()
    assert "reminder-banner" in body and "1 thing to practise today" in body
    assert 'href="/home/homework/"' in body
    late = homework.assign(
        maya, by=alex, data={"kind": "reading", "due_on": today - dt.timedelta(days=2)}
    )[0]
    body = as_maya.get("/home/").content.decode()
    assert "1 is past its due date" in body
    homework.mark_done(late, by=maya.user)
    assert "past its due date" not in as_maya.get("/home/").content.decode()
