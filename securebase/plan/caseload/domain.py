"""The clinician's caseload: each client with last session, what is due next, and what needs a look;
and the same question from the client's side, their home page (:func:`home_for`).

Alerts are of four kinds: open risk alerts (a risk answer, a "yes" to the check-in's safety
question or risk words, not yet acknowledged with a note), a booster suggested (an open booster
alert after tapering or discharge), reliable
deterioration (the latest score of a measure is reliably worse than the client's first one on it,
Jacobson & Truax 1991 or the instrument's published RCI), and check-ins missed (an active schedule,
no check-in for ``missed_days`` days, and at least one check-in slot passed unanswered since).

The page must stay fast with 40 clients and two years of data each, so rows are built from a
constant number of queries whatever the caseload size and history: one query for the clients with
everything per client as correlated subqueries, one for their care teams, and one window query that
returns only the first and the latest score of each (client, instrument, subscale, target).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import Coalesce, FirstValue
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from securebase.audit.log import Action, record
from securebase.care import policy
from securebase.care.models import CareTeamMember, Invitation
from securebase.measures import definitions
from securebase.measures import targets as target_names
from securebase.measures.change import reliable_change
from securebase.measures.domain import due_assignments
from securebase.measures.models import Assignment, Score
from securebase.measures.targets import target_label
from securebase.plan.checkins import rules as slots
from securebase.plan.checkins.domain import as_schedule, due_now
from securebase.plan.models import Checkin, TherapySession
from securebase.practise.homework.domain import next_due_day, this_week
from securebase.practise.models import (
    Attempt,
    Experiment,
    Homework,
    Pause,
    Reflection,
    ToolUse,
)
from securebase.safety.models import Alert

SORTS = ("name", "last_session", "next_due", "alerts")
DEFAULT_SORT = "name"
MISSED_DAYS_RANGE = (1, 30)
# A schedule with any days has a slot in every 15 days, so looking further back adds nothing.
_MISSED_LOOKBACK = dt.timedelta(days=15)


def default_missed_days() -> int:
    return getattr(settings, "CASELOAD_MISSED_CHECKIN_DAYS", 3)


def parse_missed_days(raw) -> int:
    """The ``missed_days`` page parameter: a whole number of days 1–30, else the default."""
    try:
        days = int(str(raw).strip())
    except (TypeError, ValueError):
        return default_missed_days()
    low, high = MISSED_DAYS_RANGE
    return days if low <= days <= high else default_missed_days()


def parse_sort(raw) -> str:
    return raw if raw in SORTS else DEFAULT_SORT


@dataclass(frozen=True)
class DueItem:
    kind: str  # "checkin" | "measure" | "homework"
    label: str
    on: dt.date  # in the client's own calendar
    at: dt.datetime | None = None  # the check-in slot (aware), None for a day
    overdue: bool = False


@dataclass(frozen=True)
class CaseloadAlert:
    kind: str  # "risk" | "booster" | "deterioration" | "missed"
    label: str
    weight: int = 1  # how many things it stands for, for "most alerts first"


@dataclass
class Row:
    client: object
    last_session_on: dt.date | None
    last_session_attended: bool | None
    due: list[DueItem] = field(default_factory=list)
    alerts: list[CaseloadAlert] = field(default_factory=list)
    open_alerts: int = 0  # open risk and booster alerts, for the banner

    @property
    def next_due(self) -> DueItem | None:
        return self.due[0] if self.due else None

    @property
    def alert_count(self) -> int:
        return sum(a.weight for a in self.alerts)


class Caseload(list):
    """The rows, and what the page's alerts banner says about them."""

    @property
    def open_alerts(self) -> int:
        """Open alerts (risk and booster) of every client on the caseload: the banner's number."""
        return sum(row.open_alerts for row in self)

    @property
    def alerts_version(self) -> str:
        """Changes whenever the banner or any row's alerts would read differently, so a poll that
        finds nothing new can answer "no change" (and the page is not redrawn)."""
        digest = hashlib.sha256(str(self.open_alerts).encode())
        for row in sorted(self, key=lambda r: str(r.client.pk)):
            digest.update(str(row.client.pk).encode())
            for alert in row.alerts:
                digest.update(f"|{alert.kind}:{alert.label}".encode())
        return digest.hexdigest()[:16]


