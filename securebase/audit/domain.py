"""Reading the audit log: the practice admins browse and filter it; reading it is itself logged."""

from __future__ import annotations

import datetime as dt

from securebase.audit.log import Action, record
from securebase.audit.models import AuditEvent

ACTION_CHOICES = Action.choices


def events_for(
    practice_id: int,
    *,
    by,
    actor: str = "",
    client=None,
    action: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    request=None,
):
    """The practice's events, newest first, narrowed by who acted (part of their email), the
    client, the action and the days; the read is logged. The caller checked that ``by`` is an
    admin of the practice."""
    events = AuditEvent.objects.filter(practice_id=practice_id)
    if actor:
        events = events.filter(actor_label__icontains=actor.strip())
    if client:
        events = events.filter(client_id=client)
    if action:
        events = events.filter(action=action)
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    record(
        actor=by,
        action=Action.READ,
        object_type="audit_log",
        practice_id=practice_id,
        request=request,
    )
    return events.order_by("-at", "-id")
