"""The JSON API, version 1: a thin edge over the same policy and domain functions as the web."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from securebase.api.auth import TokenAuth, require_write
from securebase.api.schemas import ClientDetailOut, ClientIn, ClientOut, ErrorOut, MeOut
from securebase.audit.log import Action, record
from securebase.care import domain, policy
from securebase.care.models import CareTeamMember, Client, Practice
from securebase.core.idempotency import SubmissionKeyReused, parse_key

api = NinjaAPI(
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
    raw_key = request.headers.get("Idempotency-Key")
    key = parse_key(raw_key)
    if raw_key and key is None:
        raise HttpError(422, _("The Idempotency-Key header must be a UUID."))
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
