"""Learning from misses: a clinician marks a false alarm (on the alert) or reports a missed risk
(from the client's record); the practice's admins review the reports and teach the detector.
Thin: access through the policy, reports and changes through ``safety/learning/domain.py``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from securebase.care import policy
from securebase.care.access import admin_practice, clinician_required
from securebase.safety.flags import rule_list as rules
from securebase.safety.learning import domain as learning
from securebase.safety.learning.forms import AdditionForm, CloseReportForm, MissedRiskForm
from securebase.safety.models import RiskAddition, RiskReport

# -- clinicians ---------------------------------------------------------------------------------


@clinician_required
@require_http_methods(["GET", "POST"])
def missed_risk_new(request, client_id):
    """Report risk read in one of the client's entries that raised no alert."""
    client = policy.get_client_for_care_team(request.user, client_id)
    form = MissedRiskForm(request.POST or None, initial={"language": client.language or "en"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            learning.report_missed(
                client,
                by=request.user,
                source_type=data["source_type"],
                written_on=data["written_on"],
                category=data["category"],
                language_code=data["language"],
                wording=data["wording"],
                note=data["note"],
                request=request,
            )
        except learning.LearningError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _(
                    "Thank you: the missed risk is reported to the practice's admins. It raised "
                    "no alert; if you are worried about %(name)s's safety now, follow your "
                    "practice's risk procedure."
                )
                % {"name": client.display_name},
            )
            return redirect("client_detail", client_id=client.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "safety/learning/missed_new.html", {"client": client, "form": form}, status=status
    )


# -- admins -------------------------------------------------------------------------------------


def _page(request, practice, *, add_form=None, close_forms=None, status=200):
    found = learning.overview(practice.pk, by=request.user, request=request)
    return render(
        request,
        "safety/learning/admin.html",
        {
            "practice": practice,
            "reports": found.reports,
            "open_count": found.open_count,
            "additions": found.additions,
            "labels": rules.category_labels(),
            "add_form": add_form or AdditionForm(),
            "close_forms": close_forms or {},
            "blank_close": CloseReportForm(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def admin_page(request):
    """The practice's reports and its additions to the detector, with the form to add one."""
    practice = admin_practice(request)
    report_id = request.GET.get("report")
    initial = {}
    if report_id:
        report = _report_of(practice, report_id)
        kind = learning.suggested_kind(report)
        initial = {
            "kind": kind,
            "language": report.language,
            "category": report.category,
            "text": report.wording,
            "report": report.pk,
        }
    return _page(request, practice, add_form=AdditionForm(initial=initial) if initial else None)


def _report_of(practice, report_id) -> RiskReport:
    try:
        return learning.report_of(practice.pk, report_id)
    except learning.NotFound:
        raise Http404 from None


@login_required
@require_POST
def admin_add(request):
    practice = admin_practice(request)
    form = AdditionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        report = _report_of(practice, data["report"]) if data["report"] else None
        try:
            added = learning.add(
                practice.pk,
                by=request.user,
                kind=data["kind"],
                language_code=data["language"],
                category=data["category"],
                text=data["text"],
                report=report,
                request=request,
            )
        except learning.LearningError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _added_message(added))
            return redirect("risk_learning")
    return _page(request, practice, add_form=form, status=400)


def _added_message(added: RiskAddition) -> str:
    scores = "; ".join(
        _("%(language)s: recall %(recall)s, precision %(precision)s")
        % {
            "language": code,
            "recall": f"{numbers['recall'] * 100:.1f}%",
            "precision": f"{numbers['precision'] * 100:.1f}%",
        }
        for code, numbers in added.evaluation.items()
    )
    return _("Added; the detector uses it from now on. Evaluation with it: %(scores)s.") % {
        "scores": scores
    }


@login_required
@require_POST
def admin_remove(request, addition_id):
    practice = admin_practice(request)
    try:
        addition = learning.addition_of(practice.pk, addition_id)
    except learning.NotFound:
        raise Http404 from None
    try:
        learning.remove(addition, by=request.user, request=request)
    except learning.LearningError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Removed; the detector no longer uses it."))
    return redirect("risk_learning")


@login_required
@require_POST
def admin_close(request, report_id):
    practice = admin_practice(request)
    report = _report_of(practice, report_id)
    form = CloseReportForm(request.POST)
    if form.is_valid():
        learning.close_report(
            report, by=request.user, note=form.cleaned_data["note"], request=request
        )
        messages.success(request, _("Report closed without a change."))
        return redirect("risk_learning")
    return _page(request, practice, close_forms={report.pk: form}, status=400)
