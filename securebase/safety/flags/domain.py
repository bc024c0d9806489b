"""Risk flags: raised by a rule, seen by the care team at once, open until acknowledged with a note.

Every flag is a ``safety.Alert`` row (kind, where it came from, never the client's words). The
rules are plain functions in ``safety/flags/rules.py``: measure risk items (applied when scoring), the
check-in's safety question, and risk language (applied here by :func:`check_text`). A flag raised
by an entry the client did not share still reaches the care team, saying only what kind of entry
and when (DESIGN.md section 2, "safety"). The care team is emailed as soon as the flag is stored, without clinical detail.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from securebase.audit.log import Action, record
from securebase.care.models import CareTeamMember
from securebase.core.errors import InputError
from securebase.core.links import absolute_url
from securebase.safety.crisis_lines import domain as crisis_lines
from securebase.safety.crisis_lines import resources
from securebase.safety.flags import rules as risk
from securebase.safety.learning import additions
from securebase.safety.models import Alert

logger = logging.getLogger("securebase.safety")


def raise_flag(
    client,
    *,
    kind: str,
    source_type: str,
    source_id=None,
    shared: bool = True,
    administration=None,
    detail: dict | None = None,
    by=None,
    request=None,
) -> tuple[Alert, bool]:
    """Store the flag (once per entry and kind while open), audit it, and email the care team
    after commit.

    Answers (alert, created). Raising the same flag for the same entry again while its alert is
    still open returns that alert. Once it was acknowledged, a new flag opens a new alert: an
    entry edited to add new risk words after the care team closed the first one must reach them.
    """
    open_for_source = Alert.objects.filter(
        kind=kind, source_type=source_type, source_id=source_id, acknowledged_at__isnull=True
    )
    for _attempt in range(2):
        if source_id is not None:
            existing = open_for_source.first()
            if existing is not None:
                return existing, False
        try:
            with transaction.atomic():
                alert = Alert.objects.create(
                    client=client,
                    kind=kind,
                    source_type=source_type,
                    source_id=source_id,
                    source_shared=shared,
                    administration=administration,
                    detail=detail or {},
                )
        except IntegrityError:
            # The same entry raced itself (a double submit): the first open flag stands. (Should
            # it have been acknowledged in between, look again and open a new one.)
            continue
        break
    else:
        existing = open_for_source.first()
        if existing is None:
            raise RuntimeError("an alert for this entry could be neither found nor stored")
        return existing, False
    record(
        actor=by,
        action=Action.CREATE,
        object_type="alert",
        object_id=alert.pk,
        client=client,
        request=request,
        detail={"kind": kind, "source": source_type, "shared": shared},
    )
    transaction.on_commit(lambda: notify_care_team(alert.pk))
    return alert, True


def check_text(
    client,
    *,
    texts,
    source_type: str,
    source_id,
    shared: bool,
    by=None,
    request=None,
) -> Alert | None:
    """Raise a risk-words flag when the detector finds risk in any of ``texts``; None otherwise.

    The client's language is read first; both English and Spanish lists are always applied, since
    people write in more than one language. Denials ("I would never hurt myself"), past history
    and other people's experience raise no flag. The alert says why (each category and the layer
    that found it: ``safety/detector/domain.py``), never the words.
    """
    joined = "\n".join(t for t in texts if t)
    if not joined.strip():
        return None
    languages = tuple(dict.fromkeys([client.language or "en", "en", "es"]))
    found = risk.text_flags(joined, languages, additions.additions_for(client.practice_id))
    if not found.flag:
        return None
    alert, _created = raise_flag(
        client,
        kind=Alert.Kind.RISK_WORDS,
        source_type=source_type,
        source_id=source_id,
        shared=shared,
        detail={"reasons": [reason.as_dict() for reason in found.reasons]},
        by=by,
        request=request,
    )
    return alert


def notify_care_team(alert_id) -> int:
    """Email each clinician on the client's care team that a flag is waiting; answer how many.

    The email names no client and holds no clinical text: only a link to sign in. The alert is
    claimed first (a conditional update of ``emailed_at``) so two processes never both send; when
    no email at all could be sent the claim is given back (``emailed_at`` empty again), so the
    alert never claims to have been emailed and :func:`retry_unsent_alerts` tries again. Sending
    waits at most ``EMAIL_TIMEOUT`` seconds for the mail server.
    """
    alert = Alert.objects.select_related("client").filter(pk=alert_id).first()
    if alert is None or alert.emailed_at is not None:
        return 0
    claimed_at = timezone.now()
    if not Alert.objects.filter(pk=alert.pk, emailed_at__isnull=True).update(emailed_at=claimed_at):
        return 0  # another process sent it
    members = list(
        CareTeamMember.objects.filter(
            client=alert.client, clinician__is_active=True
        ).select_related("clinician")
    )
    if not members:
        # Nobody to tell yet: leave it unsent, so a clinician who joins the care team is emailed.
        Alert.objects.filter(pk=alert.pk, emailed_at=claimed_at).update(emailed_at=None)
        return 0
    sent = 0
    try:
        sent = _send_to(alert, members)
    finally:
        if not sent:
            # Nothing went out: give the claim back, so the alert says "not emailed yet" and the
            # worker tries again.
            Alert.objects.filter(pk=alert.pk, emailed_at=claimed_at).update(emailed_at=None)
    record(
        actor=None,
        action=Action.UPDATE,
        object_type="alert",
        object_id=alert.pk,
        client=alert.client,
        detail={"event": "emailed" if sent else "email failed", "recipients": sent},
    )
    return sent


def _send_to(alert: Alert, members) -> int:
    sent = 0
    for member in members:
        clinician = member.clinician
        with translation.override(getattr(clinician, "language", None) or None):
            subject = _("Secure Base: a risk flag needs your attention")
            body = _(
                "A risk flag was raised for a client on your care team. It stays open until a "
                "clinician acknowledges it with a note.\n\nSign in to see it: %(url)s\n"
            ) % {"url": absolute_url(reverse("alert_detail", args=[alert.pk]))}
        try:
            send_mail(subject, body, None, [clinician.email])
        except Exception:
            logger.exception("alert %s: email to a care-team member failed", alert.pk)
            continue
        sent += 1
    return sent


RETRY_AFTER = dt.timedelta(minutes=1)  # an alert younger than this is still being emailed


def retry_unsent_alerts(now: dt.datetime | None = None) -> int:
    """Email the care team about every open alert not emailed yet (the mail server was down, or
    the process stopped before sending); answer how many alerts went out. Run by the worker
    (``securebase reminders``)."""
    now = now or timezone.now()
    waiting = Alert.objects.filter(
        acknowledged_at__isnull=True, emailed_at__isnull=True, created_at__lte=now - RETRY_AFTER
    ).order_by("created_at")
    return sum(1 for pk in waiting.values_list("pk", flat=True) if notify_care_team(pk))


class AcknowledgementError(InputError):
    pass


def acknowledge(alert: Alert, *, by, note: str, request=None) -> Alert:
    """Close the alert with the clinician's note (what was done); audited without the note."""
    note = (note or "").strip()
    if not note:
        raise AcknowledgementError(_("Write a short note on what you did or decided."))
    with transaction.atomic():
        updated = Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=timezone.now(), acknowledged_by=by, acknowledgement=note
        )
        alert.refresh_from_db()
        record(
            actor=by,
            action=Action.UPDATE,
            object_type="alert",
            object_id=alert.pk,
            client=alert.client,
            request=request,
            detail={"event": "acknowledged" if updated else "already acknowledged"},
        )
    return alert


