"""The practice admin's erasure page: discharged records, when each may be erased, and the
two-person erasure itself. No clinical words and no names: a record is shown by its reference."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from securebase.care.erasure import domain as erasure
from securebase.core.errors import InputError, NotAllowed

STEPS = {
    "request": (
        erasure.request_erasure,
        _("Erasure asked for. A second practice admin confirms it."),
    ),
    "confirm": (
        erasure.confirm_erasure,
        _("The record was erased: its words cannot be read again."),
    ),
    "withdraw": (erasure.cancel_erasure, _("The erasure request was withdrawn.")),
}


@login_required
@require_GET
def erasure_page(request):
    cases = erasure.erasure_cases(request.user, request=request)
    context = {"cases": cases, "retention_years": settings.RECORD_RETENTION_YEARS}
    return render(request, "care/erasure.html", context)


@login_required
@require_POST
def erasure_step(request, record_id, step):
    act, done = STEPS.get(step, (None, None))
    if act is None:
        return redirect("erasure")
    try:
        act(by=request.user, client_id=record_id, request=request)
    except (InputError, NotAllowed) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, str(done))
    return redirect("erasure")
