"""Check-ins in the JSON API: the same policy and domain as the web pages."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from securebase.api.common import (
    Input,
    Page,
    RequiredIdempotencyKey,
    answer_created,
    fields_from,
    own_client,
    required_idempotency_key,
)
from securebase.api.schemas import RiskOut, answers
from securebase.care import policy
from securebase.plan.checkins import domain
from securebase.plan.checkins import rules as slots_of
from securebase.safety.flags import support

router = Router(tags=["checkins"])

SKILL_HELP = f"one of {sorted(domain.SKILL_CODES)}, or empty for none"
SAFETY_HELP = (
    "the safety question: 0 no, 1 yes (passing thoughts), 2 yes (worried about acting on them); "
    "null or left out: not asked. Ask it when GET .../checkins/next says asks_safety. Any yes "
    "raises a risk flag, even when sent while the question was not due (safety overrides "
    "convenience)."
)
SafetyFrequency = Literal["every", "daily", "weekly"]


class CheckinIn(Input):
    model_config = ConfigDict(extra="forbid")

    mood: int = Field(ge=0, le=10)
    closeness: int = Field(ge=0, le=10)
    felt_security: int = Field(ge=0, le=10)
    safety: int | None = Field(None, ge=0, le=2, description=SAFETY_HELP)
    skill: str = Field("", max_length=20, description=SKILL_HELP)
    note: str = Field("", max_length=domain.MAX_NOTE)
    note_shared: bool | None = Field(None, description="default: the client's sharing preference")
    due_at: datetime | None = Field(
        None, description="a missed slot of the schedule to fill in late (within 7 days)"
    )


class CheckinOut(Schema):
    id: UUID
    client_id: UUID
    completed_at: datetime
    due_at: datetime | None
    late: bool
    mood: int
    closeness: int
    felt_security: int
    safety: int | None = Field(description="the safety answer (0–2); null when not asked")
    skill: str
    note: str | None = Field(description="null when the caller may not see it (not shared)")
    note_shared: bool | None = Field(
        description="null for the care team when the note is not shared: whether a private note "
        "exists is the client's to tell"
    )


class CheckinCreatedOut(CheckinOut, RiskOut):
    pass


class CheckinNextOut(Schema):
    due_at: datetime | None = Field(
        description="the slot of the schedule open now and not yet answered; null when none"
    )
    next_slot: datetime | None = Field(description="the next slot after now; null without one")
    safety_question: SafetyFrequency = Field(
        description="how often the clinician has the safety question asked: at every check-in, "
        "once a day (the client's local day) or once a week (7 days)"
    )
    asks_safety: bool = Field(description="whether a check-in sent now asks the safety question")
    safety_question_text: str = Field(description="the question, in the client's language")
    safety_frequency_text: str = Field(description="what the client is told about how often")


def _out(checkin, user) -> dict:
    visible = policy.checkin_note_visible(user, checkin)
    return fields_from(
        checkin,
        CheckinOut,
        note=checkin.note if visible else None,
        note_shared=checkin.note_shared if visible else None,
    )


@router.post(
    "/clients/{client_id}/checkins",
    response=answers(CheckinCreatedOut, 403, 404, 422, created=True),
    summary="Check in (the client themself; write scope)",
)
def create_checkin(
    request,
    client_id: UUID,
    payload: CheckinIn,
    idempotency_key: RequiredIdempotencyKey = None,
):
    """Send an ``Idempotency-Key`` header (a UUID): a replay answers 200 with the same check-in.

    The check-in answers the slot of the schedule open now, or the missed slot named by ``due_at``
    (then marked late). One check-in per slot: a further check-in while the open slot is already
    answered is saved without a slot (``due_at`` null); filling in late a slot already answered
    answers 422.
    A "yes" to the safety question, or risk language in the note, answers ``risk: true`` with the
    client's ``crisis_resources``: show them at once. Ask the safety question when
    ``GET .../checkins/next`` says ``asks_safety``; an answer sent when it was not due is still
    kept and a yes still flagged (safety overrides convenience).
    """
    client = own_client(request, client_id, _("Only the client checks in."))

    def out(checkin) -> dict:
        checkin.client = client
        return {**_out(checkin, request.user), **support.answer_risk_fields(client, checkin)}

    key = required_idempotency_key(idempotency_key)
    return answer_created(
        domain.record_checkin(
            client, by=request.user, data=payload.dict(), submission_id=key, request=request
        ),
        out,
    )


@router.get(
    "/clients/{client_id}/checkins/next",
    response=answers(CheckinNextOut, 404),
    summary="The check-in due now, and whether it asks the safety question",
)
def next_checkin(request, client_id: UUID):
    """For the client and their care team. Show the safety question when ``asks_safety``."""
    client = policy.get_client_for_plan_reader(request.user, client_id)
    now = timezone.now()
    schedule = domain.schedule_for(request.user, client, request=request)
    return {
        "due_at": domain.due_now(client, now),
        "next_slot": slots_of.next_slot(schedule, now) if schedule else None,
        "safety_question": domain.safety_question_of(client),
        "asks_safety": domain.asks_safety(client, now),
        "safety_question_text": domain.safety_question_text(client),
        "safety_frequency_text": domain.safety_frequency_text(client),
    }


@router.get(
    "/clients/{client_id}/checkins",
    response=answers(list[CheckinOut], 404),
    summary="Check-ins (the client, or their care team: notes only when shared)",
)
def list_checkins(request, client_id: UUID, page: Query[Page.up_to(domain.CHECKINS_LIMIT)]):
    """Newest first, ``CHECKINS_LIMIT`` (90) a page at most, as on the check-ins pages."""
    client = policy.get_client_for_plan_reader(request.user, client_id)
    checkins = page.rows(request, domain.CHECKINS_LIMIT, domain.checkins_for, client)
    return [_out(c, request.user) for c in checkins]
