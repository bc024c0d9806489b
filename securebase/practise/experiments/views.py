"""Experiment pages: the client designs and records them; the care team reads the shared ones."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from securebase.care import policy
from securebase.core.idempotency import SubmissionKeyReused
from securebase.core.versioning import StaleSave, refused_form
from securebase.practise.experiments import domain
from securebase.practise.experiments.forms import (
    EditExperimentForm,
    NewExperimentForm,
    initial_from,
)
from securebase.practise.models import Experiment
from securebase.practise.reflections import domain as reflections
from securebase.safety.flags import support


def _add_error(form, exc: domain.ExperimentError):
    if exc.field and exc.field in form.fields:
        form.add_error(exc.field, str(exc))
    else:
        form.add_error(None, str(exc))


def _decorate(experiments, user):
    found = reflections.reflections_for(user, "experiment", experiments)
    for experiment in experiments:
        experiment.change = domain.belief_change(experiment)
        experiment.reflections = found.get(experiment.pk, [])
    return experiments


# --- the client ---------------------------------------------------------------------------------


@login_required
def my_experiments(request):
    client = policy.get_own_record_for(request.user)
    experiments = _decorate(
        domain.experiments_for(request.user, client, request=request), request.user
    )
    return render(
        request,
        "practise/experiments/my_experiments.html",
        {"client": client, "experiments": experiments},
    )


@login_required
@require_http_methods(["GET", "POST"])
def experiment_new(request):
    client = policy.get_own_record_for(request.user)
    form = NewExperimentForm(request.POST or None, initial={"shared": client.shares_by_default})
    if request.method == "POST" and form.is_valid():
        try:
            experiment, _created = domain.create_experiment(
                client,
                by=request.user,
                data=form.cleaned_data,
                submission_id=form.cleaned_data["submission_id"],
                request=request,
            )
        except domain.ExperimentError as exc:
            _add_error(form, exc)
        except SubmissionKeyReused:
            form.add_error(
                None,
                _(
                    "This form was already sent with different answers. Your first "
                    "experiment was kept; reload the page to start another."
                ),
            )
        else:
            if support.risk_raised(experiment):
                return support.render_support(
                    request,
                    client,
                    private_entry=not experiment.shared,
                    continue_url=reverse("experiment_detail", args=[experiment.pk]),
                )
            messages.success(request, _("Experiment saved."))
            return redirect("experiment_detail", experiment_id=experiment.pk)
    return render(
        request,
        "practise/experiments/experiment_form.html",
        {"form": form, "is_new": True},
        status=400 if form.errors else 200,
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
            try:
                saved = domain.update_experiment(
                    experiment,
                    by=request.user,
                    data=form.cleaned_data,
                    version=form.cleaned_data["version"],
                    request=request,
                )
            except domain.ExperimentError as exc:
                _add_error(form, exc)
            except StaleSave as exc:
                form, stale = refused_form(
                    request,
                    exc,
                    EditExperimentForm,
                    show="practise/experiments/_summary.html",
                    solo=True,
                    context={"experiment": exc.current},
                    message=_(
                        "This experiment was changed on another device. Nothing was "
                        "overwritten: the saved version is shown above, and your changes "
                        "are still in the form."
                    ),
                )
            else:
                if support.risk_raised(saved):
                    return support.render_support(
                        request,
                        saved.client,
                        private_entry=not saved.shared,
                        continue_url=reverse("experiment_detail", args=[experiment.pk]),
                    )
                messages.success(request, _("Changes saved."))
                return redirect("experiment_detail", experiment_id=experiment.pk)
    else:
        form = EditExperimentForm(initial=initial_from(experiment))
        reflections.mark_seen(request.user, "experiment", [experiment])
    _decorate([experiment], request.user)
    return render(
        request,
        "practise/experiments/experiment_form.html",
        {"form": form, "is_new": False, "experiment": experiment, "stale": stale},
        status=400 if form.errors else 200,
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
    experiments = _decorate(
        domain.experiments_for(request.user, client, request=request), request.user
    )
    return render(
        request,
        "practise/experiments/client_experiments.html",
        {"client": client, "experiments": experiments},
    )


@login_required
@require_POST
def experiment_reviewed(request, client_id, experiment_id):
    client = policy.get_client_for_care_team(request.user, client_id)
    experiment = policy.get_entry_for_user(request.user, Experiment, experiment_id, of=client)
    domain.mark_reviewed(
        experiment, by=request.user, reviewed=request.POST.get("value") == "1", request=request
    )
    return redirect(f"/clients/{client.pk}/experiments/#experiment-{experiment.pk}")
