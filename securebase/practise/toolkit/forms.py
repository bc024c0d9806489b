from django import forms
from django.utils.translation import gettext_lazy as _

from securebase.care.forms import SubmissionIdMixin
from securebase.practise.toolkit.domain import PATTERNS

# Said above a form whose submission id came back with different answers (the toolkit's and the
# scripts' pages).
REUSED = _("This form was already sent with different answers. The first was kept.")

RATING_CHOICES = [("", "—")] + [(str(n), str(n)) for n in range(11)]


def rating_field(label):
    """An optional rating from 0 to 10."""
    return forms.TypedChoiceField(
        label=label, choices=RATING_CHOICES, coerce=int, empty_value=None, required=False
    )


def text_field(label, rows=2, required=False, help_text=""):
    """Free text in a box of ``rows`` lines, up to 5000 characters."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=5000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ToolUseForm(SubmissionIdMixin, forms.Form):
    """After using a tool: how strong the feeling was before and after (both optional)."""

    intensity_before = rating_field(_("How strong was the feeling before? (0–10)"))
    intensity_after = rating_field(_("And now? (0–10)"))
    notes = text_field(_("Anything you noticed"))
    shared = forms.BooleanField(label=_("Share with my care team"), required=False)


class BreathingLogForm(ToolUseForm):
    pattern = forms.ChoiceField(
        label=_("Pattern"),
        choices=[(k, v["label"]) for k, v in PATTERNS.items()],
        widget=forms.HiddenInput,
    )
    minutes = forms.IntegerField(
        label=_("About how many minutes?"), min_value=0, max_value=120, required=False
    )
    seconds = forms.CharField(required=False, widget=forms.HiddenInput)  # "4,7,8,0" from pacer.js

    def clean(self):
        data = super().clean()
        seconds = []
        for part in (data.get("seconds") or "").split(","):
            if part.strip().isdigit():
                seconds.append(int(part))
        data["detail"] = {
            "pattern": data.get("pattern"),
            "minutes": data.get("minutes"),
            **({"seconds": seconds} if len(seconds) == 4 else {}),
        }
        return data


class RitualForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    steps = text_field(_("Steps"), rows=4, help_text=_("One step a line."))
    when_it_helps = text_field(_("When it helps"))
    shared = forms.BooleanField(label=_("Share with my care team"), required=False)


class NewRitualForm(SubmissionIdMixin, RitualForm):
    pass


class EditRitualForm(RitualForm):
    archived = forms.BooleanField(label=_("Put away (no longer offered)"), required=False)


class ReframeForm(SubmissionIdMixin, forms.Form):
    situation = text_field(_("The situation"), required=True)
    automatic_thought = text_field(_("The thought that came automatically"), required=True)
    emotion = forms.CharField(label=_("The feeling"), max_length=40)
    intensity_before = forms.TypedChoiceField(
        label=_("How strong (0–10)"), choices=RATING_CHOICES[1:], coerce=int
    )
    evidence_for = text_field(_("Evidence for the thought"))
    evidence_against = text_field(_("Evidence against it"))
    balanced_thought = text_field(_("A more balanced thought"))
    intensity_after = rating_field(_("How strong is the feeling now? (0–10)"))
    shared = forms.BooleanField(label=_("Share with my care team"), required=False)


class RequestForm(SubmissionIdMixin, forms.Form):
    what_happened = text_field(_("What happened"))
    i_feel = text_field(_("What I feel"))
    i_need = text_field(_("What I need"))
    i_ask = text_field(_("What I am asking for"), required=True)
    if_not = text_field(_("What I will do if…"))
    shared = forms.BooleanField(label=_("Share with my care team"), required=False)


class HowItWentForm(forms.Form):
    how_it_went = text_field(_("How it went"), rows=3, required=True)
