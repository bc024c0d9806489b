"""Check-in reminders through the Django Tasks API (django-tasks), like practise reminders.

For each client with an active schedule and reminders on, each slot that has come gets one
:class:`CheckinReminder` row (unique per client and slot). A worker claims a row with a conditional
UPDATE (``sent_at IS NULL``) before sending, so a second worker, or a second run, sends nothing.
Answered slots, slots older than ``GIVE_UP_AFTER``, and older slots overtaken by a newer one are
claimed as "skipped" without an email. The client's reminder settings of the practise area apply
(email on or off, quiet hours on the client's own clock), and gentle pacing sends at most one
reminder a day. While the client has paused their programme every due row is claimed as skipped:
nothing arrives during the pause, and nothing from it arrives after. The email holds no clinical
text.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from securebase.care.models import Client
from securebase.core.links import absolute_url
from securebase.plan.checkins import domain as checkins
from securebase.plan.checkins import rules as slots_of
from securebase.plan.models import Checkin, CheckinReminder, CheckinSchedule
from securebase.practise.homework.domain import email_reminder, in_quiet_hours, settings_of
from securebase.practise.models import Reminder

logger = logging.getLogger("securebase.plan")

GIVE_UP_AFTER = dt.timedelta(days=2)  # a reminder this late is dropped, not sent
GENTLE_GAP = dt.timedelta(hours=24)  # gentle pacing: at most one reminder a day
SKIPPED = "skipped"


def _message(client) -> tuple[str, str]:
    with translation.override(client.language or None):
        subject = _("Time for your check-in in Secure Base")
        body = _(
            "It is time for your check-in in Secure Base. It takes under a minute.\n\n"
            "Sign in to check in: %(url)s\n\n"
            "You can change when check-ins and reminders come, or turn reminders off, in your "
            "settings. Secure Base is not a crisis service."
        ) % {"url": absolute_url("/home/check-in/")}
    return subject, body


def _claim(pk, now: dt.datetime, channel: str | None = None) -> bool:
    changes = {"sent_at": now}
    if channel:
        changes["channel"] = channel
    return CheckinReminder.objects.filter(pk=pk, sent_at__isnull=True).update(**changes) == 1


def _quiet(prefs, client, now: dt.datetime) -> bool:
    """Quiet hours are on the client's own clock."""
    with timezone.override(client.zone):
        return in_quiet_hours(prefs, now)


def _sent_lately(client, now: dt.datetime) -> bool:
    since = now - GENTLE_GAP
    return (
        CheckinReminder.objects.filter(client=client, channel="email", sent_at__gt=since).exists()
        or Reminder.objects.filter(
            homework__client=client, channel="email", sent_at__gt=since
        ).exists()
    )


def plan_checkin_reminders(now: dt.datetime) -> list[CheckinSchedule]:
    """Make the reminder rows of every slot that has come; answer the schedules concerned."""
    schedules = list(
        CheckinSchedule.objects.filter(
            active=True,
            remind=True,
            client__user__isnull=False,
        )
        # Not while the care team paused the programme; after discharge the client's own self
        # check-ins keep their reminders. A programme the client paused is still planned, so the
        # slots of the pause are claimed as skipped and never sent late after they resume.
        .exclude(client__status=Client.Status.PAUSED)
        .select_related("client__user", "client__reminders")
    )
    rows = []
    for found in schedules:
        schedule = checkins.as_schedule(found, found.client)
        if schedule is None:
            continue
        for slot in slots_of.slots(schedule, now - GIVE_UP_AFTER, now + dt.timedelta(seconds=1)):
            rows.append(CheckinReminder(client=found.client, due_at=slot))
    # The unique (client, due_at) key makes a second planner, or a second run, a no-op.
    CheckinReminder.objects.bulk_create(rows, ignore_conflicts=True)
    return schedules


def deliver_due_checkin_reminders(now: dt.datetime | None = None) -> int:
    """Send every check-in reminder that may go now; answer how many were sent."""
    now = now or timezone.now()
    schedules = plan_checkin_reminders(now)
    clients = {s.client_id: s.client for s in schedules}
    pending = defaultdict(list)
    for reminder in CheckinReminder.objects.filter(sent_at__isnull=True, due_at__lte=now).order_by(
        "due_at"
    ):
        pending[reminder.client_id].append(reminder)
    newest_slots = {rows[-1].due_at for rows in pending.values()}
    answered = set(
        Checkin.objects.filter(client_id__in=list(pending), due_at__in=newest_slots).values_list(
            "client_id", "due_at"
        )
    )
    sent = 0
    for client_id, reminders in pending.items():
        client = clients.get(client_id)
        *older, newest = reminders
        for reminder in older:  # overtaken by a newer slot: one reminder is enough
            _claim(reminder.pk, now, channel=SKIPPED)
        if (
            client is None  # schedule or reminders turned off since
            or client.programme_paused_at is not None  # paused by the client: none sent, none owed
            or (client_id, newest.due_at) in answered
            or now - newest.due_at > GIVE_UP_AFTER
        ):
            _claim(newest.pk, now, channel=SKIPPED)
            continue
        prefs = settings_of(client)
        if not prefs.by_email:
            _claim(newest.pk, now, channel=SKIPPED)
            continue
        if _quiet(prefs, client, now):
            continue  # left for after the quiet hours
        if client.pacing == "gentle" and _sent_lately(client, now):
            continue
        sent += email_reminder(
            client,
            model=CheckinReminder,
            pk=newest.pk,
            now=now,
            claim=lambda pk=newest.pk: _claim(pk, now, channel="email"),
            message=lambda client=client: _message(client),
            object_type="checkin_reminder",
            logger=logger,
            label="check-in reminder",
        )
    return sent


@task()
def send_due_checkin_reminders() -> int:
    """The task a worker runs: deliver the check-in reminders that are due."""
    return deliver_due_checkin_reminders()
