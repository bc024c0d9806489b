"""Attachment ladders in the JSON API: the same policy and domain as the web pages."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict, Field

from securebase.api.common import (
    Input,
    Page,
    RequiredIdempotencyKey,
    answer_created,
    body_with_sharing,
    fields_from,
    only_the_client,
    required_idempotency_key,
)
from securebase.api.schemas import EmotionIn, RiskOut, answers
from securebase.care import policy
from securebase.practise.ladder import domain
from securebase.practise.models import Attempt, Ladder
from securebase.safety.flags import support

router = Router(tags=["ladders"])


class LadderStepIn(Input):
    model_config = ConfigDict(extra="forbid")

    description: str = Field(min_length=1, max_length=2000)
    predicted_suds: int = Field(ge=0, le=100)


class LadderIn(Input):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    climb_peak: int = Field(40, ge=0, le=100)
    climb_attempts: int = Field(2, ge=1, le=10)
    steps: list[LadderStepIn] = Field(min_length=1, max_length=domain.MAX_STEPS)


class SummaryOut(Schema):
    attempts: int
    predicted: int
    first_peak: int | None
    latest_peak: int | None
    lowest_peak: int | None
    mean_peak: float | None
    difference: int | None
    streak: int


class LadderStepOut(Schema):
    id: UUID
    ladder_id: UUID
    position: int
    description: str
    predicted_suds: int
    climbed: bool
    suggested: bool
    summary: SummaryOut


class LadderOut(Schema):
    id: UUID
    client_id: UUID
    title: str
    climb_peak: int
    climb_attempts: int
    rule: str
    version: int
    steps: list[LadderStepOut]


class AttemptEmotionIn(EmotionIn):
    pass


class AttemptJournalIn(Input):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=10000)
    emotions: list[AttemptEmotionIn] = Field(default_factory=list, max_length=10)


class AttemptIn(Input):
    model_config = ConfigDict(extra="forbid")

    attempted_at: datetime | None = None
    suds_before: int = Field(ge=0, le=100)
    suds_peak: int = Field(ge=0, le=100)
    suds_after: int = Field(ge=0, le=100)
    notes: str = Field("", max_length=10000)
    shared: bool | None = Field(None, description="default: the client's sharing preference")
    journal: AttemptJournalIn | None = Field(None, description="a feelings-journal entry with it")


class AttemptOut(Schema):
    id: UUID
    step_id: UUID
    client_id: UUID
    attempted_at: datetime
    suds_before: int
    suds_peak: int
    suds_after: int
    notes: str
    shared: bool
    journal_ids: list[UUID]


class AttemptCreatedOut(AttemptOut, RiskOut):
    pass


def _step_out(row: dict) -> dict:
    step, summary = row["step"], row["summary"]
    return fields_from(
        step,
        LadderStepOut,
        climbed=summary.climbed,
        suggested=row["suggested"],
        summary=fields_from(summary, SummaryOut),
    )


def _ladder_out(user, item: Ladder) -> dict:
    view = domain.overview(user, item)
    return fields_from(
        item, LadderOut, rule=view["rule"], steps=[_step_out(row) for row in view["rows"]]
    )


def _attempt_out(attempt: Attempt, user, journal_ids: list | None = None) -> dict:
    if journal_ids is None:
        journal_ids = domain.journal_ids(user, attempt.client, [attempt])[attempt.pk]
    return fields_from(attempt, AttemptOut, journal_ids=journal_ids)


@router.post(
    "/clients/{client_id}/ladders",
    response=answers(LadderOut, 403, 404, 422, created=True),
    summary="Build a ladder (the client or a care-team clinician; write scope)",
)
def create_ladder(
    request,
    client_id: UUID,
    payload: LadderIn,
    idempotency_key: RequiredIdempotencyKey = None,
):
    """Send an ``Idempotency-Key`` header (a UUID): a replay answers 200 with the same ladder."""
    client = policy.get_client_for_user(request.user, client_id)
    if not domain.may_edit(request.user, client):
        raise HttpError(403, _("Only the client and their care team build ladders."))
    key = required_idempotency_key(idempotency_key)
    return answer_created(
        domain.create_ladder(
            client, by=request.user, data=payload.dict(), submission_id=key, request=request
        ),
        lambda ladder: _ladder_out(request.user, ladder),
    )


@router.get(
    "/clients/{client_id}/ladders",
    response=answers(list[LadderOut], 404),
    summary="A client's ladders (summaries over the attempts the caller may see)",
)
def list_ladders(request, client_id: UUID, page: Query[Page.up_to(domain.LADDERS_LIMIT)]):
    client = policy.get_client_for_user(request.user, client_id)
    ladders = page.rows(request, domain.LADDERS_LIMIT, domain.ladders_for, client)
    return [_ladder_out(request.user, item) for item in ladders]


@router.get("/ladder-steps/{step_id}", response=answers(LadderStepOut, 404))
def get_step(request, step_id: UUID):
    """A step with ``climbed`` per the ladder's rule and its SUDS summary."""
    return _step_out(domain.step_for(request.user, step_id, request=request))


@router.post(
    "/ladder-steps/{step_id}/attempts",
    response=answers(AttemptCreatedOut, 403, 404, 422, created=True),
    summary="Record an attempt at a step (the client themself; write scope)",
)
def create_attempt(
    request,
    step_id: UUID,
    payload: AttemptIn,
    idempotency_key: RequiredIdempotencyKey = None,
):
    """Ratings are SUDS 0–100; ``journal`` adds a feelings-journal entry shared like the attempt.

    Risk language in the notes or journal answers ``risk: true`` with ``crisis_resources``."""
    step = domain.get_step_for_user(request.user, step_id)
    client = step.ladder.client
    only_the_client(request.user, client, _("Only the client records their own attempts."))
    data = body_with_sharing(payload, client)
    key = required_idempotency_key(idempotency_key)
    return answer_created(
        domain.record_attempt(step, by=request.user, data=data, submission_id=key, request=request),
        lambda attempt: {
            **_attempt_out(attempt, request.user),
            **support.answer_risk_fields(client, attempt),
        },
    )


@router.get(
    "/ladder-steps/{step_id}/attempts",
    response=answers(list[AttemptOut], 404),
    summary="Attempts at a step the caller may see (a clinician: the shared ones)",
)
def list_attempts(request, step_id: UUID, page: Query[Page.up_to(domain.ATTEMPTS_LIMIT)]):
    step = domain.get_step_for_user(request.user, step_id)
    attempts = page.rows(request, domain.ATTEMPTS_LIMIT, domain.attempts_for, step)
    journal = domain.journal_ids(request.user, step.ladder.client, attempts)
    return [_attempt_out(a, request.user, journal[a.pk]) for a in attempts]
