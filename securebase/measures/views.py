"""Measures pages: the clinician's results and assignments, the client's questionnaires."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from securebase.care import policy
from securebase.measures import definitions, domain, fhir, scoring
from securebase.measures import targets as target_names
from securebase.measures.forms import AssignForm
from securebase.measures.models import Administration
from securebase.measures.presentation import instrument_panels
from securebase.measures.targets import target_label
from securebase.safety.flags import support as safety_support

# --- clinician ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def client_measures(request, client_id):
    """Every measure's history for one client, reliable change, the plane, and assigning."""
    client = policy.get_client_for_care_team(request.user, client_id)
    form = AssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.assign(
                by=request.user,
                client=client,
                key=form.cleaned_data["instrument"],
                schedule=form.cleaned_data["schedule"],
                targets=form.chosen_targets(),
                request=request,
            )
        except domain.MeasureError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Measure assigned. The client sees it on their home page."))
            return redirect("client_measures", client_id=client.pk)
    results = domain.results_for(request.user, client, request=request)
    context = {
        "client": client,
        "form": form,
        "panels": instrument_panels(results.scores, language=client.language, names=results.names),
        "assignments": results.assignments,
        "alerts": results.alerts,
        "catalogue": domain.catalogue(client.language),
    }
    return render(request, "measures/client_measures.html", context)


# --- client -------------------------------------------------------------------------------------


@login_required
def my_measures(request):
    """The client's questionnaires to fill in now, and their results so far."""
    results = domain.my_results(request.user, request=request)
    panels = instrument_panels(
        results.scores, language=results.client.language, names=results.names
    )
    return render(
        request,
        "measures/my_measures.html",
        {"client": results.client, "due": results.due, "panels": panels},
    )


@login_required
@require_POST
def start(request, assignment_id):
    assignment = policy.get_own_assignment(request.user, assignment_id)
    administration = domain.start_or_resume(
        client=assignment.client, assignment=assignment, by=request.user, request=request
    )
    return redirect(_question_url(administration, _first_open_step(administration)))


def _steps(administration) -> list[tuple[str, int]]:
    definition = definitions.get(administration.instrument_key)
    return [
        (target, n)
        for target in domain.targets_of(administration)
        for n in range(1, definition.item_count + 1)
    ]


def _first_open_step(administration) -> int:
    answers = domain.answers_of(administration)
    for index, (target, n) in enumerate(_steps(administration)):
        if str(n) not in answers.get(target, {}):
            return index
    return len(_steps(administration))


def _question_url(administration, step: int) -> str:
    base = reverse("measure_answer", args=[administration.pk])
    return f"{base}?step={step}"


def _choices(definition, number):
    scale = definition.scale_of(number)
    out = []
    for value in range(scale.min, scale.max + 1):
        if value == scale.min and scale.min_label:
            caption = f"{value} — {_(scale.min_label)}"
        elif value == scale.max and scale.max_label:
            caption = f"{value} — {_(scale.max_label)}"
        else:
            caption = str(value)
        out.append((value, caption))
    return out


