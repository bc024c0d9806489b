"""Scripts (guided imagery, role-play) and co-regulation for couples: client and care-team pages."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from securebase.audit.log import Action, record
from securebase.care import policy
from securebase.care.forms import SubmissionIdMixin
from securebase.core.idempotency import SubmissionKeyReused
from securebase.practise.models import CoregulationNote, CoregulationSession
from securebase.practise.scripts import domain
from securebase.practise.toolkit.domain import ToolkitError
from securebase.practise.toolkit.forms import ToolUseForm, _rating, _text
from securebase.safety.flags import support


class StartForm(SubmissionIdMixin, forms.Form):
    pass


class NoteForm(SubmissionIdMixin, forms.Form):
    intensity_before = _rating(gettext_lazy("How strong was the feeling before? (0–10)"))
    intensity_after = _rating(gettext_lazy("And now? (0–10)"))
    notes = _text(
        gettext_lazy("My private notes"),
        rows=4,
        help_text=gettext_lazy("Only you can see these. Your partner cannot."),
    )
    shared = forms.BooleanField(label=gettext_lazy("Share with my care team"), required=False)


def _own_client(request):
    client = policy.client_record_of(request.user)
    if client is None:
        raise Http404
    return client


def _read(request, kind, obj_id, client, **detail):
    record(
        actor=request.user,
        action=Action.READ,
        object_type=kind,
        object_id=obj_id,
        client=client,
        request=request,
        detail=detail,
    )


def _save(form, call):
    try:
        obj, _created = call()
    except ToolkitError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
    except SubmissionKeyReused:
        form.add_error(
            None, _("This form was already sent with different answers. The first was kept.")
        )
    else:
        return obj
    return None


@login_required
def scripts_home(request):
    client = _own_client(request)
    terms = domain.terms_for(client, client.language)
    partner = policy.linked_partner_of(client)
    context = {
        "imagery": domain.render_all(domain.IMAGERY, client.language, terms),
        "roleplay": domain.render_all(domain.ROLEPLAY, client.language, terms),
        "has_partner": partner is not None,
    }
    _read(request, "scripts", client.pk, client)
    return render(request, "practise/scripts/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def script_read(request, slug):
    """One step per screen (?step=1…n), then a log form: works without JavaScript."""
    client = _own_client(request)
    if slug not in domain.IMAGERY + domain.ROLEPLAY:
        raise Http404
    script = domain.render(slug, client.language, domain.terms_for(client, client.language))
    total = len(script.steps)
    try:
        step = int(request.GET.get("step", "0"))
    except ValueError:
        step = 0
    step = min(max(step, 0), total + 1)
    form = ToolUseForm(request.POST or None, initial={"shared": client.shares_by_default})
    if request.method == "POST":
        step = total + 1
        use = form.is_valid() and _save(
            form,
            lambda: domain.log_script_use(
                client,
                by=request.user,
                slug=slug,
                data=form.cleaned_data,
                submission_id=form.cleaned_data["submission_id"],
                request=request,
            ),
        )
        if use:
            if support.risk_raised(use):
                return support.render_support(
                    request,
                    client,
                    private_entry=not use.shared,
                    continue_url=reverse("scripts_home"),
                )
            messages.success(request, _("Logged. Thank you for practising."))
            return redirect("scripts_home")
    elif step == 0:
        _read(request, "script", client.pk, client, script=slug)
    context = {"script": script, "form": form, "step": step, "total": total}
    if 1 <= step <= total:
        context["current"] = script.steps[step - 1]
    return render(
        request, "practise/scripts/read.html", context, status=400 if form.errors else 200
    )


# --- co-regulation -------------------------------------------------------------------------------


@login_required
def together(request):
    client = _own_client(request)
    partner = policy.linked_partner_of(client)
    terms = domain.terms_for(client, client.language)
    sessions = list(
        policy.coregulation_sessions_visible_to(request.user, CoregulationSession.objects)[:50]
    )
    _read(request, "coregulation_sessions", client.pk, client, count=len(sessions))
    exercises = domain.render_all(domain.COREGULATION, client.language, terms)
    titles = {e.slug: e.title for e in exercises}
    for s in sessions:
        s.title = titles.get(s.exercise, s.exercise)
    context = {
        "has_partner": partner is not None,
        "exercises": exercises,
        "sessions": sessions,
        "form": StartForm(),
    }
    return render(request, "practise/scripts/together.html", context)


@login_required
@require_POST
def together_start(request, slug):
    client = _own_client(request)
    if slug not in domain.COREGULATION or policy.linked_partner_of(client) is None:
        raise Http404
    form = StartForm(request.POST)
    if form.is_valid():
        session = _save(
            form,
            lambda: domain.start_session(
                client,
                by=request.user,
                exercise=slug,
                submission_id=form.cleaned_data["submission_id"],
                request=request,
            ),
        )
        if session:
            return redirect("together_session", session_id=session.pk)
    messages.error(request, _("The session could not be started. Please try again."))
    return redirect("together")


@login_required
@require_http_methods(["GET", "POST"])
def together_session(request, session_id):
    client = _own_client(request)
    session = policy.get_coregulation_session_for_user(request.user, session_id)
    note = policy.coregulation_notes_visible_to(
        request.user, session, CoregulationNote.objects
    ).first()
    initial = {"shared": False}
    if note is not None:
        initial.update(
            notes=note.text,
            intensity_before=note.intensity_before,
            intensity_after=note.intensity_after,
            shared=note.shared,
        )
    form = NoteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save(
            form,
            lambda: domain.save_note(
                session,
                client,
                by=request.user,
                data=form.cleaned_data,
                submission_id=form.cleaned_data["submission_id"],
                request=request,
            ),
        )
        if saved:
            if support.risk_raised(saved):
                return support.render_support(
                    request,
                    client,
                    private_entry=not saved.shared,
                    continue_url=reverse("together_session", args=[session.pk]),
                )
            messages.success(request, _("Your private notes are saved."))
            return redirect("together_session", session_id=session.pk)
    if request.method == "GET":
        _read(request, "coregulation_session", session.pk, client)
    exercise = domain.render(
        session.exercise, client.language, domain.terms_for(client, client.language)
    )
    context = {"session": session, "exercise": exercise, "form": form, "note": note}
    return render(
        request, "practise/scripts/session.html", context, status=400 if form.errors else 200
    )


@login_required
def client_together(request, client_id):
    """The care team sees that sessions happened, and only the notes the client shared."""
    client = policy.get_client_for_care_team(request.user, client_id)
    sessions = list(
        policy.coregulation_sessions_visible_to(request.user, CoregulationSession.objects)
        .filter(Q(client=client) | Q(partner=client))
        .order_by("-started_at")[:100]
    )
    # Titles in the reader's language, with this client's own words for the people in them.
    language = translation.get_language()
    exercises = domain.render_all(domain.COREGULATION, language, domain.terms_for(client, language))
    titles = {e.slug: e.title for e in exercises}
    for s in sessions:
        s.title = titles.get(s.exercise, s.exercise)
    rows = [
        {
            "session": s,
            "notes": list(
                policy.coregulation_notes_visible_to(
                    request.user, s, CoregulationNote.objects
                ).filter(client=client)
            ),
        }
        for s in sessions
    ]
    record(
        actor=request.user,
        action=Action.LIST,
        object_type="coregulation_sessions",
        object_id=client.pk,
        client=client,
        request=request,
        detail={"count": len(rows)},
    )
    return render(
        request, "practise/scripts/client_together.html", {"client": client, "rows": rows}
    )
