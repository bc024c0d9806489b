"""Reliable and clinically significant change (Jacobson & Truax, 1991). Pure functions.

Jacobson, N. S., & Truax, P. (1991). J Consult Clin Psychol, 59(1), 12–19.
S_diff = SD · √2 · √(1 − r); RC = (post − pre) / S_diff; reliable when |RC| > z (1.96 for
p < .05). Where the instrument's authors publish an RCI in raw points (CORE-10: 6 at 90%), that
published figure is used instead of recomputing it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from securebase.measures.definitions import Cutoff, ReliableChange

Verdict = Literal["recovered", "reliably improved", "reliably deteriorated", "no reliable change"]


def standard_error_of_difference(sd: float, reliability: float) -> float:
    return sd * math.sqrt(2) * math.sqrt(1 - reliability)


def criterion_c(
    m_functional: float, sd_functional: float, m_dysfunctional: float, sd_dysfunctional: float
) -> float:
    """The weighted midpoint between the functional and dysfunctional populations."""
    return (sd_functional * m_dysfunctional + sd_dysfunctional * m_functional) / (
        sd_functional + sd_dysfunctional
    )


@dataclass(frozen=True)
class Change:
    pre: float
    post: float
    difference: float
    rc: float | None  # None when a published RCI in points is used
    smallest_reliable: float
    reliable: bool
    improved: bool | None
    crossed_cutoff: bool | None
    verdict: Verdict
    method: str


def reliable_change(
    pre: float,
    post: float,
    spec: ReliableChange,
    *,
    better: Literal["lower", "higher"],
    cutoff: Cutoff | None = None,
) -> Change:
    difference = post - pre
    if spec.published_rci is not None:
        smallest = spec.published_rci
        rc = None
        reliable = abs(difference) >= smallest
        method = f"published RCI of {smallest:g} points ({spec.source})"
    else:
        s_diff = standard_error_of_difference(spec.sd, spec.reliability)
        smallest = spec.z * s_diff
        rc = difference / s_diff
        reliable = abs(rc) > spec.z
        method = (
            f"Jacobson–Truax with SD {spec.sd:g}, r {spec.reliability:g}, z {spec.z:g} "
            f"({spec.source})"
        )
    improved = None
    if difference != 0:
        improved = difference < 0 if better == "lower" else difference > 0
    crossed = None
    if cutoff is not None:
        c = cutoff.value
        crossed = pre >= c > post if better == "lower" else pre < c <= post
    if reliable and improved:
        verdict: Verdict = "recovered" if crossed else "reliably improved"
    elif reliable and improved is False:
        verdict = "reliably deteriorated"
    else:
        verdict = "no reliable change"
    return Change(pre, post, difference, rc, smallest, reliable, improved, crossed, verdict, method)
