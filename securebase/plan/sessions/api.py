"""Therapy sessions in the JSON API: the care team records them; the same domain as the pages."""

from __future__ import annotations

import datetime as dt
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
    fields_from,
    required_idempotency_key,
)
from securebase.api.schemas import answers
from securebase.care import policy
from securebase.plan.models import TherapySession
from securebase.plan.sessions import domain as sessions

router = Router(tags=["sessions"])


class SessionIn(Input):
    model_config = ConfigDict(extra="forbid", strict=True)

    date: dt.date = Field(strict=False, description="the session's date, YYYY-MM-DD")
    attended: bool = Field(description="false when the client did not come")


class SessionOut(Schema):
    id: UUID
    client_id: UUID
    date: dt.date
    attended: bool
    recorded_at: dt.datetime


def _out(session: TherapySession) -> dict:
    return fields_from(session, SessionOut, date=session.held_on)


@router.post(
    "/clients/{client_id}/sessions",
    response=answers(SessionOut, 403, 404, 422, created=True),
    summary="Record a session (the care team; write scope)",
)
def create_session(
    request,
    client_id: UUID,
    payload: SessionIn,
    idempotency_key: RequiredIdempotencyKey = None,
):
    """Send an ``Idempotency-Key`` header (a UUID): a replay answers 200 with the same session.

    The session's date starts the next "since last session" window of the session brief.
    """
    client = policy.get_client_for_user(request.user, client_id)
    if not policy.is_on_care_team(request.user, client):
        raise HttpError(403, _("Only the client's care team records sessions."))
    key = required_idempotency_key(idempotency_key)
    return answer_created(
        sessions.record_session(
            client,
            by=request.user,
            held_on=payload.date,
            attended=payload.attended,
            submission_id=key,
            request=request,
        ),
        _out,
    )


@router.get(
    "/clients/{client_id}/sessions",
    response=answers(list[SessionOut], 404),
    summary="Sessions of a client, newest first",
)
def list_sessions(request, client_id: UUID, page: Query[Page.up_to(sessions.SESSIONS_LIMIT)]):
    """The client sees their own sessions; a care-team clinician those of their clients."""
    client = policy.get_client_for_user(request.user, client_id)
    found = page.rows(request, sessions.SESSIONS_LIMIT, sessions.sessions_for, client)
    return [_out(s) for s in found]
