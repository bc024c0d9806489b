"""Experiments in the JSON API: the same policy and domain as the web pages."""

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
from securebase.api.schemas import RiskOut, answers
from securebase.care import policy
from securebase.practise.experiments import domain
from securebase.practise.models import Experiment
from securebase.safety.flags import support

router = Router(tags=["experiments"])


class ExperimentIn(Input):
    model_config = ConfigDict(extra="forbid")

    belief: str = Field(min_length=1, max_length=5000)
    belief_before: int = Field(ge=0, le=100, description="how strongly held, 0–100 %")
    prediction: str = Field("", max_length=5000)
    plan: str = Field("", max_length=5000)
    safety_behaviours: str = Field("", max_length=5000)
    outcome: str = Field("", max_length=5000)
    belief_after: int | None = Field(None, ge=0, le=100)
    learned: str = Field("", max_length=5000)
    shared: bool | None = Field(None, description="default: the client's sharing preference")


class ExperimentOut(Schema):
    id: UUID
    client_id: UUID
    belief: str
    belief_before: int
    prediction: str
    plan: str
    safety_behaviours: str
    outcome: str
    belief_after: int | None
    learned: str
    shared: bool
    done_at: datetime | None
    reviewed_at: datetime | None
    updated_at: datetime


class ExperimentCreatedOut(ExperimentOut, RiskOut):
    pass


def _out(experiment: Experiment) -> dict:
    return fields_from(experiment, ExperimentOut)


@router.post(
    "/clients/{client_id}/experiments",
    response=answers(ExperimentCreatedOut, 403, 404, 422, created=True),
    summary="Record a behavioural experiment (the client themself; write scope)",
)
def create_experiment(
    request,
    client_id: UUID,
    payload: ExperimentIn,
    idempotency_key: RequiredIdempotencyKey = None,
):
    """Send an ``Idempotency-Key`` header (a UUID): a replay answers 200 with the same one.

    Risk language in it answers ``risk: true`` with the client's ``crisis_resources``."""
    client = own_client(request, client_id, _("Only the client records their own experiments."))
    key = required_idempotency_key(idempotency_key)
    return answer_created(
        domain.create_experiment(
            client, by=request.user, data=payload.dict(), submission_id=key, request=request
        ),
        lambda experiment: {
            **_out(experiment),
            **support.answer_risk_fields(client, experiment),
        },
    )


@router.get(
    "/clients/{client_id}/experiments",
    response=answers(list[ExperimentOut], 404),
    summary="Experiments the caller may see",
)
def list_experiments(request, client_id: UUID, page: Query[Page.up_to(domain.EXPERIMENTS_LIMIT)]):
    """The client gets all of their own; a care-team clinician only the shared ones."""
    client = policy.get_client_for_user(request.user, client_id)
    found = page.rows(request, domain.EXPERIMENTS_LIMIT, domain.experiments_for, client)
    return [_out(e) for e in found]


@router.get("/experiments/{experiment_id}", response=answers(ExperimentOut, 404))
def get_experiment(request, experiment_id: UUID):
    return _out(domain.experiment_for(request.user, experiment_id, request=request))
