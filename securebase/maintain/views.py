"""Pages of maintenance: the tapering plan, the maintenance plan and the discharge summary.

Clinicians on the care team reach them under /clients/<id>/; the client reaches their own under
/home/. Access goes through the care policy (404 to everyone else); every change goes through the
domain modules (tapering, maintenance, discharge), which audit it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from securebase.care.models import Client
from securebase.core.links import ClientLinks, PlanLinks
from securebase.core.saving import StaleNotice, render_form, save_edit
from securebase.core.versioning import StaleSave
from securebase.maintain import discharge as discharge_domain
from securebase.maintain import maintenance, tapering
from securebase.maintain.forms import (
    SECTION_HELP,
    DischargeForm,
    MaintenancePlanForm,
    NextPhaseForm,
    PhaseFormSet,
    StartTaperingForm,
    VersionForm,
    phase_rows,
)

# --- tapering -----------------------------------------------------------------------------------


def _tapering_context(request, client: Client, own: bool, **extra) -> dict:
    plan = tapering.plan_for(request.user, client, request=request)
    phases = tapering.phases_of(plan)
    suggestion = tapering.suggestion_for(client, viewer=request.user)
    return {
        "client": client,
        "own": own,
        "plan": plan,
        "phases": phases,
        "current": tapering.current_phase(phases),
        "following": tapering.next_phase(phases),
        "suggestion": tapering.suggestion_view(suggestion, client),
        "back": ClientLinks(client, own).back,
        **extra,
    }


@login_required
@require_GET
def client_tapering(request, client_id):
    """The clinician's tapering plan, with what the data says about stepping down."""
    client = tapering.client_for_care_team(request.user, client_id)
    context = _tapering_context(request, client, False, start_form=StartTaperingForm())
    if context["plan"] is not None:
        context["next_form"] = NextPhaseForm(
            initial={"version": context["plan"].version},
            hold=context["suggestion"].not_now and tapering.steps_down(context["following"]),
        )
    return render(request, "maintain/tapering.html", context)


def _tapering_again(request, client: Client, next_form: NextPhaseForm):
    """The tapering page with the move-on form as sent and its errors (status 422)."""
    context = _tapering_context(request, client, False, start_form=StartTaperingForm())
    context["next_form"] = next_form
    return render(request, "maintain/tapering.html", context, status=422)


@login_required
@require_GET
def my_tapering(request):
    """The client's tapering plan, read only."""
    client = tapering.own_client(request.user)
    return render(request, "maintain/tapering.html", _tapering_context(request, client, True))


@login_required
@require_POST
def client_tapering_start(request, client_id):
    client = tapering.client_for_care_team(request.user, client_id)
    form = StartTaperingForm(request.POST)
    if not form.is_valid():
        context = _tapering_context(request, client, False, start_form=form)
        return render(request, "maintain/tapering.html", context, status=400)
    tapering.create_plan(
        client=client, by=request.user, start=form.cleaned_data["start"], request=request
    )
    messages.success(request, _("The tapering plan is made. Edit the phases to fit."))
    return redirect("client_tapering", client.pk)


STALE_TAPERING = StaleNotice(
    message=gettext_lazy(
        "Someone else changed the tapering plan while you were editing. Nothing was "
        "overwritten: their version is shown above the form, which still holds your changes."
    ),
    show="maintain/_phase_list.html",
    shown=lambda refused: {"phases": tapering.phases_of(refused.current)},
)


