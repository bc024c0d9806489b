"""Feelings with their intensity, as form fields: up to three, from our list or in own words.

Shared by every form where a client names feelings (moments, ladder attempts, the journal).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from securebase.understand.vocabulary import EMOTIONS

EMOTION_ROWS = 3


def emotion_fields(form):
    emotion_choices = [("", "—")] + list(EMOTIONS.items())
    intensity_choices = [("", "—")] + [(str(n), str(n)) for n in range(11)]
    for n in range(1, EMOTION_ROWS + 1):
        form.fields[f"emotion_{n}"] = forms.ChoiceField(
            label=_("Feeling %(n)s") % {"n": n}, choices=emotion_choices, required=False
        )
        form.fields[f"own_emotion_{n}"] = forms.CharField(
            label=_("…or in your own word"), required=False, max_length=40
        )
        form.fields[f"intensity_{n}"] = forms.TypedChoiceField(
            label=_("How strong (0–10)"),
            choices=intensity_choices,
            coerce=int,
            empty_value=None,
            required=False,
        )


def clean_emotions(form, data) -> list[dict]:
    emotions = []
    for n in range(1, EMOTION_ROWS + 1):
        name = (data.get(f"own_emotion_{n}") or "").strip() or data.get(f"emotion_{n}") or ""
        intensity = data.get(f"intensity_{n}")
        if name and intensity is None:
            form.add_error(
                f"intensity_{n}", _("How strong was “%(name)s”, from 0 to 10?") % {"name": name}
            )
        elif intensity is not None and not name:
            form.add_error(f"emotion_{n}", _("Which feeling was this?"))
        elif name:
            emotions.append({"name": name, "intensity": intensity})
    return emotions
