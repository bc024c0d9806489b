"""Homework pages: the clinician assigns; the client sees this week's and marks it done."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from securebase.care import policy
from securebase.care.forms import SubmissionIdMixin
from securebase.core.saving import render_form, save_new
from securebase.practise.homework import domain
from securebase.practise.models import Homework

REUSED = gettext_lazy("This form was already sent. Reload the page to assign more.")


class AssignForm(SubmissionIdMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What"), choices=Homework.Kind.choices)
    target = forms.CharField(
        label=gettext_lazy("Which one"),
        required=False,
        max_length=80,
        help_text=gettext_lazy("A ladder step id, a tool code or a learn page slug."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note for the client"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due_on = forms.DateField(
        label=gettext_lazy("Due (or first day)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    schedule = forms.ChoiceField(label=gettext_lazy("How often"), choices=Homework.Schedule.choices)


@login_required
def my_homework(request):
    client = policy.get_own_record_for(request.user)
    items = domain.read_this_week(request.user, client, request=request)
    return render(request, "practise/homework/my_homework.html", {"items": items})


@login_required
@require_POST
def homework_done(request, homework_id):
    client = policy.get_own_record_for(request.user)
    homework = policy.get_of_client(Homework, client, homework_id, active=True)
    domain.mark_done(homework, by=request.user, request=request)
    messages.success(request, _("Marked as done. Well practised."))
    return redirect("my_homework")


@login_required
@require_http_methods(["GET", "POST"])
def client_homework(request, client_id):
    client = policy.get_client_for_care_team(request.user, client_id)
    form = AssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assigned = save_new(
            request, form, domain.assign, client, data=form.cleaned_data, reused=REUSED
        )
        if assigned is not None:
            messages.success(request, _("Homework assigned."))
            return redirect("client_homework", client_id=client.pk)
    items = domain.assigned(request.user, client, request=request)
    return render_form(
        request,
        "practise/homework/client_homework.html",
        {"client": client, "form": form, "items": items},
    )


@login_required
@require_POST
def homework_stop(request, client_id, homework_id):
    client = policy.get_client_for_care_team(request.user, client_id)
    homework = policy.get_of_client(Homework, client, homework_id, active=True)
    domain.stop(homework, by=request.user, request=request)
    return redirect("client_homework", client_id=client.pk)
