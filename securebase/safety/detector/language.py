"""Risk language in free text: a lexicon of patterns by clinical category, with negation, past
tense and other people's experience. Pure; no Django imports.

The lexicon (English and Spanish) lives in ``data/risk_language.yaml``. Its patterns are grouped
by clinical category (:data:`CATEGORIES`, from an attempt down to self-harm without suicidal
intent) and built from *concepts*, named word lists ("{pills}", "{stockpile}"), so that one pattern
covers the many everyday ways of saying the same thing. Pattern syntax:

- Words are matched whole, on folded text: lower case, accents removed, straight apostrophes
  ("Jamás" reads as "jamas"). ``word*`` matches any ending ("cort*": "corté", "cortarme").
- ``{concept}`` matches any entry of that concept of the pattern's own language; an entry may be
  several words and may use ``*``.
- ``...`` lets up to :data:`GAP` words stand between the parts, never across a clause end
  (punctuation or a terminator such as "but", "and", "pero", "que").

A match is *affirmed* unless one of three things holds (the approach of ConText: Harkema, H.,
Dowling, J. N., Thornblade, T., & Chapman, W. W. (2009). ConText: an algorithm for determining
negation, experiencer, and temporal status from clinical reports. Journal of Biomedical
Informatics, 42(5), 839–851), each read in the match's clause:

- *negated*: a negation cue ("never", "not", "nunca", "no" …) stands within
  :data:`NEGATION_WINDOW` words before it, as in NegEx (Chapman, W. W., Bridewell, W., Hanbury,
  P., Cooper, G. F., & Buchanan, B. G. (2001). A simple algorithm for identifying negated findings
  and diseases in discharge summaries. Journal of Biomedical Informatics, 34(5), 301–310);
- *historical*: a clearly-past cue ("years ago", "when I was a teenager", "used to", "hace años",
  "de adolescente", "solía") stands before or after it;
- *other*: someone else's experience: an other-person cue ("my friend", "she", "mi hermana",
  "ella") stands before it with no first-person word ("I", "me", "my", "yo", "me", "mi", "…rme")
  between the cue and the end of the match.

Everything leans towards a flag, since a missed mention costs far more than a false alarm:

- *Pseudo-negations* contain a negation word but negate nothing ("I can't stop thinking about
  suicide", "no one knows I hurt myself", "no sé por qué quiero morir"): a cue inside one is not a
  cue. Likewise "I'm used to" is no past cue. The pseudo list also holds everyday phrases: a match
  that is part of a longer one is that phrase, not risk ("going to jump at the chance", "me corté
  el pelo", "suicide prevention").
- *Clause ends* (punctuation, and "but", "and", "that", "because", "pero", "y", "que", "porque")
  stop every cue's reach: "I didn't sleep and I want to die" is affirmed, and so is "I used to
  cut, and I want to die".
- *Double negations* ("not a day goes by that I don't want to die") cancel the first negation cue
  after them, before the next punctuation mark; what it negated is then affirmed.
- *Recurrence* words ("again", "still", "started", "relapsed", "last night", "otra vez", "de
  nuevo", "volví a", "anoche") anywhere in the sentence cancel a past cue: "I used to cut and I
  started again last night" is affirmed.

Pseudo-negations, clause ends, double negations, recurrence words and first-person words of every
language read apply to every match, since people mix languages; negation, past and other-person
cues apply to the patterns of their own language. Words typed without an apostrophe ("dont",
"cant", "im") read as with one.

An affirmed match raises a risk flag. A negated, past or other-person one ("I would never hurt
myself", "years ago I cut myself", "my friend wants to die") raises no flag on its own but is
reported, so a clinician can see the topic came up. Negation words that belong to a pattern
("don't want to live", "no quiero vivir") are part of it and never negate it.
"""

from __future__ import annotations

import copy
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from securebase.core import yamlfile

