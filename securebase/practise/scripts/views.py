"""Scripts (guided imagery, role-play) and co-regulation for couples: client and care-team pages."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from securebase.care import policy
from securebase.care.forms import SubmissionIdMixin
from securebase.core.saving import render_form, save_new
from securebase.practise.scripts import domain
from securebase.practise.toolkit.forms import REUSED, ToolUseForm, rating_field, text_field
from securebase.safety.flags import support


class StartForm(SubmissionIdMixin, forms.Form):
    pass


class NoteForm(SubmissionIdMixin, forms.Form):
    intensity_before = rating_field(gettext_lazy("How strong was the feeling before? (0–10)"))
    intensity_after = rating_field(gettext_lazy("And now? (0–10)"))
    notes = text_field(
        gettext_lazy("My private notes"),
        rows=4,
        help_text=gettext_lazy("Only you can see these. Your partner cannot."),
    )
    shared = forms.BooleanField(label=gettext_lazy("Share with my care team"), required=False)


@login_required
def scripts_home(request):
    client = policy.get_own_record_for(request.user)
    partner = policy.linked_partner_of(client)
    context = {
        **domain.scripts_for(request.user, client, request=request),
        "has_partner": partner is not None,
    }
    return render(request, "practise/scripts/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def script_read(request, slug):
    """One step per screen (?step=1…n), then a log form: works without JavaScript."""
    client = policy.get_own_record_for(request.user)
    try:
        step = int(request.GET.get("step", "0"))
    except ValueError:
        step = 0
    # The first screen of a script (a GET) is audited as the script read.
    opened = request.method == "GET" and step <= 0
    script = domain.script_for(client, slug, by=request.user if opened else None, request=request)
    total = len(script.steps)
    step = min(max(step, 0), total + 1)
    form = ToolUseForm(request.POST or None, initial={"shared": client.shares_by_default})
    if request.method == "POST":
        step = total + 1
        use = form.is_valid() and save_new(
            request,
            form,
            domain.log_script_use,
            client,
            slug=slug,
            data=form.cleaned_data,
            reused=REUSED,
        )
        if use:
            if answer := support.answer_saved_entry(
                request, use, client=client, continue_url=reverse("scripts_home")
            ):
                return answer
            messages.success(request, _("Logged. Thank you for practising."))
            return redirect("scripts_home")
    context = {"script": script, "form": form, "step": step, "total": total}
    if 1 <= step <= total:
        context["current"] = script.steps[step - 1]
    return render_form(request, "practise/scripts/read.html", context, form=form)


# --- co-regulation -------------------------------------------------------------------------------


@login_required
def together(request):
    client = policy.get_own_record_for(request.user)
    partner = policy.linked_partner_of(client)
    terms = domain.terms_for(client, client.language)
    sessions = domain.own_sessions(request.user, client, request=request)
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
    client = policy.get_own_record_for(request.user)
    if slug not in domain.COREGULATION or policy.linked_partner_of(client) is None:
        raise Http404
    form = StartForm(request.POST)
    if form.is_valid():
        session = save_new(
            request, form, domain.start_session, client, exercise=slug, reused=REUSED
        )
        if session:
            return redirect("together_session", session_id=session.pk)
    messages.error(request, _("The session could not be started. Please try again."))
    return redirect("together")


@login_required
@require_http_methods(["GET", "POST"])
def together_session(request, session_id):
    client = policy.get_own_record_for(request.user)
    if request.method == "GET":
        session = domain.get_session_for(request.user, session_id, client=client, request=request)
    else:
        session = policy.get_coregulation_session_for_user(request.user, session_id)
    note = domain.own_note(request.user, session)
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
        saved = save_new(
            request, form, domain.save_note, session, client, data=form.cleaned_data, reused=REUSED
        )
        if saved:
            here = reverse("together_session", args=[session.pk])
            if answer := support.answer_saved_entry(
                request, saved, client=client, continue_url=here
            ):
                return answer
            messages.success(request, _("Your private notes are saved."))
            return redirect(here)
    exercise = domain.render(
        session.exercise, client.language, domain.terms_for(client, client.language)
    )
    context = {"session": session, "exercise": exercise, "form": form, "note": note}
    return render_form(request, "practise/scripts/session.html", context, form=form)


@login_required
def client_together(request, client_id):
    """The care team sees that sessions happened, and only the notes the client shared."""
    client = policy.get_client_for_care_team(request.user, client_id)
    rows = domain.sessions_for_care_team(request.user, client, request=request)
    # Titles in the reader's language, with this client's own words for the people in them.
    language = translation.get_language()
    exercises = domain.render_all(domain.COREGULATION, language, domain.terms_for(client, language))
    titles = {e.slug: e.title for e in exercises}
    for row in rows:
        row["session"].title = titles.get(row["session"].exercise, row["session"].exercise)
    return render(
        request, "practise/scripts/client_together.html", {"client": client, "rows": rows}
    )
