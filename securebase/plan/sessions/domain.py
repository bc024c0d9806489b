"""Therapy sessions and the client's "what I want to talk about" topics.

Recording a session (its date and whether the client came) is done by the care team and starts the
next "since last session" window of the session brief. Topics are written by the client for their
care team; the care team marks them discussed, the client may delete one not yet discussed. Each
state change is one transaction with its audit event (never the topic's words: they are encrypted).
Risk language in a topic raises a risk flag in the same transaction (a topic is written for the
care team, so the flag counts as shared); the topic then carries ``risk_alert``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from securebase.audit.log import Action, record, record_list
from securebase.care import policy
from securebase.core import errors, idempotency
from securebase.core.errors import InputError
from securebase.plan.models import SessionTopic, TherapySession
from securebase.safety.flags import domain as flags

MAX_TOPIC = 1000
SESSIONS_LIMIT = 500  # rows of the sessions list per API page


class SessionError(InputError):
    """A request that cannot be carried out, with a message for the person and its field."""


class NotAllowed(errors.NotAllowed):
    """The person is not the one who may do this (the API answers 403, the pages 404)."""


def client_today(client) -> dt.date:
    """Today in the client's own time zone (sessions and windows are the client's days)."""
    return timezone.now().astimezone(client.zone).date()


def local_midnight(client, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=client.zone)


# --- sessions ---------------------------------------------------------------------------------


def record_session(
    client, *, by, held_on: dt.date, attended: bool, submission_id=None, request=None
) -> tuple[TherapySession, bool]:
    """Record a session held (or missed) on ``held_on``; a retry with the same id records once.

    Only a clinician on the client's care team records sessions. A date after the client's today
    is refused: the brief's window cannot start in the future.
    """
    if not policy.is_on_care_team(by, client):
        raise NotAllowed(_("Only the client's care team records sessions."))
    if not isinstance(held_on, dt.date) or isinstance(held_on, dt.datetime):
        raise SessionError(_("Give the date of the session."), "held_on")
    if held_on > client_today(client):
        raise SessionError(_("A session can only be recorded once it has happened."), "held_on")
    attended = bool(attended)
    body = {"client": str(client.pk), "held_on": held_on.isoformat(), "attended": attended}

    def create() -> TherapySession:
        session = TherapySession.objects.create(
            client=client, held_on=held_on, attended=attended, recorded_by=by
        )
        record(
            actor=by,
            action=Action.CREATE,
            object_type="therapy_session",
            object_id=session.pk,
            client=client,
            request=request,
            detail={"held_on": held_on.isoformat(), "attended": attended},
        )
        return session

    return idempotency.create_once(
        user=by,
        key=submission_id,
        kind="plan.session",
        body=body,
        model=TherapySession,
        create=create,
    )


def last_session(client) -> TherapySession | None:
    """The most recent session, attended or not (one query)."""
    return TherapySession.objects.filter(client=client).order_by("-held_on", "-recorded_at").first()


@dataclass(frozen=True)
class Window:
    """A period of the client's days, ``start`` to ``end`` inclusive, with its exact bounds."""

    start: dt.date
    end: dt.date
    start_at: dt.datetime  # aware; inclusive
    end_at: dt.datetime  # aware; exclusive
    last_session: TherapySession | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def window(client, start: dt.date, end: dt.date, *, last: TherapySession | None = None) -> Window:
    """Whole days ``start``…``end`` in the client's time zone."""
    if end < start:
        start, end = end, start
    return Window(
        start,
        end,
        local_midnight(client, start),
        local_midnight(client, end + dt.timedelta(days=1)),
        last,
    )


def since_last_session(client) -> Window:
    """From the last session (attended or not), or the client's start, up to the end of today.

    A session recorded on its own day starts the window at the moment it was recorded, so the
    brief read after recording shows only what came after; one recorded later starts at the
    beginning of the session's day, so nothing of that day is left out.
    """
    today = client_today(client)
    last = last_session(client)
    if last is None:
        started = timezone.localtime(client.created_at, client.zone).date()
        return window(client, min(started, today), today)
    result = window(client, min(last.held_on, today), today, last=last)
    recorded = timezone.localtime(last.recorded_at, client.zone)
    if recorded.date() == last.held_on:
        result = Window(result.start, result.end, recorded, result.end_at, last)
    return result


