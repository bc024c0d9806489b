from __future__ import annotations

from uuid import UUID

from ninja import Schema
from pydantic import ConfigDict, EmailStr, Field


class ErrorOut(Schema):
    detail: str
    errors: list[dict] | None = None


class MeOut(Schema):
    id: int
    email: str
    name: str
    language: str
    roles: list[str]
    client_id: UUID | None


class ClinicianOut(Schema):
    id: int
    name: str
    email: str
    role: str


class ClientOut(Schema):
    id: UUID
    name: str
    preferred_name: str
    email: str
    language: str
    status: str
    has_account: bool
    partner_id: UUID | None
    care_team: list[ClinicianOut]


class ClientDetailOut(ClientOut):
    referral_reason: str | None = Field(
        None, description="Written by the care team; shown to care-team clinicians only."
    )


class ClientIn(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)

    name: str = Field(min_length=1, max_length=150)
    preferred_name: str = Field("", max_length=80)
    email: EmailStr
    language: str = Field("en", pattern="^(en|es)$")
    referral_reason: str = Field("", max_length=20000)