DATA = Path(__file__).resolve().parents[1] / "data" / "risk_language.yaml"
# Most to least severe, after the Columbia Suicide Severity Rating Scale's ladder (behaviour, then
# ideation with plan, intent, method, active and passive ideation); non-suicidal self-injury last.
CATEGORIES: tuple[str, ...] = (
    "behaviour",
    "preparatory",
    "plan",
    "intent",
    "method",
    "ideation",
    "wish_dead",
    "self_harm",
)
NEGATION_WINDOW = 5  # words, as in NegEx (Chapman et al. 2001)
GAP = 4  # words that "..." in a pattern lets stand between its parts
_WORD = re.compile(r"[\w'-]+|[.,;:!?¡¿()\n]")
_PATTERN_PART = re.compile(r"\{[\w-]+\}|\.\.\.|\*?[\w'-]+\*?")  # a pattern's words, concepts, gaps
_CLAUSE_END = set(".,;:!?¡¿()\n")
_SENTENCE_END = set(".!?;\n")
_SENTENCE_SPLIT = re.compile(r"[.!?;\n]+")
# English contractions as often typed without the apostrophe. None is a Spanish word.
_CONTRACTIONS = {
    word.replace("'", ""): word
    for word in (
        "don't", "doesn't", "didn't", "can't", "couldn't", "won't", "wouldn't", "isn't",
        "wasn't", "aren't", "haven't", "hasn't", "shouldn't", "i'm", "i've",
    )
}  # fmt: skip
_NOT_CUES = {"terminators", "pseudo", "double", "recurrence", "first_person"}

Words = tuple[tuple[str, ...], ...]  # phrases as folded word tuples


