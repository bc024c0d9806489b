"""The admins' crisis lines page: every entry the practice's clients see, with its source and the
day it was read, the ones to check again, and the practice's own entries. Thin: changes through
``safety/crisis_lines/domain.py``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_countries import countries

from securebase.care.access import admin_practice
from securebase.safety.crisis_lines import domain as crisis_lines
from securebase.safety.crisis_lines import resources

KINDS = [
    ("crisis_line", gettext_lazy("Crisis line")),
    ("emergency", gettext_lazy("Emergency number")),
    ("directory", gettext_lazy("Directory")),
]


class OverrideForm(forms.Form):
    country = forms.ChoiceField(label=gettext_lazy("Country"), choices=())
    replaces = forms.CharField(
        label=gettext_lazy("Replaces the entry named"),
        max_length=120,
        required=False,
        help_text=gettext_lazy(
            "Exactly as listed above, to correct an entry; leave empty to add one."
        ),
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=KINDS)
    phone = forms.CharField(label=gettext_lazy("Phone number"), max_length=30, required=False)
    text = forms.CharField(
        label=gettext_lazy("Number or keyword to text"), max_length=60, required=False
    )
    web = forms.URLField(label=gettext_lazy("Website"), required=False, assume_scheme="https")
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Answers in"),
        choices=[("en", gettext_lazy("English")), ("es", gettext_lazy("Spanish"))],
        widget=forms.CheckboxSelectMultiple,
    )
    hours = forms.CharField(
        label=gettext_lazy("Hours, as the source states them"), max_length=120, required=False
    )
    coverage = forms.CharField(
        label=gettext_lazy("Where it answers, as the source states it"),
        max_length=160,
        required=False,
    )
    source = forms.URLField(
        label=gettext_lazy("Source"),
        assume_scheme="https",
        help_text=gettext_lazy("The operator's own page, or the government's: never a news site."),
    )
    checked = forms.DateField(
        label=gettext_lazy("The day you read it"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [
            ("", _("Choose…")),
            *countries,
            (resources.FALLBACK, _("Any other country (the international fallback)")),
        ]

    def entry(self) -> dict:
        """The form as an entry of the crisis file, in the admin's language (English too, since
        English is every entry's fallback)."""
        data = self.cleaned_data
        language = (get_language() or "en").split("-")[0]
        worded = {}
        for key in ("hours", "coverage"):
            if data[key]:
                worded[key] = {"en": data[key], language: data[key]}
        found = {
            "name": data["name"],
            "kind": data["kind"],
            "languages": data["languages"],
            "source": data["source"],
            "checked": data["checked"].isoformat(),
            **worded,
        }
        for key in ("phone", "text", "web"):
            if data[key]:
                found[key] = data[key]
        return found


def _page(request, practice, form=None, status=200):
    rows = crisis_lines.admin_overview(
        practice.pk, get_language() or "en", by=request.user, request=request
    )
    stale = sum(1 for row in rows if row.stale)
    return render(
        request,
        "safety/crisis_lines_admin.html",
        {
            "practice": practice,
            "rows": rows,
            "stale": stale,
            "form": form or OverrideForm(initial={"checked": timezone.localdate()}),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def crisis_lines_admin(request):
    practice = admin_practice(request)
    if request.method == "GET":
        return _page(request, practice)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            crisis_lines.add_override(
                practice.pk,
                by=request.user,
                country=form.cleaned_data["country"],
                replaces=form.cleaned_data["replaces"].strip(),
                entry=form.entry(),
                request=request,
            )
        except crisis_lines.OverrideError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved; your clients see it from now on."))
            return redirect("crisis_lines_admin")
    return _page(request, practice, form, status=400)


@login_required
@require_POST
def crisis_line_remove(request, override_id):
    practice = admin_practice(request)
    try:
        row = crisis_lines.override_of(practice.pk, override_id)
    except crisis_lines.NotFound:
        raise Http404 from None
    crisis_lines.remove_override(row, by=request.user, request=request)
    messages.success(request, _("Removed; your clients see the shipped entry again."))
    return redirect("crisis_lines_admin")
