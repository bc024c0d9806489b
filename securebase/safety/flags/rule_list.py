"""The risk rules as data for the clinicians' rules page: every rule, its threshold and its source.

Read from the same files the rules run on (the instrument files' ``risk_items``, the check-in's
safety threshold in ``safety/flags/domain.py``, the risk-language lexicon in
``safety/data/risk_language.yaml``, by clinical category), so the page cannot drift from what
actually raises a flag.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from securebase.core import yamlfile
from securebase.measures import definitions
from securebase.plan.checkins import domain as checkins
from securebase.safety.detector import language, semantic
from securebase.safety.flags import rules as risk

NEGEX_CITATION = (
    "Chapman, W. W., Bridewell, W., Hanbury, P., Cooper, G. F., & Buchanan, B. G. (2001). "
    "A simple algorithm for identifying negated findings and diseases in discharge summaries. "
    "Journal of Biomedical Informatics, 34(5), 301–310. https://doi.org/10.1006/jbin.2001.1029"
)
CONTEXT_CITATION = (
    "Harkema, H., Dowling, J. N., Thornblade, T., & Chapman, W. W. (2009). ConText: an algorithm "
    "for determining negation, experiencer, and temporal status from clinical reports. Journal of "
    "Biomedical Informatics, 42(5), 839–851. https://doi.org/10.1016/j.jbi.2009.05.002"
)
LANGUAGE_NAMES = {"en": "English", "es": "Español"}


def category_labels() -> dict[str, str]:
    """A plain-language label for each category of :data:`language.CATEGORIES`, in its order."""
    return {
        "behaviour": _("An attempt, recent, interrupted or stopped"),
        "preparatory": _(
            "Getting ready: saving pills, buying the means, goodbye letters, giving things away"
        ),
        "plan": _("A plan: when, where or how"),
        "intent": _("Intent: having decided to act"),
        "method": _("Thinking about or looking up a method or a place"),
        "ideation": _("Thoughts of suicide or of ending things"),
        "wish_dead": _("Wishing to be dead, not to wake up, not to be here"),
        "self_harm": _("Self-harm without the aim of dying"),
    }


@dataclass(frozen=True)
class MeasureRule:
    instrument: str  # short name
    name: str
    item: int
    item_label: str  # our own description of the item, never the licensed wording
    at_least: float
    lowest_answer: str  # the label of the scale's lowest answer, e.g. "not at all"
    message: str
    source_file: str
    citation: str
    notes: tuple[str, ...]  # the instrument file's notes about its risk item


@dataclass(frozen=True)
class CategoryPatterns:
    category: str  # one of language.CATEGORIES
    label: str  # in plain words, for clinicians
    patterns: tuple[str, ...]  # as written in the YAML


@dataclass(frozen=True)
class PhraseList:
    """One language's lexicon: its patterns by category, the concepts they are built from, and
    the cues that mark a match as negated, past or someone else's."""

    language: str
    name: str
    categories: tuple[CategoryPatterns, ...]
    concepts: tuple[tuple[str, tuple[str, ...]], ...]  # (name, entries), as in the YAML
    negation_cues: tuple[str, ...]
    terminators: tuple[str, ...]
    pseudo: tuple[str, ...] = ()  # contain a negation word but deny nothing ("can't stop")
    double: tuple[str, ...] = ()  # "not a day goes by": the next negation is cancelled
    historical: tuple[str, ...] = ()  # clearly past ("years ago", "de adolescente")
    recurrence: tuple[str, ...] = ()  # cancel a past cue ("again", "otra vez")
    other: tuple[str, ...] = ()  # someone else's experience ("my friend", "mi hermana")

    @property
    def phrases(self) -> tuple[str, ...]:
        """Every pattern of every category."""
        return tuple(p for group in self.categories for p in group.patterns)


