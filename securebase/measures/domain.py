"""State changes of measures. Each is one transaction and writes its audit event."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from securebase.audit.log import Action, record, record_list, record_read
from securebase.care import policy
from securebase.care.models import Client
from securebase.core import idempotency
from securebase.core.errors import InputError
from securebase.measures import definitions, scoring
from securebase.measures import targets as target_names
from securebase.measures.change import Change, reliable_change
from securebase.measures.models import Administration, Assignment, Score, Wording
from securebase.safety.alerts import domain as alerts
from securebase.safety.flags import domain as safety_flags
from securebase.safety.models import Alert

NO_TARGET = ""
INTERVALS = {"weekly": 7, "fortnightly": 14, "monthly": 28}


class MeasureError(InputError):
    """A request that cannot be carried out, with a message for the person."""


# --- wording and availability ------------------------------------------------------------------


# Rows of the assignments list per API page (more than any client is ever given).
ASSIGNMENTS_LIMIT = 100


def wording_for(key: str, language: str) -> Wording | None:
    rows = {w.language: w for w in Wording.objects.filter(instrument_key=key)}
    return rows.get(language) or rows.get("en") or next(iter(rows.values()), None)


def item_texts(definition: definitions.Definition, language: str) -> dict[int, str] | None:
    """The item wording to show, or None when the clinic has not imported it yet."""
    if not definition.validated:
        # Our own wording, translated through the catalogue (see translatable.py).
        with translation.override(language):
            return {item.number: _(item.label) for item in definition.items}
    wording = wording_for(definition.key, language)
    if wording is None:
        return None
    return {int(n): text for n, text in wording.items.items()}


def loaded_languages() -> dict[str, set[str]]:
    """Which instruments have imported wording, in which languages (one query)."""
    loaded: dict[str, set[str]] = {}
    for key, language in Wording.objects.values_list("instrument_key", "language"):
        loaded.setdefault(key, set()).add(language)
    return loaded


def availability(
    definition: definitions.Definition, language: str, loaded: dict | None = None
) -> tuple[bool, str]:
    """Can clients complete this instrument here? If not, why not (shown to the clinician)."""
    if not definition.validated:
        return True, ""
    if loaded is None:
        loaded = loaded_languages()
    if loaded.get(definition.key):
        return True, ""
    return False, _(
        "The licensed wording of %(name)s is not loaded. An admin imports it with "
        "`securebase instruments import QUESTIONNAIRE.json`."
    ) % {"name": definition.short_name}


def catalogue(language: str) -> dict[str, list[definitions.Definition]]:
    """Instruments clients can answer here (``ready``), those still waiting for licensed wording
    (``waiting``), and every one (``all``), for the clinician choosing a measure."""
    loaded = loaded_languages()
    ready, waiting = [], []
    for definition in definitions.registry().values():
        available, _reason = availability(definition, language, loaded)
        (ready if available else waiting).append(definition)
    return {"ready": ready, "waiting": waiting, "all": list(definitions.registry().values())}


# --- assigning ------------------------------------------------------------------------------------


def assign(*, by, client, key: str, schedule: str = "once", targets=(), request=None) -> Assignment:
    """``targets`` are standard codes or relationships in the client's words; the words are kept
    encrypted (``measures.targets``) and the assignment holds their keys."""
    definition = definitions.get(key)
    targets = list(dict.fromkeys(target_names.normalise(t) for t in targets if t and t.strip()))
    if definition.targets and not targets:
        raise MeasureError(
            _("Choose at least one relationship for %(name)s.") % {"name": definition.short_name}
        )
    if not definition.targets:
        targets = []
    available, reason = availability(definition, client.language)
    if not available:
        raise MeasureError(reason)
    with transaction.atomic():
        assignment = Assignment.objects.create(
            client=client,
            instrument_key=key,
            targets=list(dict.fromkeys(target_names.store(client, targets))),
            schedule=schedule,
            next_due=timezone.localdate(),
            assigned_by=by,
        )
        record(
            actor=by,
            action=Action.CREATE,
            object_type="assignment",
            object_id=assignment.pk,
            client=client,
            request=request,
            detail={"instrument": key, "schedule": schedule},
        )
    return assignment


def due_assignments(client):
    return Assignment.objects.filter(client=client, active=True, next_due__lte=timezone.localdate())


def active_assignments(client) -> list[Assignment]:
    """The measures the client is asked to fill in now or later."""
    return list(Assignment.objects.filter(client=client, active=True))


def repeating_assignments(client) -> list[Assignment]:
    """The active measures that come back on a schedule, soonest first."""
    return list(
        Assignment.objects.filter(client=client, active=True)
        .exclude(schedule=Assignment.Schedule.ONCE)
        .order_by("next_due")
    )


def assignments_for(
    user, client, *, offset: int = 0, limit: int | None = None, request=None
) -> list[Assignment]:
    """The client's active assignments, for someone the policy already let see the client; at
    most ``limit`` (``ASSIGNMENTS_LIMIT`` when left out)."""
    limit = ASSIGNMENTS_LIMIT if limit is None else limit
    found = active_assignments(client)[offset : offset + limit]
    record_list(
        actor=user, object_type="assignments", client=client, count=len(found), request=request
    )
    return found


def assignment_to_answer(client, key: str) -> Assignment | None:
    """The active assignment of this instrument that an answer fulfils: the one due first."""
    return (
        Assignment.objects.filter(client=client, instrument_key=key, active=True)
        .order_by("next_due", "created_at")
        .first()
    )


# --- answering ------------------------------------------------------------------------------------


def answers_of(administration: Administration) -> dict[str, dict[str, int]]:
    return json.loads(administration.answers_json or "{}")


def targets_of(administration: Administration) -> list[str]:
    if administration.assignment_id and administration.assignment.targets:
        return list(administration.assignment.targets)
    answers = answers_of(administration)
    return list(answers) or [NO_TARGET]


def start_or_resume(*, client, assignment: Assignment, by, request=None) -> Administration:
    """The open administration of this assignment, or a new one. One per assignment at a time."""
    definition = definitions.get(assignment.instrument_key)
    with transaction.atomic():
        open_one = (
            Administration.objects.select_for_update()
            .filter(assignment=assignment, status=Administration.Status.IN_PROGRESS)
            .first()
        )
        if open_one is not None:
            return open_one
        administration = Administration.objects.create(
            client=client,
            assignment=assignment,
            instrument_key=definition.key,
            instrument_version=definition.version,
            entered_by=by,
        )
        record(
            actor=by,
            action=Action.CREATE,
            object_type="administration",
            object_id=administration.pk,
            client=client,
            request=request,
            detail={"instrument": definition.key, "event": "started"},
        )
    return administration


def save_answer(
    *, administration: Administration, target: str, item: int, value, by, request=None
) -> Administration:
    """Keep one answer of an unfinished administration (the resumable draft)."""
    definition = definitions.get(administration.instrument_key)
    if administration.status != Administration.Status.IN_PROGRESS:
        raise MeasureError(_("This questionnaire was already sent."))
    if target not in targets_of(administration):
        raise MeasureError(_("Unknown relationship for this questionnaire."))
    parsed = scoring.parse_responses(definition, {str(item): value})
    with transaction.atomic():
        fresh = Administration.objects.select_for_update().get(pk=administration.pk)
        answers = answers_of(fresh)
        answers.setdefault(target, {})[str(item)] = parsed[item]
        fresh.answers_json = json.dumps(answers)
        fresh.version += 1
        fresh.save(update_fields=["answers_json", "version"])
    return fresh


def unanswered(administration: Administration) -> list[tuple[str, int]]:
    definition = definitions.get(administration.instrument_key)
    answers = answers_of(administration)
    return [
        (target, n)
        for target in targets_of(administration)
        for n in range(1, definition.item_count + 1)
        if str(n) not in answers.get(target, {})
    ]


@dataclass(frozen=True)
class Completed:
    administration: Administration
    results: list[scoring.Result]
    alert: Alert | None


def complete(*, administration: Administration, by, request=None) -> Completed:
    """Score and close the administration. Sending twice returns the first result."""
    with transaction.atomic():
        fresh = Administration.objects.select_for_update().get(pk=administration.pk)
        if fresh.status == Administration.Status.COMPLETED:
            return Completed(fresh, _results(fresh), fresh.alerts.first())
        if unanswered(fresh):
            raise MeasureError(_("Some questions are still unanswered."))
        return _finish(fresh, by=by, request=request)


def record_administration(
    *,
    by,
    client,
    key: str,
    answers: dict[str, dict],
    completed_at=None,
    submission_id=None,
    assignment: Assignment | None = None,
    request=None,
) -> tuple[Completed, bool]:
    """A whole set of answers at once (entered from paper, sent through the API, or demo data).

    ``answers`` maps a relationship target ("" when the instrument has none) to item answers; a
    target is a standard code, the key of a relationship the client named, or its words (kept
    encrypted, see ``measures.targets``). When it answers an ``assignment``, that assignment moves
    on to its next due date.
    """
    if assignment is not None and (
        assignment.client_id != client.pk or assignment.instrument_key != key
    ):
        raise MeasureError(_("These answers do not belong to that assignment."))
    definition = definitions.get(key)
    if definition.targets:
        if not answers or NO_TARGET in answers:
            raise MeasureError(
                _("Answers for %(name)s are given per relationship.")
                % {"name": definition.short_name}
            )
    elif set(answers) != {NO_TARGET}:
        raise MeasureError(
            _("%(name)s is not answered per relationship.") % {"name": definition.short_name}
        )
    stored, new_names, names = target_names.prepare(client, list(answers))
    checked: dict[str, dict[int, int]] = {}
    for target, given in zip(stored, answers.values(), strict=True):
        if target in checked:
            raise MeasureError(_("The same relationship is answered twice."))
        checked[target] = scoring.parse_responses(definition, given)
    body = {
        "client": str(client.pk),  # a key reused for another client is refused, not replayed
        "key": key,
        "answers": {t: {str(n): v for n, v in a.items()} for t, a in checked.items()},
        "completed_at": completed_at.isoformat() if completed_at else None,
    }

    def create() -> Administration:
        target_names.remember(client, new_names, names)
        administration = Administration.objects.create(
            client=client,
            assignment=assignment,
            instrument_key=key,
            instrument_version=definition.version,
            entered_by=by,
            answers_json=json.dumps(body["answers"]),
        )
        _finish(administration, by=by, request=request, completed_at=completed_at)
        return administration

    administration, created = idempotency.create_once(
        user=by,
        key=submission_id,
        kind="measures.administration",
        body=body,
        model=Administration,
        create=create,
    )
    return Completed(
        administration, _results(administration), administration.alerts.first()
    ), created


def _finish(administration: Administration, *, by, request, completed_at=None) -> Completed:
    definition = definitions.get(administration.instrument_key)
    when = completed_at or timezone.now()
    results = _results(administration)
    Score.objects.bulk_create(
        Score(
            administration=administration,
            client_id=administration.client_id,
            instrument_key=definition.key,
            target=result.target or "",
            subscale=key,
            value=value,
            band=result.bands.get(key, ""),
            completed_at=when,
        )
        for result in results
        for key, value in result.scores.items()
    )
    administration.status = Administration.Status.COMPLETED
    administration.completed_at = when
    administration.save(update_fields=["status", "completed_at"])
    if administration.assignment_id:
        _advance(administration.assignment)
    # Only risk answers raise a flag (a "claimed total differs" note is not a risk).
    flags = sorted({f for result in results for f in result.flags if f.startswith("risk:")})
    alert = None
    if flags:
        alert, _created = safety_flags.raise_flag(
            administration.client,
            kind=Alert.Kind.RISK_ITEM,
            source_type="administration",
            source_id=administration.pk,
            administration=administration,
            detail={"instrument": definition.key, "flags": flags},
            by=by,
            request=request,
        )
    # maintain.boosters imports this module (through maintain.inputs): a real cycle.
    from securebase.maintain.boosters import check_client_after_commit  # noqa: PLC0415

    check_client_after_commit(administration.client)  # after tapering or discharge
    record(
        actor=by,
        action=Action.CREATE,
        object_type="administration",
        object_id=administration.pk,
        client=administration.client,
        request=request,
        detail={"instrument": definition.key, "event": "completed", "risk": bool(flags)},
    )
    return Completed(administration, results, alert)


def _results(administration: Administration) -> list[scoring.Result]:
    definition = definitions.get(administration.instrument_key)
    return [
        scoring.score(definition, answers, target=target or None)
        for target, answers in answers_of(administration).items()
    ]


def _advance(assignment: Assignment) -> None:
    days = INTERVALS.get(assignment.schedule)
    if days is None:
        assignment.active = False
    else:
        assignment.next_due = max(assignment.next_due, timezone.localdate()) + timedelta(days=days)
    assignment.save(update_fields=["active", "next_due"])


# --- history and change -------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    administration_id: object
    completed_at: object
    target: str
    scores: dict[str, float | None]
    bands: dict[str, str]
    since_first: dict[str, Change]
    since_previous: dict[str, Change]


def scores_for(user, client, *, instrument: str | None = None, request=None) -> dict[str, list]:
    """The client's score rows per instrument, oldest first (only ``instrument`` when given), for
    someone the policy already let see the client; audited as one read."""
    by_key: dict[str, list[Score]] = {}
    for row in _score_rows(client, instrument):
        by_key.setdefault(row.instrument_key, []).append(row)
    record(
        actor=user,
        action=Action.READ,
        object_type="scores",
        object_id=client.pk,
        client=client,
        request=request,
        detail={"instrument": instrument or "all"},
    )
    return by_key


def _score_rows(client, instrument: str | None = None) -> list[Score]:
    rows = Score.objects.filter(client=client)
    if instrument is not None:
        rows = rows.filter(instrument_key=instrument)
    return list(rows.order_by("completed_at", "id"))


@dataclass(frozen=True)
class Due:
    assignment: Assignment
    definition: definitions.Definition


@dataclass(frozen=True)
class Results:
    """What a measures page shows of one client: every score (oldest first) and the words of the
    relationships the client named; for the client, what is due; for the care team, the active
    assignments and the open alerts."""

    client: Client
    scores: list[Score]
    names: dict[str, str]
    due: list[Due] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)


def results_for(user, client, *, request=None) -> Results:
    """A client's scores, their active assignments (each with its relationships in words, as
    ``shown_targets``) and their open alerts, for a care-team clinician the policy already let see
    the client; audited as one read of the client's measures."""
    record_read(actor=user, object_type="measures", obj=client, client=client, request=request)
    scores = _score_rows(client)
    assignments = active_assignments(client)
    names = target_names.labels_for(
        client, [s.target for s in scores] + [t for a in assignments for t in a.targets]
    )
    for assignment in assignments:
        assignment.shown_targets = [target_names.target_label(t, names) for t in assignment.targets]
    open_alerts = list(alerts.open_alerts(user).filter(client=client))
    return Results(client, scores, names, assignments=assignments, alerts=open_alerts)


