"""Experiment pages: the client designs and records them; the care team reads the shared ones."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from securebase.care import policy
from securebase.core.saving import StaleNotice, render_form, save_edit, save_new
from securebase.practise.experiments import domain
from securebase.practise.experiments.forms import (
    EditExperimentForm,
    NewExperimentForm,
    initial_from,
)
from securebase.practise.models import Experiment
from securebase.practise.reflections import domain as reflections
from securebase.safety.flags import support

REUSED = gettext_lazy(
    "This form was already sent with different answers. Your first experiment was kept; reload the "
    "page to start another."
)

STALE = StaleNotice(
    message=gettext_lazy(
        "This experiment was changed on another device. Nothing was overwritten: the saved "
        "version is shown above, and your changes are still in the form."
    ),
    show="practise/experiments/_summary.html",
    shown=lambda refused: {"experiment": refused.current},
    solo=True,  # only the client edits their experiments
)


def _decorate(experiments, user):
    found = reflections.reflections_for(user, "experiment", experiments)
    for experiment in experiments:
        experiment.change = domain.belief_change(experiment)
        experiment.reflections = found.get(experiment.pk, [])
    return experiments


def _list(request, client, template: str):
    """The client's experiments that this person may see (read, audited), on ``template``."""
    found = domain.experiments_for(request.user, client, request=request)
    experiments = _decorate(found, request.user)
    return render(request, template, {"client": client, "experiments": experiments})


# --- the client ---------------------------------------------------------------------------------


@login_required
def my_experiments(request):
    client = policy.get_own_record_for(request.user)
    return _list(request, client, "practise/experiments/my_experiments.html")


@login_required
@require_http_methods(["GET", "POST"])
def experiment_new(request):
    client = policy.get_own_record_for(request.user)
    form = NewExperimentForm(request.POST or None, initial={"shared": client.shares_by_default})
    if request.method == "POST" and form.is_valid():
        experiment = save_new(
            request, form, domain.create_experiment, client, data=form.cleaned_data, reused=REUSED
        )
        if experiment is not None:
            detail = reverse("experiment_detail", args=[experiment.pk])
            if answer := support.answer_saved_entry(request, experiment, continue_url=detail):
                return answer
            messages.success(request, _("Experiment saved."))
            return redirect(detail)
    return render_form(
        request, "practise/experiments/experiment_form.html", {"form": form, "is_new": True}
    )


@login_required
@require_http_methods(["GET", "POST"])
def experiment_detail(request, experiment_id):
    if request.method == "GET":
        experiment = domain.experiment_for(request.user, experiment_id, own=True, request=request)
    else:
        experiment = policy.get_own_entry(request.user, Experiment, experiment_id)
    stale = None
    if request.method == "POST":
        form = EditExperimentForm(request.POST)
        if form.is_valid():
            edit = save_edit(
                request,
                form,
                domain.update_experiment,
                experiment,
                data=form.cleaned_data,
                stale=STALE,
            )
            form, stale = edit.form, edit.stale
            if edit.done:
                detail = reverse("experiment_detail", args=[experiment.pk])
                if answer := support.answer_saved_entry(request, edit.saved, continue_url=detail):
                    return answer
                messages.success(request, _("Changes saved."))
                return redirect(detail)
    else:
        form = EditExperimentForm(initial=initial_from(experiment))
        reflections.mark_seen(request.user, "experiment", [experiment])
    _decorate([experiment], request.user)
    return render_form(
        request,
        "practise/experiments/experiment_form.html",
        {"form": form, "is_new": False, "experiment": experiment, "stale": stale},
    )


@login_required
@require_POST
def experiment_share(request, experiment_id):
    support.share_own_entry(request, Experiment, experiment_id, domain.set_shared)
    return redirect("my_experiments")


# --- the care team -------------------------------------------------------------------------------


@login_required
def client_experiments(request, client_id):
    client = policy.get_client_for_care_team(request.user, client_id)
    return _list(request, client, "practise/experiments/client_experiments.html")


@login_required
@require_POST
def experiment_reviewed(request, client_id, experiment_id):
    client = policy.get_client_for_care_team(request.user, client_id)
    experiment = policy.get_entry_for_user(request.user, Experiment, experiment_id, of=client)
    domain.mark_reviewed(
        experiment, by=request.user, reviewed=request.POST.get("value") == "1", request=request
    )
    return redirect(f"/clients/{client.pk}/experiments/#experiment-{experiment.pk}")
