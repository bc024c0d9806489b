"""Forms of the history map. Each carries the map version the person started from."""

from __future__ import annotations

from django import forms
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from securebase.understand.history.domain import age_label
from securebase.understand.models import HistoryEvent, Script

MAX_AGE = 120


class VersionField(forms.IntegerField):
    """The map version this form was opened at (optimistic locking)."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.HiddenInput, min_value=1, **kwargs)


class NarrativeForm(forms.Form):
    version = VersionField()
    narrative = forms.CharField(
        label=_("Our story so far"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Tell it as the story of how this made sense then: what was needed, what the people "
            "around could give at the time, and what was learned in order to stay close or stay "
            "safe. Describe rather than judge; nobody is on trial here, including you."
        ),
    )


class EventForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = HistoryEvent
        fields = ["kind", "age_from", "age_to", "when_text", "title", "description", "own_words"]
        labels = {
            "kind": _("What kind of event"),
            "age_from": _("From age (roughly)"),
            "age_to": _("To age (roughly)"),
            "when_text": _("When, in words"),
            "title": _("In a few words"),
            "description": _("What happened, and how it was"),
        }
        help_texts = {
            "age_from": _("Approximate ages are fine. Leave empty if not known."),
            "age_to": _("For something that lasted a while; empty for a single moment."),
            "when_text": _("For example: about seven, primary school, the winter we moved."),
            "title": _("For example: Grandma looked after me; Dad left for work abroad."),
            "description": _(
                "Including how caregiving felt as remembered: who was there, who could comfort."
            ),
        }
        widgets = {
            "kind": forms.Select,
            "age_from": forms.NumberInput(attrs={"min": 0, "max": MAX_AGE, "inputmode": "numeric"}),
            "age_to": forms.NumberInput(attrs={"min": 0, "max": MAX_AGE, "inputmode": "numeric"}),
            "when_text": forms.TextInput,
            "title": forms.TextInput,
            "description": forms.Textarea(attrs={"rows": 5}),
            "own_words": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, own: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["own_words"].label = (
            _("Your own words for this person or time")
            if own
            else _("The client's own words for this person or time")
        )
        self.fields["own_words"].help_text = _(
            "Names and phrases as the client says them: 'Nana', 'the quiet house'."
        )
        for name in ("age_from", "age_to"):
            self.fields[name].validators.append(_age_validator)

    def clean(self):
        data = super().clean()
        start, end = data.get("age_from"), data.get("age_to")
        if start is not None and end is not None and end < start:
            self.add_error("age_to", _("The end age is before the start age."))
        return data


def _age_validator(value):
    if value is not None and not 0 <= value <= MAX_AGE:
        raise forms.ValidationError(_("Give an age between 0 and %(max)s.") % {"max": MAX_AGE})


class EventChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        when = ", ".join(p for p in (age_label(obj.age_from, obj.age_to), obj.when_text) if p)
        return f"{obj.title} ({when})" if when else obj.title


class MomentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return moment_label(obj)


def moment_label(moment) -> str:
    """A moment named by its date, kind and the start of its situation."""
    day = formats.date_format(timezone.localtime(moment.occurred_at), "DATE_FORMAT")
    situation = Truncator(moment.situation or "").chars(60)
    parts = [day, str(moment.get_kind_display())]
    if situation:
        parts.append(situation)
    return " · ".join(parts)


class ScriptForm(forms.ModelForm):
    version = VersionField()
    learned_in = EventChoiceField(
        queryset=HistoryEvent.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Learned in"),
        help_text=_("The events on the timeline where this way of coping began."),
    )
    shows_up_in = MomentChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Shows up today in"),
        help_text=_("Moments from the log where this script played out."),
    )

    class Meta:
        model = Script
        fields = ["when", "expect", "so_i"]
        labels = {"when": _("When…"), "expect": _("I expect…"), "so_i": _("so I…")}
        help_texts = {
            "when": _("What happens, for example: my partner goes quiet."),
            "expect": _("What it feels like it means, for example: they are about to leave."),
            "so_i": _("What I do then, for example: I ask again and again if we are okay."),
        }
        widgets = {
            "when": forms.Textarea(attrs={"rows": 2}),
            "expect": forms.Textarea(attrs={"rows": 2}),
            "so_i": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, events=None, moments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learned_in"].queryset = events
        self.fields["shows_up_in"].queryset = moments

    @classmethod
    def initial_for(cls, script: Script, *, moments, version: int) -> dict:
        """What an edit form starts with: the script, its links this person may see, the version."""
        return {
            "version": version,
            **{name: getattr(script, name) for name in cls._meta.fields},
            "learned_in": [e.pk for e in script.learned_in.all()],
            "shows_up_in": list(moments.filter(scripts=script).values_list("pk", flat=True)),
        }


class ConfirmDeleteForm(forms.Form):
    version = VersionField()
