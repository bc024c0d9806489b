"""Booster alerts: after tapering began or after discharge, watch for signs a booster is needed.

For each client stepping down (a started phase after weekly sessions) or discharged, the pure rule
``maintain.rules.booster_signals`` reads their measures and check-ins since that day, one signal
per episode. ``maintain.rules.boosters_to_raise`` keeps one BOOSTER alert per client, kind of
signal and measure while it is open; once acknowledged, only an episode that began after the
acknowledgement raises another. A risk flag raises its own alert, which stands for the whole
episode: while it is open no booster alert is raised, and acknowledging it closes the episode. Alerts go through the safety flag core keyed by client, kind,
measure and the episode's first day, so running the check again (every night, as data arrives, or
twice by hand) raises nothing new.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from securebase.care.models import Client
from securebase.maintain import inputs
from securebase.maintain.models import Discharge, TaperingPhase
from securebase.maintain.rules import (
    BoosterSignal,
    booster_signals,
    boosters_to_raise,
    step_down_start,
)
from securebase.measures.targets import TARGET_LABELS
from securebase.safety.flags.domain import raise_flag
from securebase.safety.models import Alert

logger = logging.getLogger("securebase.maintain")
# Fixed namespace for the alerts' source ids:
# uuid5(NAMESPACE, "<client>:<code>:<measure key>:<day the episode began>").
NAMESPACE = uuid.UUID("5b0c7a52-8a1e-4d0e-9f3c-6f1d2b7e4a10")
SOURCE_TYPE = "booster"


def source_id(client_pk, signal: BoosterSignal) -> uuid.UUID:
    code, measure = signal.group
    return uuid.uuid5(NAMESPACE, f"{client_pk}:{code}:{measure}:{signal.on.isoformat()}")


def group_id(client_pk, group: tuple[str, str]) -> str:
    """The alert's group (kind of signal and measure) as an opaque id kept in its detail, so
    later checks find it without the detail holding the measure's relationship key."""
    code, measure = group
    return uuid.uuid5(NAMESPACE, f"{client_pk}:{code}:{measure}").hex


def stepped_down_dates(clients=None) -> dict:
    """{client id: the day stepping down began} for clients in tapering or discharged.

    Tapering: the first start of a phase after weekly sessions, counted from the latest start of
    a weekly phase (``rules.step_down_start``): a client back in weekly sessions (re-referred) is
    no longer watched for the old episode. Discharged (the status now): the discharge date (the
    latest discharge record; without one, the day the record last changed). Where both apply,
    the earlier day. Two queries plus one for discharged clients.
    """
    found: dict = {}
    phases = TaperingPhase.objects.filter(started_at__isnull=False)
    if clients is not None:
        phases = phases.filter(plan__client__in=clients)
    started: dict = defaultdict(list)
    zone_names: dict = {}
    for client_id, zone_name, kind, started_at in phases.values_list(
        "plan__client_id", "plan__client__time_zone", "kind", "started_at"
    ):
        started[client_id].append((kind, started_at))
        zone_names[client_id] = zone_name
    zones = {}
    for client_id, rows in started.items():
        start = step_down_start(rows)
        if start is not None:
            zone_name = zone_names[client_id]
            zone = zones.setdefault(zone_name, inputs.ZoneInfo(zone_name or "UTC"))
            found[client_id] = inputs.local_date(start, zone)
    discharged = Client.objects.filter(status=Client.Status.DISCHARGED)
    if clients is not None:
        discharged = discharged.filter(pk__in=[getattr(c, "pk", c) for c in clients])
    latest: dict = {}
    for client_id, day in Discharge.objects.filter(client__in=discharged).values_list(
        "client_id", "discharged_on"
    ):
        latest[client_id] = max(day, latest.get(client_id, day))
    for client_id, zone_name, updated_at in discharged.values_list("pk", "time_zone", "updated_at"):
        day = latest.get(client_id) or inputs.local_date(
            updated_at, inputs.ZoneInfo(zone_name or "UTC")
        )
        found[client_id] = min(day, found.get(client_id, day))
    return found


def signals_for(client: Client, since: dt.date) -> list[BoosterSignal]:
    """The rule over one client's data since ``since`` (three queries)."""
    return booster_signals(
        stepped_down_on=since,
        measures=inputs.client_measure_histories(client),
        felt_security=inputs.felt_security(client, since=since - dt.timedelta(weeks=4)),
    )


