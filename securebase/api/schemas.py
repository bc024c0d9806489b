from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal
from uuid import UUID

from django.utils import timezone
from django_countries import countries
from ninja import Schema
from pydantic import (
    AwareDatetime,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from securebase.api.common import Input
from securebase.core.identifiers import normalise_email
from securebase.measures import definitions


class ErrorOut(Schema):
    detail: str
    errors: list[dict] | None = None


def answers(out, *errors: int, created: bool = False) -> dict:
    """An operation's ``response=``: ``out`` with 200 (and with 201 too when it ``created``, 200
    then being a replay of its Idempotency-Key), and ``ErrorOut`` with each status of ``errors``."""
    return {200: out, **({201: out} if created else {}), **dict.fromkeys(errors, ErrorOut)}


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
    country: str = Field(description="ISO 3166-1 code of the country the client lives in.")
    status: str
    has_account: bool
    partner_id: UUID | None
    care_team: list[ClinicianOut]


class ClientDetailOut(ClientOut):
    referral_reason: str | None = Field(
        None, description="Written by the care team; shown to care-team clinicians only."
    )


class ClientIn(Input):
    model_config = ConfigDict(extra="forbid", strict=True)

    name: str = Field(min_length=1, max_length=150)
    preferred_name: str = Field("", max_length=80)
    email: EmailStr
    language: str = Field("en", pattern="^(en|es)$")
    country: str = Field(
        description='ISO 3166-1 alpha-2 code of the country the client lives in ("GB", '
        '"MX"): their crisis lines come from it, never from the language.'
    )
    referral_reason: str = Field("", max_length=20000)

    @field_validator("email", mode="before")
    @classmethod
    def _one_spelling(cls, value):
        return normalise_email(value) if isinstance(value, str) else value

    @field_validator("country")
    @classmethod
    def _iso_country(cls, value: str) -> str:
        code = value.strip().upper()
        if code not in countries:
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
        return code


# --- measures ------------------------------------------------------------------------------------

TargetName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


def _known_instrument(key: str) -> str:
    if key not in definitions.registry():
        known = ", ".join(sorted(definitions.registry()))
        raise ValueError(f"unknown instrument {key!r} (known: {known})")
    return key


class ItemScaleOut(Schema):
    min: int
    max: int


class ScaleOut(ItemScaleOut):
    min_label: str
    max_label: str


class SubscaleOut(Schema):
    key: str
    name: str
    method: str
    better: str
    items: list[int]
    has_reliable_change: bool
    cutoff: float | None


class InstrumentOut(Schema):
    key: str
    name: str
    short_name: str
    version: str
    validated: bool
    licence: str = Field(description="free, cc-by-nd, research-only, permission-needed, …")
    licence_statement: str
    item_count: int
    scale: ScaleOut
    item_scales: dict[str, ItemScaleOut] = Field(
        description="Items whose response scale differs from the instrument's, by item number."
    )
    subscales: list[SubscaleOut]
    targets: list[str] = Field(description="Standard relationships of per-target instruments.")
    wording_languages: list[str]
    available_to_clients: bool
    reason: str = Field(description="Why clients cannot complete it here yet ('' when they can).")


class AssignmentIn(Input):
    model_config = ConfigDict(extra="forbid", strict=True)

    instrument: str = Field(max_length=40)
    schedule: Literal["once", "weekly", "fortnightly", "monthly"] = "once"
    targets: list[TargetName] = Field(default_factory=list, max_length=10)

    @field_validator("instrument")
    @classmethod
    def known_instrument(cls, key: str) -> str:
        return _known_instrument(key)


class AssignmentOut(Schema):
    id: UUID
    client_id: UUID
    instrument: str
    instrument_name: str
    schedule: str
    targets: list[str] = Field(
        description="Standard relationships by code; one the client named, in their words."
    )
    next_due: date
    active: bool
    created_at: datetime


Answers = dict[str, Any]


class AdministrationIn(Input):
    """Either ``answers`` (item number → point chosen) or, per relationship, ``targets``."""

    model_config = ConfigDict(extra="forbid", strict=True)

    instrument: str = Field(max_length=40)
    answers: Answers | None = Field(
        None, description='Item number (1-based, as a string) to the point chosen: {"1": 2, …}.'
    )
    targets: dict[TargetName, Answers] | None = Field(
        None,
        description='For per-relationship instruments: {"partner": {"1": 5, …}, …}.',
        max_length=10,
    )
    completed_at: AwareDatetime | None = Field(
        None, strict=False, description="ISO 8601 with a time zone; defaults to now."
    )

    @field_validator("instrument")
    @classmethod
    def known_instrument(cls, key: str) -> str:
        return _known_instrument(key)

    @model_validator(mode="after")
    def _one_shape(self):
        if (self.answers is None) == (self.targets is None):
            raise ValueError("send either answers or targets (per relationship), not both")
        given = [self.answers] if self.answers is not None else list(self.targets.values())
        if not given or any(not a for a in given):
            raise ValueError("send at least one answer")
        if self.completed_at is not None and self.completed_at > timezone.now() + timedelta(
            minutes=5
        ):
            raise ValueError("completed_at is in the future")
        return self


class ResultOut(Schema):
    target: str = Field(description="The relationship; '' for instruments without targets.")
    scores: dict[str, float | None]
    bands: dict[str, str]
    flags: list[str]
    missing: list[int]


class CrisisResourceOut(Schema):
    name: str
    kind: Literal["emergency", "crisis_line", "directory"]
    phone: str | None
    text: str | None = Field(description="A number or keyword to text, when there is one.")
    web: str | None
    hours: str = Field(description="As its source states them; empty when it does not.")
    coverage: str = Field(
        description='Where it answers ("The whole country", "Bogotá only"); empty when '
        "its source does not say."
    )


class CrisisResourcesOut(Schema):
    country: str = Field(description="The country shown (INTL when the file has none for it).")
    name: str
    resources: list[CrisisResourceOut] = Field(description="Emergency numbers first.")


# A feeling named in an entry and how strong it was: the moments log's; the journal and the ladder's
# attempts subclass them under the names their API document has always used.
class EmotionIn(Input):
    model_config = ConfigDict(extra="forbid", strict=True)

    name: str = Field(min_length=1, max_length=40)
    intensity: int = Field(ge=0, le=10)


class EmotionOut(Schema):
    name: str
    intensity: int


class RiskOut(Schema):
    """What every create that can raise a risk flag answers, a replay included."""

    risk: bool = Field(
        description="The entry raised a risk flag: show the crisis resources at once. The care "
        "team has been told (for a private entry: where it came from, never the words)."
    )
    crisis_resources: CrisisResourcesOut | None = Field(
        description="The client's crisis lines when risk is true; null otherwise."
    )


class GroundingOut(Schema):
    """What a pause or a moment answers besides risk: whether to offer grounding."""

    grounding: bool = Field(
        description="Logged at 9–10 or feeling numb or far away, without a risk flag: meet the "
        "client with a few calm words and an offer of grounding (5-4-3-2-1) and of breathing "
        "without holds, not the crisis lines. No alert is raised; the session brief counts it."
    )


class AdministrationOut(RiskOut):
    id: UUID
    client_id: UUID
    instrument: str
    completed_at: datetime
    results: list[ResultOut]
    alert: bool = Field(description="A risk answer: show crisis resources at once.")
    support_url: str | None = Field(None, description="Where crisis resources are, when alert.")


class ChangeOut(Schema):
    verdict: str
    pre: float
    post: float
    difference: float
    rc: float | None = Field(description="None when a published RCI in points is used.")
    smallest_reliable: float
    reliable: bool
    improved: bool | None
    crossed_cutoff: bool | None
    method: str


class PointOut(Schema):
    administration_id: UUID
    completed_at: datetime
    scores: dict[str, float | None]
    bands: dict[str, str]
    since_first: dict[str, ChangeOut]
    since_previous: dict[str, ChangeOut]


class TargetHistoryOut(Schema):
    target: str
    points: list[PointOut]


class InstrumentHistoryOut(Schema):
    instrument: str
    name: str
    short_name: str
    validated: bool
    subscales: list[SubscaleOut]
    targets: list[TargetHistoryOut]


class ScoresOut(Schema):
    client_id: UUID
    instruments: list[InstrumentHistoryOut]
