"""The session brief, recording a session, the printable report, and the client's topics."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from securebase.care import policy
from securebase.care.forms import SubmissionIdMixin
from securebase.core.saving import render_form, save_new
from securebase.plan.brief.domain import build_brief
from securebase.plan.models import SessionTopic
from securebase.plan.progress.periods import validate_period_date
from securebase.plan.sessions import domain as sessions
from securebase.safety.flags import support

REUSED_SESSION = gettext_lazy(
    "This form was already sent with other details. Reload the page to record again."
)

REUSED_TOPIC = gettext_lazy(
    "This form was already sent with other words. Your first topic was kept."
)

# --- forms (small enough to live with their views) -------------------------------------------


class RecordSessionForm(SubmissionIdMixin, forms.Form):
    held_on = forms.DateField(
        label=gettext_lazy("Date of the session"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    attended = forms.TypedChoiceField(
        label=gettext_lazy("Did the client attend?"),
        choices=[("yes", gettext_lazy("Attended")), ("no", gettext_lazy("Did not attend"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )


class TopicForm(SubmissionIdMixin, forms.Form):
    text = forms.CharField(
        label=gettext_lazy("What I want to talk about next session"),
        max_length=sessions.MAX_TOPIC,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_period_date],
    )
    end = forms.DateField(
        label=gettext_lazy("To"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_period_date],
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period must come after its start."))
        if start and end and (end - start).days > 3 * 366:
            self.add_error("start", _("Choose a period of at most three years."))
        return data


# --- the care team ----------------------------------------------------------------------------


def _render_brief(request, client, form, *, status=200):
    window = sessions.since_last_session(client)
    brief = build_brief(client, viewer=request.user, window=window, request=request)
    return render(
        request,
        "plan/brief/session_brief.html",
        {"client": client, "brief": brief, "form": form, "interactive": True},
        status=status,
    )


@login_required
@require_GET
def session_brief(request, client_id):
    """Everything since the last session, for the care team, on one screen."""
    client = policy.get_client_for_care_team(request.user, client_id)
    form = RecordSessionForm(initial={"held_on": sessions.client_today(client)})
    return _render_brief(request, client, form)


@login_required
@require_POST
def session_record(request, client_id):
    client = policy.get_client_for_care_team(request.user, client_id)
    form = RecordSessionForm(request.POST)
    if form.is_valid():
        session = save_new(
            request,
            form,
            sessions.record_session,
            client,
            held_on=form.cleaned_data["held_on"],
            attended=form.cleaned_data["attended"],
            reused=REUSED_SESSION,
        )
        if session is not None:
            messages.success(
                request,
                _("Session recorded. The brief now shows what comes after it."),
            )
            return redirect("session_brief", client_id=client.pk)
    return _render_brief(request, client, form, status=400)


@login_required
@require_POST
def topic_discussed(request, client_id, topic_id):
    topic = policy.get_session_topic_for_care_team(request.user, client_id, topic_id)
    sessions.mark_topic_discussed(topic, by=request.user, request=request)
    messages.success(request, _("Topic marked as discussed."))
    return redirect("session_brief", client_id=topic.client_id)


def _period(client, params) -> tuple[PeriodForm, dt.date, dt.date, str]:
    """The chosen period, a preset, or since the last session (the default)."""
    today = sessions.client_today(client)
    presets = {"4w": today - dt.timedelta(weeks=4), "3m": today - dt.timedelta(days=91)}
    preset = params.get("preset", "")
    if preset in presets:
        start, end = presets[preset], today
        return PeriodForm(initial={"start": start, "end": end}), start, end, preset
    if "start" in params or "end" in params:
        form = PeriodForm(params)
        if form.is_valid():
            return form, form.cleaned_data["start"], form.cleaned_data["end"], ""
        window = sessions.since_last_session(client)
        return form, window.start, window.end, "invalid"
    window = sessions.since_last_session(client)
    return (
        PeriodForm(initial={"start": window.start, "end": window.end}),
        window.start,
        window.end,
        "",
    )


@login_required
@require_GET
def client_report(request, client_id):
    """The session brief and a progress summary over a chosen period, made to print or save as "
    "PDF."""
    client = policy.get_client_for_care_team(request.user, client_id)
    form, start, end, preset = _period(client, request.GET)
    brief = build_brief(
        client, viewer=request.user, start=start, end=end, request=request, export=True
    )
    return render(
        request,
        "plan/brief/report.html",
        {
            "client": client,
            "brief": brief,
            "period_form": form,
            "preset": preset,
            "last_session": sessions.last_session(client),
            "printed_at": dt.datetime.now(tz=dt.UTC),
            "interactive": False,
        },
        status=400 if preset == "invalid" else 200,
    )


# --- the client -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def my_topics(request):
    """The client's "what I want to talk about next session", for their care team."""
    client = policy.get_own_record_for(request.user)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        topic = save_new(
            request,
            form,
            sessions.add_topic,
            client,
            text=form.cleaned_data["text"],
            reused=REUSED_TOPIC,
        )
        if topic is not None:
            if support.risk_raised(topic):
                # A topic is written for the care team: not a private entry.
                return support.render_support(
                    request, client, private_entry=False, continue_url=reverse("my_topics")
                )
            messages.success(request, _("Added. Your care team will see it."))
            return redirect("my_topics")
    topics = sessions.read_open_topics(request.user, client, request=request)
    return render_form(
        request, "plan/brief/my_topics.html", {"client": client, "form": form, "topics": topics}
    )


@login_required
@require_POST
def my_topic_delete(request, topic_id):
    topic = policy.get_own_entry(request.user, SessionTopic, topic_id)
    try:
        sessions.delete_topic(topic, by=request.user, request=request)
    except sessions.SessionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Removed."))
    return redirect("my_topics")
