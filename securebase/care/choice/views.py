"""The client's own choices: pause and resume the programme, what is shared, and the export of
their record. Client pages only: anyone without a client record of their own gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from securebase.care import export, policy
from securebase.care.choice import domain as choice
from securebase.care.forms import PastEntriesSharingForm, SharingDefaultForm


def _back(request, default: str):
    """Back to the page the button was on (our own pages only), else ``default``."""
    target = request.POST.get("next", "")
    return redirect(target if target in ("client_home", "client_preferences") else default)


@login_required
@require_POST
def programme_pause(request):
    client = policy.get_own_record_for(request.user)
    choice.pause_programme(client, by=request.user, request=request)
    messages.success(
        request,
        _("Your programme is paused. Nothing is due and no reminders are sent until you resume."),
    )
    return _back(request, "client_home")


@login_required
@require_POST
def programme_resume(request):
    client = policy.get_own_record_for(request.user)
    choice.resume_programme(client, by=request.user, request=request)
    messages.success(request, _("Welcome back. Your programme has resumed."))
    return _back(request, "client_home")


@login_required
@require_GET
def my_sharing(request):
    """Each kind of entry with how many are shared and private, and the default for new ones."""
    client = policy.get_own_record_for(request.user)
    rows = choice.sharing_of(client, by=request.user, request=request)
    default_form = SharingDefaultForm(
        initial={"shares_by_default": "1" if client.shares_by_default else "0"}
    )
    return render(
        request,
        "care/choice/sharing.html",
        {"client": client, "rows": rows, "default_form": default_form},
    )


@login_required
@require_POST
def my_sharing_past(request):
    client = policy.get_own_record_for(request.user)
    form = PastEntriesSharingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a kind of entry from the list."))
        return redirect("my_sharing")
    kind = choice.SHARING_BY_KEY[form.cleaned_data["kind"]]
    shared = form.cleaned_data["shared"]
    changed = choice.set_sharing_of_past_entries(
        client, by=request.user, kind=kind.key, shared=shared, request=request
    )
    if shared:
        text = ngettext(
            "%(kind)s: %(n)d more entry is now shared with your care team.",
            "%(kind)s: %(n)d more entries are now shared with your care team.",
            changed,
        )
    else:
        text = ngettext(
            "%(kind)s: %(n)d more entry is now private to you.",
            "%(kind)s: %(n)d more entries are now private to you.",
            changed,
        )
    messages.success(request, text % {"kind": kind.label, "n": changed})
    return redirect("my_sharing")


@login_required
@require_POST
def my_sharing_default(request):
    client = policy.get_own_record_for(request.user)
    form = SharingDefaultForm(request.POST)
    if form.is_valid():
        choice.set_sharing_default(
            client,
            by=request.user,
            shares_by_default=form.cleaned_data["shares_by_default"],
            request=request,
        )
        messages.success(request, _("Your choice for new entries is saved."))
    else:
        messages.error(request, _("Choose private or shared for new entries."))
    return redirect("my_sharing")


@login_required
@require_GET
def my_export(request):
    """What the export holds, and the button to download it."""
    client = policy.get_own_record_for(request.user)
    return render(request, "care/choice/export.html", {"client": client})


@login_required
@require_GET
def my_export_download(request):
    client = policy.get_own_record_for(request.user)
    payload = export.export_json(client, by=request.user, request=request)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.filename(client)}"'
    response["Cache-Control"] = "no-store"
    return response
