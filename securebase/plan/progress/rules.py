"""Milestones worth noticing on the progress page. Pure rules over plain inputs; no Django imports.

Milestones are celebrated calmly: each happens once, is worded as something the client did, and is
never about keeping a count going (no streak targets, no "don't break it", no numbers to beat).

Two rules protect people:

- Nothing tied to a risk item ever becomes a milestone. A measure's score made only of risk items
  (e.g. PHQ-9 item 9, CORE-10 item 6 — ``risk_items`` in the instrument YAML files) is never
  celebrated, and neither is any score from an administration that raised a risk answer: an
  "improvement" on the same form as a risk answer is a conversation for the care team, not a win.
- Only reliable change counts (Jacobson & Truax 1991, as computed by ``measures.change``), so
  ordinary ups and downs are not praised or blamed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from securebase.practise.ladder.rules import is_climbed

# "A month of check-ins": check-ins in at least this many different weeks, spread over at least
# this many days since the first one, and at least this many in all. Our own choice, not a norm:
# it marks a habit taking shape, without asking for every day.
MONTH_WEEKS = 4
MONTH_DAYS = 28
MONTH_MINIMUM = 8
IMPROVED = ("reliably improved", "recovered")


@dataclass(frozen=True)
class Milestone:
    key: str  # stable, e.g. "ladder-first-step"; one milestone per key
    date: dt.date
    text: str


@dataclass(frozen=True)
class Attempt:
    date: dt.date
    peak: int  # SUDS at the peak, 0–100


@dataclass(frozen=True)
class Step:
    """One ladder step's attempts (oldest first) and its ladder's climbing rule."""

    attempts: Sequence[Attempt]
    climb_peak: int
    climb_attempts: int


@dataclass(frozen=True)
class MeasurePoint:
    """One score of one measure, with its reliable-change verdict against the first score."""

    instrument: str
    instrument_name: str
    subscale: str
    target: str
    date: dt.date
    verdict: str | None  # a measures.change verdict, or None (first point, no RCI)
    items: tuple[int, ...] = ()  # the items the score is made of
    risk_items: tuple[int, ...] = ()  # the instrument's risk items
    risk_flagged: bool = False  # this administration raised a risk answer

    @property
    def risk_related(self) -> bool:
        only_risk = bool(self.items) and set(self.items) <= set(self.risk_items)
        return only_risk or self.risk_flagged


@dataclass(frozen=True)
class GoalHistory:
    goal_id: str
    title: str
    ratings: Sequence[tuple[dt.date, int]] = field(default_factory=tuple)  # (date, −2…+2)


def step_climbed_on(step: Step) -> dt.date | None:
    """The date of the attempt that made the step count as climbed, or None."""
    ordered = sorted(step.attempts, key=lambda a: a.date)
    for n in range(1, len(ordered) + 1):
        peaks = [a.peak for a in ordered[:n]]
        if is_climbed(peaks, climb_peak=step.climb_peak, climb_attempts=step.climb_attempts):
            return ordered[n - 1].date
    return None


def first_step_climbed(steps: Sequence[Step], gettext: Callable[[str], str]) -> list[Milestone]:
    dates = [d for d in (step_climbed_on(s) for s in steps) if d is not None]
    if not dates:
        return []
    return [
        Milestone("ladder-first-step", min(dates), gettext("You climbed your first ladder step."))
    ]


def reliable_improvements(
    points: Sequence[MeasurePoint], gettext: Callable[[str], str]
) -> list[Milestone]:
    """The first reliable improvement of each score (per relationship), never a risk-related one."""
    found: dict[tuple[str, str, str], Milestone] = {}
    for point in sorted(points, key=lambda p: p.date):
        if point.verdict not in IMPROVED or point.risk_related:
            continue
        key = (point.instrument, point.subscale, point.target)
        if key in found:
            continue
        text = gettext("A reliable improvement on %(name)s since you started.") % {
            "name": point.instrument_name
        }
        found[key] = Milestone(
            f"measure-improved:{point.instrument}:{point.subscale}:{point.target}",
            point.date,
            text,
        )
    return list(found.values())


def month_of_checkins(dates: Sequence[dt.date], gettext: Callable[[str], str]) -> list[Milestone]:
    """The day check-ins had been part of about a month: several weeks, not every day."""
    ordered = sorted(dates)
    weeks: set[tuple[int, int]] = set()
    for n, day in enumerate(ordered, start=1):
        weeks.add(day.isocalendar()[:2])
        if (
            len(weeks) >= MONTH_WEEKS
            and (day - ordered[0]).days >= MONTH_DAYS
            and n >= MONTH_MINIMUM
        ):
            return [
                Milestone(
                    "checkins-month", day, gettext("A month of check-ins. Thank you for them.")
                )
            ]
    return []


def first_experiment(done: Sequence[dt.date], gettext: Callable[[str], str]) -> list[Milestone]:
    if not done:
        return []
    return [
        Milestone("experiment-first", min(done), gettext("You carried out your first experiment."))
    ]


def goals_at_expected_level(
    goals: Sequence[GoalHistory], gettext: Callable[[str], str]
) -> list[Milestone]:
    """The first rating at the expected outcome (0) or better, once per goal."""
    out = []
    for goal in goals:
        reached = sorted(d for d, level in goal.ratings if level >= 0)
        if reached:
            text = gettext("You reached the expected outcome of a goal: %(title)s") % {
                "title": goal.title
            }
            out.append(Milestone(f"goal-expected:{goal.goal_id}", reached[0], text))
    return out


def milestones(
    *,
    steps: Sequence[Step] = (),
    measures: Sequence[MeasurePoint] = (),
    checkin_dates: Sequence[dt.date] = (),
    experiments_done: Sequence[dt.date] = (),
    goals: Sequence[GoalHistory] = (),
    gettext: Callable[[str], str] | None = None,
) -> list[Milestone]:
    """Every milestone reached, newest first. Pass Django's ``gettext`` to translate the texts."""
    if gettext is None:

        def gettext(text: str) -> str:
            return text

    found = [
        *first_step_climbed(steps, gettext),
        *reliable_improvements(measures, gettext),
        *month_of_checkins(checkin_dates, gettext),
        *first_experiment(experiments_done, gettext),
        *goals_at_expected_level(goals, gettext),
    ]
    return sorted(found, key=lambda m: (m.date, m.key), reverse=True)
