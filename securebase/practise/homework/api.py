"""Homework in the JSON API.

Issue 5 names ``/clients/{id}/assignments`` for homework; ``/clients/{id}/homework`` answers the
same (an alias kept for earlier callers). Measure assignments live at
``/clients/{id}/measure-assignments`` (securebase/measures/api.py).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from securebase.api.common import (
    IdempotencyKey,
    Input,
    Page,
    RequiredIdempotencyKey,
    answer_created,
    fields_from,
    required_idempotency_key,
)
from securebase.api.schemas import answers
from securebase.care import policy
from securebase.practise.homework import domain
from securebase.practise.models import Homework

router = Router(tags=["homework"])


class HomeworkIn(Input):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["ladder_step", "experiment", "tool", "reading", "pause", "journal"]
    target: str = Field("", max_length=80, description="step id, tool code, learn slug …")
    note: str = Field("", max_length=2000)
    due_on: date
    schedule: Literal["once", "daily", "weekly"] = "once"


class HomeworkOut(Schema):
    id: UUID
    client_id: UUID
    kind: str
    target: str
    note: str
    due_on: date
    schedule: str
    active: bool
    done_at: datetime | None
    done_for_now: bool


def _out(homework: Homework) -> dict:
    return fields_from(homework, HomeworkOut, done_for_now=domain.done_for_now(homework))


@router.post(
    "/clients/{client_id}/assignments",
    response=answers(HomeworkOut, 404, 422, created=True),
    summary="Assign homework (a care-team clinician; write scope)",
)
def assign_homework(
    request,
    client_id: UUID,
    payload: HomeworkIn,
    idempotency_key: RequiredIdempotencyKey = None,
):
    client = policy.get_client_for_care_team(request.user, client_id)
    key = required_idempotency_key(idempotency_key)
    return answer_created(
        domain.assign(
            client, by=request.user, data=payload.dict(), submission_id=key, request=request
        ),
        _out,
    )


@router.get(
    "/clients/{client_id}/assignments",
    response=answers(list[HomeworkOut], 404),
    summary="Active homework of a client (the client or their care team)",
)
def list_homework(request, client_id: UUID, page: Query[Page.up_to(domain.HOMEWORK_LIMIT)]):
    client = policy.get_client_for_user(request.user, client_id)
    found = page.rows(request, domain.HOMEWORK_LIMIT, domain.homework_for, client)
    return [_out(h) for h in found]


@router.post(
    "/clients/{client_id}/homework",
    response=answers(HomeworkOut, 404, 422, created=True),
    summary="Assign homework (alias of /clients/{client_id}/assignments)",
)
def assign_homework_alias(
    request,
    client_id: UUID,
    payload: HomeworkIn,
    idempotency_key: IdempotencyKey = None,
):
    return assign_homework(request, client_id, payload, idempotency_key)


@router.get(
    "/clients/{client_id}/homework",
    response=answers(list[HomeworkOut], 404),
    summary="Active homework of a client (alias of /clients/{client_id}/assignments)",
)
def list_homework_alias(request, client_id: UUID, page: Query[Page.up_to(domain.HOMEWORK_LIMIT)]):
    return list_homework(request, client_id, page)


@router.post(
    "/homework/{homework_id}/done",
    response=answers(HomeworkOut, 404),
    summary="The client marks homework done (write scope)",
)
def homework_done(request, homework_id: UUID):
    homework = domain.get_own_homework(request.user, homework_id)
    return _out(domain.mark_done(homework, by=request.user, request=request))
