from django import forms
from django.utils.translation import gettext_lazy as _

from securebase.care.forms import SubmissionIdMixin
from securebase.practise.toolkit.forms import text_field


def _percent(label, required=False):
    return forms.IntegerField(
        label=label, required=required, min_value=0, max_value=100, widget=forms.NumberInput()
    )


class ExperimentForm(forms.Form):
    """Designed with the clinician; the second half is filled in after trying it."""

    belief = text_field(
        _("The belief I am testing"),
        required=True,
        help_text=_("For example: “If I ask for help, they will think I am too much.”"),
    )
    belief_before = _percent(_("How strongly I hold it (0–100 %)"), required=True)
    prediction = text_field(_("What I predict will happen"))
    plan = text_field(_("What I will do, when and where"), rows=3)
    safety_behaviours = text_field(
        _("Safety behaviours I will drop"),
        help_text=_("The things I usually do to feel safe, which stop me finding out."),
    )
    outcome = text_field(_("What actually happened"), rows=3)
    belief_after = _percent(_("How strongly I hold the belief now (0–100 %)"))
    learned = text_field(_("What I learned"))
    shared = forms.BooleanField(label=_("Share this experiment with my care team"), required=False)

    DESIGN = ("belief", "belief_before", "prediction", "plan", "safety_behaviours")
    AFTER = ("outcome", "belief_after", "learned")

    @property
    def design_fields(self):
        return [self[name] for name in self.DESIGN]

    @property
    def after_fields(self):
        return [self[name] for name in self.AFTER]


class NewExperimentForm(SubmissionIdMixin, ExperimentForm):
    pass


class EditExperimentForm(ExperimentForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


def initial_from(experiment) -> dict:
    data = {
        name: getattr(experiment, name)
        for name in ExperimentForm.DESIGN + ExperimentForm.AFTER + ("shared",)
    }
    data["version"] = experiment.version
    return data
