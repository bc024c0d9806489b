"""Check-in forms: the check-in itself (every answer a tap) and its schedule."""

from django import forms
from django.utils.translation import gettext_lazy as _

from securebase.care.forms import SubmissionIdMixin
from securebase.plan.checkins.domain import (
    DEFAULT_SAFETY_QUESTION,
    MAX_NOTE,
    NO_SKILL,
    SAFETY_ANSWERS,
    SAFETY_QUESTION,
    SKILLS,
)
from securebase.plan.models import CheckinSchedule

SCALE = [(n, str(n)) for n in range(11)]
WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


def _rating(label, low, high):
    field = forms.TypedChoiceField(label=label, choices=SCALE, coerce=int, widget=forms.RadioSelect)
    field.low, field.high = low, high  # the words at the two ends of the row of buttons
    return field


class CheckinForm(SubmissionIdMixin, forms.Form):
    """Under a minute on a phone: three rows of 0–10 buttons, the safety question, one skill, an
    optional note."""

    mood = _rating(_("Mood"), _("very low"), _("very good"))
    closeness = _rating(_("Closeness to others"), _("very distant"), _("very close"))
    felt_security = _rating(_("Felt security"), _("very unsafe"), _("very secure"))
    safety = forms.TypedChoiceField(
        label=SAFETY_QUESTION,
        choices=SAFETY_ANSWERS,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_(
            "If you answer yes, you will see your safety plan and crisis lines straight away, "
            "and your care team will be told."
        ),
    )
    skill = forms.ChoiceField(
        label=_("A skill I practised"),
        required=False,
        choices=[*SKILLS, (NO_SKILL, _("Nothing today"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("A note"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note_shared = forms.BooleanField(label=_("Share this note with my care team"), required=False)
    due_at = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, asks_safety: bool = True, safety_question=SAFETY_QUESTION, **kwargs):
        """``asks_safety``: whether this check-in asks the safety question (the clinician's
        choice, :func:`securebase.plan.checkins.domain.asks_safety`); when not, the question is left out
        and the check-in is saved without an answer."""
        super().__init__(*args, **kwargs)
        self.asks_safety = asks_safety
        self.fields["safety"].label = safety_question
        self.fields["safety"].required = asks_safety

    @property
    def shows_safety(self) -> bool:
        """Show the question when asked, and whenever an answer was sent: never drop one."""
        return self.asks_safety or bool(self.is_bound and self.data.get("safety") not in (None, ""))

    @property
    def rating_fields(self):
        return [self["mood"], self["closeness"], self["felt_security"]]


class ScheduleForm(forms.Form):
    cadence = forms.ChoiceField(
        label=_("How often"), choices=CheckinSchedule.Cadence.choices, widget=forms.RadioSelect
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Which days"),
        required=False,
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For once a week, choose one day; for your own days, choose any."),
    )
    time_1 = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    time_2 = forms.TimeField(
        label=_("A second time"),  # the field partial adds "(optional)"
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    remind = forms.BooleanField(label=_("Send me a reminder by email"), required=False)
    active = forms.BooleanField(label=_("Check-ins are on"), required=False)
    safety_question = forms.ChoiceField(
        label=_("How often to ask the safety question"),
        choices=CheckinSchedule.SafetyQuestion.choices,
        required=False,  # left out (a form opened before the choice existed): kept as it is
        widget=forms.RadioSelect,
        help_text=_(
            "Your choice as the clinician; the client sees it. Whenever the question is asked, "
            "any yes raises a flag."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, for_clinician: bool = False, **kwargs):
        """Only the clinician chooses how often the safety question is asked; the client sees it
        on the page instead."""
        super().__init__(*args, **kwargs)
        if not for_clinician:
            del self.fields["safety_question"]

    def times(self) -> list:
        return [t for t in (self.cleaned_data.get("time_1"), self.cleaned_data.get("time_2")) if t]


def schedule_initial(record) -> dict:
    if record is None:
        return {
            "cadence": CheckinSchedule.Cadence.DAILY,
            "weekdays": [],
            "time_1": "19:00",
            "remind": True,
            "active": True,
            "safety_question": DEFAULT_SAFETY_QUESTION,
            "version": 0,
        }
    times = list(record.times or ["19:00"])
    return {
        "cadence": record.cadence,
        "weekdays": list(record.weekdays or []),
        "time_1": times[0],
        "time_2": times[1] if len(times) > 1 else None,
        "remind": record.remind,
        "active": record.active,
        "safety_question": record.safety_question,
        "version": record.version,
    }
