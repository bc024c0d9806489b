"""State changes of clients and care teams. Each is one transaction and writes its audit event."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from securebase.audit.log import Action, record, record_read, record_retry
from securebase.care import policy
from securebase.care.models import (
    CareTeamMember,
    Client,
    Invitation,
    Membership,
    Practice,
    by_name,
)
from securebase.core import idempotency
from securebase.core.identifiers import normalise_email
from securebase.core.links import absolute_url
from securebase.core.versioning import claim_version

CLIENT_FIELDS = ("name", "preferred_name", "email", "language", "country", "referral_reason")


class InvitationInvalid(Exception):
    pass


class EmailTaken(ValueError):
    """A client this clinician sees already has this address (however it is spelt)."""


# Clients per list, on the pages and per API page (more than any caseload).
CLIENTS_LIMIT = 500


def _normalised(data: dict) -> dict:
    return {**data, "email": normalise_email(data["email"])} if "email" in data else data


def _refuse_taken_email(by, practice, email: str, *, other_than=None) -> None:
    """Refuse a second record of a client this clinician already sees. Only the clients they may
    see count: a refusal must not tell them that a colleague has a client with this address."""
    taken = Client.objects.visible_to(by).with_email(practice, email)
    if other_than is not None:
        taken = taken.exclude(pk=other_than)
    if taken.exists():
        raise EmailTaken(_("One of your clients already has this email address."))


def practice_clinicians(practice: Practice, *, excluding=()):
    """The practice's active clinicians (less those ``excluding``), to choose who joins a care
    team; their names are encrypted, so forms sort them by name in Python (care.forms.ByName…)."""
    User = get_user_model()
    return (
        User.objects.filter(
            is_active=True,
            memberships__practice=practice,
            memberships__role=Membership.Role.CLINICIAN,
            memberships__is_active=True,
        )
        .exclude(pk__in=excluding)
        .distinct()
        .order_by("email")
    )


def _clinicians_of(practice: Practice, ids) -> list:
    return list(practice_clinicians(practice).filter(pk__in=ids))


def partner_candidates(user, client: Client):
    """The other clients of the practice this person may see: who could be linked as the client's
    partner."""
    return Client.objects.visible_to(user).filter(practice=client.practice).exclude(pk=client.pk)


def _with_care_team(clients):
    return clients.prefetch_related(
        Prefetch("care_team", queryset=CareTeamMember.objects.select_related("clinician"))
    )


def clients_for(user, *, offset: int = 0, limit: int | None = None, request=None) -> list[Client]:
    """The clients this person may see, by name, each with the care team, at most ``limit``
    (``CLIENTS_LIMIT`` when left out); the list is audited.

    Clinicians get the clients whose care team they are on; a client gets themself. Names are
    encrypted, so the order is made here: the whole caseload is read, then one page kept.
    """
    limit = CLIENTS_LIMIT if limit is None else limit
    clients = by_name(_with_care_team(Client.objects.visible_to(user)))[offset : offset + limit]
    record(
        actor=user,
        action=Action.LIST,
        object_type="clients",
        request=request,
        practice_id=policy.practice_id_of(user),
        detail={"count": len(clients)},
    )
    return clients


def client_for(user, client_id, *, request=None) -> Client:
    """One client this person may see, with the care team; 404 otherwise. Audited as a read."""
    client = _with_care_team(Client.objects.visible_to(user)).filter(pk=client_id).first()
    if client is None:
        raise Http404("Not found.")
    record_read(actor=user, object_type="client", obj=client, client=client, request=request)
    return client


def audit_read(*, by, client: Client, request=None, detail: dict | None = None) -> None:
    """Note that this person read the client's record (``detail`` says what for)."""
    record(
        actor=by,
        action=Action.READ,
        object_type="client",
        object_id=client.pk,
        client=client,
        request=request,
        detail=detail,
    )


def get_client_to_edit(user, client_id, *, request=None) -> Client:
    """A client on this clinician's care team (404 otherwise), audited as opened to edit."""
    client = policy.get_client_for_care_team(user, client_id)
    audit_read(by=user, client=client, request=request, detail={"for": "edit"})
    return client


@dataclass(frozen=True)
class RecordPage:
    """A client's record as their care team sees it."""

    team: list[CareTeamMember]
    team_candidates: QuerySet  # the practice's clinicians not on the team yet
    partner_candidates: QuerySet
    open_alerts: int
    open_invitation: Invitation | None


def record_page(client: Client, *, by, request=None) -> RecordPage:
    """The record for a clinician the policy found on the client's care team: the team and who
    could join it, who could be linked as a partner, the open alerts and the open invitation.
    Audited as a read."""
    audit_read(by=by, client=client, request=request)
    team = list(client.care_team.select_related("clinician"))
    return RecordPage(
        team=team,
        team_candidates=practice_clinicians(
            client.practice, excluding=[m.clinician_id for m in team]
        ),
        partner_candidates=partner_candidates(by, client),
        open_alerts=client.alerts.filter(acknowledged_at__isnull=True).count(),
        open_invitation=client.invitations.filter(
            accepted_at__isnull=True, revoked_at__isnull=True
        ).first(),
    )


