"""The JSON API, version 1: a thin edge over the same policy and domain functions as the web."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Header, NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from securebase.api.auth import TokenAuth, require_write
from securebase.api.common import optional_idempotency_key, required_idempotency_key
from securebase.api.schemas import (
    AdministrationIn,
    AdministrationOut,
    AssignmentIn,
    AssignmentOut,
    ClientDetailOut,
    ClientIn,
    ClientOut,
    ErrorOut,
    InstrumentOut,
    MeOut,
    ScoresOut,
)
from securebase.audit.log import Action, record
from securebase.care import domain, policy
from securebase.care.models import CareTeamMember, Client, Practice
from securebase.core.idempotency import SubmissionKeyReused, create_once
from securebase.core.models import SubmissionKey
from securebase.measures import definitions
from securebase.measures import domain as measures_domain
from securebase.measures import targets as target_names
from securebase.measures.models import Assignment, Score
from securebase.measures.scoring import ScoringError
from securebase.safety.flags import support as safety_support


class SecureBaseAPI(NinjaAPI):
    """The schema is built once per path and language: the routes cannot change while the process
    runs, and building it takes a few hundred milliseconds of CPU per request otherwise."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        key = (path_prefix, tuple(sorted((path_params or {}).items())), get_language())
        cache = self.__dict__.setdefault("_schemas", {})
        if key not in cache:
            cache[key] = super().get_openapi_schema(
                path_prefix=path_prefix, path_params=path_params
            )
        return cache[key]


api = SecureBaseAPI(
    title="Secure Base API",
    version="1",
    urls_namespace="api-v1",
    auth=TokenAuth(),
    docs_url=None,
    description="Personal access tokens as `Authorization: Bearer …`. Errors are JSON with a "
    "`detail` message. Creating requests take an `Idempotency-Key` header (a UUID).",
)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    problems = []
    for error in exc.errors:
        where = ".".join(str(p) for p in error.get("loc", []) if p not in ("body", "payload"))
        problems.append({"field": where, "message": error.get("msg", "")})
    summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
    return api.create_response(
        request, {"detail": _("Invalid input: %s") % summary, "errors": problems}, status=422
    )


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(
        request,
        {"detail": _("Send a valid, unexpired token as 'Authorization: Bearer <token>'.")},
        status=401,
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def _client_out(client: Client, *, detail: bool = False, viewer=None) -> dict:
    out = {
        "id": client.pk,
        "name": client.name,
        "preferred_name": client.preferred_name,
        "email": client.email,
        "language": client.language,
        "country": client.country,
        "status": client.status,
        "has_account": client.user_id is not None,
        "partner_id": client.partner_id,
        "care_team": [
            {
                "id": m.clinician.pk,
                "name": m.clinician.display_name,
                "email": m.clinician.email,
                "role": m.role,
            }
            for m in client.care_team.all()
        ],
    }
    if detail:
        out["referral_reason"] = (
            client.referral_reason if policy.is_on_care_team(viewer, client) else None
        )
    return out


def _clients(user):
    return Client.objects.visible_to(user).prefetch_related(
        Prefetch("care_team", queryset=CareTeamMember.objects.select_related("clinician"))
    )


@api.get("/me", response=MeOut, summary="Who this token belongs to")
def me(request):
    user = request.user
    roles = policy.roles_of(user)
    client = policy.client_record_of(user)
    names = (["clinician"] if roles.is_clinician else []) + (["admin"] if roles.is_admin else [])
    if client is not None:
        names.append("client")
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "language": user.language,
        "roles": names,
        "client_id": client.pk if client else None,
    }


@api.get("/clients", response=list[ClientOut], summary="The clients you may see")
def list_clients(request):
    """Clinicians get the clients whose care team they are on; a client gets themself."""
    clients = list(_clients(request.user).order_by("name"))
    record(
        actor=request.user,
        action=Action.LIST,
        object_type="clients",
        request=request,
        practice_id=policy.practice_id_of(request.user),
        detail={"count": len(clients)},
    )
    return [_client_out(c) for c in clients]


@api.get("/clients/{client_id}", response={200: ClientDetailOut, 404: ErrorOut})
def get_client(request, client_id: UUID):
    client = _clients(request.user).filter(pk=client_id).first()
    if client is None:
        raise Http404
    record(
        actor=request.user,
        action=Action.READ,
        object_type="client",
        object_id=client.pk,
        client=client,
        request=request,
    )
    return _client_out(client, detail=True, viewer=request.user)


