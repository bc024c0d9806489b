"""When to step therapy down, and when to offer a booster. Pure rules over plain histories.

These are Secure Base's own rules (DESIGN.md section 2, step 4), not a published algorithm: they
suggest, a clinician decides. Each answer carries its reasons so the suggestion can be checked.
Reliable change is Jacobson & Truax (1991), computed by securebase/measures/change.py: a measure
arrives here as its dated scores with a ``judge`` that compares two of them, so these rules choose
the baseline (the score before the window, the score before stepping down), not the first score of
all. Check-ins are single items with no known reliability, so for them we use a plain, stated rule
instead of a reliable-change test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from statistics import mean

DETERIORATED = "reliably deteriorated"

STABLE_WEEKS = 6  # no reliable deterioration on any measure for this long before stepping down
PRACTICE_WEEKS = 4  # practice in each of the last four weeks counts as "continuing"
CHECKIN_DROP = 2.0  # points on 0–10: a drop this large in the weekly mean of felt security …
CHECKIN_DROP_WEEKS = 2  # … for two weeks in a row, against the level at step-down, is a signal
SAFETY_WEEKS = (
    4  # a risk flag this recent (or still open) means "not now" (settings.SAFETY_HOLD_WEEKS)
)


# (earlier score, later score) → the later one's reliable-change verdict against the earlier:
# "reliably improved", "no reliable change", "reliably deteriorated" or "recovered".
Judge = Callable[[float, float], str]


@dataclass(frozen=True)
class MeasureHistory:
    """One measure (instrument, subscale, relationship): its scores by day, oldest first, one per
    completed administration, and the ``judge`` of reliable change between two of them (for real
    data: Jacobson–Truax with the subscale's own figures and direction, see maintain/inputs.py)."""

    name: str
    scores: Sequence[tuple[dt.date, float]]
    judge: Judge

    def worse(self, earlier: float, later: float) -> bool:
        return self.judge(earlier, later) == DETERIORATED


@dataclass(frozen=True)
class Reason:
    code: str  # stable key for the UI to word: "measures", "goals", "practice", …
    met: bool
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    step_down: bool
    reasons: tuple[Reason, ...]

    @property
    def not_now(self) -> bool:
        """Safety says no, whatever else holds: a risk signal in the window or still open, or a
        reliable deterioration. The page then says "not now" and moving on needs an override."""
        return any(
            not r.met and (r.code == "safety" or r.detail.get("deteriorated")) for r in self.reasons
        )


@dataclass(frozen=True)
class RiskSignal:
    """A risk flag of the client's (a measure's risk answer, the check-in's safety question, risk
    words): the day it was raised and whether its alert is still open."""

    on: dt.date
    open: bool


def _weeks_before(today: dt.date, weeks: int) -> dt.date:
    return today - dt.timedelta(weeks=weeks)


def tapering_suggestion(
    *,
    today: dt.date,
    measures: Sequence[MeasureHistory],
    goal_levels: Sequence[int | None],
    practice_days: Sequence[dt.date],
    risk_signals: Sequence[RiskSignal] = (),
    stable_weeks: int = STABLE_WEEKS,
    safety_weeks: int = SAFETY_WEEKS,
) -> Suggestion:
    """Suggest stepping down when all four hold, and say which hold:

    1. measures: at least one measure completed in the last ``stable_weeks`` weeks, and no
       reliable deterioration on any measure in that time (see :func:`_worse_in_window`);
    2. goals: every active goal is rated, at or above its expected level (GAS 0);
    3. practice: some practice in each of the last four weeks;
    4. safety: no risk flag in the last ``safety_weeks`` weeks and none still open. Safety
       overrides the rest: with a flag, the answer is "not now" (:attr:`Suggestion.not_now`).
    """
    since = _weeks_before(today, stable_weeks)
    completed = 0
    worse = []
    for m in measures:
        count, deteriorated = _worse_in_window(m, since, today)
        completed += count
        if deteriorated:
            worse.append(m.name)
    worse = sorted(set(worse))
    measures_ok = bool(completed) and not worse
    measures_reason = Reason(
        "measures",
        measures_ok,
        {"weeks": stable_weeks, "deteriorated": worse, "completed": completed},
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
    safety_since = _weeks_before(today, safety_weeks)
    recent = sum(1 for s in risk_signals if s.on > safety_since)
    still_open = sum(1 for s in risk_signals if s.open)
    safety_reason = Reason(
        "safety",
        not recent and not still_open,
        {"weeks": safety_weeks, "recent": recent, "open": still_open},
    )
    reasons = (safety_reason, measures_reason, goals_reason, practice_reason)
    return Suggestion(all(r.met for r in reasons), reasons)


def _worse_in_window(m: MeasureHistory, since: dt.date, today: dt.date) -> tuple[int, bool]:
    """(scores in the window ``since`` < day <= ``today``, whether any reliably deteriorated).

    Our choice of baseline: each score in the window is judged against the last score before the
    window and against every earlier score inside it, so against the best of those. Stability
    means "no reliable worsening from where the client stood when the window began": a client who
    went 18 → 1 and is back at 18 has deteriorated, though 18 is no change from intake; and a fall
    inside the window (10 before it, then 2, then 9) counts too. Not the best score ever: a
    client steady for months at a level a little above one lucky low score (the best of many
    noisy scores is partly chance) could then never step down. With no score before the window,
    the window's first score is the first baseline.
    """
    earlier = [value for day, value in m.scores if day <= since][-1:]
    count, deteriorated = 0, False
    for day, value in m.scores:
        if not since < day <= today:
            continue
        count += 1
        deteriorated = deteriorated or any(m.worse(before, value) for before in earlier)
        earlier.append(value)
    return count, deteriorated


WEEKLY = "weekly"


def step_down_start(phases: Iterable[tuple[str, dt.datetime]]) -> dt.datetime | None:
    """When the current step-down began, from the started phases as (kind, started_at).

    The first start of a less frequent phase after the latest start of weekly sessions: a new
    weekly phase (a re-referral) ends the old episode, and a later step-down starts a new one.
    None while weekly sessions are the latest thing started (or nothing has).
    """
    started = [(kind, at) for kind, at in phases if at is not None]
    weekly = [at for kind, at in started if kind == WEEKLY]
    back_to_weekly = max(weekly) if weekly else None
    after = [
        at
        for kind, at in started
        if kind != WEEKLY and (back_to_weekly is None or at > back_to_weekly)
    ]
    return min(after) if after else None


@dataclass(frozen=True)
class BoosterSignal:
    code: str  # "measure", "checkins" ("risk" in alerts raised before risk alerts held them back)
    on: dt.date  # the day the episode began (the first deteriorated score, the low week, the flag)
    detail: dict = field(default_factory=dict)

    @property
    def group(self) -> tuple[str, str]:
        """What one booster alert stands for: the kind of signal and, for a measure, which."""
        return (self.code, self.detail.get("measure", ""))


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
) -> list[BoosterSignal]:
    """Reasons to offer a booster session after tapering or discharge began, oldest first; one
    signal per episode, dated the day it began.

    - measures: a score since then reliably deteriorated against the measure's last score before
      stepping down (with none before, its first score since). Consecutive deteriorated scores
      are one episode; a score back within reliable change ends it, and a later deterioration is
      a new one;
    - check-ins: the weekly mean of felt security is ``CHECKIN_DROP`` points or more below the
      mean of the four weeks before stepping down, two weeks in a row (our own rule: check-ins are
      single items with no known reliability, so no reliable-change test applies). The episode
      lasts while the run of low weeks does; a later run is a new one.

    A risk flag is no booster signal of its own: its alert already reaches the care team (see
    :func:`boosters_to_raise` for how it holds back the others).
    """
    signals = []
    for m in measures:
        before = [value for day, value in m.scores if day < stepped_down_on]
        after = [(day, value) for day, value in m.scores if day >= stepped_down_on]
        if not before and after:
            before, after = [after[0][1]], after[1:]
        if not before:
            continue
        baseline, in_episode = before[-1], False
        for day, value in after:
            worse = m.worse(baseline, value)
            if worse and not in_episode:
                signals.append(BoosterSignal("measure", day, {"measure": m.name}))
            in_episode = worse
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
    return sorted(signals, key=lambda s: s.on)


def boosters_to_raise(
    signals: Sequence[BoosterSignal],
    raised: Sequence[tuple[tuple[str, str], dt.date | None]],
    risk_alerts: Sequence[dt.date | None] = (),
) -> list[BoosterSignal]:
    """Which signals become booster alerts: at most one per group (:attr:`BoosterSignal.group`).

    ``raised``: the alerts already raised in this step-down, as (group, the day it was
    acknowledged or None while open). While one is open nothing more is raised for its group;
    once acknowledged, only an episode that began after the day of the last acknowledgement raises
    a new one (an episode that began that day waits for the next). Of several such episodes, the
    latest stands for them all.

    ``risk_alerts``: the risk alerts raised in this step-down, as the day each was acknowledged or
    None while open. One alert per episode: while a risk alert is open it stands for everything
    going on (no booster alert, no second email), and acknowledging it closes the episode, so a
    signal that began on or before that day raises nothing; a later, separate one does.
    """
    if any(acknowledged is None for acknowledged in risk_alerts):
        return []
    risk_handled = max(risk_alerts, default=None)
    open_groups = {group for group, acknowledged in raised if acknowledged is None}
    handled_until: dict[tuple[str, str], dt.date] = {}
    for group, acknowledged in raised:
        if acknowledged is not None:
            handled_until[group] = max(acknowledged, handled_until.get(group, acknowledged))
    chosen: dict[tuple[str, str], BoosterSignal] = {}
    for signal in sorted(signals, key=lambda s: s.on):
        group = signal.group
        if group in open_groups:
            continue
        if group in handled_until and signal.on <= handled_until[group]:
            continue
        if risk_handled is not None and signal.on <= risk_handled:
            continue
        chosen[group] = signal
    return sorted(chosen.values(), key=lambda s: (s.on, s.group))
