from django import forms
from django.utils.translation import gettext_lazy as _

from securebase.measures import definitions
from securebase.measures.models import Assignment
from securebase.measures.targets import TARGET_LABELS


def instrument_choices():
    return [(d.key, f"{d.short_name} — {d.name}") for d in definitions.registry().values()]


class AssignForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Measure"))
    schedule = forms.ChoiceField(label=_("How often"), choices=Assignment.Schedule.choices)
    targets = forms.MultipleChoiceField(
        label=_("Relationships (ECR-RS only)"),
        required=False,
        choices=list(TARGET_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    other_target = forms.CharField(
        label=_("Another relationship, in the client's words (ECR-RS only)"),
        required=False,
        max_length=60,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = instrument_choices()

    def chosen_targets(self) -> list[str]:
        targets = list(self.cleaned_data.get("targets") or [])
        other = (self.cleaned_data.get("other_target") or "").strip()
        if other:
            targets.append(other)
        return targets