def risk_alerts_since(client: Client, since: dt.date) -> list[dt.date | None]:
    """The risk alerts raised in this step-down or still open, as the day each was acknowledged
    (None while open), for ``rules.boosters_to_raise`` (one query)."""
    zone = inputs.zone_of(client)
    start = dt.datetime.combine(since, dt.time.min, tzinfo=zone)
    return [
        inputs.local_date(acknowledged_at, zone) if acknowledged_at else None
        for acknowledged_at in Alert.objects.filter(
            Q(created_at__gte=start) | Q(acknowledged_at__isnull=True),
            client=client,
            kind__in=Alert.RISK_KINDS,
        ).values_list("acknowledged_at", flat=True)
    ]


def _detail(client_pk, signal: BoosterSignal, since: dt.date) -> dict:
    """What the alert says: the signal and its day, and for a measure which one (keys, not
    words: a relationship named in the client's own words is left out); ``signal`` is the
    alert's group (:func:`group_id`)."""
    detail = {
        "code": signal.code,
        "on": signal.on.isoformat(),
        "since": since.isoformat(),
        "signal": group_id(client_pk, signal.group),
    }
    if signal.code == "measure":
        instrument, target, subscale = (signal.detail["measure"].split("|") + ["", ""])[:3]
        detail.update({"instrument": instrument, "subscale": subscale})
        if target in TARGET_LABELS:
            detail["target"] = target
    elif signal.code == "checkins":
        detail.update({"before": signal.detail["before"], "now": signal.detail["now"]})
    return detail


def check_boosters(now: dt.datetime | None = None) -> int:
    """Raise a BOOSTER alert for each new signal; answer how many alerts were raised.

    ``now`` is accepted for symmetry with the other scheduled jobs; the rule reads everything
    recorded since stepping down, so the result does not depend on it beyond what exists.
    """
    raised = 0
    dates = stepped_down_dates()
    if not dates:
        return 0
    for client in Client.objects.filter(pk__in=list(dates)).select_related("practice"):
        raised += _raise_for(client, dates[client.pk])
    return raised


def check_client(client: Client) -> int:
    """The booster check for one client, run as soon as new data arrives (a check-in, a completed
    measure, a risk flag), so a booster alert does not wait for the nightly job."""
    since = stepped_down_dates([client]).get(client.pk)
    return _raise_for(client, since) if since is not None else 0


def check_client_after_commit(client: Client) -> None:
    """Schedule :func:`check_client` after the current transaction; a failure is logged, never
    raised, so it cannot undo or block what the client just saved."""

    def run() -> None:
        try:
            check_client(client)
        except Exception:
            logger.exception("booster check failed for a client")

    transaction.on_commit(run)


def raised_since(client: Client, since: dt.date, groups) -> list:
    """The booster alerts raised in this step-down as (group, day acknowledged or None), for
    ``rules.boosters_to_raise`` (one query). Alerts from before ``since`` belong to an earlier
    episode of care and are not counted."""
    zone = inputs.zone_of(client)
    start = dt.datetime.combine(since, dt.time.min, tzinfo=zone)
    by_id = {group_id(client.pk, group): group for group in groups}
    out = []
    for detail, acknowledged_at in Alert.objects.filter(
        client=client, kind=Alert.Kind.BOOSTER, source_type=SOURCE_TYPE, created_at__gte=start
    ).values_list("detail", "acknowledged_at"):
        group = by_id.get((detail or {}).get("signal"))
        if group is not None:
            acknowledged = inputs.local_date(acknowledged_at, zone) if acknowledged_at else None
            out.append((group, acknowledged))
    return out


def _raise_for(client: Client, since: dt.date) -> int:
    signals = signals_for(client, since)
    if not signals:
        return 0
    raised = 0
    already = raised_since(client, since, {signal.group for signal in signals})
    for signal in boosters_to_raise(signals, already, risk_alerts_since(client, since)):
        _alert, created = raise_flag(
            client,
            kind=Alert.Kind.BOOSTER,
            source_type=SOURCE_TYPE,
            source_id=source_id(client.pk, signal),
            shared=True,
            detail=_detail(client.pk, signal, since),
        )
        raised += int(created)
    return raised


def reason_text(alert: Alert) -> str:
    """A booster alert's reason in words, for the caseload or the alert list."""
    detail = alert.detail or {}
    code = detail.get("code")
    if code == "measure":
        key = inputs.measure_key(
            detail.get("instrument", ""), detail.get("target", ""), detail.get("subscale", "")
        )
        return _("Reliable deterioration on %(measure)s since stepping down (%(on)s).") % {
            "measure": inputs.measure_label(key),
            "on": detail.get("on", ""),
        }
    if code == "checkins":
        return _(
            "Felt security in check-ins fell from %(before)s to %(now)s for two weeks in a row."
        ) % {"before": detail.get("before"), "now": detail.get("now")}
    if code == "risk":
        return _("A risk flag since stepping down (%(on)s).") % {"on": detail.get("on", "")}
    return _("A booster session may be needed.")
