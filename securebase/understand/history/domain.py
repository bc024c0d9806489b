"""The attachment history map, written together by the client and their care team.

The map (narrative, timeline events and relational scripts) is one shared document with one
version number. Every change to any part of it is one edit made from the version the person
started from: if someone else saved in between, the edit is refused with ``StaleSave``
carrying the current map, and nothing is overwritten. Every saved state is kept as a
:class:`HistoryVersion` snapshot, and every read and write is audited (without clinical text).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from securebase.audit.log import Action, record
from securebase.care import policy
from securebase.care.models import Client
from securebase.core.versioning import claim_version, same_fields
from securebase.understand.models import HistoryEvent, HistoryMap, HistoryVersion, Moment, Script

EVENT_FIELDS = ("kind", "age_from", "age_to", "when_text", "title", "description", "own_words")
SCRIPT_FIELDS = ("when", "expect", "so_i")


class LinkNotAllowed(Exception):
    """A script was linked to an event of another map, or to a moment this person may not see."""


# --- reading ------------------------------------------------------------------------------------


def get_or_create_map(*, client: Client, by, request=None) -> HistoryMap:
    """The client's map, started empty (version 1, with its first snapshot) on first use."""
    found = HistoryMap.objects.select_related("updated_by").filter(client=client).first()
    if found is not None:
        found.client = client  # the caller's copy, already checked by the policy
        return found
    try:
        with transaction.atomic():
            history = HistoryMap.objects.create(client=client, updated_by=by)
            HistoryVersion.objects.create(
                history=history, version=history.version, saved_by=by, snapshot=_dump(history)
            )
            record(
                actor=by,
                action=Action.CREATE,
                object_type="history_map",
                object_id=history.pk,
                client=client,
                request=request,
                detail={"version": history.version},
            )
    except IntegrityError:
        pass  # the other person opened it at the same moment; theirs is the map
    history = HistoryMap.objects.select_related("updated_by").get(client=client)
    history.client = client
    return history


def visible_moments(*, viewer, client: Client):
    """Moments of this client the viewer may see or link: all for the client, shared for the team."""
    return policy.entries_visible_to(viewer, client, Moment.objects.all())


@dataclass(frozen=True)
class MapContent:
    history: HistoryMap
    events: list[HistoryEvent]
    scripts: list[Script]


def timeline_order(events: Iterable) -> list:
    """Events by age (from, then to); events with no age at all come last, in the order added.

    Sorted here rather than in SQL because databases disagree on where empty ages go.
    """

    def key(event):
        start = event.age_from if event.age_from is not None else event.age_to
        end = event.age_to if event.age_to is not None else event.age_from
        return (start is None, start or 0, end or 0, event.position)

    return sorted(events, key=key)


def events_of(history: HistoryMap):
    """The map's events by age, to choose from (a script's "learned in")."""
    return HistoryEvent.objects.filter(history=history).order_by("age_from", "age_to", "position")


def age_label(age_from: int | None, age_to: int | None) -> str:
    """ "Age 7", "Ages 3–7", "Up to age 7", or "" when no age is known."""
    if age_from is not None and age_to is not None and age_to != age_from:
        return _("Ages %(start)s–%(end)s") % {"start": age_from, "end": age_to}
    if age_from is not None:
        return _("Age %(age)s") % {"age": age_from}
    if age_to is not None:
        return _("Up to age %(age)s") % {"age": age_to}
    return ""


def load_map(*, history: HistoryMap, viewer) -> MapContent:
    """The map's events in timeline order and its scripts with the links this viewer may see.

    A fixed number of queries however many events, scripts and links there are.
    """
    moments = visible_moments(viewer=viewer, client=history.client).order_by("occurred_at")
    events = timeline_order(HistoryEvent.objects.filter(history=history))
    scripts = list(
        Script.objects.filter(history=history)
        .order_by("pk")
        .prefetch_related(
            Prefetch("learned_in", queryset=HistoryEvent.objects.only("pk")),
            Prefetch("shows_up_in", queryset=moments),
        )
    )
    return MapContent(history=history, events=events, scripts=scripts)


