"""The pause skill pages: the client pauses and rates again; the care team reads shared pauses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from securebase.audit.log import Action, record
from securebase.care import policy
from securebase.core.idempotency import SubmissionKeyReused
from securebase.practise.models import Pause
from securebase.practise.pause import domain
from securebase.practise.pause.forms import PauseForm, RateAgainForm
from securebase.safety.flags import support


def _own_client(request):
    client = policy.client_record_of(request.user)
    if client is None:
        raise Http404
    return client


def _list(request, client, template, extra=None):
    pauses = domain.decorate(
        list(
            policy.entries_visible_to(request.user, client, Pause.objects).order_by("-created_at")[
                : domain.PAUSES_LIMIT
            ]
        )
    )
    record(
        actor=request.user,
        action=Action.LIST,
        object_type="pauses",
        object_id=client.pk,
        client=client,
        request=request,
        detail={"count": len(pauses)},
    )
    return render(request, template, {"client": client, "pauses": pauses, **(extra or {})})


@login_required
@require_http_methods(["GET", "POST"])
def pause_new(request):
    client = _own_client(request)
    form = PauseForm(
        request.POST or None,
        next_choices=domain.next_step_choices(client),
        initial={"shared": client.shares_by_default},
    )
    if request.method == "POST" and form.is_valid():
        try:
            pause, _created = domain.log_pause(
                client,
                by=request.user,
                data=form.cleaned_data,
                submission_id=form.cleaned_data["submission_id"],
                request=request,
            )
        except domain.PauseError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        except SubmissionKeyReused:
            form.add_error(
                None,
                _(
                    "This pause was already sent with different answers. Your first pause "
                    "was kept; reload the page to start another."
                ),
            )
        else:
            if support.risk_raised(pause):
                return support.render_support(
                    request,
                    client,
                    private_entry=not pause.shared,
                    continue_url=reverse("pause_detail", args=[pause.pk]),
                )
            if overwhelm := domain.overwhelm(pause):
                return support.render_grounding_offer(
                    request,
                    overwhelm=overwhelm,
                    shared=pause.shared,
                    continue_url=reverse("pause_detail", args=[pause.pk]),
                )
            messages.success(request, _("Pause saved. Well done for stopping to notice."))
            return redirect("pause_detail", pause_id=pause.pk)
    return render(
        request,
        "practise/pause/pause_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def my_pauses(request):
    return _list(request, _own_client(request), "practise/pause/my_pauses.html")


@login_required
@require_http_methods(["GET", "POST"])
def pause_detail(request, pause_id):
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
    if request.method == "GET":
        record(
            actor=request.user,
            action=Action.READ,
            object_type="pause",
            object_id=pause.pk,
            client=pause.client,
            request=request,
        )
    domain.decorate([pause])
    return render(
        request,
        "practise/pause/pause_detail.html",
        {"pause": pause, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def pause_share(request, pause_id):
    pause = policy.get_own_entry(request.user, Pause, pause_id)
    shared = request.POST.get("shared") == "1"
    domain.set_shared(pause, by=request.user, shared=shared, request=request)
    messages.success(
        request, _("Now shared with your care team.") if shared else _("Now private to you.")
    )
    return redirect("pause_detail", pause_id=pause.pk)


@login_required
def client_pauses(request, client_id):
    """The pauses a client shared."""
    client = policy.get_client_for_care_team(request.user, client_id)
    return _list(request, client, "practise/pause/client_pauses.html")
