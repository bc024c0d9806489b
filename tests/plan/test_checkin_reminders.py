"""Check-in reminders: one email per slot at most, quiet hours, answered slots, gentle pacing."""

import datetime as dt

from django.core import mail

from securebase.audit.models import AuditEvent
from securebase.plan.checkins import domain as checkins
from securebase.plan.models import CheckinReminder, CheckinSchedule
from securebase.plan.tasks import deliver_due_checkin_reminders, send_due_checkin_reminders
from tests.factories import ReminderSettingsFactory

UTC = dt.UTC
RATINGS = {"mood": 6, "closeness": 4, "felt_security": 5}


def at(*args):
    return dt.datetime(*args, tzinfo=UTC)


def _daily(client, times=("19:00",), remind=True):
    saved = checkins.set_schedule(
        client, by=client.user, cadence="daily", weekdays=[], times=list(times),
        remind=remind, active=True, version=0,
    )  # fmt: skip
    CheckinSchedule.objects.filter(pk=saved.pk).update(starts_on=dt.date(2026, 11, 19))
    client.refresh_from_db()


def test_a_due_reminder_is_sent_once_even_when_run_twice(maya):
    _daily(maya)
    now = at(2026, 11, 20, 19, 5)
    assert deliver_due_checkin_reminders(now) == 1
    assert deliver_due_checkin_reminders(now) == 0
    assert deliver_due_checkin_reminders(now + dt.timedelta(minutes=30)) == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["maya@example.org"]
    assert message.subject == "Time for your check-in in Secure Base"
    assert "/home/check-in/" in message.body
    reminder = CheckinReminder.objects.get(due_at=at(2026, 11, 20, 19))
    assert (reminder.channel, reminder.sent_at) == ("email", now)
    assert AuditEvent.objects.filter(object_type="checkin_reminder").count() == 1


def test_the_task_wrapper_sends_nothing_twice(maya):
    _daily(maya)
    first = send_due_checkin_reminders.call()  # reads the (frozen) clock itself
    assert send_due_checkin_reminders.call() == 0
    assert len(mail.outbox) == first


def test_an_answered_slot_gets_no_reminder(maya):
    _daily(maya)
    checkins.record_checkin(maya, by=maya.user, data=RATINGS, now=at(2026, 11, 20, 18))
    assert deliver_due_checkin_reminders(at(2026, 11, 20, 19, 5)) == 0
    assert mail.outbox == []
    assert CheckinReminder.objects.get(due_at=at(2026, 11, 20, 19)).channel == "skipped"


def test_quiet_hours_on_the_clients_clock_hold_a_reminder_back(maya):
    maya.time_zone = "Europe/Madrid"
    maya.save()
    ReminderSettingsFactory(client=maya, quiet_from=dt.time(21, 0), quiet_until=dt.time(8, 0))
    _daily(maya, times=("07:00",))  # 06:00 UTC in winter
    assert deliver_due_checkin_reminders(at(2026, 11, 20, 6, 30)) == 0  # 07:30 in Madrid
    assert deliver_due_checkin_reminders(at(2026, 11, 20, 7, 5)) == 1  # 08:05 in Madrid
    assert len(mail.outbox) == 1


def test_no_email_when_the_client_turned_email_reminders_off(maya):
    ReminderSettingsFactory(client=maya, by_email=False)
    _daily(maya)
    assert deliver_due_checkin_reminders(at(2026, 11, 20, 19, 5)) == 0
    assert mail.outbox == []


def test_no_reminders_when_the_schedule_says_so(maya):
    _daily(maya, remind=False)
    assert deliver_due_checkin_reminders(at(2026, 11, 20, 19, 5)) == 0
    assert not CheckinReminder.objects.exists()


def test_only_the_newest_missed_slot_is_reminded_and_old_ones_are_given_up(maya):
    _daily(maya, times=("09:00", "19:00"))
    assert deliver_due_checkin_reminders(at(2026, 11, 21, 19, 5)) == 1
    assert len(mail.outbox) == 1
    sent = CheckinReminder.objects.filter(channel="email").values_list("due_at", flat=True)
    assert list(sent) == [at(2026, 11, 21, 19)]
    assert not CheckinReminder.objects.filter(due_at__lt=at(2026, 11, 19, 19, 5)).exists()


def test_gentle_pacing_sends_at_most_one_reminder_a_day(maya):
    maya.pacing = "gentle"
    maya.save()
    _daily(maya, times=("09:00", "19:00"))
    assert deliver_due_checkin_reminders(at(2026, 11, 20, 9, 5)) == 1
    assert deliver_due_checkin_reminders(at(2026, 11, 20, 19, 5)) == 0
    assert deliver_due_checkin_reminders(at(2026, 11, 21, 9, 10)) == 1
    assert len(mail.outbox) == 2
