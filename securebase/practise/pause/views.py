"""The pause skill pages: the client pauses and rates again; the care team reads shared pauses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from securebase.care import policy
from securebase.core.saving import render_form, save_new
from securebase.practise.models import Pause
from securebase.practise.pause import domain
from securebase.practise.pause.forms import PauseForm, RateAgainForm
from securebase.safety.flags import support

REUSED = gettext_lazy(
    "This pause was already sent with different answers. Your first pause was kept; reload the "
    "page to start another."
)


def _list(request, client, template, extra=None):
    pauses = domain.pauses_for(request.user, client, request=request)
    return render(request, template, {"client": client, "pauses": pauses, **(extra or {})})


@login_required
@require_http_methods(["GET", "POST"])
def pause_new(request):
    client = policy.get_own_record_for(request.user)
    form = PauseForm(
        request.POST or None,
        next_choices=domain.next_step_choices(client),
        initial={"shared": client.shares_by_default},
    )
    if request.method == "POST" and form.is_valid():
        pause = save_new(
            request, form, domain.log_pause, client, data=form.cleaned_data, reused=REUSED
        )
        if pause is not None:
            detail = reverse("pause_detail", args=[pause.pk])
            if answer := support.answer_saved_entry(
                request, pause, client=client, continue_url=detail, overwhelm=domain.overwhelm
            ):
                return answer
            messages.success(request, _("Pause saved. Well done for stopping to notice."))
            return redirect(detail)
    return render_form(request, "practise/pause/pause_form.html", {"form": form})


@login_required
def my_pauses(request):
    return _list(request, policy.get_own_record_for(request.user), "practise/pause/my_pauses.html")


@login_required
@require_http_methods(["GET", "POST"])
def pause_detail(request, pause_id):
    if request.method == "GET":
        pause = domain.read_pause(request.user, pause_id, request=request)
    else:
        pause = policy.get_own_entry(request.user, Pause, pause_id)
    form = RateAgainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.rate_again(
                pause,
                by=request.user,
                intensity_after=form.cleaned_data["intensity_after"],
                request=request,
            )
        except domain.PauseError as exc:
            form.add_error("intensity_after", str(exc))
        else:
            messages.success(request, _("Thank you. Noticing the change is part of the skill."))
            return redirect("pause_detail", pause_id=pause.pk)
    domain.decorate([pause])
    return render_form(request, "practise/pause/pause_detail.html", {"pause": pause, "form": form})


@login_required
@require_POST
def pause_share(request, pause_id):
    pause = support.share_own_entry(request, Pause, pause_id, domain.set_shared)
    return redirect("pause_detail", pause_id=pause.pk)


@login_required
def client_pauses(request, client_id):
    """The pauses a client shared."""
    client = policy.get_client_for_care_team(request.user, client_id)
    return _list(request, client, "practise/pause/client_pauses.html")