def _fold(text: str) -> str:
    """Lower case, straight apostrophes, accents removed: "Jamás" and "jamas" read the same."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _tokens(text: str) -> list[str]:
    return [_CONTRACTIONS.get(word, word) for word in _WORD.findall(_fold(text))]


def _words(item: str) -> tuple[str, ...]:
    return tuple(_CONTRACTIONS.get(w, w) for w in _PATTERN_PART.findall(_fold(item)))


def sentences(text: str) -> list[str]:
    """The sentences and lines of ``text``: split at . ! ? ; and line breaks, stripped, non-empty."""
    return [piece.strip() for piece in _SENTENCE_SPLIT.split(text or "") if piece.strip()]


@dataclass(frozen=True)
class Match:
    phrase: str  # the pattern as written in the YAML (never the client's words)
    category: str
    language: str
    negated: bool
    position: int  # index of the first word
    historical: bool = False  # described as past ("years ago I used to…")
    other: bool = False  # someone else's experience ("my friend…")

    @property
    def affirmed(self) -> bool:
        return not (self.negated or self.historical or self.other)


@dataclass(frozen=True)
class Assessment:
    matches: tuple[Match, ...]

    @property
    def flag(self) -> bool:
        """True when any risk pattern is affirmed (not negated, past or someone else's)."""
        return any(m.affirmed for m in self.matches)

    @property
    def negated_only(self) -> bool:
        """Risk language came up, but none of it affirmed."""
        return bool(self.matches) and not self.flag

    @property
    def categories(self) -> tuple[str, ...]:
        """The categories of the affirmed matches, most severe first."""
        found = {m.category for m in self.matches if m.affirmed}
        return tuple(c for c in CATEGORIES if c in found)


class _Index:
    """Phrases by their first word, so that text is searched word by word rather than phrase by
    phrase; longer phrases first. What each word starts is remembered (bounded)."""

    def __init__(self, phrases: Words):
        self.phrases = tuple(sorted({p for p in phrases if p}, key=len, reverse=True))
        self._exact: dict[str, list[_Entry]] = {}
        self._affixed: list[_Entry] = []
        for phrase in self.phrases:
            plain = not any(w.startswith("*") or w.endswith("*") for w in phrase)
            entry = (phrase, len(phrase), list(phrase) if plain else None)
            if phrase[0].startswith("*") or phrase[0].endswith("*"):
                self._affixed.append(entry)
            else:
                self._exact.setdefault(phrase[0], []).append(entry)
        self._memo: dict[str, tuple[_Entry, ...]] = {}

    def starting(self, word: str) -> tuple[_Entry, ...]:
        """(phrase, length, words when none has a "*") of the phrases whose first word matches
        ``word``, longest first."""
        found = self._memo.get(word)
        if found is None:
            found = tuple(
                sorted(
                    self._exact.get(word, [])
                    + [e for e in self._affixed if _word_matches(e[0][0], word)],
                    key=lambda entry: entry[1],
                    reverse=True,
                )
            )
            if len(self._memo) < 50_000:  # the vocabulary of free text is not bounded
                self._memo[word] = found
        return found

    def at(self, tokens: list[str], i: int) -> list[int]:
        """The lengths of the phrases found at ``tokens[i]``, longest first."""
        return [n for entry in self.starting(tokens[i]) if (n := _fits(tokens, i, entry))]

    def spans(self, tokens: list[str]) -> list[tuple[int, int]]:
        """(start, end) of every occurrence of any phrase."""
        return [(i, i + n) for i in range(len(tokens)) for n in self.at(tokens, i)]


_Entry = tuple[tuple[str, ...], int, "list[str] | None"]


def _fits(tokens: list[str], i: int, entry: _Entry) -> int:
    """The entry's length when it stands at ``tokens[i]`` (its first word already matching),
    else 0."""
    phrase, n, plain = entry
    if n == 1:
        return 1
    if i + n > len(tokens):
        return 0
    if plain is not None:
        return n if tokens[i : i + n] == plain else 0
    return n if all(_word_matches(p, tokens[i + k]) for k, p in enumerate(phrase)) else 0


@functools.lru_cache(maxsize=1024)
def _index(phrases: Words) -> _Index:
    return _Index(phrases)


@dataclass(frozen=True)
class Pattern:
    phrase: str  # as written in the YAML
    category: str
    language: str
    elements: tuple[_Index | None, ...]  # None is a gap ("...")
    rank: int  # category order, then file order: breaks ties between equally long matches


@dataclass(frozen=True)
class Lexicon:
    patterns: dict[str, tuple[Pattern, ...]]  # language → patterns
    concepts: dict[str, dict[str, tuple[str, ...]]]  # language → name → entries, as written
    negation: dict[str, Words]
    terminators: dict[str, Words]
    pseudo: dict[str, Words]
    double: dict[str, Words]
    historical: dict[str, Words]
    historical_pseudo: dict[str, Words]
    recurrence: dict[str, Words]
    other: dict[str, Words]
    first_person: dict[str, Words]
    context_terminators: dict[str, Words]  # end a past or other-person cue's reach
    # Patterns by the first words they can start with, so each word of a text is tried against
    # a handful of patterns, not all of them.
    _first: dict[str, _Index] = field(repr=False, compare=False)
    _by_start: dict[tuple[str, tuple[str, ...]], tuple[Pattern, ...]] = field(
        repr=False, compare=False
    )

    def candidates(self, language: str, word: str) -> tuple[Pattern, ...]:
        first = self._first.get(language)
        if first is None:
            return ()
        found: list[Pattern] = []
        for start, _n, _plain in first.starting(word):
            found.extend(self._by_start[(language, start)])
        return tuple(found)


def _compile(
    phrase: str, category: str, language: str, concepts: dict[str, Words], rank: int
) -> Pattern:
    elements: list[_Index | None] = []
    for part in _words(phrase):
        if part == "...":
            elements.append(None)
        elif part.startswith("{"):
            name = part[1:-1]
            if name not in concepts:
                raise ValueError(f"{language} pattern {phrase!r}: no concept {{{name}}}")
            elements.append(_index(concepts[name]))
        elif elements and elements[-1] is not None and len(elements[-1].phrases) == 1:
            # Plain words run together into one phrase: "kill myself" is one element.
            (words,) = elements[-1].phrases  # type: ignore[union-attr]
            elements[-1] = _index(((*words, part),))
        else:
            elements.append(_index(((part,),)))
    if not elements or elements[0] is None or elements[-1] is None:
        raise ValueError(f"{language} pattern {phrase!r}: must start and end with a word")
    return Pattern(phrase, category, language, tuple(elements), rank)


@functools.cache
def lexicon(path: Path = DATA) -> Lexicon:
    return _build(yamlfile.read(path))


@functools.lru_cache(maxsize=16)
def with_additions(
    phrases: tuple[tuple[str, str, str], ...], everyday: tuple[tuple[str, str], ...]
) -> Lexicon:
    """The shipped lexicon plus a practice's own patterns, each ``(category, language, phrase)``
    (after the shipped ones of its category; the same syntax, its language's concepts included),
    and its own everyday phrases, each ``(language, phrase)``, read like the pseudo list: a
    pattern that is part of one of them is that phrase, not risk. ValueError names a phrase that
    cannot be read."""
    data = copy.deepcopy(yamlfile.read(DATA))
    for category, lang, phrase in phrases:
        if category not in CATEGORIES:
            raise ValueError(f"unknown risk category {category!r}")
        if not _words(phrase):
            raise ValueError(f"{lang} pattern {phrase!r}: no words")
        block = data["categories"].setdefault(category, {}) or {}
        data["categories"][category] = block
        block.setdefault(lang, []).append(phrase)
    for lang, phrase in everyday:
        if not _words(phrase):
            raise ValueError(f"{lang} everyday phrase {phrase!r}: no words")
        data["negation"].setdefault("pseudo", {}).setdefault(lang, []).append(phrase)
    return _build(data)


def _build(data: dict) -> Lexicon:
    negation = data["negation"]
    historical = data.get("historical", {})
    other = data.get("other", {})

    def split(items) -> Words:
        return tuple(_words(item) for item in items or ())

    def cues(block: dict) -> dict[str, Words]:
        return {lang: split(items) for lang, items in block.items() if lang not in _NOT_CUES}

    def by_language(block: dict, key: str) -> dict[str, Words]:
        return {lang: split(items) for lang, items in (block.get(key) or {}).items()}

    concepts_raw = {
        lang: {name: tuple(entries) for name, entries in (named or {}).items()}
        for lang, named in (data.get("concepts") or {}).items()
    }
    unknown = set(data["categories"]) - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown risk categories: {sorted(unknown)}")
    patterns: dict[str, list[Pattern]] = {}
    for order, category in enumerate(CATEGORIES):
        for lang, phrases in (data["categories"].get(category) or {}).items():
            named = {_fold(n): split(e) for n, e in concepts_raw.get(lang, {}).items()}
            for i, phrase in enumerate(phrases):
                rank = order * 10_000 + i
                patterns.setdefault(lang, []).append(_compile(phrase, category, lang, named, rank))

    by_start: dict[tuple[str, tuple[str, ...]], list[Pattern]] = {}
    for lang, found in patterns.items():
        for pattern in found:
            first = pattern.elements[0]
            assert first is not None
            for words in {(alternative[0],) for alternative in first.phrases}:
                by_start.setdefault((lang, words), []).append(pattern)
    starts: dict[str, list[tuple[str, ...]]] = {}
    for lang, words in by_start:
        starts.setdefault(lang, []).append(words)

    return Lexicon(
        patterns={lang: tuple(found) for lang, found in patterns.items()},
        concepts=concepts_raw,
        negation=cues(negation),
        terminators=by_language(negation, "terminators"),
        pseudo=by_language(negation, "pseudo"),
        double=by_language(negation, "double"),
        historical=cues(historical),
        historical_pseudo=by_language(historical, "pseudo"),
        recurrence=by_language(historical, "recurrence"),
        other=cues(other),
        first_person=by_language(other, "first_person"),
        context_terminators=by_language(historical, "terminators"),
        _first={lang: _Index(tuple(words)) for lang, words in starts.items()},
        _by_start={key: tuple(found) for key, found in by_start.items()},
    )


def _word_matches(pattern: str, word: str) -> bool:
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1])
    if pattern.startswith("*"):  # an ending, in the first-person lists only ("*rme")
        return word.endswith(pattern[1:])
    return word == pattern