def with_care_team(client: Client) -> Client:
    """The client again, with the care team loaded (after a change the caller made)."""
    return _with_care_team(Client.objects.filter(pk=client.pk)).get()


def practice_for_new_clients(user) -> Practice:
    """Where a clinician's new clients go: the first practice they are a clinician in."""
    return Practice.objects.get(pk=min(policy.roles_of(user).clinician_practices))


def create_client(
    *, by, practice: Practice, data: dict, colleagues=(), submission_id=None, request=None
) -> tuple[Client, bool]:
    """Create a client record with ``by`` as lead clinician. Idempotent on ``submission_id``.

    The email is normalised; a client this clinician already sees with the same address
    (``Maya@``, ``maya@`` or fullwidth ``ｍａｙａ@``) is the same person: refused (EmailTaken)."""
    data = _normalised(data)
    body = {k: data.get(k, "") for k in CLIENT_FIELDS}
    body["colleagues"] = sorted(str(c) for c in colleagues)

    def create() -> Client:
        _refuse_taken_email(by, practice, data.get("email", ""))
        client = Client.objects.create(
            practice=practice, created_by=by, **{k: data.get(k, "") or "" for k in CLIENT_FIELDS}
        )
        if not client.language:
            client.language = settings.LANGUAGE_CODE
            client.save(update_fields=["language"])
        CareTeamMember.objects.create(client=client, clinician=by, role=CareTeamMember.Role.LEAD)
        for colleague in _clinicians_of(practice, colleagues):
            if colleague.pk != by.pk:
                CareTeamMember.objects.get_or_create(client=client, clinician=colleague)
        record(
            actor=by,
            action=Action.CREATE,
            object_type="client",
            object_id=client.pk,
            client=client,
            request=request,
        )
        return client

    return idempotency.create_once(
        user=by, key=submission_id, kind="care.client", body=body, model=Client, create=create
    )


def update_client(*, by, client: Client, data: dict, version: int, request=None) -> Client:
    """Save an edit made from ``version``; refuse it if the record moved on since (StaleSave).

    A retry of this person's own save (same details, one version on) answers with the record.
    An address another client this clinician sees has is refused (EmailTaken).
    """
    data = _normalised(data)
    with transaction.atomic():
        changes = {k: data[k] for k in CLIENT_FIELDS if k in data}
        if "email" in changes:
            _refuse_taken_email(by, client.practice, changes["email"], other_than=client.pk)
        retry = claim_version(
            Client.objects.select_related("updated_by"),
            client.pk,
            version=version,
            by=by,
            **changes,
        )
        if retry is not None:
            record_retry(actor=by, object_type="client", saved=retry, client=retry, request=request)
            return retry
        current = Client.objects.get(pk=client.pk)
        record(
            actor=by,
            action=Action.UPDATE,
            object_type="client",
            object_id=client.pk,
            client=current,
            request=request,
            detail={"fields": sorted(changes)},
        )
    return current


def set_preferences(
    *,
    client: Client,
    by,
    shares_by_default: bool,
    language: str,
    pacing: str = "standard",
    terms: dict | None = None,
    in_session_only: str = "",
    time_zone: str | None = None,
    request=None,
) -> Client:
    """The client's own choices: language, sharing default, pacing, their words, held topics,
    and the time zone their check-ins and reminders follow."""
    with transaction.atomic():
        client.shares_by_default = shares_by_default
        client.language = language
        client.pacing = pacing
        client.preferred_terms = terms or {}
        client.in_session_only = in_session_only.strip()
        client.time_zone = time_zone or client.time_zone
        client.save(
            update_fields=[
                "shares_by_default",
                "language",
                "pacing",
                "preferred_terms",
                "in_session_only",
                "time_zone",
                "updated_at",
            ]
        )
        if client.user_id:
            type(client.user).objects.filter(pk=client.user_id).update(language=language)
        record(
            actor=by,
            action=Action.UPDATE,
            object_type="client_preferences",
            object_id=client.pk,
            client=client,
            request=request,
            # Which words were chosen is the client's own text: only their keys are recorded.
            detail={
                "shares_by_default": shares_by_default,
                "language": language,
                "time_zone": client.time_zone,
                "pacing": pacing,
                "terms": sorted((terms or {}).keys()),
            },
        )
    return client


def _record_team_change(*, by, client: Client, clinician, event: str, request=None) -> None:
    """Audit a clinician joining (``event="added"``) or leaving (``"removed"``) a care team."""
    record(
        actor=by,
        action=Action.UPDATE,
        object_type="care_team",
        object_id=clinician.pk,
        client=client,
        request=request,
        detail={"event": event},
    )


def add_to_care_team(*, by, client: Client, clinician, request=None) -> CareTeamMember:
    if not _clinicians_of(client.practice, [clinician.pk]):
        raise ValueError(_("Only active clinicians of this practice can join a care team."))
    with transaction.atomic():
        member, _created = CareTeamMember.objects.get_or_create(client=client, clinician=clinician)
        _record_team_change(
            by=by, client=client, clinician=clinician, event="added", request=request
        )
    return member


