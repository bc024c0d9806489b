"""The risk rules, in one module: plain functions over plain inputs, no database.

Three rules raise a risk flag (DESIGN.md section 2, "safety"; listed for clinicians at /risk-rules/):

1. :func:`measure_answer_flags` — an answer at or above an instrument's risk threshold, declared
   as ``risk_items`` in its YAML file (e.g. PHQ-9 item 9 > 0; INSTRUMENTS.md notes this is an
   implementation aid, not part of the published score).
2. :func:`checkin_answer_flags` — any "yes" to the check-in's safety question (our own item).
3. :func:`text_flags` — risk language in free text, English and Spanish (``safety/detector/domain.py``):
   a lexicon by category with negation, past history and other people's experience
   (``language.py``: NegEx, Chapman et al. 2001; ConText, Harkema et al. 2009), and sentence
   meaning compared with exemplars (``semantic.py``).

``securebase/safety/flags/domain.py`` stores and announces what these rules find.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from securebase.safety.detector.domain import NONE as NO_ADDITIONS
from securebase.safety.detector.domain import Additions, Detection, detect

# The check-in's safety question: 0 = no, 1 = yes, passing thoughts, 2 = yes, and worried about
# acting on them. Any answer at or above this raises a flag.
CHECKIN_SAFETY_THRESHOLD = 1


def measure_answer_flags(risk_items: Iterable, answers: Mapping[int, int]) -> list[str]:
    """``risk:item<n>`` for each risk item answered at or above its threshold (``at_least``)."""
    return [
        f"risk:item{risk.item}"
        for risk in risk_items
        if risk.item in answers and answers[risk.item] >= risk.at_least
    ]


def checkin_answer_flags(answer: int | None) -> bool:
    """True when the check-in's safety answer calls for a flag (any "yes")."""
    return answer is not None and answer >= CHECKIN_SAFETY_THRESHOLD


def text_flags(
    text: str, languages: Iterable[str] = ("en", "es"), additions: Additions = NO_ADDITIONS
) -> Detection:
    """Risk in ``text`` by the lexicon and by meaning (with the practice's own ``additions``);
    ``.flag`` is True when either finds it, and ``.reasons`` say which category and layer."""
    return detect(text, tuple(languages), additions=additions)