def _match(tokens, pos: int, elements, k: int, ends: set[int], own: list[int]) -> int:
    """The end of ``elements[k:]`` matched from ``pos`` (-1 when they do not match); the
    positions of the pattern's own words (not the words a gap let through) go into ``own``."""
    if k == len(elements):
        return pos
    element = elements[k]
    if element is None:  # "...": up to GAP words, none of them a clause end
        for skip in range(GAP + 1):
            if skip and (pos + skip - 1 >= len(tokens) or pos + skip - 1 in ends):
                break
            end = _match(tokens, pos + skip, elements, k + 1, ends, own)
            if end >= 0:
                return end
        return -1
    if pos >= len(tokens):
        return -1
    for entry in element.starting(tokens[pos]):
        if n := _fits(tokens, pos, entry):
            end = _match(tokens, pos + n, elements, k + 1, ends, own)
            if end >= 0:
                own.extend(range(pos, pos + n))
                return end
    return -1


def _not_cues(tokens: list[str], cues: _Index, pseudo: _Index, double: _Index) -> set[int]:
    """Positions of negation words that negate nothing: inside a pseudo-negation or a double
    negation, or the first cue after a double negation before punctuation (which it cancels)."""
    doubles = double.spans(tokens)
    masked = {i for start, end in pseudo.spans(tokens) + doubles for i in range(start, end)}
    for _, end in doubles:
        for i in range(end, len(tokens)):
            if tokens[i] in _CLAUSE_END:
                break
            found = cues.at(tokens, i) if i not in masked else []
            if found:
                masked.update(range(i, i + found[0]))
                break
    return masked


