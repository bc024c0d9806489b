"""The progress pages: the client's own (phone first) and the care team's (desktop), one template."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from securebase.care import policy
from securebase.plan.progress.domain import build_progress
from securebase.plan.progress.periods import validate_period_date


class PeriodForm(forms.Form):
    """An optional period (GET ``from``/``to``) that narrows every section of the page."""

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        # "from" cannot be a class attribute name, so the fields are added here.
        self.fields["from"] = forms.DateField(
            label=_("From"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
            validators=[validate_period_date],
        )
        self.fields["to"] = forms.DateField(
            label=_("To"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
            validators=[validate_period_date],
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start of the period comes after its end."))
        return cleaned

    def period(self):
        if not self.is_valid():
            return None, None
        return self.cleaned_data.get("from"), self.cleaned_data.get("to")


def _render(request, client):
    form = PeriodForm(request.GET)
    start, end = form.period()
    progress = build_progress(client, viewer=request.user, start=start, end=end, request=request)
    return render(
        request,
        "plan/progress/progress.html",
        {"client": client, "progress": progress, "period_form": form},
    )


@login_required
@require_GET
def my_progress(request):
    """The client's own progress: milestones first, then each area as a calm, readable chart."""
    client = policy.client_record_of(request.user)
    if client is None:
        raise Http404
    return _render(request, client)


@login_required
@require_GET
def client_progress(request, client_id):
    """A client's progress for their care team: what the access rules let this clinician see."""
    client = policy.get_client_for_care_team(request.user, client_id)
    return _render(request, client)
