"""The attachment ladder's progression rule and SUDS summaries: plain functions, no Django.

A step counts as climbed after ``climb_attempts`` consecutive most-recent attempts whose peak SUDS
is at or below ``climb_peak``. The next step is suggested (the first unclimbed step in order),
never forced. Attempts are given oldest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def is_climbed(peaks: Sequence[int], *, climb_peak: int, climb_attempts: int) -> bool:
    """True when the last ``climb_attempts`` peaks (oldest first) are all ≤ ``climb_peak``."""
    needed = max(1, int(climb_attempts))
    if len(peaks) < needed:
        return False
    return all(peak <= climb_peak for peak in list(peaks)[-needed:])


def streak(peaks: Sequence[int], *, climb_peak: int) -> int:
    """How many of the most recent attempts in a row peaked at or below ``climb_peak``."""
    count = 0
    for peak in reversed(list(peaks)):
        if peak > climb_peak:
            break
        count += 1
    return count


def next_step(
    steps_peaks: Sequence[Sequence[int]], *, climb_peak: int, climb_attempts: int
) -> int | None:
    """The index of the first unclimbed step (in ladder order), or None when all are climbed."""
    for index, peaks in enumerate(steps_peaks):
        if not is_climbed(peaks, climb_peak=climb_peak, climb_attempts=climb_attempts):
            return index
    return None


@dataclass(frozen=True)
class StepSummary:
    attempts: int
    predicted: int
    first_peak: int | None
    latest_peak: int | None
    lowest_peak: int | None
    mean_peak: float | None  # rounded to one decimal
    difference: int | None  # latest actual peak minus predicted (negative: easier than feared)
    streak: int
    climbed: bool


def summarise(
    predicted: int, peaks: Sequence[int], *, climb_peak: int, climb_attempts: int
) -> StepSummary:
    """SUDS summary of one step from its attempts' peaks (oldest first)."""
    peaks = list(peaks)
    if not peaks:
        return StepSummary(0, predicted, None, None, None, None, None, 0, False)
    return StepSummary(
        attempts=len(peaks),
        predicted=predicted,
        first_peak=peaks[0],
        latest_peak=peaks[-1],
        lowest_peak=min(peaks),
        mean_peak=round(sum(peaks) / len(peaks), 1),
        difference=peaks[-1] - predicted,
        streak=streak(peaks, climb_peak=climb_peak),
        climbed=is_climbed(peaks, climb_peak=climb_peak, climb_attempts=climb_attempts),
    )


def rule_sentence(climb_peak: int, climb_attempts: int, ngettext=None) -> str:
    """The rule in words for people; pass Django's ``ngettext`` to translate it."""
    if ngettext is None:

        def ngettext(singular, plural, n):
            return singular if n == 1 else plural

    text = ngettext(
        "A step counts as climbed when your most recent attempt peaked at %(peak)s or less "
        "(out of 100). The next step is then suggested; you decide when to take it.",
        "A step counts as climbed when your %(count)s most recent attempts in a row each peaked "
        "at %(peak)s or less (out of 100). The next step is then suggested; you decide when to "
        "take it.",
        climb_attempts,
    )
    return text % {"peak": climb_peak, "count": climb_attempts}
