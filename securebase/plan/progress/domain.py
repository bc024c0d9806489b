"""The client's progress, assembled once for the progress page, the API and the printable report.

:func:`build_progress` reads everything in a fixed number of queries, whatever the amount of data,
and returns plain dataclasses. What it shows depends on who looks (DESIGN.md section 3):

- the client sees all of their own record;
- a clinician on the care team sees measures, goals and check-in ratings (the check-in form tells the
  client the ratings go to the care team), and the client's practice entries (pauses, tool uses,
  ladder attempts, experiments, journal, people of the relationship map) only when shared, through
  ``policy.entries_visible_to``. Check-in notes are never part of progress.

A period (``start``/``end``, dates in the client's own time zone, both inclusive) narrows every
section. Within a period, a measure's change is its latest score against its first score *in the
period*; GAS uses each goal's latest rating up to the period's end; the streak counts back from the
period's end (or today). Milestones are found over the whole visible history up to the period's end
(a "first" is the first ever) and listed when they fall in the period.

Check-in trends are weekly means (ISO weeks in the client's time zone) in the API. The page's chart
shows daily means when the period's check-ins span at most :data:`DAILY_SPAN_DAYS` days and weekly
means (placed on each week's Monday) beyond that, so a long history stays readable on a phone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import ExpressionWrapper, F, Prefetch, TextField
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from securebase.audit.log import Action, record
from securebase.care import policy
from securebase.core import crypto
from securebase.measures import definitions
from securebase.measures import domain as measures_domain
from securebase.measures import targets as target_names
from securebase.measures.models import Score
from securebase.measures.presentation import VERDICT_TEXT, Panel, instrument_panels
from securebase.measures.targets import short_target_label, target_label
from securebase.plan.checkins import rules as schedule
from securebase.plan.goals import rules as gas
from securebase.plan.models import LEVEL_FIELDS, Checkin, Goal, GoalRating
from securebase.plan.progress import chart_texts, charts
from securebase.plan.progress import rules as milestones
from securebase.practise.models import (
    Attempt,
    Experiment,
    JournalEntry,
    Ladder,
    LadderStep,
    Pause,
    ToolUse,
)
from securebase.safety.models import Alert
from securebase.understand.models import Person
from securebase.understand.people import domain as people_domain

DAILY_SPAN_DAYS = 42  # up to six weeks of check-ins are drawn day by day, longer spans by week
RECENT_EXPERIMENTS = 3
CHECKIN_FIELDS = ("mood", "closeness", "felt_security")
MARK_OF_VERDICT = {
    "recovered": "improved",
    "reliably improved": "improved",
    "reliably deteriorated": "deteriorated",
}


# --- the result ---------------------------------------------------------------------------------


@dataclass
class WeekMean:
    week: str  # ISO week, "2025-W07"
    starts_on: dt.date  # its Monday
    count: int
    mood: float
    closeness: float
    felt_security: float


@dataclass
class CheckinProgress:
    count: int
    trend: list[WeekMean]
    chart: charts.Chart
    by_week: bool  # the chart shows weekly means (otherwise daily means)


@dataclass
class MeasureProgress:
    instrument: str
    instrument_name: str
    subscale: str
    subscale_name: str
    target: str  # a standard code or the key of a relationship the client named
    target_label: str
    target_short: str  # "Mother" rather than "Mother (or mother figure)", for narrow tables
    target_name: str  # the code, or the client's own words (what the API shows)
    first: float
    first_at: dt.datetime
    latest: float
    latest_at: dt.datetime
    count: int
    verdict: str | None  # the latest score against the first; None with one score or no RCI
    verdict_text: str
    better: str  # "lower" | "higher"


@dataclass
class LadderProgress:
    id: object
    title: str
    steps_total: int
    steps_climbed: int
    attempts: int


@dataclass
class ExperimentDone:
    id: object
    belief: str
    done_at: dt.datetime
    belief_before: int
    belief_after: int | None


@dataclass
class ExperimentProgress:
    done: int
    planned: int  # designed but not yet carried out
    recent: list[ExperimentDone]


@dataclass
class GoalProgress:
    id: object
    title: str
    dimension: str
    weight: int
    latest_level: int | None
    latest_text: str
    rated_at: dt.datetime | None

    @property
    def signed_level(self) -> str:
        """The level as people write it: +1, 0, −1."""
        level = self.latest_level
        if level is None:
            return ""
        return f"+{level}" if level > 0 else (f"\u2212{-level}" if level < 0 else "0")


@dataclass
class GasProgress:
    t_score: float | None
    goals_counted: int
    goals_unrated: int  # active goals never rated (left out of the T-score)
    rho: float
    goals: list[GoalProgress]


@dataclass
class StreakProgress:
    days: int  # consecutive days up to the period's end (or today) with any practice
    practice_days: int  # days in the period with any practice
    last_practised: dt.date | None


@dataclass
class PersonProgress:
    id: object
    label: str
    circle: str
    ratings: int
    latest: list  # understand.people.RatingChange, in the period
    chart: charts.Chart


@dataclass
class Progress:
    client: object
    own: bool  # the viewer is the client themself
    start: dt.date | None
    end: dt.date | None
    today: dt.date
    milestones: list[milestones.Milestone]
    checkins: CheckinProgress
    measures: list[MeasureProgress]
    measure_charts: list[charts.Chart]
    ladders: list[LadderProgress]
    experiments: ExperimentProgress
    gas: GasProgress
    streak: StreakProgress
    people: list[PersonProgress]
    planes: list[Panel] = field(default_factory=list)  # ECR-RS per relationship, ECR-R …


# --- building it ----------------------------------------------------------------------------------


def build_progress(
    client, *, viewer, start: dt.date | None = None, end: dt.date | None = None, request=None
) -> Progress:
    """Everything on the progress page for ``viewer``, in a fixed number of queries; audited.

    Raises Http404 unless the viewer is the client or a clinician on their care team.
    """
    own = policy.client_record_of(viewer) == client
    if not own and not policy.is_on_care_team(viewer, client):
        raise Http404("No such client.")
    zone = client.zone
    today = timezone.now().astimezone(zone).date()
    if start and end and start > end:
        start, end = end, start
    until = None
    if end is not None:
        until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)

    def local(moment: dt.datetime) -> dt.date:
        return moment.astimezone(zone).date()

    def in_period(moment: dt.datetime | dt.date | None) -> bool:
        if moment is None:
            return False
        day = local(moment) if isinstance(moment, dt.datetime) else moment
        return (start is None or day >= start) and (end is None or day <= end)

    def upto(queryset, field_name: str):
        return queryset.filter(**{f"{field_name}__lt": until}) if until else queryset

    # One query per kind of record, whatever the amount of data. Only the columns used are read:
    # encrypted free text is decrypted only where the page shows it.
    checkin_rows = [
        (local(at), *ratings)
        for at, *ratings in upto(Checkin.objects.filter(client=client), "completed_at")
        .order_by("completed_at")
        .values_list("completed_at", *CHECKIN_FIELDS)
    ]  # (the client's own day, mood, closeness, felt security), oldest first
    checkin_days = [row[0] for row in checkin_rows]
    score_rows = list(
        upto(Score.objects.filter(client=client), "completed_at").order_by("completed_at", "id")
    )
    flagged = set(
        Alert.objects.filter(client=client, kind=Alert.Kind.RISK_ITEM).values_list(
            "administration_id", flat=True
        )
    )
    ladders = list(
        Ladder.objects.filter(client=client, archived=False)
        .only("id", "title", "climb_peak", "climb_attempts", "created_at")
        .prefetch_related(
            Prefetch("steps", queryset=LadderStep.objects.only("id", "ladder_id", "position"))
        )
        .order_by("created_at")
    )
    attempts = list(
        upto(
            policy.entries_visible_to(
                viewer, client, Attempt.objects.filter(step__ladder__archived=False)
            ),
            "attempted_at",
        )
        .order_by("attempted_at", "created_at")
        .values_list("step_id", "attempted_at", "suds_peak")
    )
    # (id, done_at, created_at, belief_before, belief_after, belief still encrypted): only the
    # few recent beliefs shown are decrypted.
    experiments = list(
        upto(policy.entries_visible_to(viewer, client, Experiment.objects), "created_at")
        .order_by("-done_at", "-created_at")
        .annotate(sealed_belief=ExpressionWrapper(F("belief"), output_field=TextField()))
        .values_list(
            "pk", "done_at", "created_at", "belief_before", "belief_after", "sealed_belief"
        )
    )
    goals = list(
        Goal.objects.filter(client=client, active=True)
        .only("id", "title", "dimension", "weight", "created_at", *LEVEL_FIELDS.values())
        .order_by("created_at")
    )
    ratings = list(
        upto(GoalRating.objects.filter(client=client, goal__active=True), "rated_at")
        .order_by("rated_at")
        .values_list("goal_id", "level", "rated_at")
    )
    practice_times = [
        *upto(policy.entries_visible_to(viewer, client, Pause.objects), "created_at").values_list(
            "created_at", flat=True
        ),
        *upto(policy.entries_visible_to(viewer, client, ToolUse.objects), "created_at").values_list(
            "created_at", flat=True
        ),
        *upto(
            policy.entries_visible_to(viewer, client, JournalEntry.objects), "written_at"
        ).values_list("written_at", flat=True),
    ]
    people = people_domain.with_ratings(
        policy.entries_visible_to(viewer, client, Person.objects).filter(archived=False)
    )

    # --- check-ins
    period_checkins = [row for row in checkin_rows if in_period(row[0])]
    checkin_progress = _checkins(period_checkins, start, end)

    # --- measures: change within the period; milestones over the whole history
    period_scores = [row for row in score_rows if in_period(row.completed_at)]
    names = target_names.labels_for(client, [row.target for row in score_rows])
    panels = instrument_panels(period_scores, language=client.language, names=names)
    measures, measure_charts = _measures(panels, start, end, local)
    measure_points = _measure_points(score_rows, flagged, local)

    # --- ladders
    steps_by_id = {step.pk: (ladder, step) for ladder in ladders for step in ladder.steps.all()}
    attempts_by_step: dict = defaultdict(list)
    for step_id, at, peak in attempts:
        attempts_by_step[step_id].append(milestones.Attempt(local(at), peak))
    milestone_steps = [
        milestones.Step(attempts_by_step[step_id], ladder.climb_peak, ladder.climb_attempts)
        for step_id, (ladder, _step) in steps_by_id.items()
    ]
    ladder_progress = []
    for ladder in ladders:
        steps = list(ladder.steps.all())
        climbed = 0
        count = 0
        for step in steps:
            in_range = [a for a in attempts_by_step[step.pk] if in_period(a.date)]
            count += len(in_range)
            day = milestones.step_climbed_on(
                milestones.Step(attempts_by_step[step.pk], ladder.climb_peak, ladder.climb_attempts)
            )
            if day is not None and (end is None or day <= end):
                climbed += 1
        ladder_progress.append(LadderProgress(ladder.pk, ladder.title, len(steps), climbed, count))

    # --- experiments
    done = [e for e in experiments if e[1] is not None and in_period(e[1])]
    experiment_progress = ExperimentProgress(
        done=len(done),
        planned=sum(1 for e in experiments if e[1] is None and in_period(e[2])),
        recent=[
            ExperimentDone(pk, _unseal(sealed), done_at, before, after)
            for pk, done_at, _created, before, after, sealed in done[:RECENT_EXPERIMENTS]
        ],
    )

    # --- goals and GAS
    gas_progress, goal_histories = _gas(goals, ratings, local)

    # --- practice streak: any pause, tool use, ladder attempt, journal entry or check-in
    practice_days = {local(t) for t in practice_times}
    practice_days |= {local(at) for _s, at, _p in attempts}
    practice_days.update(checkin_days)
    last_day = min(end, today) if end else today
    days_in_period = sorted(d for d in practice_days if in_period(d) and d <= last_day)
    streak_progress = StreakProgress(
        days=schedule.streak([d for d in practice_days if d <= last_day], last_day),
        practice_days=len(days_in_period),
        last_practised=days_in_period[-1] if days_in_period else None,
    )

    # --- the relational picture
    people_progress = [_person(p, in_period, start, end, local) for p in people]
    planes = [panel for panel in panels if panel.plane]
    planes.sort(key=lambda p: not p.definition.targets)  # per-relationship (ECR-RS) first

    found = milestones.milestones(
        steps=milestone_steps,
        measures=measure_points,
        checkin_dates=checkin_days,
        experiments_done=[local(e[1]) for e in experiments if e[1] is not None],
        goals=goal_histories,
        gettext=_,
    )
    found = [m for m in found if in_period(m.date)]

    record(
        actor=viewer,
        action=Action.READ,
        object_type="progress",
        object_id=client.pk,
        client=client,
        request=request,
        detail={
            "from": start.isoformat() if start else None,
            "to": end.isoformat() if end else None,
        },
    )
    return Progress(
        client=client,
        own=own,
        start=start,
        end=end,
        today=today,
        milestones=found,
        checkins=checkin_progress,
        measures=measures,
        measure_charts=measure_charts,
        ladders=ladder_progress,
        experiments=experiment_progress,
        gas=gas_progress,
        streak=streak_progress,
        people=people_progress,
        planes=planes,
    )


# --- sections -------------------------------------------------------------------------------------


def _unseal(token: str | None) -> str:
    """An encrypted column read as stored (see EncryptedTextField), decrypted."""
    return crypto.reveal(token) if token else token


def iso_week(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _means(rows) -> tuple[float, float, float]:
    # The ratings are whole numbers, so sum/len is exactly statistics.fmean, only faster.
    n = len(rows)
    return tuple(round(sum(r[i] for r in rows) / n, 2) for i in (1, 2, 3))  # type: ignore[return-value]


def _checkins(rows, start, end) -> CheckinProgress:
    """``rows`` are (the client's own day, mood, closeness, felt security), oldest first."""
    by_week: dict[dt.date, list] = defaultdict(list)
    by_day: dict[dt.date, list] = defaultdict(list)
    for row in rows:
        day = row[0]
        by_day[day].append(row)
        by_week[day - dt.timedelta(days=day.weekday())].append(row)
    week_means = {monday: _means(group) for monday, group in sorted(by_week.items())}
    trend = [
        WeekMean(iso_week(monday), monday, len(by_week[monday]), *means)
        for monday, means in week_means.items()
    ]
    days = sorted(by_day)
    weekly = bool(days) and (days[-1] - days[0]).days > DAILY_SPAN_DAYS
    grouped = week_means if weekly else {day: _means(by_day[day]) for day in days}
    labels = {
        "mood": _("Mood"),
        "closeness": _("Closeness"),
        "felt_security": _("Felt security"),
    }
    series = []
    for index, name in enumerate(CHECKIN_FIELDS, start=1):
        points = [(day, means[index - 1]) for day, means in grouped.items()]
        series.append(charts.Series(str(labels[name]), points))
    description = (
        _("Weekly means of your check-ins, each rated 0 to 10; higher is better.")
        if weekly
        else _("Your check-ins, each rated 0 to 10 (the mean when there were several in a day).")
    )
    chart = chart_texts.line_chart(
        "checkins",
        _("Check-ins: mood, closeness and felt security"),
        series,
        y_range=(0, 10),
        description=description,
        start=start,
        end=end,
    )
    return CheckinProgress(len(rows), trend, chart, weekly)


def subscale_range(definition, sub) -> tuple[float, float]:
    """The lowest and highest score a subscale can take, from its items' scales."""
    scales = [definition.scale_of(n) for n in sub.items]
    if sub.method == "sum":
        return float(sum(s.min for s in scales)), float(sum(s.max for s in scales))
    if sub.method == "mean":
        return float(min(s.min for s in scales)), float(max(s.max for s in scales))
    ends = [
        sorted((sub.weights[n] * s.min, sub.weights[n] * s.max))
        for n, s in zip(sub.items, scales, strict=True)
    ]
    return float(sum(e[0] for e in ends)), float(sum(e[1] for e in ends))


def _measures(panels, start, end, local) -> tuple[list[MeasureProgress], list[charts.Chart]]:
    """Measures per subscale and relationship; points dated in the client's own days."""
    rows, drawn = [], []
    for panel in panels:
        definition = panel.definition
        for target, points in panel.targets.items():
            series, low, high = [], None, None
            for sub in definition.subscales:
                usable = [p for p in points if p.scores.get(sub.key) is not None]
                if not usable:
                    continue
                first, latest = usable[0], usable[-1]
                change = latest.since_first.get(sub.key) if len(usable) > 1 else None
                verdict = change.verdict if change is not None else None
                rows.append(
                    MeasureProgress(
                        instrument=definition.key,
                        instrument_name=definition.short_name,
                        subscale=sub.key,
                        subscale_name=sub.name,
                        target=target,
                        target_label=target_label(target, panel.names) if target else "",
                        target_short=short_target_label(target, panel.names) if target else "",
                        target_name=target_names.public_name(target, panel.names),
                        first=first.scores[sub.key],
                        first_at=first.completed_at,
                        latest=latest.scores[sub.key],
                        latest_at=latest.completed_at,
                        count=len(usable),
                        verdict=verdict,
                        verdict_text=str(VERDICT_TEXT[verdict]) if verdict else "",
                        better=sub.better,
                    )
                )
                marks = []
                for p in usable[1:]:
                    c = p.since_first.get(sub.key)
                    if c is not None and c.verdict in MARK_OF_VERDICT:
                        text = _("since the first score: %(verdict)s") % {
                            "verdict": VERDICT_TEXT[c.verdict]
                        }
                        marks.append((local(p.completed_at), MARK_OF_VERDICT[c.verdict], text))
                series.append(
                    charts.Series(
                        sub.name,
                        [(local(p.completed_at), p.scores[sub.key]) for p in usable],
                        marks,
                    )
                )
                lo, hi = subscale_range(definition, sub)
                low = lo if low is None else min(low, lo)
                high = hi if high is None else max(high, hi)
            if not series:
                continue
            title = definition.short_name
            if target:
                title = f"{title}: {target_label(target, panel.names)}"
            drawn.append(
                chart_texts.line_chart(
                    f"measure-{definition.key}-{target or 'all'}",
                    title,
                    series,
                    y_range=(low, high),
                    description=_(
                        "Scores over time. A triangle pointing up marks a reliable improvement "
                        "since the first score, one pointing down a reliable deterioration."
                    ),
                    start=start,
                    end=end,
                )
            )
    return rows, drawn


def _measure_points(score_rows, flagged, local) -> list[milestones.MeasurePoint]:
    by_key: dict[str, list] = defaultdict(list)
    for row in score_rows:
        by_key[row.instrument_key].append(row)
    out = []
    for key, rows in by_key.items():
        try:
            definition = definitions.get(key)
        except KeyError:
            continue
        risk_items = tuple(r.item for r in definition.risk_items)
        for target, points in measures_domain.history(rows, key).items():
            for point in points:
                for sub in definition.subscales:
                    change = point.since_first.get(sub.key)
                    out.append(
                        milestones.MeasurePoint(
                            instrument=key,
                            instrument_name=definition.short_name,
                            subscale=sub.key,
                            target=target,
                            date=local(point.completed_at),
                            verdict=change.verdict if change else None,
                            items=tuple(sub.items),
                            risk_items=risk_items,
                            risk_flagged=point.administration_id in flagged,
                        )
                    )
    return out


def _gas(goals, ratings, local) -> tuple[GasProgress, list[milestones.GoalHistory]]:
    history: dict = defaultdict(list)
    for goal_id, level, at in ratings:
        history[goal_id].append((level, at))  # oldest first
    rows, pairs, histories = [], [], []
    for goal in goals:
        rated = history.get(goal.pk, [])
        latest = rated[-1] if rated else None
        rows.append(
            GoalProgress(
                id=goal.pk,
                title=goal.title,
                dimension=goal.get_dimension_display(),
                weight=goal.weight,
                latest_level=latest[0] if latest else None,
                latest_text=goal.level_text(latest[0]) if latest else "",
                rated_at=latest[1] if latest else None,
            )
        )
        if latest:
            pairs.append((latest[0], goal.weight))
        histories.append(
            milestones.GoalHistory(str(goal.pk), goal.title, [(local(at), lv) for lv, at in rated])
        )
    score = gas.t_score(pairs, rho=gas.RHO)
    return (
        GasProgress(
            t_score=round(score, 2) if score is not None else None,
            goals_counted=len(pairs),
            goals_unrated=len(goals) - len(pairs),
            rho=gas.RHO,
            goals=rows,
        ),
        histories,
    )


def _person(person, in_period, start, end, local) -> PersonProgress:
    ratings = [r for r in person.rating_list if in_period(r.rated_at)]
    series = [
        charts.Series(str(label), [(local(r.rated_at), getattr(r, key)) for r in ratings])
        for key, label in people_domain.RATINGS.items()
    ]
    chart = chart_texts.line_chart(
        f"person-{person.pk}",
        _("How %(person)s usually responds") % {"person": person.label},
        series,
        y_range=(people_domain.SCALE_MIN, people_domain.SCALE_MAX),
        description=_("Each rated from 0 (never) to 4 (almost always)."),
        start=start,
        end=end,
    )
    return PersonProgress(
        id=person.pk,
        label=person.label,
        circle=person.get_circle_display(),
        ratings=len(ratings),
        latest=people_domain.latest_with_change(ratings),
        chart=chart,
    )