def snapshot_of(history: HistoryMap) -> dict:
    """The whole map as plain data: what a HistoryVersion keeps."""
    events = timeline_order(HistoryEvent.objects.filter(history=history))
    scripts = (
        Script.objects.filter(history=history)
        .order_by("pk")
        .prefetch_related(
            Prefetch("learned_in", queryset=HistoryEvent.objects.only("pk")),
            Prefetch("shows_up_in", queryset=Moment.objects.only("pk")),
        )
    )
    return {
        "version": history.version,
        "narrative": history.narrative or "",
        "events": [
            {"id": str(e.pk), **{f: getattr(e, f) for f in EVENT_FIELDS}, "position": e.position}
            for e in events
        ],
        "scripts": [
            {
                "id": str(s.pk),
                **{f: getattr(s, f) for f in SCRIPT_FIELDS},
                "learned_in": sorted(str(e.pk) for e in s.learned_in.all()),
                "shows_up_in": sorted(str(m.pk) for m in s.shows_up_in.all()),
            }
            for s in scripts
        ],
    }


def _dump(history: HistoryMap) -> str:
    return json.dumps(snapshot_of(history), ensure_ascii=False, sort_keys=True)


def versions_of(history: HistoryMap):
    """Who saved which version and when, newest first (snapshots not decrypted)."""
    return (
        HistoryVersion.objects.filter(history=history)
        .select_related("saved_by")
        .defer("snapshot")
        .order_by("-version")
    )


def get_version(history: HistoryMap, number: int) -> tuple[HistoryVersion, dict] | None:
    """One saved version and its snapshot, or None when there is no such version."""
    found = (
        HistoryVersion.objects.select_related("saved_by")
        .filter(history=history, version=number)
        .first()
    )
    if found is None:
        return None
    return found, json.loads(found.snapshot)


def audit_read(*, by, history: HistoryMap, request=None, detail: dict | None = None) -> None:
    """Note that this person read the map (or a version of it)."""
    record(
        actor=by,
        action=Action.READ,
        object_type="history_map",
        object_id=history.pk,
        client=history.client,
        request=request,
        detail={"version": history.version, **(detail or {})},
    )


def get_map_for(user, client_id=None, *, request=None, read: dict | None = None) -> HistoryMap:
    """The map of the signed-in client (no ``client_id``) or of a client on this person's care
    team (404 to everyone else), started on first use. With ``read`` (what for; ``{}`` for the
    map itself) it is audited as read."""
    if client_id is None:
        client = policy.get_own_record_for(user)
    else:
        client = policy.get_client_for_care_team(user, client_id)
    found = get_or_create_map(client=client, by=user, request=request)
    if read is not None:
        audit_read(by=user, history=found, request=request, detail=read)
    return found


def item_of(user, history: HistoryMap, model, item_id, *, request=None, read: dict | None = None):
    """The event or script (``model``) of this map with this id, or None when the map has none
    (removed, or never there). With ``read``, finding it is audited as a read of the map."""
    found = policy.find_of_client(model, history, item_id, via="history")
    if found is not None:
        found.history = history
        if read is not None:
            audit_read(by=user, history=history, request=request, detail=read)
    return found


def read_map(user, history: HistoryMap, *, request=None, detail: dict | None = None) -> MapContent:
    """The map as :func:`load_map` gives it to this person, audited as read."""
    content = load_map(history=history, viewer=user)
    audit_read(by=user, history=history, request=request, detail=detail)
    return content


def versions_for(user, history: HistoryMap, *, request=None):
    """Who saved which version of the map, as :func:`versions_of`; audited as read."""
    audit_read(by=user, history=history, request=request, detail={"for": "versions"})
    return versions_of(history)


def version_for(user, history: HistoryMap, number: int, *, request=None):
    """One saved version and its snapshot (404 when there is none), audited as read."""
    found = get_version(history, number)
    if found is None:
        raise Http404("Not found.")
    detail = {"for": "version", "shown": number}
    audit_read(by=user, history=history, request=request, detail=detail)
    return found


# --- writing ------------------------------------------------------------------------------------


NOT_IN_MAP = object()  # what ``already`` answers when the map does not hold the edit yet


