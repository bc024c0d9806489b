"""Risk language in free text: a maintained phrase list with negation. Pure; no Django imports.

The phrases (English and Spanish) live in ``data/risk_language.yaml``. A phrase found in the text is
*affirmed* unless a negation cue ("never", "not", "nunca", "no" …) stands within ``NEGATION_WINDOW``
words before it in the same clause: the approach of NegEx (Chapman, W. W., Bridewell, W., Hanbury,
P., Cooper, G. F., & Buchanan, B. G. (2001). A simple algorithm for identifying negated findings and
diseases in discharge summaries. Journal of Biomedical Informatics, 34(5), 301–310), whose window is
five words and whose scope ends at punctuation and at words such as "but".

An affirmed phrase raises a risk flag. A negated one ("I would never hurt myself") is weighed
differently: it raises no flag on its own, but is reported so a clinician can see the topic came up.
Negation words that belong to a phrase ("don't want to live", "no quiero vivir") are part of the
phrase and never negate it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA = Path(__file__).with_name("data") / "risk_language.yaml"
NEGATION_WINDOW = 5  # words, as in NegEx (Chapman et al. 2001)
_WORD = re.compile(r"[\w'-]+|[.,;:!?¡¿()\n]")
_PATTERN_WORD = re.compile(r"[\w'-]+\*?")  # a phrase's words; "*" ends a prefix
_CLAUSE_END = set(".,;:!?¡¿()\n")


def _fold(text: str) -> str:
    """Lower case, straight apostrophes, accents removed: "Jamás" and "jamas" read the same."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _tokens(text: str) -> list[str]:
    return _WORD.findall(_fold(text))


@dataclass(frozen=True)
class Match:
    phrase: str
    language: str
    negated: bool
    position: int  # index of the phrase's first word


@dataclass(frozen=True)
class Assessment:
    matches: tuple[Match, ...]

    @property
    def flag(self) -> bool:
        """True when any risk phrase is affirmed (not negated)."""
        return any(not m.negated for m in self.matches)

    @property
    def negated_only(self) -> bool:
        return bool(self.matches) and not self.flag


@dataclass(frozen=True)
class Lexicon:
    phrases: dict[str, tuple[tuple[str, ...], ...]]  # language → phrases as folded word tuples
    raw: dict[str, tuple[str, ...]]
    negation: dict[str, tuple[tuple[str, ...], ...]]
    terminators: dict[str, tuple[tuple[str, ...], ...]]


@functools.cache
def lexicon(path: Path = DATA) -> Lexicon:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    def split(items):
        return tuple(tuple(_PATTERN_WORD.findall(_fold(item))) for item in items)

    return Lexicon(
        phrases={lang: split(items) for lang, items in data["phrases"].items()},
        raw={lang: tuple(items) for lang, items in data["phrases"].items()},
        negation={
            lang: split(items) for lang, items in data["negation"].items() if lang != "terminators"
        },
        terminators={lang: split(items) for lang, items in data["negation"]["terminators"].items()},
    )


def _word_matches(pattern: str, word: str) -> bool:
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1])
    return word == pattern


def _matches_at(tokens: list[str], start: int, phrase: tuple[str, ...]) -> bool:
    if start + len(phrase) > len(tokens):
        return False
    return all(_word_matches(p, tokens[start + i]) for i, p in enumerate(phrase))


def _negated(tokens: list[str], start: int, cues, terminators) -> bool:
    """A cue within the window before ``start``, with no clause end between them."""
    window_start = start
    words_seen = 0
    while window_start > 0 and words_seen < NEGATION_WINDOW:
        previous = tokens[window_start - 1]
        if previous in _CLAUSE_END:
            break
        if any(
            _matches_at(tokens, window_start - len(t), t)
            for t in terminators
            if len(t) <= window_start
        ):
            break
        window_start -= 1
        words_seen += 1
    before = tokens[window_start:start]
    return any(
        _matches_at(before, i, cue) for cue in cues for i in range(len(before) - len(cue) + 1)
    )


def assess(
    text: str, languages: tuple[str, ...] = ("en", "es"), *, lex: Lexicon | None = None
) -> Assessment:
    """Every risk phrase in ``text`` (in any of ``languages``), each affirmed or negated."""
    lex = lex or lexicon()
    tokens = _tokens(text or "")
    found: list[Match] = []
    taken: set[int] = set()
    for language in languages:
        cues = lex.negation.get(language, ())
        terminators = lex.terminators.get(language, ())
        # Longer phrases first, so "don't want to live" wins over a shorter phrase inside it.
        ordered = sorted(
            zip(lex.phrases.get(language, ()), lex.raw.get(language, ()), strict=True),
            key=lambda pair: -len(pair[0]),
        )
        for start in range(len(tokens)):
            if start in taken:
                continue
            for phrase, raw in ordered:
                if phrase and _matches_at(tokens, start, phrase):
                    found.append(
                        Match(raw, language, _negated(tokens, start, cues, terminators), start)
                    )
                    taken.update(range(start, start + len(phrase)))
                    break
    return Assessment(tuple(sorted(found, key=lambda m: m.position)))
