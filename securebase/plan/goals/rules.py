"""Goal Attainment Scaling: the combined T-score. A pure function.

Kiresuk, T. J., & Sherman, R. E. (1968). Goal attainment scaling: A general method for evaluating
comprehensive community mental health programs. Community Mental Health Journal, 4(6), 443–453.
Formula as restated in ../shared/clinical/INSTRUMENTS.md section 3.3:

    T = 50 + 10 · Σ(wᵢxᵢ) / √[(1 − ρ) · Σwᵢ² + ρ · (Σwᵢ)²]

with xᵢ ∈ {−2 … +2} (0 = the expected outcome), wᵢ the goal's weight and ρ the assumed correlation
between goals, conventionally 0.30. Every goal at its expected outcome gives T = 50 (SD 10).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

RHO = 0.3  # Kiresuk & Sherman's conventional inter-goal correlation
LEVELS = (-2, -1, 0, 1, 2)


def t_score(ratings: Iterable[tuple[int, float]], *, rho: float = RHO) -> float | None:
    """The GAS T-score of (level, weight) pairs, one per goal; None when there is no goal.

    >>> round(t_score([(1, 2), (1, 1), (0, 1)]), 2)
    60.0
    """
    pairs = list(ratings)
    if not pairs:
        return None
    for level, weight in pairs:
        if level not in LEVELS:
            raise ValueError(f"a GAS level is one of −2…+2, not {level!r}")
        if weight <= 0:
            raise ValueError(f"a GAS weight is positive, not {weight!r}")
    if not 0 <= rho < 1:
        raise ValueError("ρ is a correlation in [0, 1)")
    weighted = sum(weight * level for level, weight in pairs)
    sum_sq = sum(weight * weight for _level, weight in pairs)
    total = sum(weight for _level, weight in pairs)
    return 50 + 10 * weighted / math.sqrt((1 - rho) * sum_sq + rho * total * total)
