"""When to step therapy down, and when to offer a booster. Pure rules over plain histories.

These are Secure Base's own rules (DESIGN.md section 2, step 4), not a published algorithm: they
suggest, a clinician decides. Each answer carries its reasons so the suggestion can be checked.
Reliable change is Jacobson & Truax (1991), computed by securebase/measures/change.py upstream; here
a measure arrives as dated verdicts. Check-ins are single items with no known reliability, so for
them we use a plain, stated rule instead of a reliable-change test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import mean

DETERIORATED = "reliably deteriorated"

STABLE_WEEKS = 6  # no reliable deterioration on any measure for this long before stepping down
PRACTICE_WEEKS = 4  # practice in each of the last four weeks counts as "continuing"
CHECKIN_DROP = 2.0  # points on 0–10: a drop this large in the weekly mean of felt security …
CHECKIN_DROP_WEEKS = 2  # … for two weeks in a row, against the level at step-down, is a signal


@dataclass(frozen=True)
class MeasureHistory:
    """One measure (instrument, subscale, relationship) as dated reliable-change verdicts.

    ``verdicts`` holds, for each completed administration, its verdict against the first one
    ("reliably improved", "no reliable change", "reliably deteriorated", "recovered").
    """

    name: str
    verdicts: Sequence[tuple[dt.date, str]]


@dataclass(frozen=True)
class Reason:
    code: str  # stable key for the UI to word: "measures", "goals", "practice", …
    met: bool
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    step_down: bool
    reasons: tuple[Reason, ...]


def _weeks_before(today: dt.date, weeks: int) -> dt.date:
    return today - dt.timedelta(weeks=weeks)


def tapering_suggestion(
    *,
    today: dt.date,
    measures: Sequence[MeasureHistory],
    goal_levels: Sequence[int | None],
    practice_days: Sequence[dt.date],
    stable_weeks: int = STABLE_WEEKS,
) -> Suggestion:
    """Suggest stepping down when all three hold, and say which hold:

    1. measures: at least one measure completed in the last ``stable_weeks`` weeks, and no
       reliable deterioration on any measure in that time;
    2. goals: every active goal is rated, at or above its expected level (GAS 0);
    3. practice: some practice in each of the last four weeks.
    """
    since = _weeks_before(today, stable_weeks)
    recent = [(m.name, d, v) for m in measures for d, v in m.verdicts if since < d <= today]
    worse = sorted({name for name, _d, verdict in recent if verdict == DETERIORATED})
    measures_ok = bool(recent) and not worse
    measures_reason = Reason(
        "measures",
        measures_ok,
        {"weeks": stable_weeks, "deteriorated": worse, "completed": len(recent)},
    )
    unrated = sum(1 for level in goal_levels if level is None)
    below = sum(1 for level in goal_levels if level is not None and level < 0)
    goals_ok = bool(goal_levels) and unrated == 0 and below == 0
    goals_reason = Reason(
        "goals", goals_ok, {"goals": len(goal_levels), "below": below, "unrated": unrated}
    )
    weeks_with_practice = {
        (today - day).days // 7
        for day in practice_days
        if 0 <= (today - day).days < PRACTICE_WEEKS * 7
    }
    practice_ok = len(weeks_with_practice) == PRACTICE_WEEKS
    practice_reason = Reason(
        "practice",
        practice_ok,
        {"weeks": PRACTICE_WEEKS, "weeks_with_practice": len(weeks_with_practice)},
    )
    reasons = (measures_reason, goals_reason, practice_reason)
    return Suggestion(all(r.met for r in reasons), reasons)


@dataclass(frozen=True)
class BoosterSignal:
    code: str  # "measure", "checkins", "risk"
    on: dt.date
    detail: dict = field(default_factory=dict)


def _weekly_means(
    points: Sequence[tuple[dt.date, float]], start: dt.date
) -> dict[int, tuple[float, dt.date]]:
    """Week number since ``start`` → (mean value, the week's last day with data)."""
    weeks: dict[int, list[tuple[dt.date, float]]] = {}
    for day, value in points:
        if day >= start:
            weeks.setdefault((day - start).days // 7, []).append((day, value))
    return {
        week: (mean(v for _d, v in rows), max(d for d, _v in rows)) for week, rows in weeks.items()
    }


def booster_signals(
    *,
    stepped_down_on: dt.date,
    measures: Sequence[MeasureHistory],
    felt_security: Sequence[tuple[dt.date, float]],
    risk_flags: Sequence[dt.date],
) -> list[BoosterSignal]:
    """Reasons to offer a booster session after tapering or discharge began, oldest first.

    - any measure completed since then that is reliably deteriorated against the first;
    - any risk flag since then;
    - check-ins: the weekly mean of felt security is ``CHECKIN_DROP`` points or more below the
      mean of the four weeks before stepping down, two weeks in a row (our own rule: check-ins are
      single items with no known reliability, so no reliable-change test applies).
    """
    signals = [
        BoosterSignal("measure", day, {"measure": m.name})
        for m in measures
        for day, verdict in m.verdicts
        if day >= stepped_down_on and verdict == DETERIORATED
    ]
    signals += [BoosterSignal("risk", day) for day in risk_flags if day >= stepped_down_on]
    before = [
        v
        for d, v in felt_security
        if stepped_down_on - dt.timedelta(weeks=4) <= d < stepped_down_on
    ]
    if before:
        level = mean(before)
        weekly = _weekly_means(felt_security, stepped_down_on)
        run = 0
        for week in sorted(weekly):
            value, last_day = weekly[week]
            consecutive = run and week - 1 in weekly
            run = (run + 1 if consecutive else 1) if level - value >= CHECKIN_DROP else 0
            if run == CHECKIN_DROP_WEEKS:
                detail = {"before": round(level, 1), "now": round(value, 1)}
                signals.append(BoosterSignal("checkins", last_day, detail))
                break
    return sorted(signals, key=lambda s: s.on)
