"""The forms of learning from misses: a clinician's false alarm and missed risk, and the admins'
additions to the detector and closing of a report without one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from securebase.safety.flags import rule_list as rules
from securebase.safety.learning import domain as learning
from securebase.safety.models import Alert, RiskAddition

LANGUAGE_CHOICES = [("en", gettext_lazy("English")), ("es", gettext_lazy("Spanish"))]
# Where a clinician may have read what the detector missed: the entries that are checked.
SOURCE_CHOICES = [
    ("journal", gettext_lazy("Journal entry")),
    ("moment", gettext_lazy("Moment")),
    ("pause", gettext_lazy("Pause")),
    ("checkin", gettext_lazy("Check-in note")),
    ("experiment", gettext_lazy("Experiment")),
    ("attempt", gettext_lazy("Ladder step")),
    ("toolkit", gettext_lazy("Toolkit entry")),
    ("coregulation_note", gettext_lazy("Couple's note")),
    ("topic", gettext_lazy("Topic for the session")),
    ("other", gettext_lazy("Somewhere else")),
]
WORDING_HELP = gettext_lazy(
    "In your own words, close to how it was put, so the detector can learn the way of saying it. "
    "Never copy the client's words, names or anything that identifies them: the practice's "
    "admins read this."
)


def _category_choices():
    labels = rules.category_labels()
    return [("", gettext_lazy("Choose…"))] + list(labels.items())


class FalseAlarmForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Why it was a false alarm"),
        max_length=learning.NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Required. Seen by the care team and the practice's admins. It also closes the alert."
        ),
        error_messages={"required": gettext_lazy("Say in a few words why this was a false alarm.")},
    )
    wording = forms.CharField(
        label=gettext_lazy("How it was worded"),
        max_length=learning.WORDING_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=WORDING_HELP,
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=LANGUAGE_CHOICES)


class MissedRiskForm(forms.Form):
    source_type = forms.ChoiceField(label=gettext_lazy("Where you read it"), choices=SOURCE_CHOICES)
    written_on = forms.DateField(
        label=gettext_lazy("When it was written"), widget=forms.DateInput(attrs={"type": "date"})
    )
    category = forms.ChoiceField(label=gettext_lazy("What kind of risk"), choices=())
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=LANGUAGE_CHOICES)
    wording = forms.CharField(
        label=gettext_lazy("How it was worded"),
        max_length=learning.WORDING_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=WORDING_HELP,
        error_messages={"required": gettext_lazy("Write how it was worded, in your own words.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=learning.NOTE_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices()


class AdditionForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What to add"), choices=RiskAddition.Kind.choices)
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=LANGUAGE_CHOICES)
    category = forms.ChoiceField(
        label=gettext_lazy("Kind of risk"),
        choices=(),
        required=False,
        help_text=gettext_lazy("For a risk phrase or a risk example."),
    )
    text = forms.CharField(
        label=gettext_lazy("Phrase or example"),
        max_length=learning.WORDING_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "A phrase matches whole words; “...” lets up to four words stand between its parts, "
            "and a word ending in * matches any ending. An example is a whole sentence, matched "
            "by meaning."
        ),
    )
    report = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices()


class CloseReportForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Why no change is needed"),
        max_length=learning.NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Say in a few words why no change is needed.")},
    )


def false_alarm_form_for(alert: Alert) -> FalseAlarmForm | None:
    """The form to mark this alert as a false alarm, or None when it cannot be (not risk words,
    or already reported)."""
    if not learning.can_mark_false_alarm(alert):
        return None
    return FalseAlarmForm(initial={"language": alert.client.language or "en"})
