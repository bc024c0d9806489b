"""The attachment plane: anxiety × avoidance on 1–7. Dimensions first; labels only describe.

The authors advise against types (Fraley's ECR-R FAQ; Fraley et al. 2015, JPSP 109, 354–368;
Bartholomew's RQ FAQ). A quadrant label is a descriptive aid under a stated, configurable rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.conf import settings

Quadrant = Literal["secure", "preoccupied", "dismissing", "fearful"]


@dataclass(frozen=True)
class MidpointRule:
    """High means above the scale midpoint (4 on 1–7); ``inclusive`` counts 4 itself as high."""

    threshold: float = 4.0
    inclusive: bool = False

    def is_high(self, value: float) -> bool:
        return value >= self.threshold if self.inclusive else value > self.threshold

    def describe(self) -> str:
        sign = "≥" if self.inclusive else ">"
        return f"high when the mean is {sign} {self.threshold:g} (the scale midpoint)"


def quadrant(anxiety: float, avoidance: float, rule: MidpointRule = MidpointRule()) -> Quadrant:
    high_anxiety, high_avoidance = rule.is_high(anxiety), rule.is_high(avoidance)
    if high_anxiety and high_avoidance:
        return "fearful"
    if high_anxiety:
        return "preoccupied"
    if high_avoidance:
        return "dismissing"
    return "secure"


# Brennan, Clark & Shaver (1998) classification functions, for the original ECR (1998) only.
# Coefficients as reproduced identically in several public scoring scripts (INSTRUMENTS.md §3.7).
FISHER_ECR_1998 = {
    "secure": (3.2893296, 5.4725318, -11.5307833),
    "fearful": (7.2371075, 8.1776448, -32.3553266),
    "preoccupied": (3.9246754, 9.7102446, -28.4573220),
    "dismissing": (7.3654621, 4.9392039, -22.2281088),
}


def fisher_ecr_1998(avoidance: float, anxiety: float) -> tuple[Quadrant, dict[str, float]]:
    """The largest classification function wins. Unvalidated for the ECR-R, ECR-S or ECR-RS."""
    values = {
        name: a * avoidance + x * anxiety + constant
        for name, (a, x, constant) in FISHER_ECR_1998.items()
    }
    return max(values, key=values.get), values


def configured_rule() -> MidpointRule:
    """The rule this installation states on every plane (settings ATTACHMENT_QUADRANT_*)."""
    return MidpointRule(
        threshold=settings.ATTACHMENT_QUADRANT_THRESHOLD,
        inclusive=settings.ATTACHMENT_QUADRANT_INCLUSIVE,
    )