@login_required
@require_http_methods(["GET", "POST"])
def answer(request, administration_id):
    """One question per screen (or all at once with ?all=1); every answer is kept as sent."""
    administration = policy.get_own_administration(request.user, administration_id)
    if administration.status == Administration.Status.COMPLETED:
        return redirect("my_measures")
    definition = definitions.get(administration.instrument_key)
    texts = domain.item_texts(definition, administration.client.language)
    if texts is None:
        raise Http404
    steps = _steps(administration)
    if request.GET.get("all") == "1":
        return _answer_all(request, administration, definition, texts, steps)
    try:
        step = max(0, min(int(request.GET.get("step", 0)), len(steps)))
    except ValueError:
        step = 0
    if step >= len(steps):
        return redirect("measure_review", administration_id=administration.pk)
    target, number = steps[step]
    error = ""
    if request.method == "POST":
        raw = request.POST.get("value", "")
        try:
            value = int(raw)
            administration = domain.save_answer(
                administration=administration,
                target=target,
                item=number,
                value=value,
                by=request.user,
                request=request,
            )
        except (ValueError, scoring.ScoringError, domain.MeasureError):
            error = _("Choose one of the answers to go on.")
        else:
            following = _question_url(administration, step + 1)
            if request.headers.get("X-Answer-Script"):  # answers.js goes there itself: one load
                return JsonResponse({"next": following})
            return redirect(following)
    current = domain.answers_of(administration).get(target, {}).get(str(number))
    names = target_names.labels_for(administration.client_id, [target])
    context = {
        "administration": administration,
        "definition": definition,
        "timeframe": _(definition.timeframe) if definition.timeframe else "",
        "text": texts.get(number) or _("Question %(n)s") % {"n": number},
        "number": number,
        "target": target,
        "target_label": target_label(target, names) if target else "",
        "choices": _choices(definition, number),
        "current": current,
        "step": step,
        "position": step + 1,
        "total": len(steps),
        "previous_url": _question_url(administration, step - 1) if step > 0 else "",
        "error": error,
        "all_url": reverse("measure_answer", args=[administration.pk]) + "?all=1",
    }
    return render(request, "measures/answer.html", context, status=400 if error else 200)


