"""Attachment-ladder pages: the client builds and climbs; the care team builds and reads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from securebase.care import policy
from securebase.care.models import Client
from securebase.core.saving import StaleNotice, render_form, save_edit, save_new
from securebase.practise.journal.domain import emotions_of
from securebase.practise.ladder import domain
from securebase.practise.ladder.forms import (
    STEP_ROWS,
    AttemptForm,
    EditLadderForm,
    NewLadderForm,
    ladder_initial,
)
from securebase.practise.models import Attempt
from securebase.practise.reflections import domain as reflections
from securebase.safety.flags import support
from securebase.understand.vocabulary import EMOTIONS

STALE = StaleNotice(
    message=gettext_lazy(
        "This ladder was changed elsewhere in the meantime. Nothing was overwritten; your "
        "changes are still in the form. Save again to keep them."
    ),
    show="practise/ladder/_ladder_summary.html",
    shown=lambda refused: {
        "ladder": refused.current,
        "steps": domain.steps_of(refused.current),
    },
)

REUSED = gettext_lazy(
    "This form was already sent with different answers. The first one was kept; reload the "
    "page to add another."
)


def _urls(item, *, own: bool) -> dict:
    if own:
        return {"detail": f"/home/ladders/{item.pk}/", "edit": f"/home/ladders/{item.pk}/edit/"}
    base = f"/clients/{item.client_id}/ladders/{item.pk}/"
    return {"detail": base, "edit": f"{base}edit/"}


def _list(request, client, *, own: bool):
    ladders = domain.ladders_for(request.user, client, request=request)
    return render(
        request,
        "practise/ladder/ladders.html",
        {
            "client": client,
            "own": own,
            "ladders": [(item, _urls(item, own=own)) for item in ladders],
            "new_url": "/home/ladders/new/" if own else f"/clients/{client.pk}/ladders/new/",
        },
    )


def _new(request, client, *, own: bool):
    form = NewLadderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = save_new(
            request, form, domain.create_ladder, client, data=form.cleaned_data, reused=REUSED
        )
        if item is not None:
            messages.success(request, _("Ladder saved."))
            return redirect(_urls(item, own=own)["detail"])
    back = "/home/ladders/" if own else f"/clients/{client.pk}/ladders/"
    return render_form(
        request,
        "practise/ladder/ladder_form.html",
        {"form": form, "is_new": True, "client": client, "own": own, "back": back},
    )


def _edit(request, ladder_id, *, of: Client, own: bool):
    if request.method == "GET":
        item = domain.get_ladder_for(
            request.user, ladder_id, of=of, request=request, detail={"for": "edit"}
        )
    else:
        item = policy.get_ladder_for(request.user, ladder_id, of=of)
    rows = max(STEP_ROWS, item.steps.count() + 2)
    stale = None
    if request.method == "POST":
        form = EditLadderForm(request.POST, rows=rows)
        if form.is_valid():
            edit = save_edit(
                request,
                form,
                domain.update_ladder,
                item,
                data=form.cleaned_data,
                form_kwargs={"rows": rows},
                stale=STALE,
            )
            form, stale = edit.form, edit.stale
            if edit.done:
                messages.success(request, _("Changes saved."))
                return redirect(_urls(item, own=own)["detail"])
    else:
        form = EditLadderForm(initial=ladder_initial(item), rows=rows)
    return render_form(
        request,
        "practise/ladder/ladder_form.html",
        {
            "form": form,
            "is_new": False,
            "ladder": item,
            "client": item.client,
            "own": own,
            "back": _urls(item, own=own)["detail"],
            "stale": stale,
        },
    )


def _detail(request, ladder_id, *, of: Client, own: bool):
    item = domain.get_ladder_for(request.user, ladder_id, of=of, request=request)
    view = domain.overview(request.user, item)
    attempts = [attempt for row in view["rows"] for attempt in row["attempts"]]
    found = reflections.reflections_for(request.user, "attempt", attempts)  # one query
    unseen = []
    for row in view["rows"]:
        for attempt in row["attempts"]:
            attempt.reflections = found.get(attempt.pk, [])
            attempt.has_new_reflection = own and any(r.seen_at is None for r in attempt.reflections)
            if attempt.has_new_reflection:
                unseen.append(attempt)
            attempt.reflect_next = f"{_urls(item, own=own)['detail']}#attempt-{attempt.pk}"
            attempt.journal_entries = [
                {
                    "text": entry.text,
                    "emotions": [
                        {
                            "name": str(EMOTIONS.get(e["name"], e["name"])),
                            "intensity": e["intensity"],
                        }
                        for e in emotions_of(entry)
                    ],
                }
                for entry in attempt.journal.all()
                if own or entry.shared
            ]
    if unseen:
        reflections.mark_seen(request.user, "attempt", unseen)
    return render(
        request,
        "practise/ladder/ladder_detail.html",
        {
            **view,
            "client": item.client,
            "own": own,
            "urls": _urls(item, own=own),
            "back": "/home/ladders/" if own else f"/clients/{item.client_id}/ladders/",
            "chart_height": 40 * max(1, len(view["rows"])) + 30,
        },
    )


# --- the client ---------------------------------------------------------------------------------


@login_required
def my_ladders(request):
    return _list(request, policy.get_own_record_for(request.user), own=True)


@login_required
@require_http_methods(["GET", "POST"])
def ladder_new(request):
    return _new(request, policy.get_own_record_for(request.user), own=True)


@login_required
def ladder_detail(request, ladder_id):
    return _detail(request, ladder_id, of=policy.get_own_record_for(request.user), own=True)


@login_required
@require_http_methods(["GET", "POST"])
def ladder_edit(request, ladder_id):
    return _edit(request, ladder_id, of=policy.get_own_record_for(request.user), own=True)


@login_required
@require_http_methods(["GET", "POST"])
def attempt_new(request, step_id):
    client = policy.get_own_record_for(request.user)
    step = policy.get_ladder_step_for(request.user, step_id, of=client)
    form = AttemptForm(request.POST or None, initial={"shared": client.shares_by_default})
    if request.method == "POST" and form.is_valid():
        attempt = save_new(
            request, form, domain.record_attempt, step, data=form.cleaned_data, reused=REUSED
        )
        if attempt is not None:
            at_attempt = f"/home/ladders/{step.ladder_id}/#attempt-{attempt.pk}"
            if answer := support.answer_saved_entry(
                request, attempt, client=client, continue_url=at_attempt
            ):
                return answer
            messages.success(request, _("Attempt saved. Well done for trying."))
            return redirect(f"/home/ladders/{step.ladder_id}/#step-{step.pk}")
    return render_form(
        request,
        "practise/ladder/attempt_form.html",
        {"form": form, "step": step, "ladder": step.ladder, "rule": domain.rule_text(step.ladder)},
    )


@login_required
@require_POST
def attempt_share(request, attempt_id):
    attempt = support.share_own_entry(request, Attempt, attempt_id, domain.set_attempt_shared)
    return redirect(f"/home/ladders/{attempt.step.ladder_id}/#attempt-{attempt.pk}")


# --- the care team -------------------------------------------------------------------------------


@login_required
def client_ladders(request, client_id):
    return _list(request, policy.get_client_for_care_team(request.user, client_id), own=False)


@login_required
@require_http_methods(["GET", "POST"])
def client_ladder_new(request, client_id):
    return _new(request, policy.get_client_for_care_team(request.user, client_id), own=False)


@login_required
def client_ladder_detail(request, client_id, ladder_id):
    client = policy.get_client_for_care_team(request.user, client_id)
    return _detail(request, ladder_id, of=client, own=False)


@login_required
@require_http_methods(["GET", "POST"])
def client_ladder_edit(request, client_id, ladder_id):
    client = policy.get_client_for_care_team(request.user, client_id)
    return _edit(request, ladder_id, of=client, own=False)
