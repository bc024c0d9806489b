"""The session brief: everything since the last session, for one client, read in two minutes.

:func:`build_brief` gathers one window of the client's days for a clinician on the care team, in a
fixed number of queries however much data there is. Client-authored entries appear only when the
client shared them (through ``policy.entries_visible_to``). Privacy choice, made conservatively:
the brief shows shared entries only and never counts private ones, because even "3 private journal
entries this week" tells the clinician something the client chose to keep to themself.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from securebase.audit.log import Action, record
from securebase.care import policy
from securebase.measures import definitions
from securebase.measures import domain as measures
from securebase.measures import targets as target_names
from securebase.measures.models import Score
from securebase.measures.presentation import VERDICT_TEXT
from securebase.measures.targets import target_label
from securebase.plan.checkins import domain as checkins
from securebase.plan.checkins import rules as schedules
from securebase.plan.goals import rules as gas
from securebase.plan.models import Checkin, CheckinSchedule, Goal, GoalRating, SessionTopic
from securebase.plan.progress import chart_texts, charts
from securebase.plan.sessions.domain import Window
from securebase.plan.sessions.domain import window as make_window
from securebase.practise.models import Attempt, Experiment, JournalEntry, Pause, ToolUse
from securebase.practise.pause import domain as pauses
from securebase.safety.models import Alert
from securebase.understand.models import Moment
from securebase.understand.moments import domain as moments_domain

CHECKIN_ITEMS = ("mood", "closeness", "felt_security")
MAX_ROWS = 200  # per section: a brief is a summary; the full lists are one click away


class NotOnCareTeam(PermissionError):
    """Only a clinician on the client's care team reads the brief."""


def verdict_view(verdict: str | None) -> dict | None:
    """A reliable-change verdict as words and a CSS class (colour is never the only cue)."""
    if verdict is None:
        return None
    return {"text": VERDICT_TEXT.get(verdict, verdict), "css": verdict.replace(" ", "-")}


@dataclass(frozen=True)
class SubscaleChange:
    name: str
    value: float | None
    band: str
    since_previous: str | None  # a reliable-change verdict, or None with nothing to compare
    since_first: str | None

    @property
    def previous_view(self) -> dict | None:
        return verdict_view(self.since_previous)

    @property
    def first_view(self) -> dict | None:
        return verdict_view(self.since_first)


@dataclass(frozen=True)
class MeasureRow:
    instrument: str
    target: str
    completed_at: dt.datetime
    subscales: list[SubscaleChange]
    is_first: bool  # the first score of this measure (and relationship): nothing to compare yet


@dataclass(frozen=True)
class MeasureSummary:
    """First and latest score of one instrument (and relationship) up to the window's end."""

    instrument: str
    target: str
    first_at: dt.datetime
    latest_at: dt.datetime
    subscales: list[dict]  # name, first, latest, verdict (latest vs first)
    count: int  # scores up to the window's end


@dataclass(frozen=True)
class GoalLine:
    goal: Goal
    latest_level: int | None
    latest_at: dt.datetime | None
    ratings_in_window: list[GoalRating]


@dataclass
class Brief:
    client: object
    window: Window
    risk_flags: list[Alert] = field(default_factory=list)
    topics: list[SessionTopic] = field(default_factory=list)
    moments: list[Moment] = field(default_factory=list)
    checkins: list[Checkin] = field(default_factory=list)
    checkin_chart: charts.Chart | None = None
    checkin_averages: dict[str, float | None] = field(default_factory=dict)
    has_schedule: bool = False
    missed: list[dt.datetime] = field(default_factory=list)
    measures: list[MeasureRow] = field(default_factory=list)
    measure_summaries: list[MeasureSummary] = field(default_factory=list)
    goals: list[GoalLine] = field(default_factory=list)
    gas_t_score: float | None = None
    attempts: list[Attempt] = field(default_factory=list)
    experiments: list[Experiment] = field(default_factory=list)
    practice: dict[str, int] = field(default_factory=dict)
    # Shared moments and pauses at 9–10 or felt numb or far away (safety.overwhelm): a count for
    # the conversation, not a risk flag.
    overwhelm: dict[str, int] = field(default_factory=dict)

    @property
    def open_risk_flags(self) -> list[Alert]:
        return [a for a in self.risk_flags if a.acknowledged_at is None]

    @property
    def overwhelm_total(self) -> int:
        return sum(self.overwhelm.values())

    @property
    def ratings_in_window(self) -> int:
        return sum(len(line.ratings_in_window) for line in self.goals)


