"""Responsiveness between sessions: a care-team clinician's short reflection on a shared entry.

Entries are found generically by ``entry_type`` through :data:`REGISTRY` (entry_type → model).
Other kinds of entry (ladder attempts, journal entries) plug in with :func:`register`; the model
needs a ``client`` and a ``shared`` flag, as every client-authored entry has. Access goes through
securebase.care.policy only; the audit log never holds the reflection's text.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from securebase.audit.log import Action, record
from securebase.care import policy
from securebase.core.errors import InputError
from securebase.practise.models import Attempt, Experiment, JournalEntry, Reflection
from securebase.understand.models import Moment

MAX_TEXT = 2000

REGISTRY: dict[str, type] = {
    "moment": Moment,
    "experiment": Experiment,
    "attempt": Attempt,
    "journal": JournalEntry,
}


def register(entry_type: str, model) -> None:
    """Let reflections be left on another kind of shared entry (e.g. "attempt", "journal")."""
    if len(entry_type) > 20:
        raise ValueError("entry_type is at most 20 characters")
    REGISTRY[entry_type] = model


class ReflectionError(InputError):
    """Input that cannot be saved, with a message for the person."""


def model_of(entry_type: str):
    model = REGISTRY.get(entry_type)
    if model is None:
        raise Http404("Not found.")
    return model


def leave_reflection(*, by, entry_type: str, entry_id, text: str, request=None) -> Reflection:
    """A care-team clinician reflects on an entry the client shared; anyone else gets 404."""
    entry = policy.get_entry_for_user(by, model_of(entry_type), entry_id)
    client = policy.get_client_for_care_team(by, entry.client_id)  # not the client themself
    text = (text or "").strip()
    if not text:
        raise ReflectionError(_("Write a few words first."))
    if len(text) > MAX_TEXT:
        raise ReflectionError(_("Keep a reflection under %(n)s characters.") % {"n": MAX_TEXT})
    with transaction.atomic():
        reflection = Reflection.objects.create(
            client=client, entry_type=entry_type, entry_id=entry.pk, text=text, author=by
        )
        record(
            actor=by,
            action=Action.CREATE,
            object_type="reflection",
            object_id=reflection.pk,
            client=client,
            request=request,
            detail={"entry_type": entry_type, "entry_id": str(entry.pk)},
        )
    return reflection


def reflections_for(user, entry_type: str, entries) -> dict:
    """{entry pk: [reflections]} for entries the caller already got through the policy."""
    entries = list(entries)
    if not entries:
        return {}
    by_client = defaultdict(list)
    for entry in entries:
        by_client[entry.client_id].append(entry.pk)
    found = defaultdict(list)
    for client_id, ids in by_client.items():
        for reflection in Reflection.objects.filter(
            client_id=client_id, entry_type=entry_type, entry_id__in=ids
        ).select_related("author"):
            found[reflection.entry_id].append(reflection)
    return dict(found)


def mark_seen(user, entry_type: str, entries) -> int:
    """The client opened these entries: their reflections count as seen."""
    client = policy.client_record_of(user)
    ids = [e.pk for e in entries if client is not None and e.client_id == client.pk]
    if not ids:
        return 0
    return Reflection.objects.filter(
        client=client, entry_type=entry_type, entry_id__in=ids, seen_at__isnull=True
    ).update(seen_at=timezone.now())


def recent_for_client(user, limit: int = 20) -> list[Reflection]:
    """Reflections on the signed-in client's own entries, newest first (for their pages)."""
    client = policy.client_record_of(user)
    if client is None:
        return []
    return list(
        Reflection.objects.filter(client=client)
        .select_related("author")
        .order_by("-created_at")[:limit]
    )


ENTRY_URLS = {
    "moment": "/home/moments/{pk}/",
    "experiment": "/home/experiments/{pk}/",
    # Attempts live on their ladder's page and journal entries in the journal list.
    "attempt": "/home/ladders/{ladder}/#attempt-{pk}",
    "journal": "/home/journal/#entry-{pk}",
}


def read_recent(user, client, *, limit: int = 100, request=None) -> list[Reflection]:
    """The reflections the client's care team left, newest first, each with the ``url`` of its
    entry, for the client's page; audited as a list."""
    found = recent_for_client(user, limit=limit)
    set_entry_urls(found)
    record(
        actor=user,
        action=Action.LIST,
        object_type="reflections",
        object_id=client.pk,
        client=client,
        request=request,
        detail={"count": len(found)},
    )
    return found


def entry_url(reflection: Reflection, ladder_of: dict | None = None) -> str:
    """Where the client reads the entry; ``ladder_of`` maps attempt ids to their ladder's id."""
    pattern = ENTRY_URLS.get(reflection.entry_type)
    if not pattern:
        return ""
    if reflection.entry_type == "attempt":
        ladder = (ladder_of or {}).get(reflection.entry_id)
        if ladder is None:  # the attempt is gone: its ladders list is the nearest page
            return "/home/ladders/"
        return pattern.format(pk=reflection.entry_id, ladder=ladder)
    return pattern.format(pk=reflection.entry_id)


def set_entry_urls(found: list[Reflection]) -> None:
    """Give each reflection the ``url`` of its entry, with one query for all the attempts."""
    attempts = [r.entry_id for r in found if r.entry_type == "attempt"]
    ladder_of = {}
    if attempts:
        ladder_of = dict(
            Attempt.objects.filter(
                client_id__in={r.client_id for r in found}, pk__in=attempts
            ).values_list("pk", "step__ladder_id")
        )
    for reflection in found:
        reflection.url = entry_url(reflection, ladder_of)