def crisis_payload(client, country: str | None = None) -> dict:
    """What an API answer carries when a create raised a risk flag: the crisis lines to show."""
    lines = crisis_lines.directory_for(client.practice_id)
    found = resources.resources_for(
        country or resources.client_country(client, source=lines), client.language, source=lines
    )
    return {
        "risk": True,
        "crisis_resources": {
            "country": found.code,
            "name": found.name,
            "resources": [
                {
                    "name": r.name,
                    "kind": r.kind,
                    "phone": r.phone,
                    "text": r.text,
                    "web": r.web,
                    "hours": r.hours,
                    "coverage": r.coverage,
                }
                for r in found.resources
            ],
        },
    }


def set_entry_shared(entry, *, object_type: str, by, shared: bool, request=None):
    """The client shares an entry (a journal entry, a pause, a ladder attempt) with their care
    team, or makes it private again: the entry, its alerts (:func:`sync_shared`) and the audit
    event in one transaction. Returns the entry."""
    with transaction.atomic():
        type(entry).objects.filter(pk=entry.pk).update(shared=shared)
        entry.shared = shared
        sync_shared(entry.pk, shared)
        record(
            actor=by,
            action=Action.UPDATE,
            object_type=object_type,
            object_id=entry.pk,
            client=entry.client,
            request=request,
            detail={"shared": shared},
        )
    return entry


def sync_shared(source_id, shared: bool) -> int:
    """The client shared an entry, or made it private again: its alerts follow at once.

    A private entry's alert names only the kind of entry; once shared, the care team may open it.
    """
    if source_id is None:
        return 0
    return Alert.objects.filter(source_id=source_id).update(source_shared=bool(shared))
