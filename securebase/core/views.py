from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_prometheus.exports import ExportToDjangoView

from securebase.care.policy import client_record_of, roles_of
from securebase.core import readiness


@require_GET
@never_cache
def healthz(request):
    """The process is up. Touches nothing else."""
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request):
    """Ready to serve (200) or not (503), and why (securebase.core.readiness)."""
    state = readiness.check()
    return JsonResponse(state, status=200 if state["status"] == "ok" else 503)


@require_GET
@never_cache
def metrics(request):
    """Prometheus metrics for the scrapers the settings name; 404 to everyone else."""
    if not readiness.may_read_metrics(request):
        raise Http404
    return ExportToDjangoView(request)


def home(request):
    """Send each person to their own starting page."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    roles = roles_of(request.user)
    if roles.is_clinician:
        return redirect("caseload")
    if roles.is_admin:
        return redirect("practice_people")
    if client_record_of(request.user) is not None:
        return redirect("client_home")
    return render(request, "core/no_role.html")


def csrf_failure(request, reason=""):
    return render(
        request,
        "core/error.html",
        {
            "title": _("This form expired"),
            "message": _(
                "For your security the page was open too long or you signed in elsewhere. "
                "Go back, reload the page, and send it again; what you typed may still be there."
            ),
        },
        status=403,
    )


def not_found(request, exception=None):
    return render(
        request,
        "core/error.html",
        {
            "title": _("Not found"),
            "message": _("There is nothing here, or it is not yours to see."),
        },
        status=404,
    )


def server_error(request):
    return HttpResponse(
        _("Something went wrong on our side. Nothing was half-saved; please try again."),
        status=500,
        content_type="text/plain; charset=utf-8",
    )