def care_team_member(client: Client, clinician_id) -> CareTeamMember:
    """This clinician's place on the client's care team; 404 for anyone not on it."""
    member = client.care_team.filter(clinician_id=clinician_id).select_related("clinician").first()
    if member is None:
        raise Http404("Not found.")
    return member


def remove_from_care_team(*, by, client: Client, clinician, request=None) -> None:
    with transaction.atomic():
        team = CareTeamMember.objects.select_for_update().filter(client=client)
        if team.count() <= 1:
            raise ValueError(_("A client always keeps at least one clinician on the care team."))
        team.filter(clinician=clinician).delete()
        _record_team_change(
            by=by, client=client, clinician=clinician, event="removed", request=request
        )


def link_partners(*, by, client: Client, partner: Client | None, request=None) -> None:
    """Link two clients of one practice as a couple (both sides), or unlink with ``None``."""
    with transaction.atomic():
        if client.partner_id:
            Client.objects.filter(pk=client.partner_id).update(partner=None)
        if partner is not None:
            if partner.pk == client.pk or partner.practice_id != client.practice_id:
                raise ValueError(_("A partner must be another client of the same practice."))
            if partner.partner_id and partner.partner_id != client.pk:
                Client.objects.filter(pk=partner.partner_id).update(partner=None)
            Client.objects.filter(pk=partner.pk).update(partner=client)
        Client.objects.filter(pk=client.pk).update(partner=partner)
        client.partner = partner
        record(
            actor=by,
            action=Action.UPDATE,
            object_type="couple",
            object_id=client.pk,
            client=client,
            request=request,
            detail={"partner": str(partner.pk) if partner else None},
        )
        if partner is not None:
            record(
                actor=by,
                action=Action.UPDATE,
                object_type="couple",
                object_id=partner.pk,
                client=partner,
                request=request,
                detail={"partner": str(client.pk)},
            )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SentInvitation:
    invitation: Invitation
    url: str


def invite_client(*, by, client: Client, request=None) -> SentInvitation:
    """Email a single-use link valid for INVITATION_VALID_DAYS; earlier open links stop working."""
    if client.user_id:
        raise ValueError(_("This client already has an account."))
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.filter(
            client=client, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            client=client,
            email=client.email,
            token_hash=_token_hash(token),
            created_by=by,
            created_at=now,
            expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        record(
            actor=by,
            action=Action.INVITE,
            object_type="invitation",
            object_id=invitation.pk,
            client=client,
            request=request,
        )
    url = absolute_url(reverse("invitation_accept", args=[token]))
    with translation.override(client.language):
        context = {
            "client": client,
            "url": url,
            "clinician": by,
            "days": settings.INVITATION_VALID_DAYS,
        }
        send_mail(
            subject=_("Your invitation to Secure Base"),
            message=render_to_string("care/email/invitation.txt", context),
            from_email=None,
            recipient_list=[client.email],
        )
    return SentInvitation(invitation, url)


def find_open_invitation(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("client", "client__practice")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if invitation is None or not invitation.is_open or invitation.client.user_id:
        raise InvitationInvalid(
            _("This invitation link is not valid any more. Ask your clinician for a new one.")
        )
    return invitation


def accept_invitation(
    *, token: str, password: str, language: str, shares_by_default: bool, request=None
):
    """Create the client's account from an open invitation; the link cannot be used again."""
    User = get_user_model()
    with transaction.atomic():
        invitation = find_open_invitation(token)
        Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
        client = invitation.client
        if User.objects.filter(email__iexact=normalise_email(invitation.email)).exists():
            raise InvitationInvalid(
                _("An account with this email already exists. Sign in, or ask your clinician.")
            )
        user = User.objects.create_user(
            invitation.email, password, name=client.name, language=language
        )
        client.user = user
        client.language = language
        client.shares_by_default = shares_by_default
        client.save(update_fields=["user", "language", "shares_by_default", "updated_at"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        record(
            actor=user,
            action=Action.CREATE,
            object_type="client_account",
            object_id=user.pk,
            client=client,
            request=request,
            detail={"shares_by_default": shares_by_default, "language": language},
        )
    return user


def add_practice_member(*, by, practice: Practice, email: str, name: str, role: str, request=None):
    """Add a clinician or admin; a new person gets an unusable password and sets one by reset."""
    User = get_user_model()
    email = normalise_email(email)
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if created:
            user = User.objects.create_user(email, None, name=name)
        Membership.objects.update_or_create(
            practice=practice, user=user, role=role, defaults={"is_active": True}
        )
        record(
            actor=by,
            action=Action.SECURITY,
            object_type="membership",
            object_id=user.pk,
            practice_id=practice.pk,
            request=request,
            detail={"event": "added", "role": role},
        )
    return user, created


def members_of(practice: Practice):
    """Everyone with a role in the practice (active or not), by name, for its admins' page (sorted
    here: names are encrypted)."""
    members = Membership.objects.filter(practice=practice).select_related("user")
    return sorted(members, key=lambda m: (m.user.name.casefold(), m.user.email, m.role))
