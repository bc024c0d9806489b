"""Forms of the relationship map: a person, and how they usually respond (re-rated over time)."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from securebase.care.forms import SubmissionIdMixin
from securebase.understand.models import Person
from securebase.understand.people.domain import (
    NAME_MAX,
    RATING_QUESTIONS,
    RATINGS,
    SCALE,
    TERM_MAX,
)

# Offered as suggestions only: the client's own word always wins.
COMMON_TERMS = (
    _("partner"),
    _("spouse"),
    _("mum"),
    _("dad"),
    _("sister"),
    _("brother"),
    _("friend"),
    _("best friend"),
    _("chosen family"),
    _("colleague"),
    _("ex-partner"),
    _("grandparent"),
    _("child"),
)


def rating_field(key: str, *, required: bool) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=RATING_QUESTIONS[key],
        choices=[(n, format_lazy("{} · {}", n, word)) for n, word in SCALE.items()],
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect(attrs={"class": "rating-input"}),
        error_messages={"required": _("Choose how often, from never to almost always.")},
    )


class PersonForm(forms.Form):
    name = forms.CharField(
        label=_("Name or nickname"),
        max_length=NAME_MAX,
        error_messages={"required": _("Give a name or nickname, as you would say it.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    term = forms.CharField(
        label=_("What you call them"),
        required=False,
        max_length=TERM_MAX,
        help_text=_("In your own words: partner, mum, my person, chosen family…"),
        widget=forms.TextInput(attrs={"list": "term-suggestions", "autocomplete": "off"}),
    )
    circle = forms.ChoiceField(
        label=_("How close they feel now"),
        choices=Person.Circle.choices,
        widget=forms.RadioSelect,
        help_text=_("Inner: the people you turn to first. Outer: people around you, less close."),
        error_messages={"required": _("Choose the inner, middle or outer circle.")},
    )
    shared = forms.BooleanField(
        label=_("Share this person with my care team"),
        required=False,
        help_text=_("Your care team sees only the people you share. You can change this later."),
    )

    person_field_names = ("name", "term", "circle", "shared")

    def __init__(self, *args, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        own = [str(s) for s in suggestions if s]
        common = [str(t) for t in COMMON_TERMS]
        self.term_suggestions = list(dict.fromkeys(own + common))

    def person_fields(self):
        return [self[name] for name in self.person_field_names]

    def rating_fields(self):
        return [self[key] for key in RATINGS if key in self.fields]

    def person_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.person_field_names}

    def ratings(self) -> dict[str, int] | None:
        values = {key: self.cleaned_data.get(key) for key in RATINGS if key in self.fields}
        if not values or all(v is None for v in values.values()):
            return None
        return values


class AddPersonForm(SubmissionIdMixin, PersonForm):
    """A new person, with an optional first rating (all four, or none)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in RATINGS:
            self.fields[key] = rating_field(key, required=False)

    def clean(self):
        data = super().clean()
        given = [key for key in RATINGS if data.get(key) is not None]
        if given and len(given) < len(RATINGS):
            for key in RATINGS:
                if key not in given and key not in self.errors:
                    self.add_error(
                        key,
                        _("Rate this one too, or leave all four empty to rate them later."),
                    )
        return data


class EditPersonForm(PersonForm):
    pass


class RatePersonForm(SubmissionIdMixin, forms.Form):
    """How this person usually responds now; earlier ratings are kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in RATINGS:
            self.fields[key] = rating_field(key, required=True)

    def rating_fields(self):
        return [self[key] for key in RATINGS]

    def ratings(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key in RATINGS}
