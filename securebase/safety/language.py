"""Risk language in free text: a maintained phrase list with negation. Pure; no Django imports.

The phrases (English and Spanish) live in ``data/risk_language.yaml``. A phrase found in the text is
*affirmed* unless a negation cue ("never", "not", "nunca", "no" …) stands within ``NEGATION_WINDOW``
words before it in the same clause: the approach of NegEx (Chapman, W. W., Bridewell, W., Hanbury,
P., Cooper, G. F., & Buchanan, B. G. (2001). A simple algorithm for identifying negated findings and
diseases in discharge summaries. Journal of Biomedical Informatics, 34(5), 301–310), whose window is
five words and whose scope ends at punctuation and at words such as "but".

Three further ideas, the first two from NegEx (Chapman et al. 2001), all leaning towards a flag,
since a missed mention costs far more than a false alarm:

- *Pseudo-negations* contain a negation word but negate nothing ("I can't stop thinking about
  suicide", "no one knows I hurt myself", "no sé por qué quiero morir"): a cue inside one is not a cue.
- *Clause ends* ("but", "and", "that", "because", "pero", "y", "que", "porque") stop a negation's
  reach, as punctuation does: "I didn't sleep and I want to die" is affirmed.
- *Double negations* ("not a day goes by that I don't want to die") cancel the first negation cue
  after them, before the next punctuation mark; what it negated is then affirmed.

Pseudo-negations, clause ends and double negations of every language read apply to every phrase,
since people mix languages; negation cues apply to the phrases of their own language. Words typed
without an apostrophe ("dont", "cant", "im") read as with one.

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

from securebase.core import yamlfile

DATA = Path(__file__).with_name("data") / "risk_language.yaml"
NEGATION_WINDOW = 5  # words, as in NegEx (Chapman et al. 2001)
_WORD = re.compile(r"[\w'-]+|[.,;:!?¡¿()\n]")
_PATTERN_WORD = re.compile(r"[\w'-]+\*?")  # a phrase's words; "*" ends a prefix
_CLAUSE_END = set(".,;:!?¡¿()\n")
# English contractions as often typed without the apostrophe. None is a Spanish word.
_CONTRACTIONS = {
    word.replace("'", ""): word
    for word in (
        "don't", "doesn't", "didn't", "can't", "couldn't", "won't", "wouldn't", "isn't",
        "wasn't", "aren't", "haven't", "hasn't", "shouldn't", "i'm", "i've",
    )
}  # fmt: skip
_NOT_CUES = {"terminators", "pseudo", "double"}  # the other keys under ``negation``


def _fold(text: str) -> str:
    """Lower case, straight apostrophes, accents removed: "Jamás" and "jamas" read the same."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _tokens(text: str) -> list[str]:
    return [_CONTRACTIONS.get(word, word) for word in _WORD.findall(_fold(text))]


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


Words = tuple[tuple[str, ...], ...]  # phrases as folded word tuples


@dataclass(frozen=True)
class Lexicon:
    phrases: dict[str, Words]  # language → phrases
    raw: dict[str, tuple[str, ...]]
    negation: dict[str, Words]
    terminators: dict[str, Words]
    pseudo: dict[str, Words]
    double: dict[str, Words]


@functools.cache
def lexicon(path: Path = DATA) -> Lexicon:
    data = yamlfile.read(path)
    negation = data["negation"]

    def split(items) -> Words:
        return tuple(
            tuple(_CONTRACTIONS.get(w, w) for w in _PATTERN_WORD.findall(_fold(item)))
            for item in items
        )

    def by_language(key: str) -> dict[str, Words]:
        return {lang: split(items) for lang, items in negation.get(key, {}).items()}

    return Lexicon(
        phrases={lang: split(items) for lang, items in data["phrases"].items()},
        raw={lang: tuple(items) for lang, items in data["phrases"].items()},
        negation={lang: split(items) for lang, items in negation.items() if lang not in _NOT_CUES},
        terminators=by_language("terminators"),
        pseudo=by_language("pseudo"),
        double=by_language("double"),
    )


def _word_matches(pattern: str, word: str) -> bool:
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1])
    return word == pattern


def _matches_at(tokens: list[str], start: int, phrase: tuple[str, ...]) -> bool:
    if start < 0 or start + len(phrase) > len(tokens):
        return False
    return all(_word_matches(p, tokens[start + i]) for i, p in enumerate(phrase))


def _spans(tokens: list[str], patterns: Words):
    """(start, end) of every occurrence of any of ``patterns``."""
    for start in range(len(tokens)):
        for pattern in patterns:
            if pattern and _matches_at(tokens, start, pattern):
                yield start, start + len(pattern)


def _not_cues(tokens: list[str], cues: Words, pseudo: Words, double: Words) -> set[int]:
    """Positions of negation words that negate nothing: inside a pseudo-negation or a double
    negation, or the first cue after a double negation before punctuation (which it cancels)."""
    masked = {i for start, end in _spans(tokens, pseudo + double) for i in range(start, end)}
    for _, end in list(_spans(tokens, double)):
        for i in range(end, len(tokens)):
            if tokens[i] in _CLAUSE_END:
                break
            cue = next((c for c in cues if i not in masked and _matches_at(tokens, i, c)), None)
            if cue:
                masked.update(range(i, i + len(cue)))
                break
    return masked


def _negated(tokens: list[str], start: int, cues: Words, terminators: Words, masked) -> bool:
    """A cue within the window before ``start``, with no clause end between them."""
    window_start = start
    words_seen = 0
    while window_start > 0 and words_seen < NEGATION_WINDOW:
        previous = tokens[window_start - 1]
        if previous in _CLAUSE_END:
            break
        if any(_matches_at(tokens, window_start - len(t), t) for t in terminators):
            break
        window_start -= 1
        words_seen += 1
    return any(
        _matches_at(tokens, i, cue) and masked.isdisjoint(range(i, i + len(cue)))
        for cue in cues
        for i in range(window_start, start - len(cue) + 1)
    )


def assess(
    text: str, languages: tuple[str, ...] = ("en", "es"), *, lex: Lexicon | None = None
) -> Assessment:
    """Every risk phrase in ``text`` (in any of ``languages``), each affirmed or negated."""
    lex = lex or lexicon()
    tokens = _tokens(text or "")

    def every(lists: dict[str, Words]) -> Words:
        return tuple(words for language in languages for words in lists.get(language, ()))

    terminators, pseudo, double = every(lex.terminators), every(lex.pseudo), every(lex.double)
    found: list[Match] = []
    taken: set[int] = set()
    for language in languages:
        cues = lex.negation.get(language, ())
        masked = _not_cues(tokens, cues, pseudo, double)
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
                    negated = _negated(tokens, start, cues, terminators, masked)
                    found.append(Match(raw, language, negated, start))
                    taken.update(range(start, start + len(phrase)))
                    break
    return Assessment(tuple(sorted(found, key=lambda m: m.position)))
