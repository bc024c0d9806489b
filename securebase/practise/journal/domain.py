"""The feelings journal: free entries, or written with a ladder attempt. Client-authored.

Free text and emotions are encrypted by the model, so searching happens in Python over the
client's own entries. Audit events never carry the text.
"""

from __future__ import annotations

import json

from django.utils import timezone
from django.utils.translation import gettext as _

from securebase.audit.log import Action, record, record_list
from securebase.care import policy
from securebase.core import idempotency
from securebase.core.errors import InputError
from securebase.practise.models import JournalEntry
from securebase.safety.flags import domain as flags
from securebase.safety.flags import domain as safety_flags
from securebase.understand.vocabulary import EMOTIONS

JOURNAL_LIMIT = 500  # entries of the journal list, on the pages and per API page


class JournalError(InputError):
    """Input that cannot be saved, with a message for the person (and the field, if one)."""


def clean_emotions(raw) -> list[dict]:
    """[{"name": "lonely", "intensity": 7}, …]: names are words (ours or the client's), 0–10."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise JournalError(_("Emotions must be a list of names with an intensity from 0 to 10."))
    cleaned, seen = [], set()
    for entry in raw:
        if not isinstance(entry, dict) or set(entry) - {"name", "intensity"}:
            raise JournalError(_("Each emotion needs a name and an intensity from 0 to 10."))
        name = str(entry.get("name", "")).strip()[:40]
        intensity = entry.get("intensity")
        if not name:
            raise JournalError(_("An emotion is missing its name."), "emotions")
        if (
            isinstance(intensity, bool)
            or not isinstance(intensity, int)
            or not 0 <= intensity <= 10
        ):
            raise JournalError(
                _("The intensity of “%(name)s” must be a whole number from 0 to 10.")
                % {"name": name},
                "emotions",
            )
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        cleaned.append({"name": name, "intensity": intensity})
    return cleaned


def prepared(client, data: dict) -> dict:
    text = (data.get("text") or "").strip()
    if not text:
        raise JournalError(_("Write a few words for the journal entry."), "text")
    return {
        "text": text,
        "emotions_json": json.dumps(clean_emotions(data.get("emotions")), ensure_ascii=False),
        "written_at": data.get("written_at") or timezone.now(),
        "shared": bool(data.get("shared", client.shares_by_default)),
    }


def create_entry(
    client, *, by, values: dict, attempt=None, experiment=None, request=None
) -> JournalEntry:
    """Save an already prepared entry (inside the caller's transaction) and audit it."""
    entry = JournalEntry.objects.create(
        client=client, attempt=attempt, experiment=experiment, **values
    )
    record(
        actor=by,
        action=Action.CREATE,
        object_type="journal_entry",
        object_id=entry.pk,
        client=client,
        request=request,
        detail={
            "shared": entry.shared,
            "with_attempt": attempt is not None,
            "with_experiment": experiment is not None,
        },
    )
    return entry


def own_words(entry) -> list[str]:
    """The entry's text and the emotions named in the client's own words (not our list)."""
    return [entry.text] + [e["name"] for e in emotions_of(entry) if e["name"] not in EMOTIONS]


def write_entry(client, *, by, data: dict, submission_id=None, experiment=None, request=None):
    """A free journal entry (optionally about one of the client's own experiments, already
    checked by the caller); with ``submission_id`` a retry returns the first one.

    Risk language in it raises a flag in the same transaction; the alert (or None) is kept on
    ``entry.risk_alert``. An entry written with a ladder attempt is checked with the attempt."""
    if experiment is not None and experiment.client_id != client.pk:
        raise JournalError(_("That experiment is not yours to write about."))
    values = prepared(client, data)
    body = {**values, "written_at": values["written_at"].isoformat()}
    if experiment is not None:
        body["experiment"] = str(experiment.pk)
    if not data.get("written_at"):
        body.pop("written_at")  # "now" differs on every retry

    def create() -> JournalEntry:
        entry = create_entry(client, by=by, values=values, experiment=experiment, request=request)
        entry.risk_alert = flags.check_text(
            client,
            texts=own_words(entry),
            source_type="journal",
            source_id=entry.pk,
            shared=entry.shared,
            by=by,
            request=request,
        )
        return entry

    return idempotency.create_once(
        user=by,
        key=submission_id,
        kind="practise.journal",
        body=body,
        model=JournalEntry,
        create=create,
    )


def set_shared(entry: JournalEntry, *, by, shared: bool, request=None) -> JournalEntry:
    return safety_flags.set_entry_shared(
        entry, object_type="journal_entry", by=by, shared=shared, request=request
    )


def entries_for(
    user,
    client,
    *,
    query: str | None = None,
    offset: int = 0,
    limit: int = JOURNAL_LIMIT,
    request=None,
) -> list[JournalEntry]:
    """The journal entries this person may see (all their own; the shared ones for the care
    team), newest first, narrowed by ``query`` when one is given (:func:`search`), for someone
    the policy let see the client; audited as a list."""
    entries = list(
        policy.entries_visible_to(user, client, JournalEntry.objects)
        .select_related("attempt", "attempt__step")
        .order_by("-written_at")[offset : offset + limit]
    )
    detail = {}
    if query is not None:
        entries = search(entries, query)
        detail = {"searched": bool(query)}
    record_list(
        actor=user,
        object_type="journal",
        client=client,
        count=len(entries),
        request=request,
        **detail,
    )
    return entries


def emotions_of(entry: JournalEntry) -> list[dict]:
    return json.loads(entry.emotions_json or "[]")


def search(entries, query: str) -> list[JournalEntry]:
    """Entries whose text or emotions contain every word of ``query`` (case-insensitive)."""
    words = [w for w in (query or "").lower().split() if w]
    if not words:
        return list(entries)
    out = []
    for entry in entries:
        names = [e["name"] for e in emotions_of(entry)]
        haystack = " ".join(
            [entry.text or ""] + names + [str(EMOTIONS.get(n, n)) for n in names]
        ).lower()
        if all(word in haystack for word in words):
            out.append(entry)
    return out
