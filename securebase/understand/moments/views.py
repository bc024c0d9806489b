"""Moments pages: the client logs and keeps them; the care team reads the shared ones."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from securebase.care import policy
from securebase.core.saving import StaleNotice, render_form, save_edit, save_new
from securebase.practise.reflections import domain as reflections
from securebase.safety.flags import support
from securebase.understand.models import Moment
from securebase.understand.moments import domain
from securebase.understand.moments.forms import (
    EditMomentForm,
    MomentFilterForm,
    NewMomentForm,
    initial_from,
)
from securebase.understand.people.domain import people_for_choice
from securebase.understand.vocabulary import BODY_CUES, EMOTIONS, RESPONSES

REUSED = gettext_lazy(
    "This form was already sent with different answers. Your first moment was kept; reload the "
    "page to log another."
)

STALE = StaleNotice(
    message=gettext_lazy(
        "This moment was changed on another device. Nothing was overwritten: the saved version is "
        "shown above, and your changes are still in the form."
    ),
    show="understand/moments/_summary.html",
    shown=lambda refused: {"moment": _decorate([refused.current])[0]},
    solo=True,  # only the client edits their moments
)


def _people(client):
    return list(people_for_choice(client))


def _decorate(moments):
    """Attach what the templates show: emotions, and the labels of cues and responses."""
    for moment in moments:
        moment.emotions = [
            {"name": str(EMOTIONS.get(e["name"], e["name"])), "intensity": e["intensity"]}
            for e in domain.emotions_of(moment)
        ]
        moment.cue_labels = [BODY_CUES[c] for c in moment.body_cues if c in BODY_CUES]
        moment.response_labels = [RESPONSES[c] for c in moment.responses if c in RESPONSES]
    return moments


def _attach_reflections(user, moments):
    """Give each moment its ``reflections`` (a query only when some moment has any)."""
    with_any = [m for m in moments if getattr(m, "has_reflections", False)]
    found = reflections.reflections_for(user, "moment", with_any) if with_any else {}
    for moment in moments:
        moment.reflections = found.get(moment.pk, [])
    return moments


def _mark_reflections_seen(user, moments) -> None:
    """The client reads their moments: reflections shown count as seen (still marked new now)."""
    unseen = []
    for moment in moments:
        moment.has_new_reflection = any(r.seen_at is None for r in moment.reflections)
        if moment.has_new_reflection:
            unseen.append(moment)
    if unseen:
        reflections.mark_seen(user, "moment", unseen)


# --- the client ---------------------------------------------------------------------------------


@login_required
def my_moments(request):
    client = policy.get_own_record_for(request.user)
    moments = _decorate(domain.moments_for(request.user, client, request=request))
    _attach_reflections(request.user, moments)
    _mark_reflections_seen(request.user, moments)
    return render(
        request, "understand/moments/my_moments.html", {"client": client, "moments": moments}
    )


@login_required
@require_http_methods(["GET", "POST"])
def moment_new(request):
    client = policy.get_own_record_for(request.user)
    people = _people(client)
    initial = {"shared": client.shares_by_default}
    form = NewMomentForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        moment = save_new(
            request, form, domain.log_moment, client, data=form.cleaned_data, reused=REUSED
        )
        if moment is not None:
            offer = {"overwhelm": domain.overwhelm, "clear_draft": "moment-new"}
            detail = f"/home/moments/{moment.pk}/"
            if answer := support.answer_saved_entry(request, moment, continue_url=detail, **offer):
                return answer
            # Said for a retry too: after a double tap the browser keeps only the last
            # response, so the first one's confirmation never reaches the page.
            messages.success(request, _("Moment saved."))
            return redirect(f"/home/moments/{moment.pk}/?saved=moment-new")
    return render_form(
        request,
        "understand/moments/moment_form.html",
        {"form": form, "is_new": True, "draft_key": "moment-new"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def moment_detail(request, moment_id):
    if request.method == "GET":
        moment = domain.moment_for(request.user, moment_id, own=True, request=request)
    else:
        moment = policy.get_own_entry(request.user, Moment, moment_id)
    client = moment.client
    people = _people(client)
    stale = None
    if request.method == "POST":
        form = EditMomentForm(request.POST, people=people)
        if form.is_valid():
            edit = save_edit(
                request,
                form,
                domain.update_moment,
                moment,
                data=form.cleaned_data,
                form_kwargs={"people": people},
                stale=STALE,
            )
            form, stale = edit.form, edit.stale
            if edit.done:
                detail, draft = f"/home/moments/{moment.pk}/", f"moment-{moment.pk}"
                if answer := support.answer_saved_entry(
                    request, edit.saved, client=client, continue_url=detail, clear_draft=draft
                ):
                    return answer
                messages.success(request, _("Changes saved."))
                return redirect("moment_detail", moment_id=moment.pk)
    else:
        form = EditMomentForm(initial=initial_from(moment), people=people)
    _decorate([moment])
    return render_form(
        request,
        "understand/moments/moment_form.html",
        {
            "form": form,
            "is_new": False,
            "moment": moment,
            "stale": stale,
            "draft_key": f"moment-{moment.pk}",
            "clear_draft": request.GET.get("saved", ""),
        },
    )


@login_required
@require_POST
def moment_share(request, moment_id):
    support.share_own_entry(request, Moment, moment_id, domain.set_shared)
    return redirect(request.POST.get("next") or "my_moments")


# --- the care team -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def client_moments(request, client_id):
    """The moments a client shared, filterable by person, trigger, feeling and response. The
    filter is sent by POST: a trigger's words never enter a URL (history, server logs)."""
    client = policy.get_client_for_care_team(request.user, client_id)
    people = [p for p in _people(client) if p.shared]
    form = MomentFilterForm(request.POST or None, people=people)
    filters = form.cleaned_data if form.is_valid() else None
    visible = _decorate(domain.moments_for(request.user, client, filters=filters, request=request))
    _attach_reflections(request.user, visible)
    for moment in visible:
        moment.reflect_next = f"/clients/{client.pk}/moments/#moment-{moment.pk}"
    return render(
        request,
        "understand/moments/client_moments.html",
        {"client": client, "moments": visible, "form": form},
    )


@login_required
@require_POST
def moment_discuss(request, client_id, moment_id):
    client = policy.get_client_for_care_team(request.user, client_id)
    moment = policy.get_entry_for_user(request.user, Moment, moment_id, of=client)
    domain.mark_to_discuss(
        moment, by=request.user, to_discuss=request.POST.get("value") == "1", request=request
    )
    return redirect(f"/clients/{client.pk}/moments/#moment-{moment.pk}")
