"""A client's progress in the JSON API: the same assembly (``plan.progress``) as the web page."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict, Field

from securebase.api.common import Input
from securebase.api.schemas import answers
from securebase.care import policy
from securebase.plan.progress.domain import Progress, build_progress
from securebase.plan.progress.periods import EARLIEST, LATEST

router = Router(tags=["progress"])

Verdict = Literal["recovered", "reliably improved", "reliably deteriorated", "no reliable change"]


class Out(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)


class GasOut(Out):
    t_score: float | None = Field(
        description="GAS T-score over the latest rating of each "
        "active goal, rounded to 2 decimals; null when none is rated"
    )
    goals_counted: int
    goals_unrated: int = Field(description="active goals never rated (left out of the score)")
    rho: float = Field(description="assumed correlation between goals (Kiresuk & Sherman: 0.3)")


class MeasureOut(Out):
    instrument: str
    subscale: str
    target: str = Field(description='the relationship (ECR-RS), or "" for none')
    first: float
    first_at: datetime
    latest: float
    latest_at: datetime
    verdict: Verdict | None = Field(
        description="reliable change of the latest score against the first; null with a single "
        "score or when the instrument has no reliable-change rule"
    )


class WeekOut(Out):
    week: str = Field(description="ISO week in the client's time zone, e.g. 2025-W07")
    count: int
    mood: float
    closeness: float
    felt_security: float


class CheckinsOut(Out):
    count: int
    trend: list[WeekOut] = Field(description="weekly means, oldest first")


class LadderProgressOut(Out):
    id: UUID
    steps_total: int
    steps_climbed: int
    attempts: int


class ExperimentsOut(Out):
    done: int
    planned: int


class StreakOut(Out):
    days: int = Field(description="days in a row with any practice, up to the end or today")
    practice_days: int
    last_practised: date | None


class MilestoneOut(Out):
    key: str
    date: date
    text: str


class ProgressOut(Out):
    client_id: UUID
    start: date | None
    end: date | None
    gas: GasOut
    measures: list[MeasureOut]
    checkins: CheckinsOut
    ladders: list[LadderProgressOut]
    experiments: ExperimentsOut
    streak: StreakOut
    milestones: list[MilestoneOut] = Field(description="newest first")


class PeriodIn(Input):
    model_config = ConfigDict(extra="forbid")

    start: date | None = Field(
        None, alias="from", ge=EARLIEST, le=LATEST, description="first day (client's time zone)"
    )
    end: date | None = Field(
        None, alias="to", ge=EARLIEST, le=LATEST, description="last day, inclusive"
    )


def progress_out(progress: Progress) -> dict:
    return {
        "client_id": progress.client.pk,
        "start": progress.start,
        "end": progress.end,
        "gas": {
            "t_score": progress.gas.t_score,
            "goals_counted": progress.gas.goals_counted,
            "goals_unrated": progress.gas.goals_unrated,
            "rho": progress.gas.rho,
        },
        "measures": [
            {
                "instrument": m.instrument,
                "subscale": m.subscale,
                "target": m.target_name,
                "first": float(m.first),
                "first_at": m.first_at,
                "latest": float(m.latest),
                "latest_at": m.latest_at,
                "verdict": m.verdict,
            }
            for m in progress.measures
        ],
        "checkins": {
            "count": progress.checkins.count,
            "trend": [
                {
                    "week": w.week,
                    "count": w.count,
                    "mood": float(w.mood),
                    "closeness": float(w.closeness),
                    "felt_security": float(w.felt_security),
                }
                for w in progress.checkins.trend
            ],
        },
        "ladders": [
            {
                "id": item.id,
                "steps_total": item.steps_total,
                "steps_climbed": item.steps_climbed,
                "attempts": item.attempts,
            }
            for item in progress.ladders
        ],
        "experiments": {"done": progress.experiments.done, "planned": progress.experiments.planned},
        "streak": {
            "days": progress.streak.days,
            "practice_days": progress.streak.practice_days,
            "last_practised": progress.streak.last_practised,
        },
        "milestones": [{"key": m.key, "date": m.date, "text": m.text} for m in progress.milestones],
    }


@router.get(
    "/clients/{client_id}/progress",
    response=answers(ProgressOut, 404, 422),
    summary="A client's progress: GAS, measures with reliable change, check-in trends and more",
)
def get_progress(
    request,
    client_id: UUID,
    period: Query[PeriodIn],
):
    """Read scope is enough. The client sees all of their own; a care-team clinician sees what the
    access rules allow (practice entries only when shared). Anyone else gets 404."""
    client = policy.get_client_for_plan_reader(request.user, client_id)
    start, end = period.start, period.end
    if start and end and start > end:
        raise HttpError(422, _("The start of the period comes after its end."))
    return progress_out(
        build_progress(client, viewer=request.user, start=start, end=end, request=request)
    )
