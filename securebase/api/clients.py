"""Who the token belongs to, and the clients they may see, in the JSON API.

The same policy and domain (``securebase.care``) as the caseload and the client pages. The
operation ids were fixed when these routes lived in ``api.py`` and stay so.
"""

from __future__ import annotations

from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError

from securebase.api.common import IdempotencyKey, Page, optional_idempotency_key
from securebase.api.schemas import ClientDetailOut, ClientIn, ClientOut, MeOut, answers
from securebase.care import domain, policy
from securebase.care.models import Client

router = Router()


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


@router.get(
    "/me",
    response=MeOut,
    summary="Who this token belongs to",
    operation_id="securebase_api_api_me",
)
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


@router.get(
    "/clients",
    response=list[ClientOut],
    summary="The clients you may see",
    operation_id="securebase_api_api_list_clients",
)
def list_clients(request, page: Query[Page.up_to(domain.CLIENTS_LIMIT)]):
    """Clinicians get the clients whose care team they are on; a client gets themself."""
    clients = page.rows(request, domain.CLIENTS_LIMIT, domain.clients_for)
    return [_client_out(c) for c in clients]


@router.get(
    "/clients/{client_id}",
    response=answers(ClientDetailOut, 404),
    operation_id="securebase_api_api_get_client",
)
def get_client(request, client_id: UUID):
    client = domain.client_for(request.user, client_id, request=request)
    return _client_out(client, detail=True, viewer=request.user)


@router.post(
    "/clients",
    response=answers(ClientDetailOut, 403, 422, created=True),
    summary="Create a client record (clinicians; write scope)",
    operation_id="securebase_api_api_create_client",
)
def create_client(request, payload: ClientIn, idempotency_key: IdempotencyKey = None):
    """Send an ``Idempotency-Key`` header (a UUID): a retry returns the first result (200)."""
    if not policy.can_create_clients(request.user):
        raise HttpError(403, _("Only clinicians with two-factor authentication create clients."))
    key = optional_idempotency_key(idempotency_key)
    try:
        client, created = domain.create_client(
            by=request.user,
            practice=domain.practice_for_new_clients(request.user),
            data=payload.dict(),
            submission_id=key,
            request=request,
        )
    except domain.EmailTaken as exc:
        raise HttpError(422, str(exc)) from exc
    client = domain.with_care_team(client)
    return (201 if created else 200), _client_out(client, detail=True, viewer=request.user)
