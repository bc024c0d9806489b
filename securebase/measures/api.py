"""Measures in the JSON API: the instrument catalogue, assignments, answers and scores.

The same policy and domain as the web pages. The operation ids were fixed when these routes lived
in ``securebase/api/api.py`` and stay so for the clients generated from the schema.
"""

from __future__ import annotations

from uuid import UUID

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError

from securebase.api.common import (
    IdempotencyKey,
    Page,
    RequiredIdempotencyKey,
    fields_from,
    optional_idempotency_key,
    required_idempotency_key,
)
from securebase.api.schemas import (
    AdministrationIn,
    AdministrationOut,
    AssignmentIn,
    AssignmentOut,
    ChangeOut,
    InstrumentOut,
    ScoresOut,
    answers,
)
from securebase.care import policy
from securebase.core.errors import InputError
from securebase.core.idempotency import SubmissionKeyReused, create_once, key_used
from securebase.measures import definitions, domain
from securebase.measures import targets as target_names
from securebase.measures.models import Assignment
from securebase.safety.flags import support as safety_support

router = Router(tags=["measures"])


def _subscales_out(definition) -> list[dict]:
    return [
        {
            "key": sub.key,
            "name": sub.name,
            "method": sub.method,
            "better": sub.better,
            "items": sub.items,
            "has_reliable_change": sub.reliable_change is not None,
            "cutoff": sub.cutoff.value if sub.cutoff else None,
        }
        for sub in definition.subscales
    ]


def _assignment_out(assignment: Assignment, names: dict[str, str]) -> dict:
    """``names``: the client's named relationships, shown in their words."""
    try:
        name = definitions.get(assignment.instrument_key).short_name
    except KeyError:
        name = assignment.instrument_key
    return fields_from(
        assignment,
        AssignmentOut,
        instrument=assignment.instrument_key,
        instrument_name=name,
        targets=[target_names.public_name(t, names) for t in assignment.targets or []],
    )


def _change_out(change) -> dict:
    return fields_from(change, ChangeOut)


@router.get(
    "/instruments",
    response=list[InstrumentOut],
    summary="The instrument catalogue, and whether clients can complete each one here",
    operation_id="securebase_api_api_list_instruments",
)
def list_instruments(request):
    """No client data: not audited. Item wording is never part of it (clinics import it)."""
    loaded = domain.loaded_languages()
    out = []
    for definition in definitions.registry().values():
        available, reason = domain.availability(definition, request.user.language, loaded)
        scale = definition.scale
        out.append(
            {
                "key": definition.key,
                "name": definition.name,
                "short_name": definition.short_name,
                "version": definition.version,
                "validated": definition.validated,
                "licence": definition.licence.status,
                "licence_statement": definition.licence.statement,
                "item_count": definition.item_count,
                "scale": {
                    "min": scale.min,
                    "max": scale.max,
                    "min_label": scale.min_label,
                    "max_label": scale.max_label,
                },
                "item_scales": {
                    str(item.number): {"min": item.scale.min, "max": item.scale.max}
                    for item in definition.items
                    if item.scale and (item.scale.min, item.scale.max) != (scale.min, scale.max)
                },
                "subscales": _subscales_out(definition),
                "targets": list(definition.targets),
                "wording_languages": sorted(loaded.get(definition.key, ())),
                "available_to_clients": available,
                "reason": reason,
            }
        )
    return out


@router.post(
    "/clients/{client_id}/measure-assignments",
    response=answers(AssignmentOut, 403, 404, 422, created=True),
    summary="Assign a measure to a client (care-team clinicians; write scope)",
    operation_id="securebase_api_api_create_assignment",
)
def create_assignment(
    request, client_id: UUID, payload: AssignmentIn, idempotency_key: IdempotencyKey = None
):
    """With an ``Idempotency-Key`` header a retry returns the first assignment (200)."""
    client = policy.get_client_for_user(request.user, client_id)
    if not policy.is_on_care_team(request.user, client):
        # Only the client themself sees their record without being on its care team.
        raise HttpError(403, _("Measures are assigned by your care team."))
    key = optional_idempotency_key(idempotency_key)
    data = payload.dict()

    def create() -> Assignment:
        return domain.assign(
            by=request.user,
            client=client,
            key=data["instrument"],
            schedule=data["schedule"],
            targets=data["targets"],
            request=request,
        )

    assignment, created = create_once(
        user=request.user,
        key=key,
        kind="measures.assignment",
        body={"client": str(client.pk), **data},
        model=Assignment,
        create=create,
    )
    names = target_names.labels_for(client, assignment.targets)
    return (201 if created else 200), _assignment_out(assignment, names)


