from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from securebase.care.forms import SubmissionIdMixin
from securebase.understand.emotion_fields import EMOTION_ROWS, clean_emotions, emotion_fields

STEP_ROWS = 8
SUDS_HELP = _("0 is no distress at all, 100 the most you can imagine.")


def _suds(label, required=True):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=100,
        required=required,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
    )


class LadderForm(forms.Form):
    """The ladder, its rule, and up to STEP_ROWS steps (more rows appear as steps are added)."""

    title = forms.CharField(label=_("Name of the ladder"), max_length=200)
    climb_peak = forms.IntegerField(
        label=_("Climbed when the peak distress is at most (0–100)"),
        min_value=0,
        max_value=100,
        initial=40,
    )
    climb_attempts = forms.IntegerField(
        label=_("…in this many attempts in a row"), min_value=1, max_value=10, initial=2
    )

    def __init__(self, *args, rows=STEP_ROWS, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for n in range(1, rows + 1):
            self.fields[f"step_{n}_description"] = forms.CharField(
                label=_("Step %(n)s") % {"n": n},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"step_{n}_predicted"] = _suds(
                _("Expected distress of step %(n)s (0–100)") % {"n": n}, required=False
            )

    def clean(self):
        data = super().clean()
        steps = []
        for n in range(1, self.rows + 1):
            description = (data.get(f"step_{n}_description") or "").strip()
            predicted = data.get(f"step_{n}_predicted")
            if description and predicted is None:
                if f"step_{n}_predicted" not in self.errors:
                    self.add_error(
                        f"step_{n}_predicted", _("How distressing do you expect this to be?")
                    )
            elif predicted is not None and not description:
                self.add_error(f"step_{n}_description", _("Describe this step."))
            elif description:
                steps.append({"description": description, "predicted_suds": predicted})
        if not steps and not self.errors:
            self.add_error("step_1_description", _("Add at least one step."))
        data["steps"] = steps
        return data

    @property
    def step_rows(self):
        return [
            (self[f"step_{n}_description"], self[f"step_{n}_predicted"])
            for n in range(1, self.rows + 1)
        ]


class NewLadderForm(SubmissionIdMixin, LadderForm):
    pass


class EditLadderForm(LadderForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


def ladder_initial(item) -> dict:
    data = {
        "title": item.title,
        "climb_peak": item.climb_peak,
        "climb_attempts": item.climb_attempts,
        "version": item.version,
    }
    for step in item.steps.order_by("position"):
        data[f"step_{step.position}_description"] = step.description
        data[f"step_{step.position}_predicted"] = step.predicted_suds
    return data


class AttemptForm(SubmissionIdMixin, forms.Form):
    attempted_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    suds_before = _suds(_("Distress before (0–100)"))
    suds_peak = _suds(_("Distress at its peak (0–100)"))
    suds_after = _suds(_("Distress after (0–100)"))
    notes = forms.CharField(
        label=_("What happened"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    journal_text = forms.CharField(
        label=_("Feelings journal: what you felt, in your words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    shared = forms.BooleanField(
        label=_("Share this attempt (and its journal entry) with my care team"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        emotion_fields(self)
        self.fields["suds_before"].help_text = SUDS_HELP
        if not self.is_bound:
            self.initial.setdefault(
                "attempted_at", timezone.localtime().replace(second=0, microsecond=0)
            )

    def clean(self):
        data = super().clean()
        emotions = clean_emotions(self, data)
        text = (data.get("journal_text") or "").strip()
        if emotions and not text:
            self.add_error("journal_text", _("Write a few words to go with the feelings."))
        data["journal"] = {"text": text, "emotions": emotions} if text else None
        return data

    @property
    def rating_fields(self):
        names = ["attempted_at", "suds_before", "suds_peak", "suds_after", "notes"]
        return [self[n] for n in names]

    @property
    def journal_fields(self):
        names = ["journal_text"]
        for n in range(1, EMOTION_ROWS + 1):
            names += [f"emotion_{n}", f"own_emotion_{n}", f"intensity_{n}"]
        return [self[n] for n in names]


class JournalForm(SubmissionIdMixin, forms.Form):
    text = forms.CharField(label=_("What you feel, in your words"), widget=forms.Textarea)
    shared = forms.BooleanField(label=_("Share this entry with my care team"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        emotion_fields(self)

    def clean(self):
        data = super().clean()
        data["emotions"] = clean_emotions(self, data)
        return data

    @property
    def emotion_rows(self):
        names = []
        for n in range(1, EMOTION_ROWS + 1):
            names += [f"emotion_{n}", f"own_emotion_{n}", f"intensity_{n}"]
        return [self[n] for n in names]


class JournalSearchForm(forms.Form):
    q = forms.CharField(label=_("Search your journal"), required=False, max_length=200)
