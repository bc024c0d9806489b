"""Reminder settings: the client chooses when reminders come (email or not, time, quiet hours)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from securebase.audit.log import Action, record
from securebase.practise.homework.domain import settings_of
from securebase.practise.models import Reminder, ReminderSettings

FIELDS = ("by_email", "at_time", "quiet_from", "quiet_until")


def _as_time(value):
    return dt.time.fromisoformat(value) if isinstance(value, str) else value


def save_settings(client, *, by, data: dict, request=None) -> list[str]:
    """Store the client's choices; answer the names of the fields that changed.

    Reminders planned at the old time and not yet sent are dropped, so the planner plans them
    again at the new time (or not at all, with email off). The audit log holds field names only.
    """
    prefs = settings_of(client)
    changed = [
        name
        for name in FIELDS
        if (_as_time(getattr(prefs, name)) if name != "by_email" else getattr(prefs, name))
        != data[name]
    ]
    with transaction.atomic():
        ReminderSettings.objects.update_or_create(
            client=client, defaults={name: data[name] for name in FIELDS}
        )
        dropped = 0
        if {"by_email", "at_time"} & set(changed):
            dropped, _detail = Reminder.objects.filter(
                homework__client=client, sent_at__isnull=True, due_at__gt=timezone.now()
            ).delete()
        record(
            actor=by,
            action=Action.UPDATE,
            object_type="reminder_settings",
            object_id=client.pk,
            client=client,
            request=request,
            detail={"changed": changed, "by_email": data["by_email"], "replanned": dropped},
        )
    client._state.fields_cache.pop("reminders", None)  # the cached relation is stale now
    return changed


def read_settings(client, *, by, request=None) -> ReminderSettings:
    """The client's reminder choices, to show them; audited as a read."""
    prefs = settings_of(client)
    record(
        actor=by,
        action=Action.READ,
        object_type="reminder_settings",
        object_id=client.pk,
        client=client,
        request=request,
    )
    return prefs