def _in_window(window: Window, field_name: str) -> Q:
    return Q(**{f"{field_name}__gte": window.start_at, f"{field_name}__lt": window.end_at})


def build_brief(
    client,
    *,
    viewer,
    start: dt.date | None = None,
    end: dt.date | None = None,
    window: Window | None = None,
    request=None,
    export: bool = False,
) -> Brief:
    """The session brief of ``client`` for ``viewer``; audited as a read (or as an export).

    The period is the client's days ``start``…``end`` (inclusive), or a ready ``window`` such as
    :func:`securebase.plan.sessions.domain.since_last_session`.
    """
    if not policy.is_on_care_team(viewer, client):
        raise NotOnCareTeam(_("Only the client's care team reads the session brief."))
    if window is None:
        if start is None or end is None:
            raise ValueError("give start and end dates, or a window")
        window = make_window(client, start, end)
    brief = Brief(client=client, window=window)
    now = timezone.now()

    # Risk flags only (booster alerts are about tapering): every open one, and those raised in
    # the window; worded by safety.alerts in the template, as on the alerts page.
    brief.risk_flags = list(
        Alert.objects.filter(client=client, kind__in=Alert.RISK_KINDS)
        .filter(Q(acknowledged_at__isnull=True) | _in_window(window, "created_at"))
        .filter(created_at__lt=window.end_at)
        .select_related("administration")
        .order_by("acknowledged_at", "-created_at")[:MAX_ROWS]
    )
    brief.topics = list(
        SessionTopic.objects.filter(
            client=client, discussed_at__isnull=True, created_at__lt=window.end_at
        ).order_by("created_at")[:MAX_ROWS]
    )
    brief.moments = list(
        policy.entries_visible_to(viewer, client, Moment.objects)
        .filter(to_discuss=True, occurred_at__lt=window.end_at)
        .select_related("person")
        .order_by("-occurred_at")[:MAX_ROWS]
    )
    _checkins(brief, client, window, now)
    _measures(brief, client, window)
    _goals(brief, client, window)
    brief.attempts = list(
        policy.entries_visible_to(viewer, client, Attempt.objects)
        .filter(_in_window(window, "attempted_at"))
        .select_related("step", "step__ladder")
        .order_by("attempted_at")[:MAX_ROWS]
    )
    brief.experiments = list(
        policy.entries_visible_to(viewer, client, Experiment.objects)
        .filter(_in_window(window, "created_at") | _in_window(window, "done_at"))
        .order_by("-created_at")[:MAX_ROWS]
    )
    # Rows, not a count: the same query also tells which pauses were overwhelming.
    shared_pauses = list(
        policy.entries_visible_to(viewer, client, Pause.objects)
        .filter(_in_window(window, "created_at"))
        .only("id", "client_id", "intensity_before", "body_cues", "emotion")
    )
    shared_moments = list(
        policy.entries_visible_to(viewer, client, Moment.objects)
        .filter(_in_window(window, "occurred_at"))
        .only("id", "client_id", "body_cues", "emotions_json")
    )
    brief.overwhelm = {
        "moments": sum(1 for m in shared_moments if moments_domain.overwhelm(m)),
        "pauses": sum(1 for p in shared_pauses if pauses.overwhelm(p)),
    }
    brief.practice = {
        "pauses": len(shared_pauses),
        "tools": policy.entries_visible_to(viewer, client, ToolUse.objects)
        .filter(_in_window(window, "created_at"))
        .count(),
        "journal": policy.entries_visible_to(viewer, client, JournalEntry.objects)
        .filter(_in_window(window, "written_at"))
        .count(),
    }
    with transaction.atomic():
        record(
            actor=viewer,
            action=Action.EXPORT if export else Action.READ,
            object_type="session_brief",
            object_id=client.pk,
            client=client,
            request=request,
            detail={
                "start": window.start.isoformat(),
                "end": window.end.isoformat(),
                **({"format": "print"} if export else {}),
            },
        )
    return brief


