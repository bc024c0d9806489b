"""The tapering plan in the JSON API: the same policy and domain as the web pages.

GET: the client (read only) and their care team; the plan with its phases, the current phase and
the suggestion with its reasons. PUT: the care team replaces the phases from the ``version`` it
read (write scope); a stale version answers 409 and nothing is overwritten. Anyone else gets 404.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from ninja import Router, Schema
from pydantic import ConfigDict, Field

from securebase.api.common import Input, fields_from
from securebase.api.schemas import answers
from securebase.core.versioning import StaleSave
from securebase.maintain import tapering

router = Router(tags=["maintain"])


class PhaseIn(Input):
    model_config = ConfigDict(extra="forbid")

    id: UUID | None = Field(None, description="an existing phase's id, to keep its start and end")
    kind: str = Field(description="weekly, fortnightly, monthly, booster or custom")
    label: str = Field(
        "", max_length=tapering.LABEL_LIMIT, description="the name of a custom phase"
    )
    planned_start: date


class TaperingIn(Input):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, description="the version the edit was made from")
    phases: list[PhaseIn] = Field(min_length=1, max_length=tapering.MAX_PHASES)


class PhaseOut(Schema):
    id: UUID
    kind: str
    name: str
    planned_start: date
    started_at: datetime | None
    ended_at: datetime | None


class ReasonOut(Schema):
    code: str = Field(description="measures, goals or practice")
    met: bool
    text: str
    detail: dict


class SuggestionOut(Schema):
    step_down: bool
    not_now: bool = Field(
        description="safety says no: a risk flag open or in the last weeks, or a reliable "
        "deterioration; moving on then needs an override note"
    )
    text: str
    reasons: list[ReasonOut]


class TaperingOut(Schema):
    client_id: UUID
    version: int | None = Field(description="null until the care team makes the plan")
    phases: list[PhaseOut]
    current_phase: PhaseOut | None
    suggestion: SuggestionOut


def _phase(phase) -> dict:
    return fields_from(phase, PhaseOut)


def _out(request, client, plan) -> dict:
    phases = tapering.phases_of(plan)
    current = tapering.current_phase(phases)
    view = tapering.suggestion_view(tapering.suggestion_for(client, viewer=request.user), client)
    return {
        "client_id": client.pk,
        "version": plan.version if plan is not None else None,
        "phases": [_phase(p) for p in phases],
        "current_phase": _phase(current) if current is not None else None,
        "suggestion": {
            "step_down": view.step_down,
            "not_now": view.not_now,
            "text": view.headline,
            "reasons": [
                {"code": r.code, "met": r.met, "text": r.text, "detail": r.detail}
                for r in view.reasons
            ],
        },
    }


@router.get(
    "/clients/{client_id}/tapering",
    response=answers(TaperingOut, 404),
    summary="The tapering plan and what the data says about stepping down",
)
def get_tapering(request, client_id: UUID):
    client = tapering.client_for_reader(request.user, client_id)
    plan = tapering.plan_for(request.user, client, request=request)
    return _out(request, client, plan)


@router.put(
    "/clients/{client_id}/tapering",
    response=answers(TaperingOut, 403, 404, 409, 422),
    summary="Replace the phases from the version read (care team, write scope)",
)
def put_tapering(request, client_id: UUID, payload: TaperingIn):
    """Send every phase, in order, with ``version`` as read. Phases sent with their ``id`` keep
    when they started and ended; a started phase cannot be left out. A stale ``version`` answers
    409 and nothing is overwritten. Without a plan yet, it is made from these phases."""
    client = tapering.client_for_care_team(request.user, client_id)
    plan = tapering.plan_of(client)
    rows = [p.model_dump() for p in payload.phases]
    tapering.prepared_phases(rows)
    if plan is None:
        if payload.version != 1:
            raise StaleSave(None)
        plan = tapering.create_plan(client=client, by=request.user, start=rows[0]["planned_start"])
    saved = tapering.save_phases(
        by=request.user, plan=plan, version=payload.version, phases=rows, request=request
    )
    return _out(request, client, saved)
