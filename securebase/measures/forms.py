from django import forms
from django.utils.translation import gettext_lazy as _

from securebase.measures import definitions
from securebase.measures.models import Assignment

TARGET_LABELS = {
    "mother": _("Mother (or mother figure)"),
    "father": _("Father (or father figure)"),
    "partner": _("Partner"),
    "best_friend": _("Best friend"),
}


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


SHORT_TARGET_LABELS = {
    "mother": _("Mother"),
    "father": _("Father"),
    "partner": _("Partner"),
    "best_friend": _("Best friend"),
}


# Shown for a named relationship whose words cannot be read here (never another client's words).
NAMED_TARGET = _("Another relationship")


def target_label(target: str, names: dict[str, str] | None = None) -> str:
    """A target in words: a standard one's label, or the client's own words from ``names``
    (``securebase.measures.targets.target_labels``) for a named one."""
    if target in TARGET_LABELS:
        return str(TARGET_LABELS[target])
    if target.startswith("own:"):
        return (names or {}).get(target) or str(NAMED_TARGET)
    return target


def short_target_label(target: str, names: dict[str, str] | None = None) -> str:
    if target in SHORT_TARGET_LABELS:
        return str(SHORT_TARGET_LABELS[target])
    return target_label(target, names)
