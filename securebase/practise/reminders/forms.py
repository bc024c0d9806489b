"""The client's reminder settings: email on or off, the time of day, and quiet hours."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from securebase.practise.homework.domain import in_quiet_hours
from securebase.practise.models import ReminderSettings

TIME_WIDGET = {"attrs": {"type": "time"}, "format": "%H:%M"}


class ReminderSettingsForm(forms.Form):
    by_email = forms.BooleanField(
        label=_("Send me reminders by email"),
        required=False,
        help_text=_("The email only says there is something to practise; it never holds details."),
    )
    at_time = forms.TimeField(
        label=_("Time of day for reminders"),
        widget=forms.TimeInput(**TIME_WIDGET),
        error_messages={"required": _("Give a time of day, for example 18:00.")},
    )
    quiet_from = forms.TimeField(
        label=_("Quiet hours from"),
        widget=forms.TimeInput(**TIME_WIDGET),
        help_text=_("No reminder is sent during quiet hours. They may run past midnight."),
        error_messages={"required": _("Give the time your quiet hours start, for example 21:30.")},
    )
    quiet_until = forms.TimeField(
        label=_("Quiet hours until"),
        widget=forms.TimeInput(**TIME_WIDGET),
        error_messages={"required": _("Give the time your quiet hours end, for example 08:00.")},
    )

    def clean(self):
        data = super().clean()
        start, end, at = data.get("quiet_from"), data.get("quiet_until"), data.get("at_time")
        if start is None or end is None:
            return data
        if start == end:
            self.add_error(
                "quiet_until",
                _("Quiet hours start and end at the same time. Choose two different times."),
            )
            return data
        if at is not None:
            probe = ReminderSettings(quiet_from=start, quiet_until=end)
            if _time_in_quiet_hours(probe, at):
                self.add_error(
                    "at_time",
                    _(
                        "This time falls within your quiet hours, so no reminder could be sent "
                        "then. Choose a time outside them, or change the quiet hours."
                    ),
                )
        return data


def _time_in_quiet_hours(prefs: ReminderSettings, at) -> bool:
    moment = timezone.make_aware(dt.datetime.combine(dt.date(2000, 1, 3), at))
    return in_quiet_hours(prefs, moment)


def initial_from(prefs: ReminderSettings) -> dict:
    return {
        "by_email": prefs.by_email,
        "at_time": prefs.at_time,
        "quiet_from": prefs.quiet_from,
        "quiet_until": prefs.quiet_until,
    }