def caseload_rows(user, *, now=None, missed_days: int = 3, sort: str = DEFAULT_SORT) -> Caseload:
    """One row per client on this clinician's care teams, sorted as asked."""
    now = now or timezone.now()
    clients = list(_clients(user, timezone.localdate(now)))
    deteriorated = _reliable_deterioration([c.pk for c in clients])
    rows = []
    for client in clients:
        zone = client.zone
        today = now.astimezone(zone).date()
        schedule = _schedule_of(client)
        alerts = []
        if client.open_risk_alerts:
            alerts.append(
                CaseloadAlert(
                    "risk",
                    ngettext("%(n)d risk alert", "%(n)d risk alerts", client.open_risk_alerts)
                    % {"n": client.open_risk_alerts},
                    weight=client.open_risk_alerts,
                )
            )
        if client.open_booster_alerts:
            alerts.append(CaseloadAlert("booster", _("booster suggested")))
        alerts += [
            CaseloadAlert(
                "deterioration", _("reliable deterioration: %(measure)s") % {"measure": m}
            )
            for m in deteriorated.get(client.pk, [])
        ]
        quiet = _days_without_checkin(schedule, client, zone, now, missed_days)
        if quiet is not None:
            alerts.append(
                CaseloadAlert(
                    "missed",
                    ngettext("no check-in for %(n)d day", "no check-in for %(n)d days", quiet)
                    % {"n": quiet},
                )
            )
        rows.append(
            Row(
                client=client,
                last_session_on=client.last_session_on,
                last_session_attended=client.last_session_attended,
                due=_due_items(client, schedule, zone, now, today),
                alerts=alerts,
                open_alerts=client.open_risk_alerts + client.open_booster_alerts,
            )
        )
    return Caseload(sort_rows(rows, sort))


def read_caseload(user, *, missed_days: int, sort: str = DEFAULT_SORT, request=None) -> Caseload:
    """The clinician's caseload (:func:`caseload_rows`), audited as read."""
    rows = caseload_rows(user, missed_days=missed_days, sort=sort)
    _audit_read(by=user, rows=rows, request=request)
    return rows


def poll_caseload_alerts(
    user, *, missed_days: int, seen_version: str | None, request=None
) -> Caseload | None:
    """The caseload again for its alerts, audited as read; None (nothing read, nothing audited)
    when its alerts are still those of ``seen_version``, the version the page already shows."""
    rows = caseload_rows(user, missed_days=missed_days)
    if seen_version == rows.alerts_version:
        return None
    _audit_read(by=user, rows=rows, part="alerts", request=request)
    return rows


def _audit_read(*, by, rows: Caseload, part: str | None = None, request=None) -> None:
    """Note that the clinician read their caseload (``part``: only its alerts, from a poll)."""
    record(
        actor=by,
        action=Action.LIST,
        object_type="caseload",
        request=request,
        detail={"count": len(rows), **({"part": part} if part else {})},
    )


def sort_rows(rows: list[Row], sort: str) -> list[Row]:
    """Name A–Z; last session longest ago first (never seen first); next due soonest first
    (nothing due last); alerts most first. Ties by name."""
    rows = sorted(rows, key=lambda r: (r.client.display_name.casefold(), r.client.name.casefold()))
    if sort == "last_session":
        rows.sort(key=lambda r: r.last_session_on or dt.date.min)
    elif sort == "next_due":
        rows.sort(key=lambda r: _due_key(r.next_due))
    elif sort == "alerts":
        rows.sort(key=lambda r: -r.alert_count)
    return rows


# --- the queries ----------------------------------------------------------------------------------