@api.post(
    "/clients",
    response={200: ClientDetailOut, 201: ClientDetailOut, 403: ErrorOut, 422: ErrorOut},
    summary="Create a client record (clinicians; write scope)",
)
def create_client(request, payload: ClientIn):
    """Send an ``Idempotency-Key`` header (a UUID): a retry returns the first result (200)."""
    require_write(request)
    if not policy.can_create_clients(request.user):
        raise HttpError(403, _("Only clinicians with two-factor authentication create clients."))
    key = optional_idempotency_key(request.headers.get("Idempotency-Key"))
    practice = Practice.objects.get(pk=min(policy.roles_of(request.user).clinician_practices))
    try:
        client, created = domain.create_client(
            by=request.user,
            practice=practice,
            data=payload.dict(),
            submission_id=key,
            request=request,
        )
    except SubmissionKeyReused as exc:
        raise HttpError(422, str(exc)) from exc
    client = _clients(request.user).get(pk=client.pk)
    return (201 if created else 200), _client_out(client, detail=True, viewer=request.user)


# --- measures -------------------------------------------------------------------------------------

IDEMPOTENCY_HEADER = Header(
    None,
    alias="Idempotency-Key",
    description="A UUID you generate per submission; a retry with it returns the first result.",
)


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
    return {
        "id": assignment.pk,
        "client_id": assignment.client_id,
        "instrument": assignment.instrument_key,
        "instrument_name": name,
        "schedule": assignment.schedule,
        "targets": [target_names.public_name(t, names) for t in assignment.targets or []],
        "next_due": assignment.next_due,
        "active": assignment.active,
        "created_at": assignment.created_at,
    }


def _change_out(change) -> dict:
    return {
        "verdict": change.verdict,
        "pre": change.pre,
        "post": change.post,
        "difference": change.difference,
        "rc": change.rc,
        "smallest_reliable": change.smallest_reliable,
        "reliable": change.reliable,
        "improved": change.improved,
        "crossed_cutoff": change.crossed_cutoff,
        "method": change.method,
    }


@api.get(
    "/instruments",
    response=list[InstrumentOut],
    summary="The instrument catalogue, and whether clients can complete each one here",
)
def list_instruments(request):
    """No client data: not audited. Item wording is never part of it (clinics import it)."""
    loaded = measures_domain.loaded_languages()
    out = []
    for definition in definitions.registry().values():
        available, reason = measures_domain.availability(definition, request.user.language, loaded)
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


