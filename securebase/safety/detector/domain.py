"""The risk detector: risk language in free text, in two layers, each flag saying why.

1. The lexicon (``language.py``): patterns per category built from concepts, in English and
   Spanish, with negation, past history and other people's experience read as not affirmed.
2. The meaning (``semantic.py``): each sentence compared with exemplar statements per category.
   A sentence in which the lexicon found only a denial, a past history or someone else's
   experience ("I would never hurt myself", "years ago I self-harmed") is left to the lexicon:
   sentence embeddings read a denial as close to what it denies.

A flag carries its reasons: the category and the layer that found it (with the similarity for
the meaning layer), never the client's words. Pure; no Django imports.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from securebase.safety.detector import language, semantic

logger = logging.getLogger("securebase.safety")

LEXICON = "lexicon"
SEMANTIC = "semantic"


@dataclass(frozen=True)
class Reason:
    category: str
    layer: str  # LEXICON or SEMANTIC
    score: float | None = None  # the semantic layer's cosine similarity

    def as_dict(self) -> dict:
        found = {"category": self.category, "layer": self.layer}
        if self.score is not None:
            found["score"] = self.score
        return found


@dataclass(frozen=True)
class Detection:
    reasons: tuple[Reason, ...]
    mentions: int = 0  # lexicon matches read as not affirmed (denied, past, someone else's)

    @property
    def flag(self) -> bool:
        return bool(self.reasons)

    @property
    def categories(self) -> tuple[str, ...]:
        """The categories found, most severe first (``language.CATEGORIES`` order), once each."""
        found = {r.category for r in self.reasons}
        return tuple(c for c in language.CATEGORIES if c in found)

    def layers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.layer for r in self.reasons))


@dataclass(frozen=True)
class Additions:
    """What a practice added to the detector after reviewing its false alarms and misses
    (``safety/learning/domain.py``), in both layers. Hashable: the layers keep what they build from it."""

    phrases: tuple[tuple[str, str, str], ...] = ()  # (category, language, lexicon pattern)
    everyday: tuple[tuple[str, str], ...] = ()  # (language, everyday phrase): not risk
    examples: tuple[tuple[str, str], ...] = ()  # (category, risk exemplar)
    not_risk: tuple[str, ...] = ()  # not-risk exemplars

    def lexicon(self) -> language.Lexicon:
        if not (self.phrases or self.everyday):
            return language.lexicon()
        return language.with_additions(self.phrases, self.everyday)


NONE = Additions()


def detect(
    text: str,
    languages: tuple[str, ...] = ("en", "es"),
    *,
    additions: Additions = NONE,
    memo: dict | None = None,
) -> Detection:
    """Both layers over ``text``; ``languages`` are the lexicon's lists to apply (the meaning
    layer reads any language its model knows). ``additions`` are the practice's own;
    ``memo`` lets an evaluation over many texts keep the sentences it already encoded."""
    if not (text or "").strip():
        return Detection(())
    lex = additions.lexicon()
    found = language.assess(text, languages, lex=lex)
    reasons = [Reason(category, LEXICON) for category in found.categories]
    kept = [
        sentence
        for sentence in language.sentences(text)
        if not language.assess(sentence, languages, lex=lex).negated_only
    ]
    if kept:
        try:
            by_meaning = semantic.assess(
                "\n".join(kept), examples=(additions.examples, additions.not_risk), memo=memo
            )
        except Exception:  # noqa: BLE001 - the lexicon's answer must still stand
            # The client's entry is saved and read by the lexicon whatever happens to the model
            # (memory, a broken install): an error here must not lose what they wrote.
            logger.exception("the semantic risk layer failed; the lexicon's answer stands")
            by_meaning = ()
        reasons += [Reason(match.category, SEMANTIC, match.score) for match in by_meaning]
    mentions = sum(1 for m in found.matches if not m.affirmed)
    return Detection(tuple(reasons), mentions)