def _negated(tokens: list[str], start: int, cues: _Index, ends: set[int], masked) -> bool:
    """A cue within the window before ``start``, with no clause end between them."""
    window_start = start
    words_seen = 0
    while window_start > 0 and words_seen < NEGATION_WINDOW:
        if window_start - 1 in ends:
            break
        window_start -= 1
        words_seen += 1
    return any(
        i + n <= start and masked.isdisjoint(range(i, i + n))
        for i in range(window_start, start)
        for n in cues.at(tokens, i)
    )


def _clause(ends: set[int], start: int, end: int, size: int) -> tuple[int, int]:
    """The clause around ``tokens[start:end]``: from after the previous clause end to before the
    next one."""
    left = start
    while left > 0 and left - 1 not in ends:
        left -= 1
    right = end
    while right < size and right not in ends:
        right += 1
    return left, right


class _Context:
    """What one text holds besides the risk patterns: clause ends, everyday phrases, negation,
    past and other-person cues, recurrence and first-person words. Worked out once per text (and
    per language, for the cues of one language)."""

    def __init__(self, tokens: list[str], lex: Lexicon, languages: tuple[str, ...]):
        def every(lists: dict[str, Words]) -> _Index:
            return _index(tuple(words for lang in languages for words in lists.get(lang, ())))

        self.tokens, self.lex = tokens, lex
        self.pseudo, self.double = every(lex.pseudo), every(lex.double)
        punctuation = {i for i, token in enumerate(tokens) if token in _CLAUSE_END}
        self.ends = punctuation | {
            i for s, e in every(lex.terminators).spans(tokens) for i in range(s, e)
        }
        self.context_ends = punctuation | {
            i for s, e in every(lex.context_terminators).spans(tokens) for i in range(s, e)
        }
        self.everyday = self.pseudo.spans(tokens)
        self.first_person = {
            i for s, e in every(lex.first_person).spans(tokens) for i in range(s, e)
        }
        # Each word's sentence, and the sentences that say it happens again.
        self.sentence, number = [], 0
        for token in tokens:
            self.sentence.append(number)
            number += token in _SENTENCE_END
        self.recurring = {self.sentence[s] for s, _e in every(lex.recurrence).spans(tokens)}
        self._by_language: dict[str, tuple] = {}

    def _language(self, language: str):
        found = self._by_language.get(language)
        if found is None:
            lex, tokens = self.lex, self.tokens
            cues = _index(lex.negation.get(language, ()))
            masked = _not_cues(tokens, cues, self.pseudo, self.double)
            not_past = {
                i
                for s, e in _index(lex.historical_pseudo.get(language, ())).spans(tokens)
                for i in range(s, e)
            }
            past = [
                (s, e)
                for s, e in _index(lex.historical.get(language, ())).spans(tokens)
                if not_past.isdisjoint(range(s, e))
            ]
            others: dict[int, list[int]] = {}  # last word of an other-person cue → its starts
            for s, e in _index(lex.other.get(language, ())).spans(tokens):
                others.setdefault(e - 1, []).append(s)
            found = self._by_language[language] = (cues, masked, past, others)
        return found

    def match(self, pattern: Pattern, start: int, end: int) -> Match:
        cues, masked, past, others = self._language(pattern.language)
        left, right = _clause(self.context_ends, start, end, len(self.tokens))
        historical = self.sentence[start] not in self.recurring and any(
            left <= s and e <= right and (e <= start or s >= end) for s, e in past
        )
        return Match(
            phrase=pattern.phrase,
            category=pattern.category,
            language=pattern.language,
            negated=_negated(self.tokens, start, cues, self.ends, masked),
            position=start,
            historical=historical,
            other=self._other(start, end, left, others),
        )

    def _other(self, start: int, end: int, left: int, others: dict[int, list[int]]) -> bool:
        """An other-person cue before the match in its clause, nearer than any first-person
        word, and no first-person word within the match."""
        if not self.first_person.isdisjoint(range(start, end)):
            return False
        for i in range(start - 1, left - 1, -1):
            if any(s >= left for s in others.get(i, ())):
                return True
            if i in self.first_person:
                return False
        return False


