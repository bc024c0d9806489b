"""Discharge: a summary built from the data, the clinician's closing note, and the record.

The summary holds each measure's first and latest score with reliable change (Jacobson & Truax,
via measures.domain.history), the goals with their latest GAS level and the GAS T-score, what
helped (the toolkit's uses and drop in intensity, the skills named in check-ins) and the sessions
attended. Discharging stores it, frozen as it was that day, with the note (encrypted); the client
gets the same summary without the note unless the clinician chose to share it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from securebase.audit.log import Action, record
from securebase.care import policy
from securebase.care.models import Client
from securebase.core.errors import InputError
from securebase.maintain import inputs, tapering
from securebase.maintain.models import Discharge
from securebase.measures import definitions
from securebase.measures import domain as measures
from securebase.measures import targets as target_names
from securebase.measures.models import Score
from securebase.measures.targets import target_label
from securebase.plan.brief.domain import verdict_view
from securebase.plan.checkins.domain import skill_label
from securebase.plan.goals import domain as plan_goals
from securebase.plan.models import Checkin, Goal, TherapySession
from securebase.practise.models import ToolUse
from securebase.practise.toolkit.domain import what_helped_shared

TOP = 5
NOTE_LIMIT = 10000


class DischargeError(InputError):
    """A discharge that cannot be done, with a message for the clinician (``field`` when known)."""


def latest_discharge(client: Client) -> Discharge | None:
    return (
        Discharge.objects.select_related("discharged_by")
        .filter(client=client)
        .order_by("-discharged_on", "-created_at")
        .first()
    )


def latest_discharge_for(user, client: Client, *, request=None) -> Discharge | None:
    """The client's latest discharge record (None before a discharge), for the care team the
    policy already let see the client; audited as read."""
    found = latest_discharge(client)
    audit_read(by=user, client=client, discharge=found, request=request)
    return found


def own_discharge(user, *, request=None) -> Discharge:
    """The signed-in client's latest discharge record, audited as read; 404 when there is none."""
    client = policy.client_record_of(user)
    found = latest_discharge(client) if client is not None else None
    if found is None:
        raise Http404("No discharge summary.")
    found.client = client
    audit_read(by=user, client=client, discharge=found, request=request)
    return found


def _measures(client: Client, zone) -> list[dict]:
    rows = list(Score.objects.filter(client=client).order_by("completed_at", "id"))
    by_key: dict[str, list] = defaultdict(list)
    for row in rows:
        by_key[row.instrument_key].append(row)
    names = target_names.labels_for(client, [row.target for row in rows])
    out = []
    for key, definition in definitions.registry().items():
        if key not in by_key:
            continue
        for target, points in measures.history(by_key[key], key).items():
            for sub in definition.subscales:
                usable = [p for p in points if p.scores.get(sub.key) is not None]
                if not usable:
                    continue
                first, latest = usable[0], usable[-1]
                change = latest.since_first.get(sub.key) if len(usable) > 1 else None
                out.append(
                    {
                        "instrument": definition.short_name,
                        "instrument_key": definition.key,
                        "target": target_label(target, names) if target else "",
                        "subscale": sub.name if len(definition.subscales) > 1 else "",
                        "subscale_key": sub.key if len(definition.subscales) > 1 else "",
                        "first": first.scores[sub.key],
                        "first_on": inputs.local_date(first.completed_at, zone).isoformat(),
                        "latest": latest.scores[sub.key],
                        "latest_on": inputs.local_date(latest.completed_at, zone).isoformat(),
                        "count": len(usable),
                        "verdict": change.verdict if change is not None else None,
                        "has_rule": sub.reliable_change is not None,
                    }
                )
    return out


def _goals(client: Client) -> tuple[list[dict], dict]:
    goals = list(Goal.objects.filter(client=client, active=True).order_by("created_at"))
    levels = plan_goals.latest_levels(goals)
    rows = [
        {
            "title": goal.title,
            "level": levels.get(goal.pk),
            "level_text": goal.level_text(levels[goal.pk])
            if levels.get(goal.pk) is not None
            else "",
        }
        for goal in goals
    ]
    return rows, plan_goals.gas_summary(goals, levels)


def _skills(client: Client) -> list[dict]:
    counts = Counter(
        Checkin.objects.filter(client=client)
        .exclude(skill="")
        .exclude(skill="other")
        .values_list("skill", flat=True)
    )
    return [
        {"code": code, "label": skill_label(code), "count": count}
        for code, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    ]


def build_summary(client: Client, *, viewer, today: dt.date | None = None) -> dict:
    """The discharge summary as plain data (JSON-ready), in a fixed number of queries.

    What helped counts the tool uses ``viewer`` may see (the care team: shared ones only).
    """
    zone = inputs.zone_of(client)
    goals, gas = _goals(client)
    tools = what_helped_shared(policy.entries_visible_to(viewer, client, ToolUse.objects))
    sessions = sorted(
        TherapySession.objects.filter(client=client, attended=True).values_list(
            "held_on", flat=True
        )
    )
    return {
        "made_on": (today or inputs.today_for(client)).isoformat(),
        "measures": _measures(client, zone),
        "goals": goals,
        "gas": gas,
        "tools": [
            {
                "code": t["code"],
                "label": str(t["label"]),
                "uses": t["uses"],
                "mean_drop": t["mean_drop"],
            }
            for t in tools[:TOP]
        ],
        "skills": _skills(client),
        "sessions": {"attended": len(sessions), "dates": [d.isoformat() for d in sessions]},
    }


