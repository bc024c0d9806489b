"""The client's own record as one JSON file (DESIGN.md section 2, step 4: "can export it").

Everything the client wrote or reads as their own: profile and preferences, moments, practice,
ladders, experiments, journal, check-ins, goals and ratings, measures with scores, the history map,
the relationship map, the safety plan, session dates and topics for session. Free text is
decrypted. Only this client's rows are read (every query filters on the client); clinicians' own
notes (process notes, referral reason, acknowledgements of alerts, reflections) are not part of
it. The file is built in a fixed number of queries, however much there is, and the export is
audited with counts only.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from securebase.audit.log import Action, record
from securebase.care.models import Client
from securebase.maintain import discharge as discharge_domain
from securebase.maintain.models import Discharge, MaintenancePlan, TaperingPhase
from securebase.measures import targets as target_names
from securebase.measures.models import Administration, Score
from securebase.plan.models import (
    Checkin,
    CheckinSchedule,
    Goal,
    GoalRating,
    GoalStep,
    SessionTopic,
    TherapySession,
)
from securebase.practise.models import (
    Attempt,
    CoregulationNote,
    Experiment,
    Homework,
    JournalEntry,
    Ladder,
    LadderStep,
    Pause,
    Reframe,
    ReminderSettings,
    Request,
    Ritual,
    ToolUse,
)
from securebase.safety.models import SafetyPlan
from securebase.understand.models import (
    HistoryEvent,
    HistoryMap,
    Moment,
    Person,
    PersonRating,
    Script,
)

FORMAT = "securebase.client-export/1"

# Clinician-only fields of the client record (the reason for referral is written by the care team).
PROFILE_FIELDS = (
    "name",
    "preferred_name",
    "email",
    "language",
    "time_zone",
    "pacing",
    "shares_by_default",
    "preferred_terms",
    "in_session_only",
    "status",
    "programme_paused_at",
    "created_at",
)


def _row(obj: models.Model, *, skip: tuple[str, ...] = ()) -> dict:
    """A model row as a dict: its own columns, decrypted; no link back to the client or to staff
    accounts (internal ids of people that mean nothing outside this practice)."""
    user_model = settings.AUTH_USER_MODEL.lower()
    out = {}
    for field in obj._meta.concrete_fields:
        if field.name in skip or field.name == "client":
            continue
        related = field.related_model
        if related is not None:
            label = related._meta.label_lower
            if label == user_model or related is Client:
                continue
        name, value = field.attname, getattr(obj, field.attname)
        if name.endswith("_json") and isinstance(value, str):
            name, value = name.removesuffix("_json"), _loads(value)
        out[name] = value
    return out


def _loads(text: str):
    try:
        return json.loads(text or "null")
    except ValueError:
        return text


def _rows(queryset, **kwargs) -> list[dict]:
    return [_row(obj, **kwargs) for obj in queryset]


def build(client: Client) -> dict:
    """The whole export as plain data (one query per kind of record)."""
    mine = {"client": client}
    profile = {name: getattr(client, name) for name in PROFILE_FIELDS}
    profile["care_team"] = [
        member.clinician.display_name
        for member in client.care_team.select_related("clinician").order_by("added_at")
    ]
    reminders = ReminderSettings.objects.filter(**mine).first()
    schedule = CheckinSchedule.objects.filter(**mine).first()
    preferences = {
        "reminders": _row(reminders, skip=("id",)) if reminders else None,
        "checkin_schedule": _row(schedule, skip=("id",)) if schedule else None,
    }

    people = {str(p.pk): _row(p) | {"ratings": []} for p in Person.objects.filter(**mine)}
    for rating in PersonRating.objects.filter(person__client=client).order_by("rated_at"):
        people[str(rating.person_id)]["ratings"].append(_row(rating, skip=("id", "person")))

    ladders = {str(lad.pk): _row(lad) | {"steps": []} for lad in Ladder.objects.filter(**mine)}
    steps = {}
    for step in LadderStep.objects.filter(ladder__client=client).order_by("position"):
        steps[str(step.pk)] = _row(step, skip=("ladder",)) | {"attempts": []}
        ladders[str(step.ladder_id)]["steps"].append(steps[str(step.pk)])
    for attempt in Attempt.objects.filter(**mine).order_by("attempted_at"):
        steps[str(attempt.step_id)]["attempts"].append(_row(attempt, skip=("step",)))

    goals = {str(g.pk): _row(g) | {"steps": [], "ratings": []} for g in Goal.objects.filter(**mine)}
    for step in GoalStep.objects.filter(goal__client=client):
        goals[str(step.goal_id)]["steps"].append(_row(step, skip=("goal",)))
    for rating in GoalRating.objects.filter(**mine).order_by("rated_at"):
        goals[str(rating.goal_id)]["ratings"].append(_row(rating, skip=("goal",)))

    measures = {
        str(a.pk): _row(a, skip=("assignment",)) | {"scores": []}
        for a in Administration.objects.filter(**mine).order_by("started_at")
    }
    score_rows = list(Score.objects.filter(**mine).order_by("completed_at"))
    # A relationship the client named is kept by key; the export gives it in their words.
    names = target_names.labels_for(
        client,
        [s.target for s in score_rows]
        + [
            t for m in measures.values() if isinstance(m.get("answers"), dict) for t in m["answers"]
        ],
    )
    if names:
        for measure in measures.values():
            if isinstance(measure.get("answers"), dict):
                measure["answers"] = {
                    target_names.public_name(t, names): given
                    for t, given in measure["answers"].items()
                }
    for score in score_rows:
        row = _row(score, skip=("id", "administration"))
        row["target"] = target_names.public_name(score.target, names)
        measures[str(score.administration_id)]["scores"].append(row)

    history = HistoryMap.objects.filter(**mine).first()
    history_out = None
    if history is not None:
        history_out = _row(history, skip=("id",)) | {
            "events": _rows(HistoryEvent.objects.filter(history=history), skip=("history",)),
            "scripts": [
                _row(script, skip=("history",))
                | {
                    "learned_in": sorted(str(e.pk) for e in script.learned_in.all()),
                    "shows_up_in": sorted(str(m.pk) for m in script.shows_up_in.all()),
                }
                for script in Script.objects.filter(history=history).prefetch_related(
                    "learned_in", "shows_up_in"
                )
            ],
        }

    plan = SafetyPlan.objects.filter(**mine).first()
    safety_plan = None
    if plan is not None:
        safety_plan = {
            "content": _loads(plan.content),
            "version": plan.version,
            "updated_at": plan.updated_at,
        }

    upkeep = MaintenancePlan.objects.filter(**mine).first()
    maintenance_plan = None
    if upkeep is not None:
        maintenance_plan = {
            name: getattr(upkeep, name)
            for name in (
                "warning_signs",
                "what_helps",
                "next_steps",
                "who_to_turn_to",
                "get_back_in_touch",
            )
        } | {"version": upkeep.version, "updated_at": upkeep.updated_at}
    tapering = [
        {
            "position": phase.position,
            "kind": phase.kind,
            "label": phase.label,
            "planned_start": phase.planned_start,
            "started_at": phase.started_at,
            "ended_at": phase.ended_at,
        }
        for phase in TaperingPhase.objects.filter(plan__client=client).order_by("position")
    ]
    # The client's version of each discharge summary: the closing note only when shared.
    discharges = [
        {"discharged_on": d.discharged_on, "summary": discharge_domain.client_version(d)}
        for d in Discharge.objects.filter(**mine).order_by("discharged_on")
    ]

    return {
        "format": FORMAT,
        "exported_at": timezone.now(),
        "profile": profile,
        "preferences": preferences,
        "moments": _rows(Moment.objects.filter(**mine).order_by("occurred_at")),
        "pauses": _rows(Pause.objects.filter(**mine).order_by("created_at")),
        "tool_uses": _rows(ToolUse.objects.filter(**mine).order_by("created_at")),
        "rituals": _rows(Ritual.objects.filter(**mine).order_by("created_at")),
        "reframes": _rows(Reframe.objects.filter(**mine).order_by("created_at")),
        "requests": _rows(Request.objects.filter(**mine).order_by("created_at")),
        "ladders": list(ladders.values()),
        "experiments": _rows(Experiment.objects.filter(**mine).order_by("created_at")),
        "journal": _rows(JournalEntry.objects.filter(**mine).order_by("written_at")),
        "coregulation_notes": _rows(CoregulationNote.objects.filter(**mine).order_by("created_at")),
        "homework": _rows(Homework.objects.filter(**mine).order_by("due_on")),
        "checkins": _rows(Checkin.objects.filter(**mine).order_by("completed_at")),
        "goals": list(goals.values()),
        "measures": list(measures.values()),
        "history_map": history_out,
        "people": list(people.values()),
        "safety_plan": safety_plan,
        "sessions": [
            {"date": s.held_on, "attended": s.attended}
            for s in TherapySession.objects.filter(**mine).order_by("held_on")
        ],
        "topics": _rows(SessionTopic.objects.filter(**mine).order_by("created_at")),
        "maintenance_plan": maintenance_plan,
        "tapering_plan": tapering,
        "discharges": discharges,
    }


COUNTED = (
    "moments",
    "pauses",
    "tool_uses",
    "rituals",
    "reframes",
    "requests",
    "ladders",
    "experiments",
    "journal",
    "coregulation_notes",
    "homework",
    "checkins",
    "goals",
    "measures",
    "people",
    "sessions",
    "topics",
    "tapering_plan",
    "discharges",
)


def export_json(client: Client, *, by, request=None) -> bytes:
    """The client's export as UTF-8 JSON, audited as an export (counts only, never content)."""
    data = build(client)
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    record(
        actor=by,
        action=Action.EXPORT,
        object_type="client_record",
        object_id=client.pk,
        client=client,
        request=request,
        detail={"format": FORMAT, "counts": {key: len(data[key]) for key in COUNTED}},
    )
    return payload.encode("utf-8")


def filename(client: Client) -> str:
    return f"secure-base-my-record-{timezone.localdate().isoformat()}.json"