@login_required
@require_http_methods(["GET", "POST"])
def client_tapering_edit(request, client_id):
    """Edit the phases (kind, name, planned start); add, remove and reorder by date."""
    client = tapering.client_for_care_team(request.user, client_id)
    plan = tapering.plan_of(client)
    if plan is None:
        return redirect("client_tapering", client.pk)
    stale = None
    if request.method == "POST":
        version_form = VersionForm(request.POST)
        formset = PhaseFormSet(request.POST, prefix="phases")
        if version_form.is_valid() and formset.is_valid():
            edit = save_edit(
                request,
                version_form,
                tapering.save_phases,
                plan=plan,
                phases=phase_rows(formset),
                error=tapering.TaperingError,
                stale=STALE_TAPERING,
            )
            version_form, stale = edit.form, edit.stale
            if edit.done:
                messages.success(request, _("The tapering plan is saved."))
                return redirect("client_tapering", client.pk)
    else:
        version_form = VersionForm(initial={"version": plan.version})
        formset = PhaseFormSet(
            prefix="phases",
            initial=[
                {
                    "id": p.pk,
                    "kind": p.kind,
                    "label": p.label,
                    "planned_start": p.planned_start,
                }
                for p in tapering.phases_to_edit(request.user, plan, request=request)
            ],
        )
    started = {str(p.pk) for p in tapering.phases_of(plan) if p.started_at}
    _keep_started(formset, started)
    return render(
        request,
        "maintain/tapering_edit.html",
        {
            "client": client,
            "plan": plan,
            "version_form": version_form,
            "formset": formset,
            "started": started,
            "stale": stale,
        },
        status=400 if request.method == "POST" else 200,
    )


def _keep_started(formset, started: set[str]) -> None:
    """A phase that has started cannot be removed: its row offers no "Delete" box, and says so."""
    for form in formset.forms:
        form.started = str(form["id"].value() or "") in started
        if form.started:
            form.fields.pop("DELETE", None)


@login_required
@require_POST
def client_tapering_next(request, client_id):
    """Move to the next phase: the clinician's decision, audited. While safety says "not now",
    only with an override note; without one the page comes back with the note asked for."""
    client = tapering.client_for_care_team(request.user, client_id)
    plan = tapering.plan_of(client)
    hold = (
        plan is not None
        and tapering.steps_down(tapering.next_phase(tapering.phases_of(plan)))
        and tapering.suggestion_for(client, viewer=request.user).not_now
    )
    form = NextPhaseForm(request.POST, hold=hold)
    if plan is None or "version" in form.errors:
        return redirect("client_tapering", client.pk)
    if not form.is_valid():
        return _tapering_again(request, client, form)
    try:
        saved = tapering.move_to_next_phase(
            by=request.user,
            plan=plan,
            version=form.cleaned_data["version"],
            override_note=form.cleaned_data.get("override_note", ""),
            request=request,
        )
    except tapering.SafetyHold as exc:
        form.add_error("override_note", str(exc))
        return _tapering_again(request, client, form)
    except StaleSave:
        messages.error(
            request,
            _(
                "Someone else changed the plan just now. Look at it again, then move on if still right."
            ),
        )
    except tapering.TaperingError as exc:
        messages.error(request, str(exc))
    else:
        current = tapering.current_phase(tapering.phases_of(saved))
        messages.success(request, _("Moved on: %(phase)s from today.") % {"phase": current.name})
    return redirect("client_tapering", client.pk)


# --- the maintenance plan -----------------------------------------------------------------------


def _links(client: Client, own: bool) -> PlanLinks:
    return PlanLinks(client, own, "maintenance_plan")


SECTION_TITLES = {
    "warning_signs": _("My warning signs"),
    "what_helps": _("What helps"),
    "next_steps": _("My ladder's next steps"),
    "who_to_turn_to": _("Who I can turn to"),
    "get_back_in_touch": _("When to get back in touch"),
}


def _sections(content: dict) -> list[dict]:
    return [
        {
            "key": key,
            "title": SECTION_TITLES[key],
            "help": SECTION_HELP[key],
            "lines": [line for line in (content.get(key) or "").splitlines() if line.strip()],
        }
        for key in maintenance.SECTIONS
    ]


def _maintenance_page(request, client_id):
    plan = maintenance.get_plan_for(request.user, client_id, request=request)
    client, own = plan.client, client_id is None
    content = maintenance.content_of(plan)
    return render(
        request,
        "maintain/maintenance_plan.html",
        {
            "client": client,
            "own": own,
            "plan": plan,
            "links": _links(client, own),
            "sections": _sections(content),
            "empty": maintenance.is_empty(content),
        },
    )


@login_required
@require_GET
def my_maintenance_plan(request):
    """The client's maintenance plan (phone first, printable)."""
    return _maintenance_page(request, None)


@login_required
@require_GET
def client_maintenance_plan(request, client_id):
    """The care team's view of the client's maintenance plan."""
    return _maintenance_page(request, client_id)


