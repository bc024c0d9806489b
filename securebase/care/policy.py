"""The one access policy of Secure Base (DESIGN.md section 3). Deny by default.

Every query of client data goes through :func:`filter_clients` (``Client.objects.visible_to``) or
:func:`get_client_for_user`; views never filter clients by hand. Rules:

- A clinician sees a client only while on that client's care team, holds an active clinician
  membership of the client's practice, and has enrolled MFA.
- A client sees only their own record.
- A practice admin manages people and reads the audit log, but sees no client unless also a
  clinician on that client's care team.
- Unknown or foreign ids answer 404, never 403, so existence is not confirmed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from allauth.mfa.models import Authenticator
from django.db.models import Q
from django.http import Http404

from securebase.care.models import CareTeamMember, Client, Membership
from securebase.measures.models import Administration, Assignment
from securebase.plan.models import Goal, SessionTopic
from securebase.practise.models import CoregulationSession, Ladder, LadderStep
from securebase.safety.models import Alert


@dataclass(frozen=True)
class Roles:
    clinician_practices: frozenset[int] = field(default_factory=frozenset)
    admin_practices: frozenset[int] = field(default_factory=frozenset)
    has_mfa: bool = False

    @property
    def is_clinician(self) -> bool:
        return bool(self.clinician_practices)

    @property
    def is_admin(self) -> bool:
        return bool(self.admin_practices)

    @property
    def needs_mfa(self) -> bool:
        return self.is_clinician or self.is_admin


def roles_of(user) -> Roles:
    """The person's roles, computed once per request (cached on the user object)."""
    if user is None or not user.is_authenticated:
        return Roles()
    cached = getattr(user, "_securebase_roles", None)
    if cached is not None:
        return cached
    clinician, admin = set(), set()
    for practice_id, role in Membership.objects.filter(user=user, is_active=True).values_list(
        "practice_id", "role"
    ):
        (clinician if role == Membership.Role.CLINICIAN else admin).add(practice_id)
    has_mfa = False
    if clinician or admin:
        has_mfa = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    roles = Roles(frozenset(clinician), frozenset(admin), has_mfa)
    user._securebase_roles = roles
    return roles


def forget_roles(user) -> None:
    """Drop what was remembered about this person's roles and care teams (after a change)."""
    for name in ("_securebase_roles", "_securebase_care_teams"):
        user.__dict__.pop(name, None)


def is_clinician(user) -> bool:
    return roles_of(user).is_clinician


def is_practice_admin(user) -> bool:
    return roles_of(user).is_admin


def client_record_of(user) -> Client | None:
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.client_record
    except Client.DoesNotExist:
        return None


def get_own_record_for(user) -> Client:
    """The signed-in client's own record, for the pages only a client has; otherwise 404."""
    client = client_record_of(user)
    if client is None:
        raise Http404("No such client.")
    return client


def filter_clients(queryset, user):
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    roles = roles_of(user)
    allowed = Q(user=user)
    if roles.is_clinician and roles.has_mfa:
        on_team = CareTeamMember.objects.filter(clinician=user).values("client_id")
        allowed |= Q(pk__in=on_team, practice_id__in=roles.clinician_practices)
    # An erased record is closed to everyone: only its dates stay, on the admin's erasure page.
    return queryset.filter(allowed, erased_at__isnull=True)


def get_client_for_user(user, client_id) -> Client:
    """The client with this id if the person may see it; otherwise 404 (unknown or foreign)."""
    try:
        pk = uuid.UUID(str(client_id))
    except ValueError:
        raise Http404("No such client.") from None
    client = Client.objects.visible_to(user).select_related("practice").filter(pk=pk).first()
    if client is None:
        raise Http404("No such client.")
    return client


def get_client_for_care_team(user, client_id) -> Client:
    """The client if this person is a clinician on their care team; otherwise 404.

    Care-team clinicians may read and edit the record, invite the client, change the care team
    and link a couple; the client themself may see the record but not do these.
    """
    client = get_client_for_user(user, client_id)
    if not is_on_care_team(user, client):
        raise Http404("No such client.")
    return client


def is_on_care_team(user, client: Client) -> bool:
    """True for a clinician (with MFA, in the client's practice) on the client's care team.

    The answer is remembered on the user object, like the roles, so a page that checks the same
    client for several kinds of entries asks the database once per request.
    """
    roles = roles_of(user)
    if not (roles.has_mfa and client.practice_id in roles.clinician_practices):
        return False
    known = user.__dict__.setdefault("_securebase_care_teams", {})
    if client.pk not in known:
        known[client.pk] = CareTeamMember.objects.filter(client=client, clinician=user).exists()
    return known[client.pk]


def can_create_clients(user) -> bool:
    roles = roles_of(user)
    return roles.is_clinician and roles.has_mfa


def can_administer(user, practice_id: int) -> bool:
    roles = roles_of(user)
    return roles.has_mfa and practice_id in roles.admin_practices