def _clients(user, today: dt.date):
    """The caseload with everything per client as subqueries: one query, whatever the history."""
    sessions = TherapySession.objects.filter(client=OuterRef("pk")).order_by(
        "-held_on", "-recorded_at"
    )
    checkins = Checkin.objects.filter(client=OuterRef("pk")).order_by("-completed_at")

    def open_alerts(kinds):
        return (
            Alert.objects.filter(
                client=OuterRef("pk"), acknowledged_at__isnull=True, kind__in=kinds
            )
            .order_by()
            .values("client")
            .annotate(n=Count("pk"))
            .values("n")
        )

    measures = Assignment.objects.filter(client=OuterRef("pk"), active=True).order_by(
        "next_due", "created_at"
    )
    # One-off homework not yet done, or repeating homework that has not started yet: ongoing
    # daily or weekly practice is not a due date (the session brief shows practice use).
    homework = (
        Homework.objects.filter(client=OuterRef("pk"), active=True)
        .filter(
            Q(schedule=Homework.Schedule.ONCE, done_at__isnull=True)
            | (~Q(schedule=Homework.Schedule.ONCE) & Q(due_on__gt=today))
        )
        .order_by("due_on", "created_at")
    )
    invitations = Invitation.objects.filter(
        client=OuterRef("pk"), accepted_at__isnull=True, revoked_at__isnull=True
    )
    return (
        policy.caseload_clients(user)
        .select_related("partner", "checkin_schedule")
        .annotate(
            last_session_on=Subquery(sessions.values("held_on")[:1]),
            last_session_attended=Subquery(sessions.values("attended")[:1]),
            last_checkin_at=Subquery(checkins.values("completed_at")[:1]),
            open_risk_alerts=Coalesce(
                Subquery(open_alerts(Alert.RISK_KINDS), output_field=IntegerField()),
                0,
                output_field=IntegerField(),
            ),
            open_booster_alerts=Coalesce(
                Subquery(open_alerts([Alert.Kind.BOOSTER]), output_field=IntegerField()),
                0,
                output_field=IntegerField(),
            ),
            measure_due_on=Subquery(measures.values("next_due")[:1]),
            measure_key=Subquery(measures.values("instrument_key")[:1]),
            homework_due_on=Subquery(homework.values("due_on")[:1]),
            homework_kind=Subquery(homework.values("kind")[:1]),
            has_open_invitation=Exists(invitations),
        )
        .prefetch_related(
            Prefetch("care_team", queryset=CareTeamMember.objects.select_related("clinician"))
        )
        .order_by()  # names are encrypted: sort_rows orders the rows in Python
    )


def _rc_subscales() -> tuple[Q | None, dict]:
    """A filter for the subscales that have a reliable-change spec, and those subscales by key."""
    specs = {}
    query = None
    for key, definition in definitions.registry().items():
        subs = [s for s in definition.subscales if s.reliable_change is not None]
        for sub in subs:
            specs[(key, sub.key)] = (definition, sub, len(subs) > 1)
        if subs:
            part = Q(instrument_key=key, subscale__in=[s.key for s in subs])
            query = part if query is None else query | part
    return query, specs


def _reliable_deterioration(client_ids) -> dict:
    """Client id → names of the measures whose latest score is reliably worse than the first.

    One query: a window over each (client, instrument, subscale, target) gives its first and
    latest value, so only one row per group leaves the database however long the history.
    """
    query, specs = _rc_subscales()
    if not client_ids or query is None:
        return {}
    groups = ("client_id", "instrument_key", "subscale", "target")
    partition = [F(g) for g in groups]
    rows = (
        Score.objects.filter(query, client_id__in=client_ids, value__isnull=False)
        .order_by()
        .annotate(
            first_value=Window(
                FirstValue("value"),
                partition_by=partition,
                order_by=[F("completed_at").asc(), F("id").asc()],
            ),
            latest_value=Window(
                FirstValue("value"),
                partition_by=partition,
                order_by=[F("completed_at").desc(), F("id").desc()],
            ),
        )
        .values_list(*groups, "first_value", "latest_value")
        .distinct()
    )
    rows = list(rows)
    named = {row[0] for row in rows if target_names.is_own(row[3])}
    labels = target_names.labels_by_client(named) if named else {}  # only with named ones
    found: dict = {}
    for client_id, key, subscale, target, first, latest in rows:
        definition, sub, several = specs[(key, subscale)]
        change = reliable_change(
            first, latest, sub.reliable_change, better=sub.better, cutoff=sub.cutoff
        )
        if change.verdict != "reliably deteriorated":
            continue
        details = ([sub.name] if several else []) + (
            [target_label(target, labels.get(client_id))] if target else []
        )
        name = definition.short_name + (f" ({', '.join(details)})" if details else "")
        found.setdefault(client_id, set()).add(name)
    return {client_id: sorted(names) for client_id, names in found.items()}


# --- per row, in memory ---------------------------------------------------------------------------


def _schedule_of(client):
    try:
        schedule = client.checkin_schedule
    except ObjectDoesNotExist:
        return None
    return schedule if schedule is not None and schedule.active else None