def summary_of(discharge: Discharge) -> dict:
    return json.loads(discharge.summary or "{}")


def client_version(discharge: Discharge) -> dict:
    """What the client sees: the summary, and the note only when the clinician shared it."""
    return {
        "summary": summary_of(discharge),
        "note": discharge.note if discharge.share_note else "",
    }


def audit_read(*, by, client: Client, discharge: Discharge | None, request=None) -> None:
    record(
        actor=by,
        action=Action.READ,
        object_type="discharge",
        object_id=discharge.pk if discharge is not None else client.pk,
        client=client,
        request=request,
        detail={"recorded": discharge is not None},
    )


def discharge(
    *,
    client: Client,
    by,
    note: str = "",
    share_note: bool = False,
    override_note: str = "",
    on=None,
    request=None,
) -> Discharge:
    """Discharge the client: status "discharged", and the summary frozen with the note. Audited.

    Refused (:class:`DischargeError`) when the client is already discharged, and while safety
    says "not now" (a risk flag open or recent, or a reliable deterioration) without an override
    note, which is kept (encrypted) with the discharge; the audit says an override was made.
    """
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        raise DischargeError(_("Keep the closing note under %(n)d characters.") % {"n": NOTE_LIMIT})
    try:
        override = tapering.check_safety_hold(client, override_note, viewer=by)
    except tapering.TaperingError as exc:
        raise DischargeError(str(exc), exc.field) from None
    today = on or inputs.today_for(client)
    with transaction.atomic():
        changed = (
            Client.objects.filter(pk=client.pk)
            .exclude(status=Client.Status.DISCHARGED)
            .update(
                status=Client.Status.DISCHARGED,
                version=F("version") + 1,
                updated_at=timezone.now(),
            )
        )
        if not changed:
            raise DischargeError(_("This client is already discharged."))
        summary = build_summary(client, viewer=by, today=today)
        made = Discharge.objects.create(
            client=client,
            discharged_on=today,
            discharged_by=by,
            note=note,
            share_note=bool(share_note and note),
            summary=json.dumps(summary, ensure_ascii=False),
            override_note=override,
        )
        _audit(by=by, client=client, discharge=made, request=request)
    client.status = Client.Status.DISCHARGED
    return made


def _audit(*, by, client, discharge, request) -> None:
    record(
        actor=by,
        action=Action.UPDATE,
        object_type="client",
        object_id=client.pk,
        client=client,
        request=request,
        detail={"status": Client.Status.DISCHARGED},
    )
    record(
        actor=by,
        action=Action.CREATE,
        object_type="discharge",
        object_id=discharge.pk,
        client=client,
        request=request,
        detail={
            "note": bool(discharge.note),
            "note_shared": discharge.share_note,
            "safety_override": bool(discharge.override_note),
        },
    )


def for_display(summary: dict) -> dict:
    """The stored summary with its ISO dates as dates again, and verdicts as words, for templates."""

    def day(value):
        return dt.date.fromisoformat(value) if value else None

    shown = dict(summary)
    shown["made_on"] = day(summary.get("made_on"))
    # Labels are worded again in the reader's language from the stored codes; summaries frozen
    # before codes were kept show their stored words.
    tools = dict(ToolUse.Tool.choices)
    shown["tools"] = [
        {**t, "label": str(tools.get(t["code"], t["label"])) if t.get("code") else t["label"]}
        for t in summary.get("tools", [])
    ]
    shown["skills"] = [
        {**s, "label": skill_label(s["code"]) if s.get("code") else s["label"]}
        for s in summary.get("skills", [])
    ]
    shown["measures"] = [
        {
            **m,
            **_measure_words(m),
            "first_on": day(m.get("first_on")),
            "latest_on": day(m.get("latest_on")),
            "verdict_view": verdict_view(m.get("verdict")),
        }
        for m in summary.get("measures", [])
    ]
    sessions = summary.get("sessions") or {"attended": 0, "dates": []}
    shown["sessions"] = {
        "attended": sessions.get("attended", 0),
        "dates": [day(d) for d in sessions.get("dates", [])],
    }
    return shown


def _measure_words(row: dict) -> dict:
    """The instrument's and subscale's names in the reader's language, from their keys."""
    key = row.get("instrument_key")
    if not key:
        return {}
    try:
        definition = definitions.get(key)
    except KeyError:
        return {}
    words = {"instrument": definition.short_name}
    subscale = next((s for s in definition.subscales if s.key == row.get("subscale_key")), None)
    if subscale is not None:
        words["subscale"] = subscale.name
    return words