def _save(
    *,
    by,
    history: HistoryMap,
    version: int,
    change: Callable[[], object],
    already: Callable[[HistoryMap], object],
    action: str,
    object_type: str,
    object_id,
    request=None,
    fields: dict | None = None,
):
    """Apply one edit made from ``version``, or refuse it if the map has moved on.

    The conditional UPDATE both checks and claims the next version, so of two people saving
    from the same version exactly one succeeds. ``already(saved)`` answers what the edit made
    when the saved map holds it already (else :data:`NOT_IN_MAP`): then a save by this person
    one version on is their own retry, answered with that and not applied twice.
    """
    made = {}

    def holds_the_edit(saved: HistoryMap) -> bool:
        made["result"] = already(saved)
        return made["result"] is not NOT_IN_MAP

    with transaction.atomic():
        retry = claim_version(
            HistoryMap.objects.select_related("updated_by", "client"),
            history.pk,
            version=version,
            by=by,
            same_content=holds_the_edit,
            **(fields or {}),
        )
        if retry is not None:
            audit_read(by=by, history=retry, request=request, detail={"retry": True})
            current, result = retry, made["result"]
        else:
            result = change()
            current = HistoryMap.objects.select_related("updated_by", "client").get(pk=history.pk)
            HistoryVersion.objects.create(
                history=current, version=current.version, saved_by=by, snapshot=_dump(current)
            )
            record(
                actor=by,
                action=action,
                object_type=object_type,
                object_id=object_id if object_id is not None else getattr(result, "pk", ""),
                client=current.client,
                request=request,
                detail={"version": current.version},
            )
    history.version, history.narrative = current.version, current.narrative
    history.updated_by, history.updated_at = current.updated_by, current.updated_at
    return result


def _new_since(history: HistoryMap, version: int, key: str, items: Iterable) -> list:
    """Of ``items`` (the map's events or scripts now), those it did not have at ``version``."""
    kept = get_version(history, version)
    before = {item["id"] for item in kept[1].get(key, [])} if kept is not None else set()
    return [item for item in items if str(item.pk) not in before]


def _gone(model, pk) -> object:
    """For deletes: None (what a delete answers) once the item is gone, else NOT_IN_MAP."""
    return NOT_IN_MAP if model.objects.filter(pk=pk).exists() else None


def _script_holds(script: Script, *, by, data: dict, event_ids, moment_ids) -> bool:
    """Whether ``script`` has these words and, of what ``by`` may see, these links."""
    visible = visible_moments(viewer=by, client=script.history.client).values("pk")
    shown = script.shows_up_in.filter(pk__in=visible).values_list("pk", flat=True)
    learned = script.learned_in.values_list("pk", flat=True)
    return (
        same_fields({f: data[f] for f in SCRIPT_FIELDS})(script)
        and sorted(learned) == sorted(event_ids)
        and sorted(shown) == sorted(moment_ids)
    )


def save_narrative(*, by, history: HistoryMap, version: int, narrative: str, request=None):
    """Save the narrative summary written together."""
    _save(
        by=by,
        history=history,
        version=version,
        change=lambda: None,
        already=lambda saved: None if saved.narrative == narrative else NOT_IN_MAP,
        action=Action.UPDATE,
        object_type="history_narrative",
        object_id=history.pk,
        request=request,
        fields={"narrative": narrative},
    )
    return history


def add_event(*, by, history: HistoryMap, version: int, data: dict, request=None) -> HistoryEvent:
    """Add a point to the timeline (after the others of the same age)."""

    def create() -> HistoryEvent:
        last = HistoryEvent.objects.filter(history=history).aggregate(n=Max("position"))["n"]
        return HistoryEvent.objects.create(
            history=history,
            position=(last or 0) + 1,
            **{f: data.get(f) for f in EVENT_FIELDS if f in data},
        )

    def already(saved: HistoryMap) -> object:
        added = _new_since(saved, version, "events", HistoryEvent.objects.filter(history=saved))
        same = same_fields({f: data.get(f) for f in EVENT_FIELDS if f in data})
        return next((event for event in added if same(event)), NOT_IN_MAP)

    return _save(
        by=by,
        history=history,
        version=version,
        change=create,
        already=already,
        action=Action.CREATE,
        object_type="history_event",
        object_id=None,
        request=request,
    )


def edit_event(*, by, event: HistoryEvent, version: int, data: dict, request=None) -> HistoryEvent:
    def change() -> HistoryEvent:
        for name in EVENT_FIELDS:
            if name in data:
                setattr(event, name, data[name])
        event.save()
        return event

    def already(saved: HistoryMap) -> object:
        now = HistoryEvent.objects.filter(pk=event.pk).first()
        same = same_fields({f: data[f] for f in EVENT_FIELDS if f in data})
        return now if now is not None and same(now) else NOT_IN_MAP

    return _save(
        by=by,
        history=event.history,
        version=version,
        change=change,
        already=already,
        action=Action.UPDATE,
        object_type="history_event",
        object_id=event.pk,
        request=request,
    )


