"""Scoring: responses in, scores out. Pure functions over a Definition; no Django imports.

A response is the point the person chose on the scale as they saw it; reverse keying is applied
here. Totals are always recomputed from the items, never taken from input.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from securebase.core.errors import InputError
from securebase.measures.definitions import Definition, Subscale
from securebase.safety.flags.rules import measure_answer_flags


class ScoringError(InputError):
    """Bad input, with a message that names the item and the allowed values."""


@dataclass(frozen=True)
class Result:
    instrument: str
    scores: dict[str, float | None]
    bands: dict[str, str]
    flags: list[str]
    missing: list[int]
    target: str | None = None
    answers: dict[int, int] = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict:
        out = {
            "instrument": self.instrument,
            "scores": self.scores,
            "bands": self.bands,
            "flags": self.flags,
            "missing": self.missing,
        }
        if self.target is not None:
            out["target"] = self.target
        return out


def parse_responses(definition: Definition, raw: Mapping) -> dict[int, int]:
    """Check and convert {"1": 2, ...}; ``None`` means unanswered. Raise ScoringError on bad input."""
    if not isinstance(raw, Mapping):
        raise ScoringError("answers must be an object mapping item numbers to values")
    answers: dict[int, int] = {}
    last = definition.item_count
    for key, value in raw.items():
        try:
            number = int(str(key).strip())
        except ValueError:
            raise ScoringError(
                f"{key!r} is not an item number of {definition.short_name} (items 1–{last})"
            ) from None
        if not 1 <= number <= last or str(number) != str(key).strip():
            raise ScoringError(
                f"item {key}: not an item of {definition.short_name} (items 1–{last})"
            )
        if value is None:
            continue
        scale = definition.scale_of(number)
        allowed = f"a whole number from {scale.min} to {scale.max}"
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ScoringError(f"item {number}: {value!r} is not a number; expected {allowed}")
        if isinstance(value, float) and (math.isnan(value) or not value.is_integer()):
            raise ScoringError(f"item {number}: {value!r} is not allowed; expected {allowed}")
        if not scale.min <= value <= scale.max:
            raise ScoringError(f"item {number}: {value!r} is out of range; expected {allowed}")
        answers[number] = int(value)
    return answers


def keyed(definition: Definition, answers: Mapping[int, int]) -> dict[int, float]:
    """Answers with reverse-keyed items turned round (min + max − x)."""
    return {
        n: definition.scale_of(n).reverse(v) if definition.item(n).reverse else float(v)
        for n, v in answers.items()
    }


def _tidy(value: float, decimals: int) -> float | int:
    rounded = round(value, decimals)
    return int(rounded) if float(rounded).is_integer() else rounded


def score_subscale(sub: Subscale, values: Mapping[int, float]) -> float | int | None:
    answered = [n for n in sub.items if n in values]
    if len(sub.items) - len(answered) > sub.missing.max_missing or not answered:
        return None
    if sub.method == "mean":
        return _tidy(sum(values[n] for n in answered) / len(answered), sub.decimals)
    if sub.method == "weighted_sum":
        if len(answered) != len(sub.items):
            return None
        return _tidy(sum(sub.weights[n] * values[n] for n in sub.items), sub.decimals)
    total = sum(values[n] for n in answered)
    if len(answered) < len(sub.items) and sub.missing.prorate:
        total = total * len(sub.items) / len(answered)
    return _tidy(total, sub.decimals)


def band_for(sub: Subscale, value: float | None) -> str | None:
    """The band whose lower edge is the highest one at or below the score."""
    if value is None or not sub.bands:
        return None
    chosen = None
    for band in sorted(sub.bands, key=lambda b: b.min):
        if value >= band.min:
            chosen = band
    return chosen.label if chosen else None


def score(
    definition: Definition,
    raw: Mapping,
    *,
    target: str | None = None,
    claimed: Mapping[str, float] | None = None,
) -> Result:
    """Score one response set. ``claimed`` totals (e.g. from an imported form) are only compared."""
    answers = parse_responses(definition, raw)
    values = keyed(definition, answers)
    scores = {sub.key: score_subscale(sub, values) for sub in definition.subscales}
    bands = {}
    for sub in definition.subscales:
        label = band_for(sub, scores[sub.key])
        if label is not None:
            bands[sub.key] = label
    flags = measure_answer_flags(definition.risk_items, answers)
    for key, value in (claimed or {}).items():
        if key in scores and scores[key] is not None and float(value) != float(scores[key]):
            flags.append(f"claimed-{key}-differs")
    missing = [n for n in range(1, definition.item_count + 1) if n not in answers]
    return Result(definition.key, scores, bands, flags, missing, target, answers)