def _answer_all(request, administration, definition, texts, steps):
    errors = False
    if request.method == "POST":
        for target, number in steps:
            raw = request.POST.get(f"{target}:{number}", "")
            if raw == "":
                continue
            try:
                administration = domain.save_answer(
                    administration=administration,
                    target=target,
                    item=number,
                    value=int(raw),
                    by=request.user,
                    request=request,
                )
            except (ValueError, scoring.ScoringError, domain.MeasureError):
                errors = True
        if not errors and not domain.unanswered(administration):
            return redirect("measure_review", administration_id=administration.pk)
        errors = True
    answers = domain.answers_of(administration)
    names = target_names.labels_for(administration.client_id, domain.targets_of(administration))
    groups = []
    for target in domain.targets_of(administration):
        questions = []
        for number in range(1, definition.item_count + 1):
            questions.append(
                {
                    "name": f"{target}:{number}",
                    "number": number,
                    "text": texts.get(number) or _("Question %(n)s") % {"n": number},
                    "choices": _choices(definition, number),
                    "current": answers.get(target, {}).get(str(number)),
                }
            )
        groups.append(
            {
                "target": target,
                "label": target_label(target, names) if target else "",
                "questions": questions,
            }
        )
    context = {
        "administration": administration,
        "definition": definition,
        "timeframe": _(definition.timeframe) if definition.timeframe else "",
        "groups": groups,
        "errors": errors,
        "answered": sum(len(a) for a in answers.values()),
        "total": len(steps),
        "one_by_one_url": _question_url(administration, _first_open_step(administration)),
    }
    return render(request, "measures/answer_all.html", context, status=400 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def review(request, administration_id):
    administration = policy.get_own_administration(request.user, administration_id)
    definition = definitions.get(administration.instrument_key)
    if administration.status == Administration.Status.COMPLETED:
        return redirect("my_measures")
    missing = domain.unanswered(administration)
    if request.method == "POST" and not missing:
        done = domain.complete(administration=administration, by=request.user, request=request)
        if done.alert is not None:
            # The crisis lines and safety plan in this very response, not one request later.
            return safety_support.render_support(
                request,
                administration.client,
                private_entry=False,
                continue_url=reverse("my_measures"),
                saved=False,
            )
        messages.success(request, _("Thank you. Your answers were sent to your care team."))
        return redirect("my_measures")
    first_missing = _first_open_step(administration)
    return render(
        request,
        "measures/review.html",
        {
            "administration": administration,
            "definition": definition,
            "missing": len(missing),
            "first_missing_url": _question_url(administration, first_missing),
            "back_url": _question_url(administration, max(0, len(_steps(administration)) - 1)),
        },
    )


def support(request):
    """Crisis lines for anyone, from the footer; a signed-in client sees their safety plan too."""
    client = policy.client_record_of(request.user)
    return render(
        request, "measures/support.html", safety_support.support_page_context(request, client)
    )


@login_required
def administration_detail(request, client_id, administration_id):
    """Every answer of one administration, item by item (by number when wording is not loaded)."""
    administration = domain.get_administration_for(
        request.user, client_id, administration_id, request=request
    )
    client = administration.client
    definition = definitions.get(administration.instrument_key)
    texts = domain.item_texts(definition, request.user.language) or {}
    answers = domain.answers_of(administration)
    names = target_names.labels_for(client, answers)
    groups = [
        {
            "label": target_label(target, names) if target else "",
            "rows": [
                {
                    "number": n,
                    "text": texts.get(n, ""),
                    "answer": given.get(str(n)),
                    "reverse": definition.item(n).reverse,
                }
                for n in range(1, definition.item_count + 1)
            ],
        }
        for target, given in answers.items()
    ]
    results = [
        scoring.score(definition, given, target=target_label(target, names) if target else None)
        for target, given in answers.items()
    ]
    return render(
        request,
        "measures/administration_detail.html",
        {
            "client": client,
            "administration": administration,
            "definition": definition,
            "groups": groups,
            "results": results,
            "wording_loaded": bool(texts),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_from_paper(request, client_id):
    """The clinician types in a completed paper form, item by item; items appear by number."""
    client = policy.get_client_for_care_team(request.user, client_id)
    key = request.POST.get("key") or request.GET.get("key", "")
    try:
        definition = definitions.get(key)
    except KeyError:
        raise Http404 from None
    # Per-relationship instruments show every standard relationship; empty ones are left out.
    targets = list(definition.targets) if definition.targets else [""]
    texts = domain.item_texts(definition, request.user.language) or {}
    error = ""
    values = {}
    if request.method == "POST":
        answers = {}
        for target in targets:
            answers[target] = {}
            for n in range(1, definition.item_count + 1):
                raw = request.POST.get(f"{target}:{n}", "").strip()
                values[f"{target}:{n}"] = raw
                if raw != "":
                    answers[target][str(n)] = int(raw) if raw.lstrip("-").isdigit() else raw
        answers = {t: a for t, a in answers.items() if a or not definition.targets}
        try:
            if not any(answers.values()):
                raise domain.MeasureError(_("Type at least one answer."))
            done, _created = domain.record_administration(
                by=request.user,
                client=client,
                key=key,
                answers=answers,
                request=request,
                submission_id=request.POST.get("submission_id") or None,
            )
        except (scoring.ScoringError, domain.MeasureError) as exc:
            error = str(exc)
        else:
            messages.success(request, _("Answers recorded and scored."))
            return redirect(
                "administration_detail",
                client_id=client.pk,
                administration_id=done.administration.pk,
            )
    groups = [
        {
            "target": target,
            "label": target_label(target) if target else "",
            "items": [
                {
                    "name": f"{target}:{n}",
                    "number": n,
                    "text": texts.get(n, ""),
                    "scale": definition.scale_of(n),
                    "value": values.get(f"{target}:{n}", ""),
                }
                for n in range(1, definition.item_count + 1)
            ],
        }
        for target in targets
    ]
    return render(
        request,
        "measures/record_from_paper.html",
        {
            "client": client,
            "definition": definition,
            "groups": groups,
            "error": error,
            "submission_id": request.POST.get("submission_id") or uuid.uuid4(),
            "wording_loaded": bool(texts),
        },
        status=400 if error else 200,
    )


@login_required
def administration_fhir(request, client_id, administration_id):
    """Download one completed administration as a FHIR Bundle (audited as an export)."""
    administration = policy.get_administration_for_care_team(
        request.user, client_id, administration_id
    )
    if administration.status != Administration.Status.COMPLETED:
        raise Http404
    bundle = fhir.export_administration(administration, by=request.user, request=request)
    response = JsonResponse(bundle, json_dumps_params={"indent": 2, "ensure_ascii": False})
    filename = f"{administration.instrument_key}-{administration.completed_at:%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
