"""Moments relative to now, read from the (frozen, ticking) clock when called."""

import datetime as dt

from django.utils import timezone


def days_ago(n, hour=12):
    """Noon (or ``hour``) ``n`` days before now."""
    now = timezone.now().replace(hour=hour, minute=0, second=0, microsecond=0)
    return now - dt.timedelta(days=n)
