"""Pauses in the JSON API: the same policy and domain as the web pages."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

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
from securebase.api.schemas import GroundingOut, RiskOut, answers
from securebase.care import policy
from securebase.practise.models import Pause
from securebase.practise.pause import domain
from securebase.safety.flags import support
from securebase.understand.vocabulary import BODY_CUES

router = Router(tags=["pauses"])


class PauseIn(Input):
    model_config = ConfigDict(extra="forbid")

    body_cues: list[str] = Field(default_factory=list, description=f"any of {list(BODY_CUES)}")
    emotion: str = Field(min_length=1, max_length=40, description="a vocabulary code or own word")
    intensity_before: int = Field(ge=0, le=10)
    next_step: str = Field("", max_length=2000)
    intensity_after: int | None = Field(None, ge=0, le=10)
    shared: bool | None = Field(None, description="default: the client's sharing preference")


class PauseOut(Schema):
    id: UUID
    client_id: UUID
    created_at: datetime
    body_cues: list[str]
    emotion: str
    intensity_before: int
    next_step: str
    intensity_after: int | None
    rated_again_at: datetime | None
    shared: bool


class PauseCreatedOut(PauseOut, RiskOut, GroundingOut):
    pass


def _out(pause: Pause) -> dict:
    return fields_from(pause, PauseOut)


@router.post(
    "/clients/{client_id}/pauses",
    response=answers(PauseCreatedOut, 403, 404, 422, created=True),
    summary="Log a pause (the client themself; write scope)",
)
def create_pause(
    request,
    client_id: UUID,
    payload: PauseIn,
    idempotency_key: RequiredIdempotencyKey = None,
):
    """Send an ``Idempotency-Key`` header (a UUID): a replay answers 200 with the same pause.

    Risk language in it answers ``risk: true`` with the client's ``crisis_resources``."""
    client = own_client(request, client_id, _("Only the client logs their own pauses."))
    data = payload.dict()
    after = data.pop("intensity_after")

    def log(key):
        pause, created = domain.log_pause(
            client, by=request.user, data=data, submission_id=key, request=request
        )
        if created and after is not None:
            domain.rate_again(pause, by=request.user, intensity_after=after, request=request)
        return pause, created

    key = required_idempotency_key(idempotency_key)
    return answer_created(
        log(key),
        lambda pause: {
            **_out(pause),
            **support.answer_risk_fields(client, pause, domain.overwhelm),
        },
    )


@router.get(
    "/clients/{client_id}/pauses",
    response=answers(list[PauseOut], 404),
    summary="Pauses the caller may see",
)
def list_pauses(request, client_id: UUID, page: Query[Page.up_to(domain.PAUSES_LIMIT)]):
    """The client gets all of their own; a care-team clinician only the shared ones."""
    client = policy.get_client_for_user(request.user, client_id)
    pauses = page.rows(request, domain.PAUSES_LIMIT, domain.pauses_for, client)
    return [_out(p) for p in pauses]