def _checkins(brief: Brief, client, window: Window, now: dt.datetime) -> None:
    """Check-in ratings (for the care team by design) averaged per day, and missed slots."""
    brief.checkins = list(
        Checkin.objects.filter(client=client)
        .filter(_in_window(window, "completed_at"))
        .order_by("completed_at")
        .only("id", "client_id", "due_at", "completed_at", "late", *CHECKIN_ITEMS)
    )
    zone = client.zone
    per_day: dict[dt.date, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for checkin in brief.checkins:
        day = checkin.completed_at.astimezone(zone).date()
        for item in CHECKIN_ITEMS:
            per_day[day][item].append(getattr(checkin, item))
    labels = {
        "mood": _("Mood"),
        "closeness": _("Closeness"),
        "felt_security": _("Felt security"),
    }
    series = [
        charts.Series(
            labels[item],
            [
                (day, round(sum(values[item]) / len(values[item]), 1))
                for day, values in sorted(per_day.items())
            ],
        )
        for item in CHECKIN_ITEMS
    ]
    brief.checkin_chart = chart_texts.line_chart(
        "checkins",
        _("Check-ins (0–10, daily average)"),
        series,
        y_range=(0, 10),
        description=_("Mood, closeness and felt security from the client's check-ins."),
        start=window.start,
        end=window.end,
    )
    brief.checkin_averages = {
        item: (
            round(sum(getattr(c, item) for c in brief.checkins) / len(brief.checkins), 1)
            if brief.checkins
            else None
        )
        for item in CHECKIN_ITEMS
    }
    found = CheckinSchedule.objects.filter(client=client, active=True).first()
    brief.has_schedule = found is not None
    if found is None:
        return
    plan = checkins.as_schedule(found, client)
    if plan is None:
        return
    answered = [c.due_at for c in brief.checkins if c.due_at is not None]
    brief.missed = schedules.missed(
        plan, answered, min(now, window.end_at + schedules.ON_TIME), since=window.start_at
    )


def _measures(brief: Brief, client, window: Window) -> None:
    """Measures completed in the window with reliable change vs the previous and the first."""
    scores = list(
        Score.objects.filter(client=client, completed_at__lt=window.end_at).order_by(
            "completed_at", "id"
        )
    )
    by_key: dict[str, list[Score]] = defaultdict(list)
    for row in scores:
        by_key[row.instrument_key].append(row)
    labels = target_names.labels_for(client, [row.target for row in scores])
    registry = definitions.registry()
    for key, definition in registry.items():
        if key not in by_key:
            continue
        names = {sub.key: sub.name for sub in definition.subscales}
        for target, points in measures.history(by_key[key], key).items():
            label = target_label(target, labels) if target else ""
            for position, point in enumerate(points):
                if not window.start_at <= point.completed_at < window.end_at:
                    continue
                brief.measures.append(
                    MeasureRow(
                        definition.short_name,
                        label,
                        point.completed_at,
                        [
                            SubscaleChange(
                                names[sub],
                                value,
                                point.bands.get(sub, ""),
                                _verdict(point.since_previous.get(sub)),
                                _verdict(point.since_first.get(sub)),
                            )
                            for sub, value in point.scores.items()
                            if sub in names
                        ],
                        position == 0,
                    )
                )
            if points:
                first, latest = points[0], points[-1]
                brief.measure_summaries.append(
                    MeasureSummary(
                        definition.short_name,
                        label,
                        first.completed_at,
                        latest.completed_at,
                        [
                            {
                                "name": names[sub],
                                "first": first.scores.get(sub),
                                "latest": value,
                                "verdict": verdict_view(_verdict(latest.since_first.get(sub))),
                            }
                            for sub, value in latest.scores.items()
                            if sub in names
                        ],
                        len(points),
                    )
                )
    brief.measures.sort(key=lambda row: row.completed_at, reverse=True)


def _verdict(change) -> str | None:
    return change.verdict if change is not None else None


def _goals(brief: Brief, client, window: Window) -> None:
    """Active goals with their latest rating up to the window's end, and the GAS T-score then."""
    goals = list(Goal.objects.filter(client=client, active=True).order_by("created_at"))
    ratings = list(
        GoalRating.objects.filter(
            client=client, goal__active=True, rated_at__lt=window.end_at
        ).order_by("-rated_at")
    )
    latest: dict[object, GoalRating] = {}
    in_window: dict[object, list[GoalRating]] = defaultdict(list)
    for rating in ratings:
        latest.setdefault(rating.goal_id, rating)
        if rating.rated_at >= window.start_at:
            in_window[rating.goal_id].append(rating)
    brief.goals = [
        GoalLine(
            goal,
            latest[goal.pk].level if goal.pk in latest else None,
            latest[goal.pk].rated_at if goal.pk in latest else None,
            list(reversed(in_window.get(goal.pk, []))),
        )
        for goal in goals
    ]
    # Kiresuk & Sherman (1968), ρ = 0.3: over the latest rating of each active goal.
    brief.gas_t_score = gas.t_score(
        (line.latest_level, line.goal.weight)
        for line in brief.goals
        if line.latest_level is not None
    )