def practice_id_of(user) -> int | None:
    """The practice a person belongs to, for filing events that concern no client."""
    roles = roles_of(user)
    ids = sorted(roles.clinician_practices | roles.admin_practices)
    if ids:
        return ids[0]
    client = client_record_of(user)
    return client.practice_id if client is not None else None


def _uuid_or_404(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404("Not found.") from None


def find_of_client(model, owner, object_id, *, via: str = "client", **filters):
    """The row with this id that belongs to a client (or a map, a ladder) the caller already
    fetched through this policy; None for an unknown or foreign id, 404 for a malformed one.

    ``via`` names the field that points at the owner, so a row is never fetched by id alone;
    ``filters`` narrow it further (``active=True``).
    """
    pk = _uuid_or_404(object_id)
    return model._default_manager.filter(pk=pk, **{via: owner}, **filters).first()


def get_of_client(model, owner, object_id, *, via: str = "client", **filters):
    """:func:`find_of_client`, answering 404 when there is no such row."""
    found = find_of_client(model, owner, object_id, via=via, **filters)
    if found is None:
        raise Http404("Not found.")
    return found


def get_own_assignment(user, assignment_id):
    """A measure assigned to the signed-in client (themself only); otherwise 404."""
    client = client_record_of(user)
    found = (
        Assignment.objects.filter(
            pk=_uuid_or_404(assignment_id), client=client, active=True
        ).first()
        if client is not None
        else None
    )
    if found is None:
        raise Http404("Not found.")
    return found


def get_own_administration(user, administration_id):
    """A questionnaire the signed-in client is answering or answered; otherwise 404."""
    client = client_record_of(user)
    found = (
        Administration.objects.select_related("assignment", "client")
        .filter(pk=_uuid_or_404(administration_id), client=client)
        .first()
        if client is not None
        else None
    )
    if found is None:
        raise Http404("Not found.")
    return found


def get_alert_for_care_team(user, client_id, alert_id):
    client = get_client_for_care_team(user, client_id)
    found = Alert.objects.filter(pk=_uuid_or_404(alert_id), client=client).first()
    if found is None:
        raise Http404("Not found.")
    return found


def get_administration_for_care_team(user, client_id, administration_id):
    client = get_client_for_care_team(user, client_id)
    found = Administration.objects.filter(pk=_uuid_or_404(administration_id), client=client).first()
    if found is None:
        raise Http404("Not found.")
    return found


# --- client-authored entries (moments, people of the relationship map) ---------------------------
#
# The client sees all of their own entries. A care-team clinician sees an entry only when the
# client shared it. Nobody else sees anything.


def entries_visible_to(user, client, queryset):
    """Filter a queryset of one client's entries (with a ``shared`` flag) for this person."""
    if client_record_of(user) == client:
        return queryset.filter(client=client)
    if is_on_care_team(user, client):
        return queryset.filter(client=client, shared=True)
    return queryset.none()


def get_own_entry(user, model, entry_id):
    """An entry of the signed-in client's own (to edit it); otherwise 404."""
    client = client_record_of(user)
    found = (
        model.objects.filter(pk=_uuid_or_404(entry_id), client=client).first()
        if client is not None
        else None
    )
    if found is None:
        raise Http404("Not found.")
    return found


def get_entry_for_user(user, model, entry_id, *, of: Client | None = None):
    """An entry the person may read: their own, or a shared one of a client on their care team
    (with ``of``, only an entry of that client)."""
    found = model.objects.select_related("client").filter(pk=_uuid_or_404(entry_id)).first()
    if (
        found is None
        or (of is not None and found.client_id != of.pk)
        or not entries_visible_to(user, found.client, model.objects).filter(pk=found.pk).exists()
    ):
        raise Http404("Not found.")
    return found


# --- couples: shared co-regulation exercises -----------------------------------------------------
#
# Both partners of a linked couple (Client.partner, symmetric) see the shared exercise session.
# Each partner's notes are theirs alone: the other partner never sees them. A care-team clinician
# of either partner sees that a session happened, and only the notes that partner chose to share.


def linked_partner_of(client: Client | None) -> Client | None:
    """The client's partner when the link holds both ways; otherwise None."""
    if client is None or client.partner_id is None:
        return None
    partner = Client.objects.filter(pk=client.partner_id, partner_id=client.pk).first()
    return partner


def coregulation_sessions_visible_to(user, queryset):
    """Sessions the person may see: a partner's own, or those of a client on their care team."""
    client = client_record_of(user)
    if client is not None:
        return queryset.filter(Q(client=client) | Q(partner=client))
    team = Client.objects.visible_to(user).exclude(user=user).values("pk")
    return queryset.filter(Q(client__in=team) | Q(partner__in=team))


def get_coregulation_session_for_user(user, session_id):
    """A co-regulation session the person may see; otherwise 404."""
    found = (
        coregulation_sessions_visible_to(user, CoregulationSession.objects)
        .select_related("client", "partner")
        .filter(pk=_uuid_or_404(session_id))
        .first()
    )
    if found is None:
        raise Http404("Not found.")
    return found


def coregulation_notes_visible_to(user, session, queryset):
    """A partner sees only their own note; a care-team clinician sees shared notes of their client.

    The other partner's note is never visible to a partner, shared or not.
    """
    client = client_record_of(user)
    if client is not None:
        if client.pk not in (session.client_id, session.partner_id):
            return queryset.none()
        return queryset.filter(session=session, client=client)
    allowed = [c for c in (session.client, session.partner) if is_on_care_team(user, c)]
    if not allowed:
        return queryset.none()
    return queryset.filter(session=session, client__in=allowed, shared=True)


# --- plan and track: goals, check-ins, sessions, topics ------------------------------------------
#
# Goals are written together: the client and their care team read and edit them. Check-in ratings
# are for the care team (the form tells the client so); a check-in's note only when shared.
# Sessions are recorded by the care team and seen by both. Topics are written by the client for
# the care team.


def plan_readers_of(user, client) -> bool:
    """True for the client themself and for clinicians on their care team."""
    return client_record_of(user) == client or is_on_care_team(user, client)


def get_session_topic_for_care_team(user, client_id, topic_id):
    """A topic a client wrote for their next session, for a clinician on their care team;
    otherwise 404."""
    return get_of_client(SessionTopic, get_client_for_care_team(user, client_id), topic_id)


def get_client_for_plan_reader(user, client_id) -> Client:
    """A client whose plan (goals, check-ins, progress) this person reads: the client themself or
    a clinician on their care team; otherwise 404."""
    client = get_client_for_user(user, client_id)
    if not plan_readers_of(user, client):
        raise Http404("Not found.")
    return client


def get_goal_for_user(user, goal_id, *, of: Client | None = None):
    """A goal of the person's own record, or of a client on their care team (with ``of``, only a
    goal of that client); otherwise 404."""
    found = (
        Goal.objects.select_related("client")
        .filter(pk=_uuid_or_404(goal_id), client__in=Client.objects.visible_to(user))
        .first()
    )
    if found is None or (of is not None and found.client_id != of.pk):
        raise Http404("Not found.")
    if not plan_readers_of(user, found.client):
        raise Http404("Not found.")
    return found


def can_read_ladder(user, ladder) -> bool:
    """The client themself or a clinician on their care team: both build and climb a ladder."""
    return plan_readers_of(user, ladder.client)


def get_ladder_for(user, ladder_id, *, of: Client | None = None):
    """A ladder of the person's own, or of a client on their care team (with ``of``, only a
    ladder of that client); otherwise 404."""
    found = Ladder.objects.select_related("client").filter(pk=_uuid_or_404(ladder_id)).first()
    if found is None or (of is not None and found.client_id != of.pk):
        raise Http404("Not found.")
    if not can_read_ladder(user, found):
        raise Http404("Not found.")
    return found


def get_ladder_step_for(user, step_id, *, of: Client | None = None):
    """A step of a ladder the person may read (:func:`can_read_ladder`; with ``of``, only of that
    client's ladders); otherwise 404."""
    found = (
        LadderStep.objects.select_related("ladder", "ladder__client")
        .filter(pk=_uuid_or_404(step_id))
        .first()
    )
    if found is None or (of is not None and found.ladder.client_id != of.pk):
        raise Http404("Not found.")
    if not can_read_ladder(user, found.ladder):
        raise Http404("Not found.")
    return found


def checkin_note_visible(user, checkin) -> bool:
    """The client always sees their note; the care team only when the client shared it."""
    return client_record_of(user) == checkin.client or bool(checkin.note_shared)


def caseload_clients(user):
    """The clinician's caseload: clients whose care team they are on (none for anyone else)."""
    roles = roles_of(user)
    if not (roles.is_clinician and roles.has_mfa):
        return Client.objects.none()
    return Client.objects.visible_to(user).filter(care_team__clinician=user)


# --- safety: risk flags and booster alerts -------------------------------------------------------
#
# Alerts are for the care team: every clinician on the client's care team sees them (a flag from an
# entry the client did not share says only where it came from, never the words). Nobody else does.


def alerts_for(user):
    """Every alert (open or acknowledged) of the clients on this clinician's care teams."""
    return Alert.objects.filter(client__in=caseload_clients(user).values("pk"))


def open_alerts_for(user):
    """The open alerts of the clients on this clinician's care teams (none for anyone else)."""
    return alerts_for(user).filter(acknowledged_at__isnull=True)


def get_alert_for_user(user, alert_id):
    """An alert of a client on this clinician's care teams; otherwise 404."""
    found = (
        alerts_for(user)
        .select_related("client", "acknowledged_by")
        .filter(pk=_uuid_or_404(alert_id))
        .first()
    )
    if found is None:
        raise Http404("Not found.")
    return found