def delete_event(*, by, event: HistoryEvent, version: int, request=None) -> None:
    """Remove an event from the timeline; it stays readable in the earlier versions."""
    _delete(by=by, item=event, object_type="history_event", version=version, request=request)


def _delete(*, by, item, object_type: str, version: int, request=None) -> None:
    """Remove an event or a script from the map (a new version); a repeat finds it gone."""
    model = type(item)
    _save(
        by=by,
        history=item.history,
        version=version,
        change=lambda: model.objects.filter(pk=item.pk).delete(),
        already=lambda saved: _gone(model, item.pk),
        action=Action.DELETE,
        object_type=object_type,
        object_id=item.pk,
        request=request,
    )


def _checked_links(*, by, history: HistoryMap, learned_in, shows_up_in) -> tuple[list, list]:
    event_ids = {e.pk for e in learned_in}
    moment_ids = {m.pk for m in shows_up_in}
    known_events = set(
        HistoryEvent.objects.filter(history=history, pk__in=event_ids).values_list("pk", flat=True)
    )
    allowed_moments = set(
        visible_moments(viewer=by, client=history.client)
        .filter(pk__in=moment_ids)
        .values_list("pk", flat=True)
    )
    if known_events != event_ids or allowed_moments != moment_ids:
        raise LinkNotAllowed("A script links only this map's events and moments you can see.")
    return sorted(event_ids), sorted(moment_ids)


def add_script(
    *,
    by,
    history: HistoryMap,
    version: int,
    data: dict,
    learned_in=(),
    shows_up_in=(),
    request=None,
) -> Script:
    """Add a relational script, linked to the events it was learned in and today's moments."""
    event_ids, moment_ids = _checked_links(
        by=by, history=history, learned_in=learned_in, shows_up_in=shows_up_in
    )

    def create() -> Script:
        script = Script.objects.create(history=history, **{f: data[f] for f in SCRIPT_FIELDS})
        script.learned_in.set(event_ids)
        script.shows_up_in.set(moment_ids)
        return script

    def already(saved: HistoryMap) -> object:
        added = _new_since(saved, version, "scripts", Script.objects.filter(history=saved))
        links = {"event_ids": event_ids, "moment_ids": moment_ids}
        return next((s for s in added if _script_holds(s, by=by, data=data, **links)), NOT_IN_MAP)

    return _save(
        by=by,
        history=history,
        version=version,
        change=create,
        already=already,
        action=Action.CREATE,
        object_type="history_script",
        object_id=None,
        request=request,
    )


def edit_script(
    *,
    by,
    script: Script,
    version: int,
    data: dict,
    learned_in=(),
    shows_up_in=(),
    request=None,
) -> Script:
    """Change a script and its links.

    Links to moments this person cannot see (a moment the client keeps private) are kept as
    they were: a clinician's edit never removes what they were not shown.
    """
    history = script.history
    event_ids, moment_ids = _checked_links(
        by=by, history=history, learned_in=learned_in, shows_up_in=shows_up_in
    )

    def change() -> Script:
        unseen = list(
            script.shows_up_in.exclude(
                pk__in=visible_moments(viewer=by, client=history.client).values("pk")
            ).values_list("pk", flat=True)
        )
        for name in SCRIPT_FIELDS:
            setattr(script, name, data[name])
        script.save()
        script.learned_in.set(event_ids)
        script.shows_up_in.set([*moment_ids, *unseen])
        return script

    def already(saved: HistoryMap) -> object:
        now = Script.objects.filter(pk=script.pk).first()
        links = {"event_ids": event_ids, "moment_ids": moment_ids}
        if now is None or not _script_holds(now, by=by, data=data, **links):
            return NOT_IN_MAP
        return now

    return _save(
        by=by,
        history=history,
        version=version,
        change=change,
        already=already,
        action=Action.UPDATE,
        object_type="history_script",
        object_id=script.pk,
        request=request,
    )


def delete_script(*, by, script: Script, version: int, request=None) -> None:
    """Remove a script; it stays readable in the earlier versions."""
    _delete(by=by, item=script, object_type="history_script", version=version, request=request)