@dataclass(frozen=True)
class Rules:
    measures: list[MeasureRule]
    checkin_question: str
    checkin_threshold: int
    checkin_answers: list[tuple[int, str, bool]]  # (value, words, raises a flag)
    phrase_lists: list[PhraseList]
    phrases_version: str
    phrases_file: str
    negation_window: int
    clause_ends: str
    negex_citation: str
    context_citation: str = CONTEXT_CITATION
    category_labels: tuple[tuple[str, str], ...] = ()  # (category, label), most severe first
    semantic_threshold: float = semantic.THRESHOLD
    semantic_margin: float = semantic.MARGIN


def _relative(path) -> str:
    """The file's path inside the project (``securebase/…``), as a reader finds it."""
    try:
        return str(path.relative_to(settings.PACKAGE_DIR.parent))
    except ValueError:
        return str(path)


def measure_rules() -> list[MeasureRule]:
    """Each risk item declared in the instrument files, in the order of the instruments."""
    found = []
    for key, definition in definitions.registry().items():
        labels = {item.number: item.label for item in definition.items}
        for item_rule in definition.risk_items:
            notes = tuple(
                note
                for note in definition.notes
                if "risk" in note.lower() and f"{item_rule.item}" in note
            )
            found.append(
                MeasureRule(
                    instrument=definition.short_name,
                    name=definition.name,
                    item=item_rule.item,
                    item_label=labels.get(item_rule.item, ""),
                    at_least=item_rule.at_least,
                    lowest_answer=definition.scale.min_label,
                    message=item_rule.message,
                    source_file=_relative(definitions.INSTRUMENTS_DIR / f"{key}.yaml"),
                    citation=definition.citation,
                    notes=notes,
                )
            )
    return found


@functools.cache
def _language_file() -> dict:
    return yamlfile.read(language.DATA)


def phrase_lists() -> list[PhraseList]:
    """Each language's lexicon, its categories in :data:`language.CATEGORIES` order."""
    data = _language_file()
    negation = data.get("negation", {})
    historical = data.get("historical", {})
    other = data.get("other", {})
    by_category = data.get("categories", {})
    labels = category_labels()
    codes = list(dict.fromkeys(code for lists in by_category.values() for code in lists or {}))
    return [
        PhraseList(
            language=code,
            name=LANGUAGE_NAMES.get(code, code),
            categories=tuple(
                CategoryPatterns(category, labels[category], tuple(by_category[category][code]))
                for category in language.CATEGORIES
                if (by_category.get(category) or {}).get(code)
            ),
            concepts=tuple(
                (name, tuple(entries))
                for name, entries in (data.get("concepts", {}).get(code) or {}).items()
            ),
            negation_cues=tuple(negation.get(code, ())),
            terminators=tuple(negation.get("terminators", {}).get(code, ())),
            pseudo=tuple(negation.get("pseudo", {}).get(code, ())),
            double=tuple(negation.get("double", {}).get(code, ())),
            historical=tuple(historical.get(code, ())),
            recurrence=tuple(historical.get("recurrence", {}).get(code, ())),
            other=tuple(other.get(code, ())),
        )
        for code in codes
    ]


def checkin_question() -> tuple[str, list[tuple[int, str, bool]]]:
    """The check-in's safety question and its answers, each with whether it raises a flag."""
    answers = [
        (value, str(words), risk.checkin_answer_flags(value))
        for value, words in checkins.SAFETY_ANSWERS
    ]
    return str(checkins.SAFETY_QUESTION), answers


def all_rules() -> Rules:
    ends = sorted(language._CLAUSE_END - {"\n"})
    question, answers = checkin_question()
    return Rules(
        measures=measure_rules(),
        checkin_question=question,
        checkin_threshold=risk.CHECKIN_SAFETY_THRESHOLD,
        checkin_answers=answers,
        phrase_lists=phrase_lists(),
        phrases_version=str(_language_file().get("version", "")),
        phrases_file=_relative(language.DATA),
        negation_window=language.NEGATION_WINDOW,
        clause_ends=" ".join(ends) + " " + _("and a line break"),
        negex_citation=NEGEX_CITATION,
        category_labels=tuple(category_labels().items()),
    )
