"""The inputs of the pure rules (maintain/rules.py), read from a client's real data.

Each function is one query (or a fixed few), whatever the amount of data, and answers dates on the
client's own calendar. Measures become :class:`~securebase.maintain.rules.MeasureHistory` per
instrument, relationship and subscale, each keyed ``"instrument|target|subscale"`` so that the
rules never carry words; :func:`measure_label` turns a key back into words for the page.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from securebase.care import policy
from securebase.maintain.rules import Judge, MeasureHistory, RiskSignal
from securebase.measures import definitions
from securebase.measures import domain as measures
from securebase.measures.change import reliable_change
from securebase.measures.models import Score
from securebase.measures.targets import target_label
from securebase.plan.goals import domain as plan_goals
from securebase.plan.models import Checkin, Goal
from securebase.practise.models import Attempt, JournalEntry, Pause, ToolUse
from securebase.safety.models import Alert


def zone_of(client) -> ZoneInfo:
    return client.zone


def local_date(moment: dt.datetime, zone: ZoneInfo) -> dt.date:
    return moment.astimezone(zone).date()


def today_for(client) -> dt.date:
    return local_date(timezone.now(), zone_of(client))


def measure_key(instrument: str, target: str, subscale: str) -> str:
    return f"{instrument}|{target}|{subscale}"


def measure_label(key: str, names: dict[str, str] | None = None) -> str:
    """ "PHQ-9", "ECR-RS · Partner · Anxiety": the words of a measure key, for people.

    ``names``: the client's named relationships (``measures.targets.labels_for``)."""
    instrument, target, subscale = (key.split("|") + ["", ""])[:3]
    try:
        definition = definitions.get(instrument)
    except KeyError:
        return instrument
    parts = [definition.short_name]
    if target:
        parts.append(target_label(target, names))
    if len(definition.subscales) > 1:
        names = {sub.key: sub.name for sub in definition.subscales}
        parts.append(str(names.get(subscale, subscale)))
    return " · ".join(parts)


def judge_for(subscale) -> Judge:
    """Jacobson–Truax reliable change with the subscale's own figures and direction
    (securebase/measures/change.py): (earlier, later) → the later score's verdict."""
    spec, better, cutoff = subscale.reliable_change, subscale.better, subscale.cutoff

    def judge(earlier: float, later: float) -> str:
        return reliable_change(earlier, later, spec, better=better, cutoff=cutoff).verdict

    return judge


def measure_histories(score_rows, zone: ZoneInfo) -> list[MeasureHistory]:
    """Score rows (any order) as dated scores, one history per instrument, relationship and
    subscale that has a reliable-change rule, each with its :func:`judge_for`.

    The rules choose what each score is compared with (maintain/rules.py), never the first score
    of all by default.
    """
    by_key: dict[str, list] = defaultdict(list)
    for row in sorted(score_rows, key=lambda r: (r.completed_at, r.pk or 0)):
        by_key[row.instrument_key].append(row)
    out = []
    registry = definitions.registry()
    for key, definition in registry.items():
        if key not in by_key:
            continue
        ruled = [sub for sub in definition.subscales if sub.reliable_change is not None]
        for target, points in measures.history(by_key[key], key).items():
            for sub in ruled:
                scores = [
                    (local_date(point.completed_at, zone), float(point.scores[sub.key]))
                    for point in points
                    if point.scores.get(sub.key) is not None
                ]
                if scores:
                    out.append(
                        MeasureHistory(measure_key(key, target, sub.key), scores, judge_for(sub))
                    )
    return out


def target_of(key: str) -> str:
    """The relationship part of a measure key ("" when there is none)."""
    return (key.split("|") + ["", ""])[1]


def client_measure_histories(client) -> list[MeasureHistory]:
    """All of a client's measures (one query)."""
    rows = Score.objects.filter(client=client).order_by("completed_at", "id")
    return measure_histories(rows, zone_of(client))


def risk_signals(client, today: dt.date, weeks: int) -> list[RiskSignal]:
    """The client's risk flags of the last ``weeks`` weeks and those still open (one query)."""
    zone = zone_of(client)
    since = dt.datetime.combine(today - dt.timedelta(weeks=weeks), dt.time.min, tzinfo=zone)
    rows = Alert.objects.filter(
        Q(created_at__gte=since) | Q(acknowledged_at__isnull=True),
        client=client,
        kind__in=Alert.RISK_KINDS,
    ).values_list("created_at", "acknowledged_at")
    return [
        RiskSignal(local_date(created, zone), acknowledged is None)
        for created, acknowledged in rows
    ]


def goal_levels(client) -> list[int | None]:
    """The latest GAS level of each active goal, None when never rated (two queries)."""
    ids = list(Goal.objects.filter(client=client, active=True).values_list("pk", flat=True))
    levels = plan_goals.latest_levels(ids)
    return [levels[pk] for pk in ids]


def practice_days(client, *, viewer=None) -> list[dt.date]:
    """Days with practice: pauses, tool uses, ladder attempts, journal entries and check-ins.

    One query (a UNION). With a ``viewer``, only the entries that person may see count (a
    clinician sees shared entries; check-ins are always seen by the care team); without one (a
    background job), all of them.
    """

    def visible(queryset):
        if viewer is None:
            return queryset.filter(client=client)
        return policy.entries_visible_to(viewer, client, queryset)

    parts = [
        visible(Pause.objects).order_by().values_list("created_at", flat=True),
        visible(ToolUse.objects).order_by().values_list("created_at", flat=True),
        visible(Attempt.objects).order_by().values_list("attempted_at", flat=True),
        visible(JournalEntry.objects).order_by().values_list("written_at", flat=True),
    ]
    checkins = (
        Checkin.objects.filter(client=client).order_by().values_list("completed_at", flat=True)
    )
    moments = parts[0].union(*parts[1:], checkins, all=True)
    zone = zone_of(client)
    return sorted({local_date(moment, zone) for moment in moments})


def felt_security(client, *, since: dt.date | None = None) -> list[tuple[dt.date, float]]:
    """Check-in felt security (0–10) by day, oldest first (one query)."""
    rows = Checkin.objects.filter(client=client).order_by("completed_at")
    zone = zone_of(client)
    if since is not None:
        start = dt.datetime.combine(since, dt.time.min, tzinfo=zone)
        rows = rows.filter(completed_at__gte=start)
    return [
        (local_date(at, zone), float(value))
        for at, value in rows.values_list("completed_at", "felt_security")
    ]