def assess(
    text: str, languages: tuple[str, ...] = ("en", "es"), *, lex: Lexicon | None = None
) -> Assessment:
    """Every risk pattern in ``text`` (in any of ``languages``), each with its category and whether
    it is negated, in the past or someone else's."""
    lex = lex or lexicon()
    tokens = _tokens(text or "")
    if not tokens:
        return Assessment(())
    context = _Context(tokens, lex, languages)
    found: list[Match] = []
    taken: set[int] = set()
    for start, token in enumerate(tokens):
        if start in taken or token in _CLAUSE_END:
            continue
        # The match naming most words wins where several start at the same word ("don't want to
        # live" over "want to"); then the reader's first language, then the more severe category.
        best = None
        for order, language in enumerate(languages):
            for pattern in lex.candidates(language, token):
                own: list[int] = []
                end = _match(tokens, start, pattern.elements, 0, context.ends, own)
                if end >= 0:
                    key = (-len(own), order, pattern.rank)
                    if best is None or key < best[0]:
                        best = (key, pattern, end, own)
        if best is None:
            continue
        _key, pattern, end, own = best
        last = max(own)
        if any(s <= last < e and (e > end or s < start) for s, e in context.everyday):
            continue  # part of a longer everyday phrase: "going to jump at the chance"
        found.append(context.match(pattern, start, end))
        taken.update(own)
    return Assessment(tuple(found))