def my_results(user, *, request=None) -> Results:
    """The signed-in client's questionnaires due now that they can answer here, and every score of
    theirs (404 for anyone without a client record); audited as one read."""
    client = policy.get_own_record_for(user)
    record_read(actor=user, object_type="my_measures", obj=client, client=client, request=request)
    scores = _score_rows(client)
    names = target_names.labels_for(client, [s.target for s in scores])
    return Results(client, scores, names, due=_answerable_now(client))


def _answerable_now(client) -> list[Due]:
    loaded = loaded_languages()
    due = []
    for assignment in due_assignments(client):
        definition = definitions.get(assignment.instrument_key)
        if availability(definition, client.language, loaded)[0]:
            due.append(Due(assignment, definition))
    return due


def get_administration_for(user, client_id, administration_id, *, request=None) -> Administration:
    """One administration of a client on the clinician's care team (404 otherwise), audited as
    read."""
    administration = policy.get_administration_for_care_team(user, client_id, administration_id)
    record_read(
        actor=user,
        object_type="administration",
        obj=administration,
        client=administration.client,
        request=request,
    )
    return administration


def history(scores, key: str) -> dict[str, list[Point]]:
    """Score rows of one instrument (oldest first) as points per target, with reliable change."""
    definition = definitions.get(key)
    grouped: dict[tuple[str, object], dict] = {}
    for row in scores:
        entry = grouped.setdefault(
            (row.target, row.administration_id),
            {"at": row.completed_at, "scores": {}, "bands": {}},
        )
        entry["scores"][row.subscale] = row.value
        if row.band:
            entry["bands"][row.subscale] = row.band
    by_target: dict[str, list[Point]] = {}
    for (target, administration_id), entry in sorted(grouped.items(), key=lambda kv: kv[1]["at"]):
        points = by_target.setdefault(target, [])
        first = points[0] if points else None
        previous = points[-1] if points else None
        by_target[target].append(
            Point(
                administration_id,
                entry["at"],
                target,
                entry["scores"],
                entry["bands"],
                _changes(definition, first, entry["scores"]),
                _changes(definition, previous, entry["scores"]),
            )
        )
    return by_target


def _changes(definition, earlier: Point | None, now: dict) -> dict[str, Change]:
    if earlier is None:
        return {}
    out = {}
    for sub in definition.subscales:
        before, after = earlier.scores.get(sub.key), now.get(sub.key)
        if sub.reliable_change is None or before is None or after is None:
            continue
        out[sub.key] = reliable_change(
            before, after, sub.reliable_change, better=sub.better, cutoff=sub.cutoff
        )
    return out


def today() -> date:
    return timezone.localdate()
