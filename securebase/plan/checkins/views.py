"""Check-in pages: the client checks in (phone first) and sets the schedule with the care team;
the care team reads the ratings (the note only when shared) and the missed check-ins."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from securebase.care import policy
from securebase.core.saving import StaleNotice, render_form, save_edit, save_new
from securebase.measures import domain as measures_domain
from securebase.plan.checkins import domain
from securebase.plan.checkins import rules as slots_of
from securebase.plan.checkins.forms import CheckinForm, ScheduleForm, schedule_initial
from securebase.safety.flags import rules as risk
from securebase.safety.flags import support

REUSED_CHECKIN = gettext_lazy(
    "This check-in was already sent with different answers. The first one was kept; reload the "
    "page to check in again."
)

STALE_SCHEDULE = gettext_lazy(
    "The schedule was changed by someone else while you were editing. Nothing was overwritten: the "
    "saved schedule is shown above, and your choices are still in the form."
)


def _add_error(form, exc: domain.CheckinError):
    """The refusal on the field it names when the form shows that field, else above the form."""
    if exc.field and exc.field in form.fields and not form.fields[exc.field].widget.is_hidden:
        form.add_error(exc.field, str(exc))
    else:
        form.add_error(None, str(exc))


def _requested_slot(client, raw, now) -> dt.datetime | None:
    """The missed slot named in ``?due_at=``, if it really is one that may be filled in late."""
    try:
        wanted = domain.parse_due_at(raw)
    except domain.CheckinError:
        return None
    if wanted is None:
        return None
    return wanted if wanted in domain.missed_slots(client, now) else None


# --- the client ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request):
    """The check-in form: the open slot, or a missed one named by ``due_at`` (marked late).

    Once the open slot is answered the form is still offered: another check-in is welcome any
    time, and is saved without a slot."""
    client = policy.get_own_record_for(request.user)
    now = timezone.now()
    late_slot = _requested_slot(
        client, request.GET.get("due_at") or request.POST.get("due_at"), now
    )
    form = CheckinForm(
        request.POST or None,
        initial={
            "note_shared": client.shares_by_default,
            "due_at": late_slot.isoformat() if late_slot else "",
        },
        asks_safety=domain.asks_safety(client, now),
        safety_question=domain.safety_question_text(client),
    )
    if request.method == "POST" and form.is_valid():
        found = save_new(
            request,
            form,
            domain.record_checkin,
            client,
            data=form.cleaned_data,
            now=now,
            refuse=_add_error,
            reused=REUSED_CHECKIN,
        )
        if found is not None:
            if support.risk_raised(found):
                # A "yes" is seen by the care team like the ratings; only a note can be private.
                private = not found.note_shared and not risk.checkin_answer_flags(found.safety)
                return support.render_support(request, client, private_entry=private)
            return redirect("checkin_done")
    schedule = domain.schedule_of(client)
    due = domain.due_now(client, now) if late_slot is None else late_slot
    answered = (
        late_slot is None
        and schedule is not None
        and due is None
        and slots_of.slot_for(schedule, now) is not None
    )
    return render_form(
        request,
        "plan/checkins/checkin_form.html",
        {
            "client": client,
            "form": form,
            "late_slot": late_slot,
            "due": due,
            # The open slot is answered: say so, and still offer the form (a further check-in is
            # saved unscheduled, and its safety answer and note count like any other).
            "answered": answered and not form.is_bound,
            "next_slot": slots_of.next_slot(schedule, now) if schedule else None,
            "zone": domain.zone_of(client),
            "missed_count": len(domain.missed_slots(client, now)) if late_slot is None else 0,
            "safety_frequency": domain.safety_frequency_text(client),
        },
    )


@login_required
def checkin_done(request):
    policy.get_own_record_for(request.user)
    return render(request, "plan/checkins/checkin_done.html")


def _checkins_context(request, client) -> dict:
    """The recent check-ins (read, audited) and the missed ones, oldest missed first."""
    checkins = domain.read_recent(
        request.user, client, limit=domain.CHECKINS_LIMIT, request=request
    )
    return {
        "client": client,
        "checkins": checkins,
        "missed": list(reversed(domain.missed_slots(client, timezone.now()))),
        "zone": domain.zone_of(client),
        "schedule": domain.schedule_of(client),
    }


@login_required
def my_checkins(request):
    """The client's own check-ins, and the missed ones they may still fill in late."""
    client = policy.get_own_record_for(request.user)
    return render(request, "plan/checkins/my_checkins.html", _checkins_context(request, client))


def _stale_schedule(is_client: bool) -> StaleNotice:
    """A refused save of the schedule: the schedule as saved now, above the form."""

    def shown(refused) -> dict:
        current = refused.current
        times = ", ".join(current.times) if current else ""
        return {"schedule": current, "times": times, "is_client": is_client}

    return StaleNotice(
        message=STALE_SCHEDULE, show="plan/checkins/_schedule_summary.html", shown=shown
    )


def _schedule_page(request, client, *, is_client: bool, saved_url: str):
    stale = None
    form = ScheduleForm(request.POST or None, for_clinician=not is_client)
    if form.is_valid():
        current = domain.schedule_record(client)
        edit = save_edit(
            request,
            form,
            domain.set_schedule,
            client,
            cadence=form.cleaned_data["cadence"],
            weekdays=form.cleaned_data["weekdays"],
            times=form.times(),
            remind=form.cleaned_data["remind"],
            active=form.cleaned_data["active"],
            safety_question=form.cleaned_data.get("safety_question") or None,
            refuse=_add_error,
            form_kwargs={"for_clinician": not is_client},
            stale=_stale_schedule(is_client),
        )
        form, stale = edit.form, edit.stale
        if edit.done:
            messages.success(request, _("The check-in schedule is saved."))
            return redirect(saved_url)
    else:
        current = domain.schedule_record_for(request.user, client, request=request)
        if not form.is_bound:
            form = ScheduleForm(initial=schedule_initial(current), for_clinician=not is_client)
    measures = measures_domain.repeating_assignments(client)
    return render_form(
        request,
        "plan/checkins/schedule_form.html",
        {
            "client": client,
            "form": form,
            "current": current,
            "stale": stale,
            "is_client": is_client,
            "zone": domain.zone_of(client),
            "measures": measures,
            "safety_frequency": domain.safety_frequency_text(client),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def checkin_schedule(request):
    client = policy.get_own_record_for(request.user)
    return _schedule_page(request, client, is_client=True, saved_url="checkin")


# --- the care team -------------------------------------------------------------------------------


@login_required
def client_checkins(request, client_id):
    """The ratings of every check-in, the note only when shared, and the missed check-ins."""
    client = policy.get_client_for_care_team(request.user, client_id)
    context = _checkins_context(request, client)
    context["safety_question"] = domain.SafetyQuestion(domain.safety_question_of(client)).label
    return render(request, "plan/checkins/client_checkins.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def client_checkin_schedule(request, client_id):
    client = policy.get_client_for_care_team(request.user, client_id)
    return _schedule_page(
        request, client, is_client=False, saved_url=f"/clients/{client.pk}/check-ins/"
    )
