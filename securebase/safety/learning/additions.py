"""What a practice added to its risk detector (``safety/learning/domain.py``), as the detector reads it."""

from __future__ import annotations

from securebase.safety.detector import domain as detect
from securebase.safety.models import RiskAddition


def additions_for(practice_id) -> detect.Additions:
    """The practice's additions in force (one query)."""
    rows = RiskAddition.objects.filter(practice_id=practice_id, removed_at__isnull=True).order_by(
        "added_at", "pk"
    )
    return of(list(rows))


def of(rows) -> detect.Additions:
    """The detector's view of these addition rows, in their order."""
    kinds = RiskAddition.Kind
    return detect.Additions(
        phrases=tuple((r.category, r.language, r.text) for r in rows if r.kind == kinds.PHRASE),
        everyday=tuple((r.language, r.text) for r in rows if r.kind == kinds.EVERYDAY),
        examples=tuple((r.category, r.text) for r in rows if r.kind == kinds.EXAMPLE),
        not_risk=tuple(r.text for r in rows if r.kind == kinds.NOT_RISK),
    )
