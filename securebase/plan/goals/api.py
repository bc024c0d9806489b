"""Collaborative goals in the JSON API: the same policy and domain as the web pages.

The client and the clinicians on their care team may create, edit and rate the client's goals;
anyone else gets 404. Goals are shared documents: an edit sends the ``version`` it was made from
and a stale one answers 409.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from ninja import Query, Router, Schema
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
from securebase.plan.goals import domain
from securebase.plan.models import LEVEL_FIELDS, Goal, GoalRating

router = Router(tags=["goals"])

Dimension = Literal["emotional", "behavioural", "relational"]
Who = Literal["client", "clinician", "together"]
LEVEL_KEYS = {level: str(level) for level in LEVEL_FIELDS}  # -2 → "-2", 1 → "1"


class LevelsIn(Input):
    """The five Goal Attainment Scaling descriptions, keyed by level as a string."""

    model_config = ConfigDict(extra="forbid", strict=True)

    minus_2: str = Field(
        alias="-2",
        min_length=1,
        max_length=domain.LEVEL_LIMIT,
        description="Much less than expected",
    )
    minus_1: str = Field(
        alias="-1",
        min_length=1,
        max_length=domain.LEVEL_LIMIT,
        description="Somewhat less than expected",
    )
    expected: str = Field(
        alias="0", min_length=1, max_length=domain.LEVEL_LIMIT, description="The expected outcome"
    )
    plus_1: str = Field(
        alias="1",
        min_length=1,
        max_length=domain.LEVEL_LIMIT,
        description="Somewhat more than expected",
    )
    plus_2: str = Field(
        alias="2",
        min_length=1,
        max_length=domain.LEVEL_LIMIT,
        description="Much more than expected",
    )

    def as_fields(self) -> dict:
        texts = {
            -2: self.minus_2,
            -1: self.minus_1,
            0: self.expected,
            1: self.plus_1,
            2: self.plus_2,
        }
        return {LEVEL_FIELDS[level]: text for level, text in texts.items()}


class StepIn(Input):
    model_config = ConfigDict(extra="forbid", strict=True)

    text: str = Field(min_length=1, max_length=domain.STEP_LIMIT)
    who: Who = "client"
    due_on: date | None = Field(None, strict=False, description="ISO date, e.g. 2027-03-31")
    done: bool = False


class GoalIn(Input):
    model_config = ConfigDict(extra="forbid", strict=True)

    title: str = Field(
        min_length=1,
        max_length=domain.TEXT_LIMITS["title"],
        description="The goal, in the client's words.",
    )
    why: str = Field("", max_length=domain.TEXT_LIMITS["why"], description="Why it matters.")
    dimension: Dimension
    weight: int = Field(1, ge=1, le=domain.MAX_WEIGHT, description="GAS weight; 1 for most goals.")
    levels: LevelsIn = Field(
        description='The five level descriptions: {"-2": …, "-1": …, "0": …, "1": …, "2": …}; '
        "0 is the expected outcome (Kiresuk & Sherman 1968)."
    )
    accountability: str = Field(
        "",
        max_length=domain.TEXT_LIMITS["accountability"],
        description="How we will know, e.g. '3 times before March'.",
    )
    target_date: date | None = Field(None, strict=False, description="ISO date.")
    baseline_level: int = Field(-1, ge=-2, le=2, description="Where the client starts (−2…+2).")
    steps: list[StepIn] = Field(default_factory=list, max_length=domain.MAX_STEPS)

    def domain_data(self) -> dict:
        data = self.model_dump(exclude={"levels", "steps", "version"})
        return {**data, **self.levels.as_fields()}

    def domain_steps(self) -> list[dict]:
        return [step.model_dump() for step in self.steps]


class GoalEditIn(GoalIn):
    version: int = Field(ge=1, description="The version the edit was made from.")


class RatingIn(Input):
    model_config = ConfigDict(extra="forbid", strict=True)

    level: int = Field(ge=-2, le=2, description="−2 … +2; 0 is the expected outcome.")
    note: str = Field("", max_length=domain.TEXT_LIMITS["why"])


class StepOut(Schema):
    text: str
    who: str
    due_on: date | None
    done: bool


class GoalOut(Schema):
    id: UUID
    client_id: UUID
    title: str
    why: str
    dimension: str
    accountability: str
    target_date: date | None
    weight: int
    baseline_level: int
    active: bool
    latest_level: int | None = Field(description="The latest rating; null if never rated.")
    levels: dict[str, str] = Field(description='{"-2": …, "-1": …, "0": …, "1": …, "2": …}')
    steps: list[StepOut]
    version: int
    created_at: datetime
    updated_at: datetime


class RatingOut(Schema):
    id: UUID
    goal_id: UUID
    client_id: UUID
    level: int
    note: str
    rated_at: datetime


def _goal_out(goal: Goal, latest_level: int | None) -> dict:
    return fields_from(
        goal,
        GoalOut,
        latest_level=latest_level,
        levels={key: goal.level_text(level) for level, key in LEVEL_KEYS.items()},
        steps=[
            fields_from(step, StepOut, done=step.done_at is not None) for step in goal.steps.all()
        ],
    )


def _one_out(goal: Goal) -> dict:
    goal = domain.with_steps(goal)
    return _goal_out(goal, domain.latest_levels([goal])[goal.pk])


def _rating_out(rating: GoalRating) -> dict:
    return fields_from(rating, RatingOut)


@router.post(
    "/clients/{client_id}/goals",
    response=answers(GoalOut, 403, 404, 422, created=True),
    summary="Set a goal with its five GAS levels (the client or a care-team clinician; write)",
)
def create_goal(
    request,
    client_id: UUID,
    payload: GoalIn,
    idempotency_key: RequiredIdempotencyKey = None,
):
    """Send an ``Idempotency-Key`` header (a UUID): a replay answers 200 with the same goal.

    ``levels`` is an object with the five descriptions keyed "-2", "-1", "0", "1", "2".
    """
    client = policy.get_client_for_plan_reader(request.user, client_id)
    key = required_idempotency_key(idempotency_key)
    return answer_created(
        domain.create_goal(
            client,
            by=request.user,
            data=payload.domain_data(),
            steps=payload.domain_steps(),
            submission_id=key,
            request=request,
        ),
        _one_out,
    )


@router.get(
    "/clients/{client_id}/goals",
    response=answers(list[GoalOut], 404),
    summary="A client's goals, active and archived, each with its latest level",
)
def list_goals(request, client_id: UUID, page: Query[Page.up_to(domain.GOALS_LIMIT)]):
    client = policy.get_client_for_plan_reader(request.user, client_id)
    goals = page.rows(request, domain.GOALS_LIMIT, domain.goals_for, client, with_steps=True)
    levels = domain.latest_levels(goals)
    return [_goal_out(goal, levels[goal.pk]) for goal in goals]


@router.get("/goals/{goal_id}", response=answers(GoalOut, 404), summary="One goal")
def get_goal(request, goal_id: UUID):
    goal = domain.get_goal_for(request.user, goal_id, request=request)
    return _one_out(goal)


@router.put(
    "/goals/{goal_id}",
    response=answers(GoalOut, 403, 404, 409, 422),
    summary="Replace a goal (and its steps) from the version it was read at (write scope)",
)
def edit_goal(request, goal_id: UUID, payload: GoalEditIn):
    """Send the whole goal with ``version`` as read. If someone saved since, the answer is 409
    and nothing is overwritten: fetch the goal again, merge, and send the new version."""
    goal = policy.get_goal_for_user(request.user, goal_id)
    goal = domain.edit_goal(
        goal,
        by=request.user,
        version=payload.version,
        data=payload.domain_data(),
        steps=payload.domain_steps(),
        request=request,
    )
    return _one_out(goal)


@router.post(
    "/goals/{goal_id}/ratings",
    response=answers(RatingOut, 403, 404, 422, created=True),
    summary="Rate a goal at a review, −2…+2 (write scope)",
)
def rate_goal(
    request,
    goal_id: UUID,
    payload: RatingIn,
    idempotency_key: RequiredIdempotencyKey = None,
):
    """Send an ``Idempotency-Key`` header (a UUID): a replay answers 200 with the same rating."""
    goal = policy.get_goal_for_user(request.user, goal_id)
    key = required_idempotency_key(idempotency_key)
    return answer_created(
        domain.rate_goal(
            goal,
            by=request.user,
            level=payload.level,
            note=payload.note,
            submission_id=key,
            request=request,
        ),
        _rating_out,
    )


@router.get(
    "/goals/{goal_id}/ratings",
    response=answers(list[RatingOut], 404),
    summary="A goal's ratings, newest first",
)
def list_ratings(request, goal_id: UUID, page: Query[Page.up_to(domain.RATINGS_LIMIT)]):
    goal = policy.get_goal_for_user(request.user, goal_id)
    ratings = page.rows(request, domain.RATINGS_LIMIT, domain.ratings_for, goal)
    return [_rating_out(r) for r in ratings]
