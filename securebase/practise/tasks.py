"""Background work of practising: email reminders, through the Django Tasks API (django-tasks).

Each reminder is delivered at most once: a worker claims it with a conditional UPDATE
(``sent_at IS NULL``) before sending, so a second worker, or a second run, finds nothing to claim.
The email holds no clinical text. While the client has paused their programme, due reminders are
dropped (claimed as skipped), so nothing arrives during the pause and no backlog after it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from securebase.core.links import absolute_url
from securebase.practise.homework.domain import (
    done_for_now,
    email_reminder,
    in_quiet_hours,
    settings_of,
)
from securebase.practise.models import Reminder

logger = logging.getLogger("securebase.practise")

GIVE_UP_AFTER = dt.timedelta(days=2)  # a reminder this late is dropped, not sent
GENTLE_GAP = dt.timedelta(hours=24)  # gentle pacing: at most one reminder a day


def _message(client) -> tuple[str, str]:
    with translation.override(client.language or None):
        subject = _("You have something to practise in Secure Base")
        body = _(
            "You have something to practise in Secure Base.\n\nSign in to see it: %(url)s\n\n"
            "You can change when reminders come in your settings. Secure Base is not a crisis "
            "service."
        ) % {"url": absolute_url("/home/")}
    return subject, body


def _claim(reminder: Reminder, now: dt.datetime, channel: str | None = None) -> bool:
    changes = {"sent_at": now}
    if channel:
        changes["channel"] = channel
    return Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(**changes) == 1


def deliver_due_reminders(now: dt.datetime | None = None) -> int:
    """Send every due reminder that may go now; answer how many were sent."""
    now = now or timezone.now()
    sent = 0
    due = (
        Reminder.objects.filter(sent_at__isnull=True, due_at__lte=now)
        .select_related("homework__client__user")
        .order_by("due_at")
    )
    for reminder in due:
        homework, client = reminder.homework, reminder.homework.client
        if (
            not homework.active
            or client.programme_paused_at is not None  # paused by the client: none sent, none owed
            or done_for_now(homework, timezone.localdate(now, client.zone))
            or now - reminder.due_at > GIVE_UP_AFTER
        ):
            _claim(reminder, now, channel="skipped")
            continue
        prefs = settings_of(client)
        if not prefs.by_email:
            _claim(reminder, now, channel="skipped")
            continue
        if in_quiet_hours(prefs, now):
            continue  # left for after the quiet hours
        if (
            client.pacing == "gentle"
            and Reminder.objects.filter(
                homework__client=client, channel="email", sent_at__gt=now - GENTLE_GAP
            )
            .exclude(pk=reminder.pk)
            .exists()
        ):
            continue
        sent += email_reminder(
            client,
            model=Reminder,
            pk=reminder.pk,
            now=now,
            claim=lambda reminder=reminder: _claim(reminder, now),
            message=lambda client=client: _message(client),
            object_type="reminder",
            logger=logger,
            label="reminder",
        )
    return sent


@task()
def send_due_reminders() -> int:
    """The task a worker runs: deliver the reminders that are due."""
    return deliver_due_reminders()
