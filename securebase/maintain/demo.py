"""Demo data for safety and maintenance: Maya tapering, Priya discharged with self check-ins,
safety and maintenance plans in the clients' own (invented) words. Idempotent.

Dates are relative to now, so the demo always looks current. Written through the domain functions,
like the other demo loaders, by whoever would have written it (Maya her safety plan, Alex the
plans and the tapering; Casey her check-in); every word here is ours.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from securebase.care.demo import backdate
from securebase.care.models import CareTeamMember, Client
from securebase.maintain import discharge as discharge_domain
from securebase.maintain import maintenance, tapering
from securebase.maintain.models import MaintenancePlan, TaperingPlan
from securebase.plan.checkins import domain as checkins
from securebase.plan.models import CheckinSchedule
from securebase.safety.models import Alert, SafetyPlan
from securebase.safety.plan import domain as safety_plans

MAYA_SAFETY_PLAN = {
    "warning_signs": [
        "Checking my phone every few minutes when Sol goes quiet",
        "Not eating properly and lying awake replaying conversations",
        "Telling myself everyone would be relieved if I disappeared for a while",
    ],
    "coping": [
        "The pause: name it, rate it, choose one small step",
        "Box breathing for three minutes",
        "A hot shower and my grounding list",
    ],
    "distraction": [
        "The late café on Elm Street",
        "Swimming at the leisure centre",
        "Calling Dara about anything at all",
    ],
    "people": [
        {"name": "Dara (friend)", "contact": "07700 900123"},
        {"name": "My sister Ada", "contact": "07700 900456"},
    ],
    "professionals": [
        {"name": "Alex Morgan, my therapist (office hours)", "contact": "020 7946 0000"},
        {"name": "My GP surgery", "contact": "020 7946 0111"},
    ],
    "safer_surroundings": ["Give the spare box of tablets to Ada to keep"],
    "reasons_for_living": [
        "My niece's laugh",
        "Swimming in the sea next summer",
        "The person I am becoming",
    ],
}

PRIYA_MAINTENANCE = {
    "warning_signs": "Saying 'I'm fine' three times a day. Skipping lunch with the team. Working late to avoid going home.",
    "what_helps": "Ten minutes of breathing before the commute. Telling Ravi one true thing each evening. Walking at lunchtime.",
    "next_steps": "Ask a colleague for help with the quarterly report instead of doing it alone.",
    "who_to_turn_to": "Ravi; my friend Meena; Sam at the practice if things slide.",
    "get_back_in_touch": "If my check-ins stay low for two weeks, or I notice I've stopped talking to Ravi, I book a session.",
}

MAYA_MAINTENANCE = {
    "warning_signs": "Re-reading old messages late at night. Cancelling plans so I can wait by the phone.",
    "what_helps": "The pause. Saying what I need in one sentence. Swimming twice a week.",
    "next_steps": "Tell Sol about a painful memory (ladder step 5).",
    "who_to_turn_to": "Dara, Ada, and Alex while we are still meeting.",
    "get_back_in_touch": "If I feel the old panic most days for a week, I will ask for an extra session.",
}


def _lead(client: Client):
    member = CareTeamMember.objects.filter(client=client).select_related("clinician").first()
    return member.clinician if member else None


def _safety_plan(client: Client, content: dict, by) -> None:
    if SafetyPlan.objects.filter(client=client).exists():
        return
    plan = safety_plans.get_or_create_plan(client=client, by=by)
    safety_plans.save_plan(by=by, plan=plan, version=plan.version, content=content)


def _maintenance_plan(client: Client, content: dict, by) -> None:
    if MaintenancePlan.objects.filter(client=client).exists():
        return
    plan = maintenance.get_or_create_plan(client=client, by=by)
    maintenance.save_plan(by=by, plan=plan, version=plan.version, content=content)


def _tapering(client: Client, by, today: dt.date) -> None:
    """Weekly for six months, fortnightly since last week, then monthly and a booster."""
    if TaperingPlan.objects.filter(client=client).exists():
        return
    now = timezone.now()
    step_down = now - dt.timedelta(days=6)
    plan = tapering.create_plan(client=client, by=by, start=today - dt.timedelta(weeks=26))
    plan = tapering.save_phases(
        by=by,
        plan=plan,
        version=plan.version,
        phases=[
            {"kind": kind, "planned_start": planned}
            for kind, planned in (
                ("weekly", today - dt.timedelta(weeks=26)),
                ("fortnightly", step_down.date()),
                ("monthly", today + dt.timedelta(weeks=8)),
                ("booster", today + dt.timedelta(weeks=8 + 13)),
            )
        ],
    )
    for _step in ("weekly", "fortnightly"):
        plan = tapering.move_to_next_phase(by=by, plan=plan, version=plan.version)
    weekly, fortnightly = tapering.phases_of(plan)[:2]
    backdate(weekly, started_at=now - dt.timedelta(weeks=26), ended_at=step_down)
    backdate(fortnightly, started_at=step_down)


def _discharge(client: Client, by) -> None:
    """Priya finished therapy two days ago; she checks in with herself once a week."""
    if client.status == Client.Status.DISCHARGED:
        return
    discharge_domain.discharge(
        client=client,
        by=by,
        note=(
            "Priya reached her goals at work and at home and her PHQ-9 is well below where it "
            "started. She knows her early signs and has a plan for them. Door open for a booster."
        ),
        share_note=True,
        on=timezone.localdate() - dt.timedelta(days=2),
    )
    checkins.set_schedule(
        client,
        by=client.user,
        cadence=CheckinSchedule.Cadence.WEEKLY,
        weekdays=[6],
        times=["18:00"],
        remind=True,
        active=True,
        version=0,
    )


def _open_risk_alert(client: Client) -> None:
    """Casey answered "yes, passing thoughts" to the check-in's safety question this morning:
    one open risk alert in Alex's caseload, waiting to be acknowledged with a note."""
    if Alert.objects.filter(client=client, kind=Alert.Kind.RISK_CHECKIN).exists():
        return
    when = timezone.now() - dt.timedelta(hours=3)
    checkin, _ = checkins.record_checkin(
        client,
        by=client.user,
        data={
            "mood": 3,
            "closeness": 2,
            "felt_security": 2,
            "safety": 1,
            "note": "Another row last night. I went for a walk instead of shutting the door.",
            "note_shared": False,
        },
        now=when,
    )
    # Marked as already emailed (before the demo's transaction commits, when the care team
    # would be emailed), so loading the demo sends nothing.
    backdate(checkin.risk_alert, created_at=when, emailed_at=when)


def load(practice) -> None:
    clients = {c.email: c for c in Client.objects.filter(practice=practice)}
    today = timezone.localdate()
    maya = clients.get("maya@demo.test")
    if maya is not None:
        lead = _lead(maya)
        _safety_plan(maya, MAYA_SAFETY_PLAN, maya.user or lead)
        _maintenance_plan(maya, MAYA_MAINTENANCE, lead)
        _tapering(maya, lead, today)
    casey = clients.get("casey@demo.test")
    if casey is not None and casey.user is not None:
        _open_risk_alert(casey)
    priya = clients.get("priya@demo.test")
    if priya is not None:
        lead = _lead(priya)
        _maintenance_plan(priya, PRIYA_MAINTENANCE, priya.user or lead)
        _discharge(priya, lead)
