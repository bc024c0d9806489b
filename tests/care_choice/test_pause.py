"""Pausing the whole programme: the client's own choice; no reminders and nothing due while paused."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from securebase.audit.models import AuditEvent
from securebase.care.choice import domain as choice
from securebase.care.models import Client
from securebase.plan.checkins import domain as checkins
from securebase.plan.models import CheckinReminder, CheckinSchedule
from securebase.plan.tasks import deliver_due_checkin_reminders
from securebase.practise.homework import domain as homework
from securebase.practise.models import Reminder
from securebase.practise.tasks import deliver_due_reminders
from tests.clock import FROZEN_NOW
from tests.conftest import sign_in
from tests.factories import AssignmentFactory, CheckinReminderFactory, CheckinScheduleFactory

UTC = dt.UTC
PAUSED_TEXT = (
    "Your programme is paused. Nothing is due and no reminders are sent. Resume when you are ready."
)


TODAY = FROZEN_NOW.date()


def _at(days_on, hour, minute=0):
    """``hour``:``minute`` UTC, ``days_on`` days after the frozen day."""
    return dt.datetime.combine(TODAY + dt.timedelta(days=days_on), dt.time(hour, minute), UTC)


def _daily_checkins(client, time="19:00"):
    saved = checkins.set_schedule(
        client, by=client.user, cadence="daily", weekdays=[], times=[time],
        remind=True, active=True, version=0,
    )  # fmt: skip
    CheckinSchedule.objects.filter(pk=saved.pk).update(starts_on=TODAY - dt.timedelta(days=19))
    client.refresh_from_db()


def _homework_due(client, clinician, day):
    return homework.assign(
        client, by=clinician, data={"kind": "pause", "due_on": day, "schedule": "daily"}
    )[0]


# --- the domain ------------------------------------------------------------------------------------


def test_pausing_and_resuming_are_the_clients_own_and_audited(maya):
    choice.pause_programme(maya, by=maya.user)
    maya.refresh_from_db()
    assert maya.programme_paused_at is not None
    assert maya.status == Client.Status.ACTIVE  # the clinician's status is untouched
    choice.resume_programme(maya, by=maya.user)
    maya.refresh_from_db()
    assert maya.programme_paused_at is None
    events = AuditEvent.objects.filter(object_type="programme").order_by("seq")
    assert [e.detail for e in events] == [{"paused": True}, {"paused": False}]


def test_pausing_twice_keeps_the_first_date_and_audits_once(maya):
    choice.pause_programme(maya, by=maya.user)
    first = Client.objects.get(pk=maya.pk).programme_paused_at
    choice.pause_programme(maya, by=maya.user)
    assert Client.objects.get(pk=maya.pk).programme_paused_at == first
    assert maya.programme_paused_at == first
    assert AuditEvent.objects.filter(object_type="programme").count() == 1


def test_nobody_else_can_pause_a_clients_programme(alex, priya, maya):
    for someone in (alex, priya.user):
        with pytest.raises(choice.NotAllowed):
            choice.pause_programme(maya, by=someone)
    assert Client.objects.get(pk=maya.pk).programme_paused_at is None


# --- the pages ------------------------------------------------------------------------------------


def test_the_client_pauses_from_preferences_and_resumes_from_home(as_maya, maya):
    page = as_maya.get("/home/choices/")
    assert "Pause my programme" in page.content.decode()
    response = as_maya.post("/home/programme/pause/", {"next": "client_preferences"})
    assert (response.status_code, response["Location"]) == (302, "/home/choices/")
    assert Client.objects.get(pk=maya.pk).programme_paused_at is not None
    home = as_maya.get("/home/").content.decode()
    assert PAUSED_TEXT in home
    response = as_maya.post("/home/programme/resume/", {"next": "client_home"})
    assert (response.status_code, response["Location"]) == (302, "/home/")
    assert Client.objects.get(pk=maya.pk).programme_paused_at is None
    assert PAUSED_TEXT not in as_maya.get("/home/").content.decode()


def test_a_clinician_cannot_use_the_pause_pages(as_alex, maya):
    assert as_alex.post("/home/programme/pause/").status_code == 404
    assert as_alex.post("/home/programme/resume/").status_code == 404
    assert Client.objects.get(pk=maya.pk).programme_paused_at is None


def test_the_pause_pages_only_take_posts(as_maya):
    assert as_maya.get("/home/programme/pause/").status_code == 405


def test_nothing_is_due_on_home_while_paused(alex, maya, as_maya):
    today = timezone.localdate()
    homework.assign(
        maya,
        by=alex,
        data={"kind": "pause", "due_on": today - dt.timedelta(days=2), "schedule": "once"},
    )
    AssignmentFactory(client=maya, instrument_key="phq9", next_due=today)
    now = timezone.now()
    checkins.set_schedule(
        maya, by=maya.user, cadence="daily", weekdays=[],
        times=[timezone.localtime(now).strftime("%H:%M")], remind=True, active=True, version=0,
    )  # fmt: skip
    before = as_maya.get("/home/").content.decode()
    assert "past its due date" in before
    assert "You have 1 questionnaire to fill in." in before

    choice.pause_programme(maya, by=maya.user)
    after = as_maya.get("/home/").content.decode()
    assert PAUSED_TEXT in after
    assert "past its due date" not in after
    assert "overdue" not in after
    assert "questionnaire to fill in" not in after
    assert "Your check-in is open" not in after
    assert "Nothing is due while your programme is paused." in after
    assert [h.overdue for h in homework.this_week(Client.objects.get(pk=maya.pk))] == [False]


# --- reminders ------------------------------------------------------------------------------------


def test_no_homework_reminder_is_sent_while_paused_and_they_come_again_after(alex, maya):
    day = TODAY
    work = _homework_due(maya, alex, day)
    evening = timezone.make_aware(dt.datetime.combine(day, dt.time(18, 30)))
    homework.plan_reminders(evening - dt.timedelta(hours=12))  # planned before the pause
    choice.pause_programme(maya, by=maya.user)
    assert deliver_due_reminders(evening) == 0
    assert mail.outbox == []
    assert Reminder.objects.get(homework=work).channel == "skipped"
    next_day = day + dt.timedelta(days=1)
    assert (
        homework.plan_reminders(timezone.make_aware(dt.datetime.combine(next_day, dt.time(9)))) == 0
    )

    choice.resume_programme(maya, by=maya.user)
    assert (
        homework.plan_reminders(timezone.make_aware(dt.datetime.combine(next_day, dt.time(9)))) == 1
    )
    assert deliver_due_reminders(evening + dt.timedelta(days=1)) == 1
    assert len(mail.outbox) == 1


def test_no_checkin_reminder_is_sent_while_paused_and_they_come_again_after(maya):
    _daily_checkins(maya)
    choice.pause_programme(maya, by=maya.user)
    assert deliver_due_checkin_reminders(_at(0, 19, 5)) == 0
    assert mail.outbox == []
    assert not CheckinReminder.objects.filter(sent_at__isnull=True).exists()

    choice.resume_programme(maya, by=maya.user)
    assert deliver_due_checkin_reminders(_at(1, 19, 5)) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Time for your check-in in Secure Base"


def test_a_checkin_reminder_planned_before_the_pause_is_dropped_not_sent_later(maya):
    _daily_checkins(maya)
    CheckinReminderFactory(client=maya, due_at=_at(0, 19))
    choice.pause_programme(maya, by=maya.user)
    assert deliver_due_checkin_reminders(_at(0, 19, 5)) == 0
    choice.resume_programme(maya, by=maya.user)
    assert deliver_due_checkin_reminders(_at(0, 19, 30)) == 0
    assert CheckinReminder.objects.get(due_at=_at(0, 19)).channel == "skipped"
    assert mail.outbox == []


def test_a_discharged_client_keeps_reminders_of_their_own_self_checkins(maya):
    Client.objects.filter(pk=maya.pk).update(status=Client.Status.DISCHARGED)
    maya.refresh_from_db()
    _daily_checkins(maya)
    assert deliver_due_checkin_reminders(_at(0, 19, 5)) == 1


def test_a_programme_paused_by_the_care_team_sends_no_checkin_reminders(maya):
    Client.objects.filter(pk=maya.pk).update(status=Client.Status.PAUSED)
    maya.refresh_from_db()
    _daily_checkins(maya)
    assert deliver_due_checkin_reminders(_at(0, 19, 5)) == 0


def test_no_check_in_is_due_or_missed_while_the_programme_is_paused(maya):
    now = timezone.now()
    CheckinScheduleFactory(
        client=maya,
        cadence="daily",
        times=[now.strftime("%H:%M")],
        starts_on=(now - dt.timedelta(days=6)).date(),
    )
    assert checkins.due_now(maya, now) is not None
    before_pause = checkins.missed_slots(maya, now)
    maya.programme_paused_at = now - dt.timedelta(days=3)
    assert checkins.due_now(maya, now) is None
    assert len(checkins.missed_slots(maya, now)) < len(before_pause)


def test_a_reflective_prompt_starts_the_journal_entry(maya):
    key = next(iter(choice._PROMPTS))
    page = sign_in(maya.user).get(f"/home/journal/new/?prompt={key}")
    assert choice.prompt_text(key) in page.content.decode()


def test_the_caseload_and_brief_say_the_client_paused_and_flag_no_missed_check_ins(alex, maya):
    now = timezone.now()
    CheckinScheduleFactory(
        client=maya, cadence="daily", times=["09:00"], starts_on=(now - dt.timedelta(days=9)).date()
    )
    Client.objects.filter(pk=maya.pk).update(programme_paused_at=now - dt.timedelta(days=8))
    web = sign_in(alex)
    caseload = web.get("/caseload/").content.decode()
    brief = web.get(f"/clients/{maya.pk}/brief/").content.decode()
    assert "paused by the client since" in caseload
    assert "no check-in for" not in caseload
    assert "The client paused their programme on" in brief
