"""Forms of the tapering plan, the maintenance plan and the discharge."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from securebase.maintain import maintenance, tapering
from securebase.maintain.models import TaperingPhase


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StartTaperingForm(forms.Form):
    start = forms.DateField(
        label=_("Weekly sessions from"),
        help_text=_(
            "The plan starts from our default: weekly, then every two weeks after four weeks, "
            "monthly after another eight, and a booster three months later. Edit it after."
        ),
        widget=DateInput(),
        initial=timezone.localdate,
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


HOLD_MESSAGE = _("Safety says not now. To go ahead anyway, write why in the override note.")


def override_note_field(label, help_text) -> forms.CharField:
    """The note a clinician writes to go ahead while safety says "not now"."""
    return forms.CharField(
        label=label,
        max_length=tapering.OVERRIDE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": HOLD_MESSAGE},
        help_text=help_text,
    )


class SafetyHoldForm(forms.Form):
    """A form with ``override_note``: asked for (and required) only while safety says "not now"
    (``hold``); without a hold the field is left out."""

    def __init__(self, *args, hold: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not hold:
            del self.fields["override_note"]


class NextPhaseForm(SafetyHoldForm, VersionForm):
    """Move on; while safety says "not now", only with a note on why (the override)."""

    override_note = override_note_field(
        _("Override: why move on now"),
        _(
            "Moving on anyway is your decision: write what you weighed. It is kept with the "
            "phase, and the audit log records that you overrode the hold."
        ),
    )


class PhaseForm(forms.Form):
    id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Frequency"), choices=[("", "—"), *TaperingPhase.Kind.choices])
    label = forms.CharField(
        label=_("Name (for “Other”)"), required=False, max_length=tapering.LABEL_LIMIT
    )
    planned_start = forms.DateField(label=_("Planned start"), widget=DateInput())


PhaseFormSet = forms.formset_factory(
    PhaseForm, extra=1, can_delete=True, max_num=tapering.MAX_PHASES, validate_max=True
)


def phase_rows(formset) -> list[dict]:
    """The kept rows of a valid formset, in order, as the domain takes them."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        rows.append(
            {
                "id": data.get("id"),
                "kind": data["kind"],
                "label": data.get("label", ""),
                "planned_start": data["planned_start"],
            }
        )
    return rows


SECTION_HELP = {
    "warning_signs": _(
        "The early signs that old patterns are coming back: thoughts, feelings, what you do."
    ),
    "what_helps": _("The skills, people and habits that helped you most, in your own words."),
    "next_steps": _(
        "The steps you still want to take on your ladder. We suggest the ones not yet climbed."
    ),
    "who_to_turn_to": _("The people you can go to, and how you will ask."),
    "get_back_in_touch": _(
        "The signs that mean it is time to contact your therapist again, and how to do it."
    ),
}


LIMIT = maintenance.SECTION_LIMIT


def _section(label) -> forms.CharField:
    """One section of the plan: free text, up to the section limit."""
    return forms.CharField(
        label=label, required=False, max_length=LIMIT, widget=forms.Textarea(attrs={"rows": 4})
    )


class MaintenancePlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    warning_signs = _section(_("My warning signs"))
    what_helps = _section(_("What helps"))
    next_steps = _section(_("My ladder's next steps"))
    who_to_turn_to = _section(_("Who I can turn to"))
    get_back_in_touch = _section(_("When to get back in touch"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in maintenance.SECTIONS:
            self.fields[key].help_text = SECTION_HELP[key]

    def content(self) -> dict:
        return {key: self.cleaned_data.get(key, "") for key in maintenance.SECTIONS}


class DischargeForm(SafetyHoldForm):
    note = forms.CharField(
        label=_("Closing note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("For the record. The client sees it only if you tick the box below."),
    )
    share_note = forms.BooleanField(
        label=_("Share the closing note with the client"), required=False
    )
    override_note = override_note_field(
        _("Override: why discharge now"),
        _(
            "Discharging anyway is your decision: write what you weighed. It is kept with the "
            "discharge, and the audit log records that you overrode the hold."
        ),
    )
    confirm = forms.BooleanField(
        label=_("Discharge this client now"),
        help_text=_(
            "Their status becomes “Discharged” and this summary is kept as it is today. They "
            "keep access to their own record."
        ),
    )