STALE_PLAN = StaleNotice(
    message=gettext_lazy(
        "Someone else saved the maintenance plan while you were editing. Nothing was "
        "overwritten: their version is shown next to the form, which still holds what you "
        "wrote. Compare, then save again."
    ),
    show="maintain/_maintenance_sections.html",
    shown=lambda refused: {"sections": _sections(maintenance.content_of(refused.current))},
)


def _maintenance_edit(request, client_id):
    if request.method == "GET":
        plan = maintenance.get_plan_for(
            request.user, client_id, request=request, detail={"for": "edit"}
        )
    else:
        plan = maintenance.plan_to_save(request.user, client_id, request=request)
    client, own = plan.client, client_id is None
    links = _links(client, own)
    stale = None
    suggestions = maintenance.ladder_next_steps(client, viewer=request.user)
    if request.method == "POST":
        form = MaintenancePlanForm(request.POST)
        if form.is_valid():
            edit = save_edit(
                request,
                form,
                maintenance.save_plan,
                plan=plan,
                content=form.content(),
                error=(),  # the form checks the plan's limits itself
                stale=STALE_PLAN,
            )
            form, stale = edit.form, edit.stale
            if edit.refused is not None:
                plan = edit.refused.current
            if edit.done:
                messages.success(request, _("The maintenance plan is saved."))
                return redirect(links.plan)
    else:
        initial = {"version": plan.version, **maintenance.content_of(plan)}
        if not initial["next_steps"] and suggestions:
            initial["next_steps"] = "\n".join(suggestions)
        form = MaintenancePlanForm(initial=initial)
    return render_form(
        request,
        "maintain/maintenance_plan_form.html",
        {
            "client": client,
            "own": own,
            "plan": plan,
            "links": links,
            "form": form,
            "stale": stale,
            "suggestions": suggestions,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_maintenance_plan_edit(request):
    return _maintenance_edit(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def client_maintenance_plan_edit(request, client_id):
    return _maintenance_edit(request, client_id)


# --- discharge ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def client_discharge(request, client_id):
    """The discharge summary from the data, the closing note, and "Discharge" (care team)."""
    client = tapering.client_for_care_team(request.user, client_id)
    discharged = client.status == Client.Status.DISCHARGED
    suggestion = None if discharged else tapering.suggestion_for(client, viewer=request.user)
    hold = suggestion is not None and suggestion.not_now
    form = DischargeForm(hold=hold)
    if request.method == "POST" and not discharged:
        form = DischargeForm(request.POST, hold=hold)
        if form.is_valid():
            try:
                discharge_domain.discharge(
                    client=client,
                    by=request.user,
                    note=form.cleaned_data["note"],
                    share_note=form.cleaned_data["share_note"],
                    override_note=form.cleaned_data.get("override_note", ""),
                    request=request,
                )
            except discharge_domain.DischargeError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(
                    request,
                    _("%(name)s is discharged. The summary is kept in the record.")
                    % {"name": client.display_name},
                )
                return redirect("client_discharge", client.pk)
    elif request.method == "POST":
        return redirect("client_discharge", client.pk)
    record = discharge_domain.latest_discharge_for(request.user, client, request=request)
    if discharged and record is not None:
        summary = discharge_domain.summary_of(record)
    else:
        summary = discharge_domain.build_summary(client, viewer=request.user)
    return render_form(
        request,
        "maintain/discharge.html",
        {
            "client": client,
            "discharged": discharged,
            "record": record if discharged else None,
            "summary": discharge_domain.for_display(summary),
            "form": form,
            "suggestion": tapering.suggestion_view(suggestion, client) if hold else None,
        },
    )


@login_required
@require_GET
def my_discharge_summary(request):
    """The client's own discharge summary (without the note unless it was shared)."""
    record = discharge_domain.own_discharge(request.user, request=request)
    shown = discharge_domain.client_version(record)
    return render(
        request,
        "maintain/my_discharge_summary.html",
        {
            "client": record.client,
            "record": record,
            "summary": discharge_domain.for_display(shown["summary"]),
            "note": shown["note"],
        },
    )
