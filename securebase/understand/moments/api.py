"""Moments in the JSON API: the same policy and domain as the web pages."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from securebase.api.common import (
    Input,
    Page,
    RequiredIdempotencyKey,
    answer_created,
    body_with_sharing,
    fields_from,
    own_client,
    required_idempotency_key,
)
from securebase.api.schemas import EmotionIn, EmotionOut, GroundingOut, RiskOut, answers
from securebase.care import policy
from securebase.safety.flags import support
from securebase.understand.models import Moment
from securebase.understand.moments import domain
from securebase.understand.vocabulary import BODY_CUES, RESPONSES

router = Router(tags=["moments"])


class MomentIn(Input):
    model_config = ConfigDict(extra="forbid")

    occurred_at: datetime
    kind: Literal["connection", "threat"]
    person_id: UUID | None = None
    situation: str = Field("", max_length=5000)
    trigger: str = Field("", max_length=5000)
    body_cues: list[str] = Field(default_factory=list, description=f"any of {list(BODY_CUES)}")
    body_notes: str = Field("", max_length=2000)
    emotions: list[EmotionIn] = Field(default_factory=list, max_length=10)
    felt_meaning: str = Field("", max_length=5000)
    evidence: str = Field("", max_length=5000)
    response: list[str] = Field(default_factory=list, description=f"any of {list(RESPONSES)}")
    response_notes: str = Field("", max_length=5000)
    outcome: str = Field("", max_length=5000)
    safety_before: int | None = Field(None, ge=0, le=10)
    safety_after: int | None = Field(None, ge=0, le=10)
    shared: bool | None = Field(None, description="default: the client's sharing preference")


class MomentOut(Schema):
    id: UUID
    client_id: UUID
    occurred_at: datetime
    kind: str
    person_id: UUID | None
    situation: str
    trigger: str
    body_cues: list[str]
    body_notes: str
    emotions: list[EmotionOut]
    felt_meaning: str
    evidence: str
    response: list[str]
    response_notes: str
    outcome: str
    safety_before: int | None
    safety_after: int | None
    shared: bool
    to_discuss: bool


class MomentCreatedOut(MomentOut, RiskOut, GroundingOut):
    pass


def _out(moment: Moment) -> dict:
    return fields_from(
        moment, MomentOut, emotions=domain.emotions_of(moment), response=moment.responses
    )


@router.post(
    "/clients/{client_id}/moments",
    response=answers(MomentCreatedOut, 403, 404, 422, created=True),
    summary="Log a moment (the client themself; write scope)",
)
def create_moment(
    request,
    client_id: UUID,
    payload: MomentIn,
    idempotency_key: RequiredIdempotencyKey = None,
):
    """Send an ``Idempotency-Key`` header (a UUID): a replay answers 200 with the same moment.

    Risk language in it answers ``risk: true`` with the client's ``crisis_resources``."""
    client = own_client(request, client_id, _("Only the client logs their own moments."))
    data = body_with_sharing(payload, client)
    data["person"] = data.pop("person_id")
    data["responses"] = data.pop("response")
    key = required_idempotency_key(idempotency_key)
    return answer_created(
        domain.log_moment(client, by=request.user, data=data, submission_id=key, request=request),
        lambda moment: {
            **_out(moment),
            **support.answer_risk_fields(client, moment, domain.overwhelm),
        },
    )


@router.get(
    "/clients/{client_id}/moments",
    response=answers(list[MomentOut], 404),
    summary="Moments the caller may see",
)
def list_moments(request, client_id: UUID, page: Query[Page.up_to(domain.MOMENTS_LIMIT)]):
    """The client gets all of their own; a care-team clinician only the shared ones."""
    client = policy.get_client_for_user(request.user, client_id)
    moments = page.rows(request, domain.MOMENTS_LIMIT, domain.moments_for, client)
    return [_out(m) for m in moments]


@router.get("/moments/{moment_id}", response=answers(MomentOut, 404))
def get_moment(request, moment_id: UUID):
    return _out(domain.moment_for(request.user, moment_id, request=request))
