"""The relationship map in the JSON API: the same policy and domain as the web pages.

The client reads and writes their own people; a care-team clinician reads only the people the
client shared; anyone else gets 404.
"""

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
    fields_from,
    only_the_client,
    own_client,
    required_idempotency_key,
)
from securebase.api.schemas import answers
from securebase.care import policy
from securebase.understand.models import Person
from securebase.understand.people import domain

router = Router(tags=["relationship map"])

Rating = Field(ge=domain.SCALE_MIN, le=domain.SCALE_MAX)


class PersonRatingIn(Input):
    """How often this person responds so: 0 never, 1 rarely, 2 sometimes, 3 often, 4 almost always."""

    model_config = ConfigDict(extra="forbid", strict=True)

    reassurance: int = Rating
    criticism: int = Rating
    withdrawal: int = Rating
    reliability: int = Rating


class PersonIn(Input):
    model_config = ConfigDict(extra="forbid", strict=True)

    name: str = Field(min_length=1, max_length=domain.NAME_MAX, description="Name or nickname.")
    term: str = Field(
        "", max_length=domain.TERM_MAX, description="The client's own word: partner, mum, …"
    )
    circle: Literal["inner", "middle", "outer"]
    shared: bool | None = Field(None, description="Default: the client's sharing preference.")
    ratings: PersonRatingIn | None = Field(None, description="An optional first rating.")


class PersonRatingOut(Schema):
    rated_at: datetime
    reassurance: int
    criticism: int
    withdrawal: int
    reliability: int


class PersonOut(Schema):
    id: UUID
    client_id: UUID
    name: str
    term: str
    circle: str
    shared: bool
    archived: bool
    created_at: datetime
    ratings: list[PersonRatingOut] = Field(description="Every rating, oldest first.")
    since_first: dict[str, int] | None = Field(
        description="Latest minus first rating, per kind; null until rated twice."
    )


def _out(person: Person) -> dict:
    ratings = person.rating_list
    since_first = None
    if len(ratings) > 1:
        since_first = {c.key: c.difference for c in domain.latest_with_change(ratings)}
    return fields_from(
        person,
        PersonOut,
        ratings=[fields_from(r, PersonRatingOut) for r in ratings],
        since_first=since_first,
    )


def _one(person: Person) -> dict:
    return _out(domain.with_ratings_of(person))


@router.get(
    "/clients/{client_id}/people",
    response=answers(list[PersonOut], 404),
    summary="The client's relationship map: the people the caller may see",
)
def list_people(
    request, client_id: UUID, page: Query[Page.up_to(domain.PEOPLE_LIMIT)], archived: bool = False
):
    """Inner circle first. The client gets all their people; a care-team clinician only the
    shared ones. ``archived=true`` lists the people taken off the map instead."""
    client = policy.get_client_for_user(request.user, client_id)
    people = page.rows(request, domain.PEOPLE_LIMIT, domain.people_for, client, archived=archived)
    return [_out(person) for person in people]


@router.post(
    "/clients/{client_id}/people",
    response=answers(PersonOut, 403, 404, 422, created=True),
    summary="Add a person to the relationship map (the client themself; write scope)",
)
def create_person(
    request,
    client_id: UUID,
    payload: PersonIn,
    idempotency_key: RequiredIdempotencyKey = None,
):
    """Needs an ``Idempotency-Key`` header (a UUID): a replay answers 200 with the same person;
    the same key with other details is refused (422)."""
    client = own_client(
        request, client_id, _("Only the client adds people to their relationship map.")
    )
    data = payload.dict()
    ratings = data.pop("ratings")
    key = required_idempotency_key(idempotency_key)
    return answer_created(
        domain.add_person(
            client=client,
            by=request.user,
            data=data,
            ratings=ratings,
            submission_id=key,
            request=request,
        ),
        _one,
    )


@router.get(
    "/people/{person_id}",
    response=answers(PersonOut, 404),
    summary="One person of a relationship map, with every rating",
)
def get_person(request, person_id: UUID):
    return _one(domain.person_for(request.user, person_id, request=request))


@router.post(
    "/people/{person_id}/ratings",
    response=answers(PersonOut, 403, 404, 422, created=True),
    summary="Re-rate how a person usually responds (the client themself; write scope)",
)
def create_rating(
    request,
    person_id: UUID,
    payload: PersonRatingIn,
    idempotency_key: RequiredIdempotencyKey = None,
):
    """Adds a rating; earlier ones are kept. Answers with the person and every rating. Needs an
    ``Idempotency-Key`` header: a replay answers 200 and records nothing new."""
    person = policy.get_entry_for_user(request.user, Person, person_id)
    only_the_client(
        request.user, person.client, _("Only the client rates the people on their map.")
    )
    key = required_idempotency_key(idempotency_key)
    return answer_created(
        domain.rate_person(
            person=person,
            by=request.user,
            ratings=payload.dict(),
            submission_id=key,
            request=request,
        ),
        lambda _rating: _one(person),
    )
