"""When check-ins are due: slots from a schedule, in the client's own time zone. Pure functions.

A schedule is a cadence (every day, one day a week, chosen days) and one or more local times. Each
(day, time) is a *slot*. A check-in answers the slot it was opened for: on time when sent within
``ON_TIME`` after the slot (or up to ``EARLY`` before it); later it is still welcome and marked late.
A slot is *missed* once its on-time window has passed with no check-in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

EARLY = dt.timedelta(hours=3)  # a check-in this long before its time counts for it
ON_TIME = dt.timedelta(hours=12)  # … and this long after; later it is marked late
LATE_LIMIT = dt.timedelta(days=7)  # missed slots older than this are not offered to fill in
DEFAULT_TIME = "19:00"


@dataclass(frozen=True)
class Schedule:
    cadence: str  # "daily" | "weekly" | "custom"
    weekdays: tuple[int, ...] = ()  # 0 = Monday … 6 = Sunday (weekly: the first one is used)
    times: tuple[str, ...] = (DEFAULT_TIME,)
    time_zone: str = "UTC"
    starts_on: dt.date | None = None
    effective_from: dt.datetime | None = None  # no slot before the days and times took effect

    def days(self) -> frozenset[int]:
        if self.cadence == "daily":
            return frozenset(range(7))
        if self.cadence == "weekly":
            return frozenset(self.weekdays[:1] or (0,))
        return frozenset(self.weekdays)

    def local_times(self) -> list[dt.time]:
        return sorted(dt.time.fromisoformat(t) for t in (self.times or (DEFAULT_TIME,)))


def slots(schedule: Schedule, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """Every slot in [start, end), as aware UTC datetimes, oldest first.

    Local times are placed with the client's zone, so "19:00" stays 19:00 for the client across a
    daylight-saving change.
    """
    zone = ZoneInfo(schedule.time_zone)
    days, times = schedule.days(), schedule.local_times()
    if not days:
        return []
    first = start.astimezone(zone).date()
    if schedule.starts_on and schedule.starts_on > first:
        first = schedule.starts_on
    last = end.astimezone(zone).date()
    found = []
    day = first
    while day <= last:
        if day.weekday() in days:
            for local in times:
                at = dt.datetime.combine(day, local, tzinfo=zone).astimezone(dt.UTC)
                if schedule.effective_from is not None and at < schedule.effective_from:
                    continue
                if start <= at < end:
                    found.append(at)
        day += dt.timedelta(days=1)
    return found


def slot_for(schedule: Schedule, now: dt.datetime) -> dt.datetime | None:
    """The slot a check-in sent now answers: the nearest open one, or None between slots."""
    nearby = slots(schedule, now - ON_TIME, now + EARLY + dt.timedelta(seconds=1))
    return nearby[-1] if nearby else None


def is_late(slot: dt.datetime, completed_at: dt.datetime) -> bool:
    return completed_at > slot + ON_TIME


def missed(
    schedule: Schedule,
    answered: Iterable[dt.datetime],
    now: dt.datetime,
    *,
    since: dt.datetime,
) -> list[dt.datetime]:
    """Slots since ``since`` whose on-time window has passed without a check-in, oldest first."""
    done = set(answered)
    return [s for s in slots(schedule, since, now - ON_TIME) if s not in done]


def next_slot(schedule: Schedule, now: dt.datetime) -> dt.datetime | None:
    """The next slot after now (within two weeks), or None when the schedule has no days."""
    upcoming = slots(schedule, now, now + dt.timedelta(days=15))
    return upcoming[0] if upcoming else None


def streak(days_with_practice: Iterable[dt.date], today: dt.date) -> int:
    """Consecutive days up to today (or yesterday, so a day not yet over counts) with practice."""
    days = set(days_with_practice)
    day = today if today in days else today - dt.timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= dt.timedelta(days=1)
    return count
