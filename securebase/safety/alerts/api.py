"""The care team's alerts in the JSON API: the same policy, wording and domain as the alerts page.

``GET /alerts`` lists the open alerts of the clients on the caller's care teams (any token);
``POST /alerts/{id}/acknowledge`` closes one with a note (write scope). Anyone else sees no alerts
and gets 404 for an alert id. An alert never carries the client's words: for an entry the client
did not share, ``source.id`` is null and ``source.shared`` false.

Acknowledging twice: sending the same note again (a retry) answers 200 with the alert unchanged;
a different note for an alert already acknowledged answers 409 and is not saved, so a second
clinician learns that someone else closed it first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict, Field

from securebase.api.common import Input, Page
from securebase.api.schemas import answers
from securebase.care import policy
from securebase.safety.alerts import domain
from securebase.safety.flags import domain as flags
from securebase.safety.models import Alert

router = Router(tags=["alerts"])

Kind = Literal["risk_item", "risk_checkin", "risk_words", "booster"]


class AlertSourceOut(Schema):
    type: str = Field(description='"administration", "checkin", "moment", "journal", …')
    id: UUID | None = Field(description="the entry's id; null when the client did not share it")
    shared: bool
    description: str = Field(description="what raised the alert, in words (never the client's)")


class AlertReasonOut(Schema):
    category: str = Field(
        description="behaviour, preparatory, plan, intent, method, ideation, wish_dead, self_harm"
    )
    layer: Literal["lexicon", "semantic"] = Field(description="the phrase list, or by meaning")
    score: float | None = Field(None, description="the semantic layer's similarity (0–1)")


class AlertOut(Schema):
    id: UUID
    client: UUID
    kind: Kind
    source: AlertSourceOut
    reasons: list[AlertReasonOut] = Field(
        description="for risk words: why (category and layer), never the client's words"
    )
    raised_at: datetime
    emailed_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None = Field(description="the clinician's name")
    note: str | None = Field(description="the acknowledgement note (care team only)")


class AcknowledgeIn(Input):
    model_config = ConfigDict(extra="forbid", strict=True)

    note: str = Field(
        min_length=1, max_length=domain.NOTE_LIMIT, description="what was done or decided"
    )


def _out(alert: Alert) -> dict:
    shared = alert.source_shared
    return {
        "id": alert.pk,
        "client": alert.client_id,
        "kind": alert.kind,
        "source": {
            "type": alert.source_type,
            "id": alert.source_id if shared else None,
            "shared": shared,
            "description": domain.describe(alert),
        },
        "reasons": (alert.detail or {}).get("reasons", [])
        if alert.kind == Alert.Kind.RISK_WORDS
        else [],
        "raised_at": alert.created_at,
        "emailed_at": alert.emailed_at,
        "acknowledged_at": alert.acknowledged_at,
        "acknowledged_by": alert.acknowledged_by.display_name if alert.acknowledged_by else None,
        "note": (alert.acknowledgement or None) if alert.acknowledged_at else None,
    }


@router.get(
    "/alerts",
    response=answers(list[AlertOut], 404),
    summary="Open alerts of the clients on your care teams, newest first (clinicians)",
)
def list_alerts(request, page: Query[Page.up_to(domain.ALERTS_LIMIT)]):
    alerts = page.rows(request, domain.ALERTS_LIMIT, domain.open_alerts_for)
    return [_out(alert) for alert in alerts]


@router.post(
    "/alerts/{alert_id}/acknowledge",
    response=answers(AlertOut, 403, 404, 409, 422),
    summary="Acknowledge an alert with a note (write scope)",
)
def acknowledge_alert(request, alert_id: UUID, payload: AcknowledgeIn):
    """Close the alert with a note on what was done or decided. The same note again answers 200
    unchanged; a different note for an alert already acknowledged answers 409 (not saved)."""
    alert = policy.get_alert_for_user(request.user, alert_id)
    note = payload.note.strip()
    if alert.acknowledged_at is None:
        alert = flags.acknowledge(alert, by=request.user, note=note, request=request)
    if alert.acknowledgement != note:
        raise HttpError(
            409,
            _("This alert was already acknowledged by someone else, with their own note. ")
            + _("Your note was not saved."),
        )
    return _out(alert)
