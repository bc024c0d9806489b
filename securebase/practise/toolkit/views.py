"""Toolkit pages for the client: breathing, grounding, rituals, reframes, requests, what helped."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from securebase.care import policy
from securebase.core.saving import add_refusal, render_form, save_new
from securebase.practise.models import Reframe, Request, Ritual, ToolUse
from securebase.practise.toolkit import domain
from securebase.practise.toolkit.forms import (
    REUSED,
    BreathingLogForm,
    EditRitualForm,
    HowItWentForm,
    NewRitualForm,
    ReframeForm,
    RequestForm,
    ToolUseForm,
)
from securebase.safety.flags import support


def _own_list(request, client, model, kind, order="-created_at"):
    return domain.entries_for(request.user, client, model, kind, order=order, request=request)


def _new_own(request, form_class, create, *, template, saved, done, context=None):
    """A new entry of the client's own (a ritual, a reframe, a request): the form, shared as the
    client chooses by default; a valid POST saves it through ``create`` (the domain's), then shows
    the support page if it raised a risk flag, else says ``saved`` and goes to ``done(entry)``."""
    client = policy.get_own_record_for(request.user)
    form = form_class(request.POST or None, initial={"shared": client.shares_by_default})
    if request.method == "POST" and form.is_valid():
        entry = save_new(request, form, create, client, data=form.cleaned_data, reused=REUSED)
        if entry:
            if raised := support.answer_saved_entry(request, entry, continue_url=done(entry)):
                return raised
            messages.success(request, saved)
            return redirect(done(entry))
    return render_form(request, template, {"form": form, **(context or {})})


@login_required
def toolkit_home(request):
    client = policy.get_own_record_for(request.user)
    helped = domain.read_what_helped(request.user, client, request=request)
    tools = [
        {"code": t.value, "label": t.label, **helped.get(t.value, {"uses": 0, "mean_drop": None})}
        for t in (
            ToolUse.Tool.BREATHING,
            ToolUse.Tool.GROUNDING,
            ToolUse.Tool.RITUAL,
            ToolUse.Tool.REFRAME,
            ToolUse.Tool.REQUEST,
        )
    ]
    links = {
        "breathing": "toolkit_breathing",
        "grounding": "toolkit_grounding",
        "ritual": "rituals",
        "reframe": "reframes",
        "request": "requests",
    }
    for tool in tools:
        tool["url_name"] = links[tool["code"]]
    return render(request, "practise/toolkit/home.html", {"tools": tools})


def _log_use(request, client, form, tool, detail=None, ritual=None):
    data = {**form.cleaned_data, "tool": tool, "detail": detail or {}, "ritual": ritual}
    return save_new(request, form, domain.log_tool_use, client, data=data, reused=REUSED)


@login_required
@require_http_methods(["GET", "POST"])
def breathing(request):
    """The pacer; ``?pattern=`` picks the pattern and ``?holds=skip`` starts with the holds at 0."""
    client = policy.get_own_record_for(request.user)
    chosen = request.GET.get("pattern")
    if chosen not in domain.PATTERNS:
        chosen = "box"
    skip_holds = request.GET.get("holds") == "skip"
    phases = domain.PATTERNS[chosen]["phases"]
    seconds = domain.without_holds(phases) if skip_holds else list(phases)
    form = BreathingLogForm(
        request.POST or None,
        initial={
            "shared": client.shares_by_default,
            "pattern": chosen,
            "seconds": ",".join(map(str, seconds)),
        },
    )
    if request.method == "POST" and form.is_valid():
        use = _log_use(request, client, form, ToolUse.Tool.BREATHING, form.cleaned_data["detail"])
        if use:
            if raised := support.answer_saved_entry(
                request, use, continue_url=reverse("toolkit_home")
            ):
                return raised
            messages.success(request, _("Logged. Thank you for taking the time to breathe."))
            return redirect("toolkit_home")
    patterns = [
        {"code": code, "label": p["label"], "phases": p["phases"]}
        for code, p in domain.PATTERNS.items()
    ]
    context = {
        "form": form,
        "patterns": patterns,
        "chosen": chosen,
        "seconds": seconds,
        "holds_note": domain.has_holds(phases),
        "skip_holds": skip_holds,
    }
    return render_form(request, "practise/toolkit/breathing.html", context, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def grounding(request):
    """One step per screen (?step=1…5), then a log form: works without JavaScript."""
    client = policy.get_own_record_for(request.user)
    try:
        step = int(request.GET.get("step", "1"))
    except ValueError:
        step = 1
    total = len(domain.GROUNDING_STEPS)
    step = min(max(step, 1), total + 1)
    form = ToolUseForm(request.POST or None, initial={"shared": client.shares_by_default})
    if request.method == "POST":
        step = total + 1
        use = form.is_valid() and _log_use(request, client, form, ToolUse.Tool.GROUNDING)
        if use:
            if raised := support.answer_saved_entry(
                request, use, continue_url=reverse("toolkit_home")
            ):
                return raised
            messages.success(request, _("Logged. Well done for grounding yourself."))
            return redirect("toolkit_home")
    context = {"form": form, "step": step, "total": total, "done": step > total}
    if step <= total:
        context["count"], context["prompt"] = domain.GROUNDING_STEPS[step - 1]
        context["next_step"] = step + 1
    return render_form(request, "practise/toolkit/grounding.html", context, form=form)


# --- rituals -------------------------------------------------------------------------------------


@login_required
def rituals(request):
    client = policy.get_own_record_for(request.user)
    items = _own_list(request, client, Ritual, "rituals", order="created_at")
    return render(request, "practise/toolkit/rituals.html", {"rituals": items})


@login_required
@require_http_methods(["GET", "POST"])
def ritual_new(request):
    return _new_own(
        request,
        NewRitualForm,
        domain.add_ritual,
        template="practise/toolkit/ritual_form.html",
        context={"is_new": True},
        saved=_("Ritual saved."),
        done=lambda ritual: reverse("rituals"),
    )


def _ritual(request, ritual_id, purpose: str) -> Ritual:
    """The client's own ritual (404 otherwise). A page that shows it (a GET) is audited as
    opened for ``purpose``; a save is audited by the domain."""
    if request.method == "GET":
        return domain.get_ritual_for(request.user, ritual_id, purpose=purpose, request=request)
    return policy.get_own_entry(request.user, Ritual, ritual_id)


@login_required
@require_http_methods(["GET", "POST"])
def ritual_edit(request, ritual_id):
    ritual = _ritual(request, ritual_id, "edit")
    initial = {
        n: getattr(ritual, n) for n in ("name", "steps", "when_it_helps", "shared", "archived")
    }
    form = EditRitualForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            domain.update_ritual(ritual, by=request.user, data=form.cleaned_data, request=request)
        except domain.ToolkitError as exc:
            add_refusal(form, exc)
        else:
            if raised := support.answer_saved_entry(
                request, ritual, continue_url=reverse("rituals")
            ):
                return raised
            messages.success(request, _("Changes saved."))
            return redirect("rituals")
    return render_form(
        request,
        "practise/toolkit/ritual_form.html",
        {"form": form, "is_new": False, "ritual": ritual},
    )


@login_required
@require_http_methods(["GET", "POST"])
def ritual_use(request, ritual_id):
    ritual = _ritual(request, ritual_id, "use")
    client = ritual.client
    form = ToolUseForm(request.POST or None, initial={"shared": client.shares_by_default})
    if request.method == "POST" and form.is_valid():
        use = _log_use(request, client, form, ToolUse.Tool.RITUAL, ritual=ritual)
        if use:
            if raised := support.answer_saved_entry(
                request, use, continue_url=reverse("toolkit_home")
            ):
                return raised
            messages.success(request, _("Logged."))
            return redirect("toolkit_home")
    return render_form(
        request, "practise/toolkit/ritual_use.html", {"form": form, "ritual": ritual}
    )


# --- reframes ------------------------------------------------------------------------------------


@login_required
def reframes(request):
    client = policy.get_own_record_for(request.user)
    items = _own_list(request, client, Reframe, "reframes")
    return render(request, "practise/toolkit/reframes.html", {"reframes": items})


@login_required
@require_http_methods(["GET", "POST"])
def reframe_new(request):
    return _new_own(
        request,
        ReframeForm,
        domain.log_reframe,
        template="practise/toolkit/reframe_form.html",
        saved=_("Reframing record saved."),
        done=lambda reframe: reverse("reframes"),
    )


# --- requests and boundaries ---------------------------------------------------------------------


@login_required
def requests_list(request):
    client = policy.get_own_record_for(request.user)
    items = _own_list(request, client, Request, "requests")
    return render(request, "practise/toolkit/requests.html", {"requests": items})


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request):
    return _new_own(
        request,
        RequestForm,
        domain.plan_request,
        template="practise/toolkit/request_form.html",
        saved=_("Saved. Rehearse it, then come back to say how it went."),
        done=lambda req: reverse("request_detail", args=[req.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request, request_id):
    if request.method == "GET":
        req = domain.get_request_for(request.user, request_id, request=request)
    else:
        req = policy.get_own_entry(request.user, Request, request_id)
    form = HowItWentForm(request.POST or None, initial={"how_it_went": req.how_it_went})
    if request.method == "POST" and form.is_valid():
        try:
            domain.record_how_it_went(
                req, by=request.user, how_it_went=form.cleaned_data["how_it_went"], request=request
            )
        except domain.ToolkitError as exc:
            form.add_error("how_it_went", str(exc))
        else:
            if raised := support.answer_saved_entry(
                request, req, continue_url=reverse("request_detail", args=[req.pk])
            ):
                return raised
            messages.success(request, _("Thank you. Asking is brave, however it went."))
            return redirect("request_detail", request_id=req.pk)
    return render_form(request, "practise/toolkit/request_detail.html", {"req": req, "form": form})
