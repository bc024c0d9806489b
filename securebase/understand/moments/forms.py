from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from securebase.care.forms import SubmissionIdMixin
from securebase.understand.emotion_fields import EMOTION_ROWS, clean_emotions, emotion_fields
from securebase.understand.models import Moment
from securebase.understand.moments.domain import emotions_of
from securebase.understand.vocabulary import BODY_CUES, EMOTIONS, RESPONSES

SAFETY_CHOICES = [("", "—")] + [(str(n), str(n)) for n in range(11)]


def _safety(label) -> forms.TypedChoiceField:
    """How safe the client felt, optionally, from 0 to 10."""
    return forms.TypedChoiceField(
        label=label, choices=SAFETY_CHOICES, coerce=int, empty_value=None, required=False
    )


class MomentForm(forms.Form):
    """Quick to fill on a phone: the first fields are enough; the rest adds detail."""

    kind = forms.ChoiceField(
        label=_("What kind of moment?"), choices=Moment.Kind.choices, widget=forms.RadioSelect
    )
    occurred_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    person = forms.ChoiceField(label=_("With whom"), required=False)
    situation = forms.CharField(
        label=_("What was happening"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    safety_before = _safety(_("How safe did you feel before? (0–10)"))
    safety_after = _safety(_("And after? (0–10)"))
    shared = forms.BooleanField(label=_("Share this moment with my care team"), required=False)
    # more detail
    trigger = forms.CharField(
        label=_("What set it off"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    body_cues = forms.MultipleChoiceField(
        label=_("What did you notice in your body?"),
        required=False,
        choices=list(BODY_CUES.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    body_notes = forms.CharField(label=_("Anything else in your body"), required=False)
    felt_meaning = forms.CharField(
        label=_("What it felt like it meant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: “they don't care”, “I'm too much”."),
    )
    evidence = forms.CharField(
        label=_("What the evidence actually showed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    responses = forms.MultipleChoiceField(
        label=_("What did you do?"),
        required=False,
        choices=list(RESPONSES.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    response_notes = forms.CharField(
        label=_("What you did, in your words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    outcome = forms.CharField(
        label=_("What happened next"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("No one in particular / not listed"))] + [
            (str(p.pk), p.label) for p in people
        ]
        emotion_fields(self)
        if not self.is_bound:
            self.initial.setdefault(
                "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
            )

    def clean(self):
        data = super().clean()
        emotions = clean_emotions(self, data)
        data["emotions"] = emotions
        data["person"] = data.get("person") or None
        return data

    @property
    def quick_fields(self):
        names = [
            "kind",
            "occurred_at",
            "person",
            "situation",
            "emotion_1",
            "own_emotion_1",
            "intensity_1",
            "safety_before",
            "safety_after",
        ]
        return [self[name] for name in names]

    @property
    def detail_fields(self):
        names = ["trigger", "body_cues", "body_notes"]
        for n in range(2, EMOTION_ROWS + 1):
            names += [f"emotion_{n}", f"own_emotion_{n}", f"intensity_{n}"]
        names += ["felt_meaning", "evidence", "responses", "response_notes", "outcome"]
        return [self[name] for name in names]


class NewMomentForm(SubmissionIdMixin, MomentForm):
    pass


class EditMomentForm(MomentForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class MomentFilterForm(forms.Form):
    person = forms.ChoiceField(label=_("Person"), required=False)
    trigger = forms.CharField(label=_("Trigger contains"), required=False)
    emotion = forms.CharField(label=_("Feeling"), required=False)
    response = forms.ChoiceField(
        label=_("Response"), required=False, choices=[("", _("Any"))] + list(RESPONSES.items())
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("Anyone"))] + [(str(p.pk), p.label) for p in people]


def initial_from(moment) -> dict:
    """Form values of an existing moment (for editing)."""
    data = {
        name: getattr(moment, name)
        for name in (
            "kind",
            "situation",
            "trigger",
            "body_cues",
            "body_notes",
            "felt_meaning",
            "evidence",
            "responses",
            "response_notes",
            "outcome",
            "safety_before",
            "safety_after",
            "shared",
        )
    }
    data["occurred_at"] = timezone.localtime(moment.occurred_at)
    data["person"] = str(moment.person_id) if moment.person_id else ""
    data["version"] = moment.version
    for n, emotion in enumerate(emotions_of(moment)[:EMOTION_ROWS], start=1):
        code = emotion["name"] if emotion["name"] in EMOTIONS else None
        data[f"emotion_{n}"] = code or ""
        data[f"own_emotion_{n}"] = "" if code else emotion["name"]
        data[f"intensity_{n}"] = emotion["intensity"]
    return data
