"""Reflections: the clinician leaves one on a shared entry; the client reads them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from securebase.care import policy
from securebase.practise.reflections import domain


@login_required
def my_reflections(request):
    client = policy.get_own_record_for(request.user)
    found = domain.read_recent(request.user, client, limit=100, request=request)
    return render(request, "practise/reflections/my_reflections.html", {"reflections": found})


@login_required
@require_POST
def reflection_new(request, client_id, entry_type, entry_id):
    client = policy.get_client_for_care_team(request.user, client_id)
    entry = policy.get_entry_for_user(
        request.user, domain.model_of(entry_type), entry_id, of=client
    )
    try:
        domain.leave_reflection(
            by=request.user,
            entry_type=entry_type,
            entry_id=entry.pk,
            text=request.POST.get("text", ""),
            request=request,
        )
    except domain.ReflectionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Reflection left. The client sees it with the entry."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = f"/clients/{client.pk}/"
    return redirect(target)
