"""Forms of collaborative goals: the goal with its five GAS levels and steps, and a rating."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from securebase.care.forms import SubmissionIdMixin
from securebase.plan.goals import domain
from securebase.plan.models import GAS_LEVELS, LEVEL_FIELDS, Goal, GoalStep

# What each GAS level means (Kiresuk & Sherman 1968); 0 is the outcome expected by the target date.
LEVEL_NAMES = {
    -2: _("Much less than expected"),
    -1: _("Somewhat less than expected"),
    0: _("The expected outcome"),
    1: _("Somewhat more than expected"),
    2: _("Much more than expected"),
}
LEVEL_HELP = {
    -2: _("Where things would be if they went clearly worse than hoped, or stayed stuck."),
    -1: _("Some movement, but less than we are aiming for."),
    0: _("The realistic aim by the target date: what we both expect if things go as planned."),
    1: _("A bit better than the aim."),
    2: _("Far better than the aim: the best we could hope for."),
}


def level_label(level: int) -> str:
    return f"{domain.signed(level)}: {LEVEL_NAMES[level]}"


def _baseline_choices():
    # A callable, so the labels are translated per request rather than at import.
    return [(level, level_label(level)) for level in GAS_LEVELS]


class GoalForm(forms.Form):
    """The goal in the client's words, its GAS levels and up to five concrete steps."""

    title = forms.CharField(
        label=_("The goal, in your words"),
        max_length=domain.TEXT_LIMITS["title"],
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "For example: “When I feel a partner pulling away, I ask for a time to talk instead "
            "of withdrawing.”"
        ),
    )
    why = forms.CharField(
        label=_("Why it matters to you"),
        required=False,
        max_length=domain.TEXT_LIMITS["why"],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("We will come back to this when we review the goal."),
    )
    dimension = forms.ChoiceField(
        label=_("What kind of change is it?"),
        choices=Goal.Dimension.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Emotional: how you feel. Behavioural: what you do. Relational: how you are "
            "with other people."
        ),
    )
    accountability = forms.CharField(
        label=_("How we will know"),
        required=False,
        max_length=domain.TEXT_LIMITS["accountability"],
        widget=forms.TextInput,
        help_text=_("A measure you find fair, for example: “3 times before March”."),
    )
    target_date = forms.DateField(
        label=_("Target date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("When we will look at how far it got."),
    )
    weight = forms.IntegerField(
        label=_("Weight"),
        initial=1,
        min_value=1,
        max_value=domain.MAX_WEIGHT,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_(
            "How much this goal counts in the combined score. Leave it at 1 unless some goals "
            "matter more or are harder than others (from 1 to 9)."
        ),
    )
    baseline_level = forms.TypedChoiceField(
        label=_("Where you are starting from"),
        coerce=int,
        initial=-1,
        choices=_baseline_choices,
        help_text=_("Usually −1; or −2 when things could hardly be worse than they are now."),
    )

    STEP_ROWS = domain.MAX_STEPS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for level, name in LEVEL_FIELDS.items():
            self.fields[name] = forms.CharField(
                label=level_label(level),
                max_length=domain.LEVEL_LIMIT,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=LEVEL_HELP[level],
            )
        for n in range(1, self.STEP_ROWS + 1):
            self.fields[f"step_{n}_text"] = forms.CharField(
                label=_("Step %(n)s: what") % {"n": n},
                required=False,
                max_length=domain.STEP_LIMIT,
            )
            self.fields[f"step_{n}_who"] = forms.ChoiceField(
                label=_("Who"),
                choices=GoalStep.Who.choices,
                initial=GoalStep.Who.CLIENT,
                required=False,
            )
            self.fields[f"step_{n}_due_on"] = forms.DateField(
                label=_("By when"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
            self.fields[f"step_{n}_done"] = forms.BooleanField(label=_("Done"), required=False)

    MAIN = ("title", "why", "dimension", "accountability", "target_date")
    SCORING = ("weight", "baseline_level")

    @property
    def main_fields(self):
        return [self[name] for name in self.MAIN]

    @property
    def scoring_fields(self):
        return [self[name] for name in self.SCORING]

    @property
    def level_fields(self):
        return [self[name] for name in reversed(LEVEL_FIELDS.values())]

    @property
    def step_rows(self):
        return [
            {
                "n": n,
                "text": self[f"step_{n}_text"],
                "who": self[f"step_{n}_who"],
                "due_on": self[f"step_{n}_due_on"],
                "done": self[f"step_{n}_done"],
            }
            for n in range(1, self.STEP_ROWS + 1)
        ]

    def goal_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in domain.GOAL_FIELDS}

    def steps_data(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "text": data.get(f"step_{n}_text") or "",
                "who": data.get(f"step_{n}_who") or GoalStep.Who.CLIENT,
                "due_on": data.get(f"step_{n}_due_on"),
                "done": bool(data.get(f"step_{n}_done")),
            }
            for n in range(1, self.STEP_ROWS + 1)
        ]

    @staticmethod
    def initial_for(goal: Goal, steps) -> dict:
        initial = {name: getattr(goal, name) for name in domain.GOAL_FIELDS}
        initial["version"] = goal.version
        for n, step in enumerate(steps, start=1):
            initial[f"step_{n}_text"] = step.text
            initial[f"step_{n}_who"] = step.who
            initial[f"step_{n}_due_on"] = step.due_on
            initial[f"step_{n}_done"] = step.done_at is not None
        return initial


class NewGoalForm(SubmissionIdMixin, GoalForm):
    pass


class EditGoalForm(GoalForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RatingForm(SubmissionIdMixin, forms.Form):
    """A rating at a review, choosing among the goal's own level descriptions."""

    level = forms.TypedChoiceField(
        label=_("Where is this goal now?"), coerce=int, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("A note about this review"),
        required=False,
        max_length=domain.TEXT_LIMITS["why"],
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, goal: Goal, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal = goal
        self.fields["level"].choices = [
            (level, level_label(level)) for level in reversed(GAS_LEVELS)
        ]

    @property
    def note_fields(self):
        return [self["note"]]

    def level_choices(self):
        """(radio, signed level, level name, this goal's description), from +2 down to −2."""
        return [
            (radio, domain.signed(level), LEVEL_NAMES[level], self.goal.level_text(level))
            for radio, level in zip(self["level"], reversed(GAS_LEVELS), strict=True)
        ]


class ActiveForm(forms.Form):
    active = forms.TypedChoiceField(coerce=lambda v: v == "1", choices=[("1", "1"), ("0", "0")])
