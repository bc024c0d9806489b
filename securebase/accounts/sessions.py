"""Session lifetime rules: idle timeout per role, an absolute limit, and "sign out everywhere"."""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from securebase.accounts import tokens
from securebase.audit.log import Action, record

STARTED = "sb_started"
LAST_ACTIVE = "sb_last_active"
BACKGROUND_HEADER = "X-Background"
# Rewriting the session on every click costs a write; a minute of slack is invisible to people.
ACTIVITY_RESOLUTION = 60


def idle_timeout_for(roles) -> timedelta:
    if roles.is_clinician or roles.is_admin:
        return settings.SESSION_IDLE_TIMEOUT_CLINICIAN
    return settings.SESSION_IDLE_TIMEOUT_CLIENT


def is_background(request) -> bool:
    """Polling and other automatic requests must not keep a session alive."""
    return request.headers.get(BACKGROUND_HEADER) == "1"


def expiry_reason(session, *, idle: timedelta, valid_after, now: float | None = None) -> str | None:
    """Why this session must end now, or None. A plain function of the session's timestamps."""
    now = time.time() if now is None else now
    started = session.get(STARTED)
    last = session.get(LAST_ACTIVE, started)
    if started is None:
        return None
    if now - started > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
        return "absolute"
    if last is not None and now - last > idle.total_seconds():
        return "idle"
    if valid_after is not None and started < valid_after.timestamp():
        return "revoked"
    return None


def mark_started(session, now: float | None = None) -> None:
    now = time.time() if now is None else now
    session[STARTED] = now
    session[LAST_ACTIVE] = now


def touch(session, now: float | None = None) -> None:
    now = time.time() if now is None else now
    if now - session.get(LAST_ACTIVE, 0) >= ACTIVITY_RESOLUTION:
        session[LAST_ACTIVE] = now


def sign_out_everywhere(user, *, revoke_tokens: bool = False, request=None) -> None:
    """End every session of this person, on every device (the sessions started before now stop
    working at their next request); a security event in the audit log. With ``revoke_tokens``,
    every API token of theirs stops working too."""
    with transaction.atomic():
        if revoke_tokens:
            tokens.revoke_all_tokens(user, request=request)
        user.sessions_valid_after = timezone.now()
        user.save(update_fields=["sessions_valid_after"])
        record(
            actor=user,
            action=Action.SECURITY,
            object_type="session",
            request=request,
            detail={"event": "signed_out_everywhere", "revoked_tokens": revoke_tokens},
        )
