from django import forms
from django.utils.translation import gettext_lazy as _

from securebase.care.forms import SubmissionIdMixin
from securebase.understand.vocabulary import BODY_CUES, EMOTIONS

INTENSITY_CHOICES = [(str(n), str(n)) for n in range(11)]


class PauseForm(SubmissionIdMixin, forms.Form):
    """One minute on a phone: every question is a tap; own words are optional."""

    body_cues = forms.MultipleChoiceField(
        label=_("1. Notice your body. What do you feel?"),
        required=False,
        choices=list(BODY_CUES.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    emotion = forms.ChoiceField(
        label=_("2. Name the feeling"),
        required=False,
        choices=list(EMOTIONS.items()),
        widget=forms.RadioSelect,
    )
    own_emotion = forms.CharField(label=_("…or in your own word"), required=False, max_length=40)
    intensity_before = forms.TypedChoiceField(
        label=_("3. How strong is it? (0 = not at all, 10 = the strongest)"),
        choices=INTENSITY_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    next_choice = forms.ChoiceField(
        label=_("4. Choose one measured next step"),
        required=False,
        widget=forms.RadioSelect,
    )
    own_next_step = forms.CharField(
        label=_("…or in your own words"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    shared = forms.BooleanField(label=_("Share this pause with my care team"), required=False)

    def __init__(self, *args, next_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["next_choice"].choices = list(next_choices)

    def clean(self):
        data = super().clean()
        data["emotion"] = (data.get("own_emotion") or "").strip() or data.get("emotion") or ""
        if not data["emotion"] and "emotion" not in self.errors:
            self.add_error("emotion", _("Name the feeling, from the list or in your own word."))
        labels = dict(self.fields["next_choice"].choices)
        own = (data.get("own_next_step") or "").strip()
        data["next_step"] = own or str(labels.get(data.get("next_choice") or "", ""))
        return data

    @property
    def step_fields(self):
        return [
            [self["body_cues"]],
            [self["emotion"], self["own_emotion"]],
            [self["intensity_before"]],
            [self["next_choice"], self["own_next_step"]],
        ]


class RateAgainForm(forms.Form):
    intensity_after = forms.TypedChoiceField(
        label=_("How strong is the feeling now? (0–10)"),
        choices=INTENSITY_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