@router.get(
    "/clients/{client_id}/measure-assignments",
    response=answers(list[AssignmentOut], 404),
    summary="A client's active assignments (care team, or the client themself)",
    operation_id="securebase_api_api_list_assignments",
)
def list_assignments(request, client_id: UUID, page: Query[Page.up_to(domain.ASSIGNMENTS_LIMIT)]):
    client = policy.get_client_for_user(request.user, client_id)
    assignments = page.rows(request, domain.ASSIGNMENTS_LIMIT, domain.assignments_for, client)
    names = target_names.labels_for(client, [t for a in assignments for t in a.targets])
    return [_assignment_out(a, names) for a in assignments]


@router.post(
    "/clients/{client_id}/administrations",
    response=answers(AdministrationOut, 403, 404, 422, created=True),
    summary="Submit a whole set of answers, scored at once (write scope; Idempotency-Key needed)",
    operation_id="securebase_api_api_create_administration",
)
def create_administration(
    request,
    client_id: UUID,
    payload: AdministrationIn,
    idempotency_key: RequiredIdempotencyKey = None,
):
    """A care-team clinician (entering a paper form) or the client themself.

    Values are the points chosen on the scale as the client saw it; reverse keying is ours. A
    retry with the same ``Idempotency-Key`` returns the first result (200); the same key with
    other answers is refused (422). When a risk answer fired, ``alert`` and ``risk`` are true:
    show the ``crisis_resources`` (also at ``support_url``) at once.
    """
    client = policy.get_client_for_user(request.user, client_id)
    key = required_idempotency_key(idempotency_key)
    instrument = payload.instrument
    on_team = policy.is_on_care_team(request.user, client)
    assignment = domain.assignment_to_answer(client, instrument)
    # The client themself answers only what their care team assigned (and so can be shown).
    if not on_team and assignment is None and not key_used(request.user, key):
        raise HttpError(
            403,
            _("%(name)s is not assigned to you. Your care team assigns measures.")
            % {"name": definitions.get(instrument).short_name},
        )
    if payload.targets is not None:
        answers = dict(payload.targets)
    else:
        answers = {domain.NO_TARGET: payload.answers}
    done, created = domain.record_administration(
        by=request.user,
        client=client,
        key=instrument,
        answers=answers,
        completed_at=payload.completed_at,
        submission_id=key,
        assignment=assignment,
        request=request,
    )
    administration = done.administration
    if administration.client_id != client.pk:
        # The key (and answers) were first used for another client: never return that record.
        raise SubmissionKeyReused(
            _("This submission id was already used for a different submission.")
        )
    alert = done.alert is not None
    names = target_names.labels_for(client, [r.target or "" for r in done.results])
    return (201 if created else 200), {
        "id": administration.pk,
        "client_id": administration.client_id,
        "instrument": administration.instrument_key,
        "completed_at": administration.completed_at,
        "results": [
            {
                "target": target_names.public_name(result.target or "", names),
                "scores": result.scores,
                "bands": result.bands,
                "flags": result.flags,
                "missing": result.missing,
            }
            for result in done.results
        ],
        "alert": alert,
        "support_url": reverse("support") if alert else None,
        **safety_support.risk_fields(client, alert),
    }


@router.get(
    "/clients/{client_id}/scores",
    response=answers(ScoresOut, 404, 422),
    summary="Every completed administration's scores, with reliable change (care team or client)",
    operation_id="securebase_api_api_list_scores",
)
def list_scores(request, client_id: UUID, instrument: str | None = None):
    """Grouped per instrument and relationship target, oldest first. ``since_first`` and
    ``since_previous`` hold reliable change per subscale where the instrument defines it."""
    client = policy.get_client_for_user(request.user, client_id)
    registry = definitions.registry()
    if instrument is not None and instrument not in registry:
        raise InputError(_("Unknown instrument %(key)r.") % {"key": instrument}, "instrument")
    by_key = domain.scores_for(request.user, client, instrument=instrument, request=request)
    names = target_names.labels_for(client, [r.target for rows in by_key.values() for r in rows])
    instruments = []
    for key, definition in registry.items():
        if key not in by_key:
            continue
        history = domain.history(by_key[key], key)
        instruments.append(
            {
                "instrument": key,
                "name": definition.name,
                "short_name": definition.short_name,
                "validated": definition.validated,
                "subscales": _subscales_out(definition),
                "targets": [
                    {
                        "target": target_names.public_name(target, names),
                        "points": [
                            {
                                "administration_id": point.administration_id,
                                "completed_at": point.completed_at,
                                "scores": point.scores,
                                "bands": point.bands,
                                "since_first": {
                                    k: _change_out(c) for k, c in point.since_first.items()
                                },
                                "since_previous": {
                                    k: _change_out(c) for k, c in point.since_previous.items()
                                },
                            }
                            for point in points
                        ],
                    }
                    for target, points in history.items()
                ],
            }
        )
    return {"client_id": client.pk, "instruments": instruments}