def _days_without_checkin(schedule, client, zone, now, missed_days: int) -> int | None:
    """Whole days since the last check-in (or since the schedule began) when it is ``missed_days``
    or more and a slot has passed unanswered since; otherwise None."""
    if schedule is None or client.programme_paused_at is not None:
        return None  # no schedule, or the client paused their programme: nothing is missed
    started = dt.datetime.combine(schedule.starts_on, dt.time.min, tzinfo=zone)
    if schedule.effective_at is not None:
        started = max(started, schedule.effective_at)
    last = client.last_checkin_at
    since = max(last, started) if last is not None else started
    quiet = now - since
    if quiet < dt.timedelta(days=missed_days):
        return None
    # The check-in itself may have answered a slot up to EARLY after it was sent.
    look_from = max(since + slots.EARLY if last is not None else since, now - _MISSED_LOOKBACK)
    plan = as_schedule(schedule, client)
    if plan is None or not slots.missed(plan, (), now, since=look_from):
        return None
    return quiet.days


def _due_items(client, schedule, zone, now, today) -> list[DueItem]:
    items = []
    plan = as_schedule(schedule, client) if schedule is not None else None
    if plan is not None:
        at = slots.next_slot(plan, now)
        if at is not None:
            items.append(DueItem("checkin", _("Check-in"), at.astimezone(zone).date(), at=at))
    if client.measure_due_on is not None:
        try:
            name = definitions.get(client.measure_key).short_name
        except KeyError:
            name = client.measure_key
        items.append(
            DueItem("measure", name, client.measure_due_on, overdue=client.measure_due_on < today)
        )
    if client.homework_due_on is not None:
        kind = dict(Homework.Kind.choices).get(client.homework_kind, client.homework_kind)
        items.append(
            DueItem(
                "homework",
                _("Homework: %(kind)s") % {"kind": kind},
                client.homework_due_on,
                overdue=client.homework_due_on < today,
            )
        )
    return sorted(items, key=_due_key)


_KIND_ORDER = {"measure": 0, "homework": 1, "checkin": 2}


def _due_key(item: DueItem | None):
    if item is None:
        return (dt.date.max, 9, dt.datetime.max.replace(tzinfo=dt.UTC))
    return (item.on, _KIND_ORDER[item.kind], item.at or dt.datetime.min.replace(tzinfo=dt.UTC))


# --- the client's home --------------------------------------------------------------------------

RECENT_ON_HOME = 3


@dataclass(frozen=True)
class Home:
    """What the client sees first: their care team, the check-in and questionnaires due now,
    this week's homework with its reminder, their clinician's new notes and their latest
    practice."""

    client: object
    team: object
    checkin_due: dt.datetime | None
    due_count: int
    this_week: list
    reminder_due_today: int
    reminder_overdue: int
    unseen_reflections: int
    recent: dict[str, list]


def home_for(user, *, request=None) -> Home:
    """The signed-in client's home (404 for anyone without a client record); audited as a read."""
    client = policy.get_own_record_for(user)
    record(
        actor=user,
        action=Action.READ,
        object_type="client_home",
        object_id=client.pk,
        client=client,
        request=request,
    )
    today = timezone.localdate()
    week = this_week(client, today)
    undone = [h for h in week if not h.is_done]
    return Home(
        client=client,
        team=client.care_team.select_related("clinician"),
        checkin_due=due_now(client),
        due_count=due_assignments(client).count(),
        this_week=week,
        reminder_due_today=sum(
            1 for h in undone if not h.overdue and next_due_day(h, today) == today
        ),
        reminder_overdue=sum(1 for h in undone if h.overdue),
        unseen_reflections=Reflection.objects.filter(client=client, seen_at__isnull=True).count(),
        recent=_recent_practice(client),
    )


def _recent_practice(client) -> dict[str, list]:
    return {
        "pauses": list(
            Pause.objects.filter(client=client).order_by("-created_at")[:RECENT_ON_HOME]
        ),
        "attempts": list(
            Attempt.objects.filter(client=client)
            .select_related("step")
            .order_by("-attempted_at")[:RECENT_ON_HOME]
        ),
        "experiments": list(
            Experiment.objects.filter(client=client).order_by("-created_at")[:RECENT_ON_HOME]
        ),
        "tools": list(
            ToolUse.objects.filter(client=client).order_by("-created_at")[:RECENT_ON_HOME]
        ),
    }