def sessions_of(client, *, limit: int = SESSIONS_LIMIT, offset: int = 0) -> list[TherapySession]:
    return list(
        TherapySession.objects.filter(client=client).order_by("-held_on", "-recorded_at")[
            offset : offset + limit
        ]
    )


def sessions_for(
    user, client, *, offset: int = 0, limit: int = SESSIONS_LIMIT, request=None
) -> list[TherapySession]:
    """The client's sessions, newest first, for someone the policy let see the client; audited."""
    found = sessions_of(client, limit=limit, offset=offset)
    record_list(
        actor=user, object_type="therapy_sessions", client=client, count=len(found), request=request
    )
    return found


# --- topics -----------------------------------------------------------------------------------


def add_topic(client, *, by, text: str, submission_id, request=None) -> tuple[SessionTopic, bool]:
    """The client adds something they want to talk about next session (for their care team)."""
    if policy.client_record_of(by) != client:
        raise NotAllowed(_("Only the client adds what they want to talk about."))
    text = (text or "").strip()
    if not text:
        raise SessionError(_("Write what you would like to talk about."), "text")
    if len(text) > MAX_TOPIC:
        raise SessionError(
            _("Please keep it under %(count)d characters.") % {"count": MAX_TOPIC}, "text"
        )

    def create() -> SessionTopic:
        topic = SessionTopic.objects.create(client=client, text=text)
        record(
            actor=by,
            action=Action.CREATE,
            object_type="session_topic",
            object_id=topic.pk,
            client=client,
            request=request,
        )
        topic.risk_alert = flags.check_text(
            client,
            texts=[topic.text],
            source_type="topic",
            source_id=topic.pk,
            shared=True,  # written for the care team
            by=by,
            request=request,
        )
        return topic

    return idempotency.create_once(
        user=by,
        key=submission_id,
        kind="plan.session_topic",
        body={"client": str(client.pk), "text": text},
        model=SessionTopic,
        create=create,
    )


def open_topics(client):
    return SessionTopic.objects.filter(client=client, discussed_at__isnull=True).order_by(
        "created_at"
    )


def read_open_topics(user, client, *, request=None) -> list[SessionTopic]:
    """The client's topics not yet discussed (at most 100), for their own page; audited."""
    topics = list(open_topics(client)[:100])
    record(
        actor=user,
        action=Action.LIST,
        object_type="session_topics",
        object_id=client.pk,
        client=client,
        request=request,
        detail={"count": len(topics)},
    )
    return topics


def mark_topic_discussed(topic: SessionTopic, *, by, discussed: bool = True, request=None):
    """The care team marks a topic discussed (or not yet, to undo a slip)."""
    if not policy.is_on_care_team(by, topic.client):
        raise NotAllowed(_("Only the client's care team marks topics discussed."))
    with transaction.atomic():
        when = timezone.now() if discussed else None
        SessionTopic.objects.filter(pk=topic.pk).update(discussed_at=when)
        topic.discussed_at = when
        record(
            actor=by,
            action=Action.UPDATE,
            object_type="session_topic",
            object_id=topic.pk,
            client=topic.client,
            request=request,
            detail={"discussed": discussed},
        )
    return topic


def delete_topic(topic: SessionTopic, *, by, request=None) -> None:
    """The client takes back a topic not yet discussed (a discussed one stays, for the record)."""
    if policy.client_record_of(by) != topic.client:
        raise NotAllowed(_("Only the client removes their own topics."))
    with transaction.atomic():
        # Deleted only if still undiscussed now: marking it discussed a moment ago wins.
        deleted, _rows = SessionTopic.objects.filter(
            pk=topic.pk, discussed_at__isnull=True
        ).delete()
        if not deleted:
            raise SessionError(_("This topic was already discussed, so it stays in the record."))
        record(
            actor=by,
            action=Action.DELETE,
            object_type="session_topic",
            object_id=topic.pk,
            client=topic.client,
            request=request,
        )
