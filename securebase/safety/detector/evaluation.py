"""How well the risk detector does on a labelled set: recall and precision, with what it missed.

A labelled set is a CSV file with the columns ``statement``, ``language`` (``en`` or ``es``),
``category`` (one of ``language.CATEGORIES``, or ``none`` for a statement that must not raise a
flag) and an optional ``note``. The shipped set (``data/risk_statements.csv``) is our own wording:
risk statements of every category in both languages, and hard negatives (idioms, denials, past
history, other people's deaths, everyday pills, bridges and ropes).

A risk statement counts as caught when it raises a flag, whatever category the flag names (the
care team is reached either way); the report also says how often the category agreed. Pure; no
Django imports.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from securebase.safety.detector import domain as detect
from securebase.safety.detector import language

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "risk_statements.csv"
# Written by an author who never saw the detector or its data: measure on it, never tune on it
# (once used to change the lexicon or the exemplars, it is no longer held out; write a new one).
HELD_OUT = Path(__file__).resolve().parents[1] / "data" / "risk_statements_heldout.csv"
NONE = "none"
LANGUAGES = ("en", "es")
COLUMNS = ("statement", "language", "category")
# What CI asks of the shipped set, in each language (tests/safety/test_risk_evaluation.py).
MIN_RECALL = 0.98
MIN_PRECISION = 0.85


class LabelledSetError(ValueError):
    """A labelled file that cannot be read, with the line at fault."""


@dataclass(frozen=True)
class Statement:
    text: str
    language: str
    category: str  # a category, or NONE
    note: str = ""

    @property
    def risk(self) -> bool:
        return self.category != NONE


@dataclass(frozen=True)
class Outcome:
    statement: Statement
    detection: detect.Detection

    @property
    def flagged(self) -> bool:
        return self.detection.flag


@dataclass
class Counts:
    risk: int = 0
    caught: int = 0  # risk statements flagged
    category_agreed: int = 0  # … with the expected category among the flag's
    negatives: int = 0
    false_alarms: int = 0  # statements labelled none that were flagged
    by_layer: dict[str, int] = field(default_factory=dict)  # risk statements caught per layer

    @property
    def recall(self) -> float:
        return self.caught / self.risk if self.risk else 1.0

    @property
    def precision(self) -> float:
        flagged = self.caught + self.false_alarms
        return self.caught / flagged if flagged else 1.0

    def add(self, outcome: Outcome) -> None:
        if outcome.statement.risk:
            self.risk += 1
            if outcome.flagged:
                self.caught += 1
                if outcome.statement.category in outcome.detection.categories:
                    self.category_agreed += 1
                for layer in outcome.detection.layers():
                    self.by_layer[layer] = self.by_layer.get(layer, 0) + 1
        else:
            self.negatives += 1
            self.false_alarms += int(outcome.flagged)


@dataclass(frozen=True)
class Report:
    outcomes: tuple[Outcome, ...]

    def counts(self, language: str | None = None, category: str | None = None) -> Counts:
        """Counts over the statements of ``language`` (all when None); with ``category``, only
        that category's risk statements (for its recall)."""
        counts = Counts()
        for outcome in self.outcomes:
            s = outcome.statement
            if language is not None and s.language != language:
                continue
            if category is not None and s.category != category:
                continue
            counts.add(outcome)
        return counts

    @property
    def languages(self) -> tuple[str, ...]:
        found = {o.statement.language for o in self.outcomes}
        return tuple(code for code in LANGUAGES if code in found)

    @property
    def categories(self) -> tuple[str, ...]:
        found = {o.statement.category for o in self.outcomes}
        return tuple(c for c in language.CATEGORIES if c in found)

    def misses(self) -> list[Statement]:
        return [o.statement for o in self.outcomes if o.statement.risk and not o.flagged]

    def false_alarms(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.statement.risk and o.flagged]

    def passes(self, min_recall: float, min_precision: float) -> bool:
        """Whether every language reaches both thresholds."""
        return all(
            self.counts(code).recall >= min_recall and self.counts(code).precision >= min_precision
            for code in self.languages
        )


def read(path: Path) -> list[Statement]:
    """The statements of a labelled CSV file, or LabelledSetError saying which line is wrong."""
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise LabelledSetError(f"cannot read {path}: {exc.strerror or exc}") from None
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise LabelledSetError(f"{path.name}: missing column(s) {', '.join(missing)}")
        statements = []
        for row in reader:
            line = reader.line_num
            text = (row["statement"] or "").strip()
            code = (row["language"] or "").strip()
            category = (row["category"] or "").strip()
            if not text:
                raise LabelledSetError(f"{path.name}, line {line}: the statement is empty")
            if code not in LANGUAGES:
                raise LabelledSetError(
                    f"{path.name}, line {line}: language {code!r} is not one of en, es"
                )
            if category != NONE and category not in language.CATEGORIES:
                raise LabelledSetError(
                    f"{path.name}, line {line}: category {category!r} is not one of "
                    f"{', '.join(language.CATEGORIES)} or {NONE}"
                )
            statements.append(Statement(text, code, category, (row.get("note") or "").strip()))
    if not statements:
        raise LabelledSetError(f"{path.name}: no statements")
    return statements


def evaluate(
    statements: Iterable[Statement],
    detector: Callable[[str, tuple[str, ...]], detect.Detection] = detect.detect,
) -> Report:
    """Run ``detector`` on every statement, with both languages' lists as the app does."""
    return Report(tuple(Outcome(s, detector(s.text, LANGUAGES)) for s in statements))
