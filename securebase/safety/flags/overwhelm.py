"""Overwhelm below the crisis threshold: a feeling at 9 or 10 out of 10, or feeling numb or far away.

A moment or pause logged like this is met at once with a few calm, validating words and an offer
of grounding and of breathing without holds, never with the crisis page, which stays for risk
words and safety answers. It raises no alert; the session brief counts the shared ones.
Pure rules: no database, no request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# The top of the 0–10 scale the client rated the feeling on.
INTENSE_FROM = 9

# Cues of dissociation the client can pick today (understand.vocabulary): the body cue "numb or
# far away" and the feeling "numb". Own words are not read for them.
FAR_AWAY_CUES = frozenset({"numb"})
FAR_AWAY_FEELINGS = frozenset({"numb"})


@dataclass(frozen=True)
class Overwhelm:
    """Why an entry calls for grounding: the feeling was intense, or the client felt far away."""

    intense: bool = False
    far_away: bool = False

    def __bool__(self) -> bool:
        return self.intense or self.far_away


def assess(
    *,
    intensities: Iterable[int | None] = (),
    body_cues: Iterable[str] = (),
    feelings: Iterable[str] = (),
) -> Overwhelm:
    """Whether ratings (0–10), body cue codes and feeling codes show overwhelm, and which kind."""
    return Overwhelm(
        intense=any(value is not None and value >= INTENSE_FROM for value in intensities),
        far_away=bool(FAR_AWAY_CUES.intersection(body_cues or ()))
        or bool(FAR_AWAY_FEELINGS.intersection(feelings or ())),
    )
