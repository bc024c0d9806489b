"""The range of dates a chosen period may span (progress page, printable report, API).

Dates far outside therapy (year 1 or 9999) are refused with a clear message instead of
overflowing date arithmetic.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)


def validate_period_date(value: dt.date) -> None:
    if not EARLIEST <= value <= LATEST:
        raise ValidationError(
            _("Choose a date between %(first)s and %(last)s.")
            % {"first": EARLIEST.isoformat(), "last": LATEST.isoformat()}
        )