@api.post(
    "/clients/{client_id}/measure-assignments",
    response={200: AssignmentOut, 201: AssignmentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Assign a measure to a client (care-team clinicians; write scope)",
)
def create_assignment(
    request,
    client_id: UUID,
    payload: AssignmentIn,
    idempotency_key: str | None = IDEMPOTENCY_HEADER,
):
    """With an ``Idempotency-Key`` header a retry returns the first assignment (200)."""
    require_write(request)
    client = policy.get_client_for_user(request.user, client_id)
    if not policy.is_on_care_team(request.user, client):
        # Only the client themself sees their record without being on its care team.
        raise HttpError(403, _("Measures are assigned by your care team."))
    key = optional_idempotency_key(idempotency_key)
    data = payload.dict()

    def create() -> Assignment:
        return measures_domain.assign(
            by=request.user,
            client=client,
            key=data["instrument"],
            schedule=data["schedule"],
            targets=data["targets"],
            request=request,
        )

    try:
        assignment, created = create_once(
            user=request.user,
            key=key,
            kind="measures.assignment",
            body={"client": str(client.pk), **data},
            model=Assignment,
            create=create,
        )
    except (measures_domain.MeasureError, SubmissionKeyReused) as exc:
        raise HttpError(422, str(exc)) from exc
    names = target_names.labels_for(client, assignment.targets)
    return (201 if created else 200), _assignment_out(assignment, names)


@api.get(
    "/clients/{client_id}/measure-assignments",
    response={200: list[AssignmentOut], 404: ErrorOut},
    summary="A client's active assignments (care team, or the client themself)",
)
def list_assignments(request, client_id: UUID):
    client = policy.get_client_for_user(request.user, client_id)
    assignments = list(Assignment.objects.filter(client=client, active=True))
    record(
        actor=request.user,
        action=Action.LIST,
        object_type="assignments",
        object_id=client.pk,
        client=client,
        request=request,
        detail={"count": len(assignments)},
    )
    names = target_names.labels_for(client, [t for a in assignments for t in a.targets])
    return [_assignment_out(a, names) for a in assignments]


@api.post(
    "/clients/{client_id}/administrations",
    response={
        200: AdministrationOut,
        201: AdministrationOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
    },
    summary="Submit a whole set of answers, scored at once (write scope; Idempotency-Key needed)",
)
def create_administration(
    request,
    client_id: UUID,
    payload: AdministrationIn,
    idempotency_key: str | None = IDEMPOTENCY_HEADER,
):
    """A care-team clinician (entering a paper form) or the client themself.

    Values are the points chosen on the scale as the client saw it; reverse keying is ours. A
    retry with the same ``Idempotency-Key`` returns the first result (200); the same key with
    other answers is refused (422). When a risk answer fired, ``alert`` and ``risk`` are true:
    show the ``crisis_resources`` (also at ``support_url``) at once.
    """
    require_write(request)
    client = policy.get_client_for_user(request.user, client_id)
    key = required_idempotency_key(idempotency_key)
    instrument = payload.instrument
    on_team = policy.is_on_care_team(request.user, client)
    assignment = (
        Assignment.objects.filter(client=client, instrument_key=instrument, active=True)
        .order_by("next_due", "created_at")
        .first()
    )
    replay = SubmissionKey.objects.filter(user=request.user, key=key).exists()
    # The client themself answers only what their care team assigned (and so can be shown).
    if not on_team and assignment is None and not replay:
        raise HttpError(
            403,
            _("%(name)s is not assigned to you. Your care team assigns measures.")
            % {"name": definitions.get(instrument).short_name},
        )
    if payload.targets is not None:
        answers = dict(payload.targets)
    else:
        answers = {measures_domain.NO_TARGET: payload.answers}
    try:
        done, created = measures_domain.record_administration(
            by=request.user,
            client=client,
            key=instrument,
            answers=answers,
            completed_at=payload.completed_at,
            submission_id=key,
            assignment=assignment,
            request=request,
        )
    except (ScoringError, measures_domain.MeasureError, SubmissionKeyReused) as exc:
        raise HttpError(422, str(exc)) from exc
    administration = done.administration
    if administration.client_id != client.pk:
        # The key (and answers) were first used for another client: never return that record.
        raise HttpError(422, _("This submission id was already used for a different submission."))
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


@api.get(
    "/clients/{client_id}/scores",
    response={200: ScoresOut, 404: ErrorOut, 422: ErrorOut},
    summary="Every completed administration's scores, with reliable change (care team or client)",
)
def list_scores(request, client_id: UUID, instrument: str | None = None):
    """Grouped per instrument and relationship target, oldest first. ``since_first`` and
    ``since_previous`` hold reliable change per subscale where the instrument defines it."""
    client = policy.get_client_for_user(request.user, client_id)
    registry = definitions.registry()
    if instrument is not None and instrument not in registry:
        raise HttpError(422, _("Unknown instrument %(key)r.") % {"key": instrument})
    rows = Score.objects.filter(client=client)
    if instrument is not None:
        rows = rows.filter(instrument_key=instrument)
    by_key: dict[str, list[Score]] = {}
    for row in rows.order_by("completed_at", "id"):
        by_key.setdefault(row.instrument_key, []).append(row)
    record(
        actor=request.user,
        action=Action.READ,
        object_type="scores",
        object_id=client.pk,
        client=client,
        request=request,
        detail={"instrument": instrument or "all"},
    )
    names = target_names.labels_for(client, [r.target for rows in by_key.values() for r in rows])
    instruments = []
    for key, definition in registry.items():
        if key not in by_key:
            continue
        history = measures_domain.history(by_key[key], key)
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


# Routers of the clinical areas, each a thin edge over its own domain module.
from securebase.understand.moments.api import router as moments_router  # noqa: E402

api.add_router("", moments_router)

from securebase.understand.people.api import router as people_router  # noqa: E402

api.add_router("", people_router)

from securebase.practise.pause.api import router as pauses_router  # noqa: E402

api.add_router("", pauses_router)

from securebase.practise.ladder.api import router as ladder_router  # noqa: E402

api.add_router("", ladder_router)

from securebase.practise.journal.api import router as journal_router  # noqa: E402

api.add_router("", journal_router)

from securebase.practise.experiments.api import router as experiments_router  # noqa: E402

api.add_router("", experiments_router)

from securebase.practise.homework.api import router as homework_router  # noqa: E402

api.add_router("", homework_router)

from securebase.plan.goals.api import router as goals_router  # noqa: E402

api.add_router("", goals_router)

from securebase.plan.checkins.api import router as checkins_router  # noqa: E402

api.add_router("", checkins_router)

from securebase.plan.progress.api import router as progress_router  # noqa: E402

api.add_router("", progress_router)

from securebase.plan.sessions.api import router as brief_router  # noqa: E402

api.add_router("", brief_router)

from securebase.safety.plan.api import router as safety_router  # noqa: E402

api.add_router("", safety_router)

from securebase.maintain.api import router as maintain_router  # noqa: E402

api.add_router("", maintain_router)
