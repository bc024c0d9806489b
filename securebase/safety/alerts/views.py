"""The care team's alerts: the open ones, acknowledging each with a note, the caseload's live banner,
and the rules that raise them. Clinicians only; an alert of a client on someone else's care team
answers 404. Access through the policy, changes through ``safety.flags``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from securebase.care import policy
from securebase.care.access import clinician_required
from securebase.plan.caseload import domain as plan_caseload
from securebase.safety.alerts import domain
from securebase.safety.alerts.forms import AcknowledgeForm
from securebase.safety.flags import domain as flags
from securebase.safety.flags import rule_list as rules
from securebase.safety.learning import domain as learning
from securebase.safety.learning.forms import FalseAlarmForm, false_alarm_form_for


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@clinician_required
@require_GET
def alerts(request):
    """The open alerts of every client on the clinician's care teams, newest first, each with an
    acknowledgement form; below, the latest acknowledged ones with who, when and the note."""
    open_rows, acknowledged = domain.overview(request.user, request=request)
    return render(
        request,
        "safety/alerts/alerts.html",
        {"open_rows": open_rows, "acknowledged": acknowledged, "blank_form": AcknowledgeForm()},
    )


def _alert_page(
    request, alert, form=None, *, next_url: str = "", false_alarm_form=None, status: int = 200
):
    return render(
        request,
        "safety/alerts/alert.html",
        {
            "row": domain.row(alert),
            "form": form or AcknowledgeForm(),
            "next_url": next_url,
            "false_alarm": learning.false_alarm_of(alert),
            "false_alarm_form": false_alarm_form or false_alarm_form_for(alert),
        },
        status=status,
    )


@clinician_required
@require_GET
def alert_detail(request, alert_id):
    """One alert: what raised it, and its acknowledgement or the form to acknowledge it."""
    alert = domain.read_alert(request.user, alert_id, request=request)
    return _alert_page(request, alert)


@clinician_required
@require_POST
def alert_acknowledge_note(request, alert_id):
    alert = policy.get_alert_for_user(request.user, alert_id)
    return acknowledge_response(request, alert, next_url=_safe_next(request, reverse("alerts")))


@login_required
@require_http_methods(["GET", "POST"])
def client_alert_acknowledge(request, client_id, alert_id):
    """Acknowledge an alert from the client's measures page, with the note it requires (this
    page's form and rules), then back to the measures; a GET goes to the alert on this page."""
    alert = policy.get_alert_for_care_team(request.user, client_id, alert_id)
    if request.method == "GET":
        return redirect("alert_detail", alert_id=alert.pk)
    return acknowledge_response(
        request, alert, next_url=reverse("client_measures", args=[alert.client_id])
    )


def acknowledge_response(request, alert, *, next_url: str):
    """Close the alert with the note posted; on a missing note, show the alert again with the
    note as typed. An alert someone already closed keeps its first note: the new one is refused
    (409) and shown back, so nothing typed is lost."""
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        note = form.cleaned_data["note"]
        if alert.acknowledged_at is None:
            try:
                alert = flags.acknowledge(alert, by=request.user, note=note, request=request)
            except flags.AcknowledgementError as exc:
                form.add_error("note", str(exc))
        if not form.errors:
            if alert.acknowledgement == note:  # closed now, or this very note sent twice
                messages.success(
                    request,
                    _("Alert acknowledged for %(name)s. Your note is kept with it.")
                    % {"name": alert.client.display_name},
                )
                return redirect(next_url)
            form.add_error(None, _already_acknowledged(alert))
            return _alert_page(request, alert, form, next_url=next_url, status=409)
    return _alert_page(request, alert, form, next_url=next_url, status=400)


@clinician_required
@require_POST
def alert_false_alarm(request, alert_id):
    """Mark a risk-words alert as a false alarm (which closes it, with the note); a missing note
    shows the alert page again with everything as typed."""
    alert = policy.get_alert_for_user(request.user, alert_id)
    form = FalseAlarmForm(request.POST)
    if form.is_valid():
        try:
            _report, created = learning.report_false_alarm(
                alert,
                by=request.user,
                note=form.cleaned_data["note"],
                wording=form.cleaned_data["wording"],
                language_code=form.cleaned_data["language"],
                request=request,
            )
        except learning.LearningError as exc:
            form.add_error(None, str(exc))
        else:
            if created:
                messages.success(
                    request, _("Marked as a false alarm. The practice's admins will review it.")
                )
            return redirect("alert_detail", alert_id=alert.pk)
    return _alert_page(request, alert, false_alarm_form=form, status=400)


def _already_acknowledged(alert) -> str:
    who = alert.acknowledged_by.display_name if alert.acknowledged_by else _("someone")
    return _(
        "%(who)s acknowledged this alert at %(when)s, with their own note. Yours was not saved: "
        "it is still in the box below if you want to copy it into the client's record."
    ) % {"who": who, "when": date_format(localtime(alert.acknowledged_at), "DATETIME_FORMAT")}


@clinician_required
@require_GET
def caseload_alerts(request):
    """The caseload's alerts banner and alerts column, polled every 10 seconds by the caseload.

    Polls carry ``X-Background: 1`` so they never keep a session alive. A poll that finds the
    same alerts as the page already shows (``version``) answers 204: nothing is redrawn, nothing
    new was read, and nothing is audited; a poll that brings news is audited as a caseload read.
    """
    missed_days = plan_caseload.parse_missed_days(
        request.GET.get("missed_days", plan_caseload.default_missed_days())
    )
    if not request.htmx:  # a link followed by hand: the whole caseload
        return redirect(f"{reverse('caseload')}?missed_days={missed_days}")
    rows = plan_caseload.poll_caseload_alerts(
        request.user,
        missed_days=missed_days,
        seen_version=request.GET.get("version"),
        request=request,
    )
    if rows is None:
        return HttpResponse(status=204)
    return render(request, "safety/alerts/_caseload_poll.html", {"rows": rows})


@clinician_required
@require_GET
def risk_rules(request):
    """Every rule that raises a risk flag, its threshold and its source, and what happens next."""
    return render(request, "safety/rules.html", {"rules": rules.all_rules()})
