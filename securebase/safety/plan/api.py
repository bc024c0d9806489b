"""The safety plan in the JSON API: the same policy and domain as the web pages.

The client and the clinicians on their care team read and replace the plan; anyone else gets 404.
The plan is a shared document: a PUT sends the ``version`` it was read at, and a stale one answers
409 with the current version number, overwriting nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from ninja import Router, Schema
from pydantic import ConfigDict, Field

from securebase.api.common import Input, fields_from
from securebase.api.schemas import answers
from securebase.safety.plan import domain

router = Router(tags=["safety"])

Item = Annotated[str, Field(max_length=domain.ITEM_LIMIT)]


class ContactIn(Input):
    model_config = ConfigDict(extra="forbid", strict=True)

    name: str = Field("", max_length=domain.NAME_LIMIT)
    contact: str = Field("", max_length=domain.CONTACT_LIMIT, description="how to reach them")


class SectionsIn(Input):
    """The seven sections; each a list (of texts, or of contacts). Missing sections are empty."""

    model_config = ConfigDict(extra="forbid", strict=True)

    warning_signs: list[Item] = Field(default_factory=list, max_length=domain.MAX_ITEMS)
    coping: list[Item] = Field(
        default_factory=list, max_length=domain.MAX_ITEMS, description="internal coping"
    )
    distraction: list[Item] = Field(
        default_factory=list,
        max_length=domain.MAX_ITEMS,
        description="people and places that take the mind off things",
    )
    people: list[ContactIn] = Field(default_factory=list, max_length=domain.MAX_ITEMS)
    professionals: list[ContactIn] = Field(
        default_factory=list,
        max_length=domain.MAX_ITEMS,
        description="professionals, services and crisis lines",
    )
    safer_surroundings: list[Item] = Field(default_factory=list, max_length=domain.MAX_ITEMS)
    reasons_for_living: list[Item] = Field(default_factory=list, max_length=domain.MAX_ITEMS)


class SafetyPlanIn(Input):
    model_config = ConfigDict(extra="forbid", strict=True)

    version: int = Field(ge=1, description="the version the edit was made from")
    sections: SectionsIn


class ContactOut(Schema):
    name: str
    contact: str


class SectionsOut(Schema):
    warning_signs: list[str]
    coping: list[str]
    distraction: list[str]
    people: list[ContactOut]
    professionals: list[ContactOut]
    safer_surroundings: list[str]
    reasons_for_living: list[str]


class SafetyPlanOut(Schema):
    client_id: UUID
    version: int
    updated_at: datetime
    sections: SectionsOut


def _out(plan) -> dict:
    return fields_from(plan, SafetyPlanOut, sections=domain.content_of(plan))


@router.get(
    "/clients/{client_id}/safety-plan",
    response=answers(SafetyPlanOut, 404),
    summary="The client's safety plan (the client, or their care team)",
)
def get_safety_plan(request, client_id: UUID):
    return _out(domain.get_plan_for(request.user, client_id, request=request))


@router.put(
    "/clients/{client_id}/safety-plan",
    response=answers(SafetyPlanOut, 403, 404, 409, 422),
    summary="Replace the safety plan from the version it was read at (write scope)",
)
def put_safety_plan(request, client_id: UUID, payload: SafetyPlanIn):
    """Send the whole plan with ``version`` as read. If someone saved since, the answer is 409
    and nothing is overwritten: fetch the plan again, merge, and send it with the new version."""
    client = domain.client_for_plan(request.user, client_id)
    plan = domain.get_or_create_plan(client=client, by=request.user, request=request)
    saved = domain.save_plan(
        by=request.user,
        plan=plan,
        version=payload.version,
        content=payload.sections.model_dump(),
        request=request,
    )
    return _out(saved)


router.add_router("", "securebase.safety.alerts.api.router")  # the care team's alerts
