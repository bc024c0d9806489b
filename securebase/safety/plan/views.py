"""The safety plan pages: the client's own (phone first, offline once loaded) and the care team's.

One set of views serves both: ``client_id`` in the URL means a clinician on the care team; none
means the signed-in client's own plan. Access and changes go through :mod:`securebase.safety.plan.domain`.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from securebase.care.models import Client
from securebase.core.links import PlanLinks
from securebase.core.saving import StaleNotice, render_form, save_edit
from securebase.safety.flags import support
from securebase.safety.models import SafetyPlan
from securebase.safety.plan import domain
from securebase.safety.plan.forms import SafetyPlanForm, sections_for_display

SERVICE_WORKER = Path(__file__).resolve().parents[2] / "static" / "securebase" / "sw.js"


def _links(client: Client, own: bool) -> PlanLinks:
    return PlanLinks(client, own, "safety_plan")


def _crisis(request, client: Client) -> dict:
    return support.crisis_context(request, client)


def _context(request, client: Client, own: bool, plan: SafetyPlan, **extra) -> dict:
    content = domain.content_of(plan)
    return {
        "client": client,
        "own": own,
        "plan": plan,
        "links": _links(client, own),
        "sections": sections_for_display(content),
        "empty": domain.is_empty(content),
        **_crisis(request, client),
        **extra,
    }


def _page(request, client_id):
    plan = domain.get_plan_for(request.user, client_id, request=request)
    return render(
        request, "safety/plan.html", _context(request, plan.client, client_id is None, plan)
    )


@login_required
@require_GET
def my_safety_plan(request):
    """The client's own safety plan, crisis lines first; kept on the phone for offline use."""
    return _page(request, None)


@login_required
@require_GET
def client_safety_plan(request, client_id):
    """A care-team clinician's view of the client's safety plan."""
    return _page(request, client_id)


STALE = StaleNotice(
    message=gettext_lazy(
        "Someone else saved the safety plan while you were editing. Nothing was overwritten: "
        "their version is shown next to the form, which still holds what you wrote. Compare, "
        "then save again."
    ),
    show="safety/_sections.html",
    shown=lambda refused: {"sections": sections_for_display(domain.content_of(refused.current))},
)


def _edit(request, client_id):
    if request.method == "GET":
        plan = domain.get_plan_for(request.user, client_id, request=request, detail={"for": "edit"})
    else:
        plan = domain.plan_to_save(request.user, client_id, request=request)
    client, own = plan.client, client_id is None
    stale = None
    if request.method == "POST":
        form = SafetyPlanForm(request.POST)
        if form.is_valid():
            edit = save_edit(
                request,
                form,
                domain.save_plan,
                plan=plan,
                content=form.content(),
                error=(),  # the form checks the plan's limits itself (SafetyPlanForm.clean)
                stale=STALE,
            )
            form, stale = edit.form, edit.stale
            if edit.refused is not None:
                plan = edit.refused.current
                plan.client = client
            if edit.done:
                messages.success(request, _("The safety plan is saved."))
                return redirect(_links(client, own).plan)
    else:
        form = SafetyPlanForm(initial={"version": plan.version}, content=domain.content_of(plan))
    return render_form(
        request,
        "safety/plan_form.html",
        _context(request, client, own, plan, form=form, stale=stale),
        form=form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_safety_plan_edit(request):
    """Edit the plan together (the client's side)."""
    return _edit(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def client_safety_plan_edit(request, client_id):
    """Edit the plan together (the care team's side)."""
    return _edit(request, client_id)


# --- offline ------------------------------------------------------------------------------------


@functools.cache
def _worker_source() -> str:
    return SERVICE_WORKER.read_text(encoding="utf-8")


@require_GET
def service_worker(request):
    """The service worker that keeps the client's safety plan page for offline use.

    Served from the site root so its scope can be "/"; only signed-in people get it (404
    otherwise, as for any private page). The paths it needs are filled in here, not guessed.
    """
    if not request.user.is_authenticated:
        raise Http404
    source = _worker_source().replace(
        "/*CONFIG*/{}",
        json.dumps(
            {
                "page": reverse("my_safety_plan"),
                "signOut": [reverse("account_logout"), reverse("sign_out_everywhere")],
                "signIn": [reverse("account_login")],
                "static": settings.STATIC_URL,
                # The offline copy is shown for at most this long after it was saved, so a phone
                # signed out remotely (or lost) does not keep showing it.
                "maxAgeMs": settings.SAFETY_PLAN_OFFLINE_DAYS * 24 * 3600 * 1000,
            }
        ),
        1,
    )
    response = HttpResponse(source, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
