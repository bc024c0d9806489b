"""The attachment history map pages, for care-team clinicians and for the client themself.

One set of views serves both: ``client_id`` in the URL means a clinician on the care team;
no ``client_id`` means the signed-in client's own map. Access goes through the care policy (404 to
everyone else); changes go through :mod:`securebase.understand.history.domain`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from securebase.care.models import Client
from securebase.core.links import ClientLinks
from securebase.core.versioning import StaleSave, refused_form
from securebase.understand.history import domain as history
from securebase.understand.history.forms import (
    ConfirmDeleteForm,
    EventForm,
    NarrativeForm,
    ScriptForm,
    moment_label,
)
from securebase.understand.models import HistoryEvent, HistoryMap, Script

VERSIONS_PER_PAGE = 50


def _stale_message() -> str:
    return _(
        "Someone else saved the history map while you were editing. Nothing was overwritten: "
        "their version is shown with the form, which still holds what you wrote. Compare, "
        "then save again."
    )


# --- who is asking, and where their links go ---------------------------------------------------


@dataclass(frozen=True)
class Links(ClientLinks):
    """The URLs of one map for this person: clinicians' pages carry the client id, clients' don't."""

    @property
    def map(self) -> str:
        return self.url("history_map")

    @property
    def edit(self) -> str:
        return self.url("history_edit")

    @property
    def event_add(self) -> str:
        return self.url("history_event_add")

    @property
    def script_add(self) -> str:
        return self.url("history_script_add")

    @property
    def versions(self) -> str:
        return self.url("history_versions")

    def moment(self, moment_id) -> str:
        """Where a linked moment is read: the client's own page, or the care team's moments list."""
        if self.own:
            return reverse("moment_detail", args=[moment_id])
        return f"{reverse('client_moments', args=[self.client.pk])}#moment-{moment_id}"


@dataclass
class Target:
    client: Client
    own: bool
    history: HistoryMap
    links: Links


def _read(request, purpose: str | None) -> dict | None:
    """What a page that shows the map (a GET) is audited as read for; a save is audited by the
    domain."""
    return {"for": purpose} if purpose and request.method == "GET" else None


def _target(request, client_id, *, read: str | None = None) -> Target:
    """The map this person may read and edit, or 404: their own, or a care-team client's."""
    found = history.get_map_for(request.user, client_id, request=request, read=_read(request, read))
    own = client_id is None
    client = found.client
    return Target(client=client, own=own, history=found, links=Links(client=client, own=own))


def _context(target: Target, **extra) -> dict:
    return {
        "client": target.client,
        "own": target.own,
        "history": target.history,
        "links": target.links,
        **extra,
    }


# --- what the templates show: live map and old snapshots alike ----------------------------------


@dataclass
class EventView:
    id: str
    kind: str
    kind_label: str
    age: str
    when_text: str
    title: str
    description: str
    own_words: str
    edit_url: str = ""
    delete_url: str = ""

    @property
    def when(self) -> str:
        return ", ".join(p for p in (self.age, self.when_text) if p)

    @property
    def short(self) -> str:
        return f"{self.title} ({self.when})" if self.when else self.title


@dataclass(frozen=True)
class MomentLink:
    label: str
    url: str


@dataclass
class ScriptView:
    id: str
    when: str
    expect: str
    so_i: str
    events: list[EventView] = field(default_factory=list)
    moments: list[MomentLink] = field(default_factory=list)
    edit_url: str = ""
    delete_url: str = ""


def _kind_label(kind: str) -> str:
    return str(dict(HistoryEvent.Kind.choices).get(kind, kind))


def _event_view(data, links: Links | None) -> EventView:
    get = data.get if isinstance(data, dict) else lambda name: getattr(data, name)
    event_id = str(get("id"))
    return EventView(
        id=event_id,
        kind=get("kind"),
        kind_label=_kind_label(get("kind")),
        age=history.age_label(get("age_from"), get("age_to")),
        when_text=get("when_text") or "",
        title=get("title") or "",
        description=get("description") or "",
        own_words=get("own_words") or "",
        edit_url=links.url("history_event_edit", event_id) if links else "",
        delete_url=links.url("history_event_delete", event_id) if links else "",
    )


def live_views(content: history.MapContent, links: Links | None) -> dict:
    """The current map as the templates show it; edit links only when ``links`` is given."""
    events = [_event_view(e, links) for e in content.events]
    by_id = {e.id: e for e in events}
    place = {e.id: n for n, e in enumerate(events)}
    scripts = []
    for script in content.scripts:
        learned = [by_id[str(e.pk)] for e in script.learned_in.all() if str(e.pk) in by_id]
        scripts.append(
            ScriptView(
                id=str(script.pk),
                when=script.when,
                expect=script.expect,
                so_i=script.so_i,
                events=sorted(learned, key=lambda e: place[e.id]),
                moments=[_moment_link(m, links) for m in script.shows_up_in.all()],
                edit_url=links.url("history_script_edit", script.pk) if links else "",
                delete_url=links.url("history_script_delete", script.pk) if links else "",
            )
        )
    return {"narrative": content.history.narrative, "events": events, "scripts": scripts}


def _moment_link(moment, links: Links | None) -> MomentLink:
    return MomentLink(label=moment_label(moment), url=links.moment(moment.pk) if links else "")


def snapshot_views(snapshot: dict, *, viewer, client: Client, links: Links) -> dict:
    """An old version as the templates show it; linked moments only if the viewer may see them."""
    events = [_event_view(e, None) for e in snapshot.get("events", [])]
    by_id = {e.id: e for e in events}
    wanted = {m for s in snapshot.get("scripts", []) for m in s.get("shows_up_in", [])}
    moments = {
        str(m.pk): _moment_link(m, links)
        for m in history.visible_moments(viewer=viewer, client=client).filter(pk__in=wanted)
    }
    scripts = []
    for s in snapshot.get("scripts", []):
        learned = set(s.get("learned_in", []))
        scripts.append(
            ScriptView(
                id=s["id"],
                when=s.get("when", ""),
                expect=s.get("expect", ""),
                so_i=s.get("so_i", ""),
                events=[event for event_id, event in by_id.items() if event_id in learned],
                moments=[moments[i] for i in s.get("shows_up_in", []) if i in moments],
            )
        )
    return {"narrative": snapshot.get("narrative", ""), "events": events, "scripts": scripts}


def _refused(
    request, target: Target, refused: StaleSave, form_class, *, show: str, item=None, **form_kwargs
):
    """The refused form and the map as saved now beside it (this is a read: audited)."""
    current = refused.current
    current.client = target.client
    target.history = current
    content = history.read_map(request.user, current, request=request, detail={"for": "stale"})
    return refused_form(
        request,
        refused,
        form_class,
        message=_stale_message(),
        show="understand/history/_map_now.html",
        context={"show": show, "item": item, **live_views(content, None)},
        **form_kwargs,
    )


# --- the map --------------------------------------------------------------------------------------


@login_required
@require_GET
def history_map(request, client_id=None):
    """The timeline, the scripts and the narrative, readable on a phone and printable."""
    target = _target(request, client_id)
    content = history.read_map(request.user, target.history, request=request)
    return render(
        request,
        "understand/history/map.html",
        _context(target, **live_views(content, target.links)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def history_edit(request, client_id=None):
    """Edit the narrative summary."""
    target = _target(request, client_id, read="edit")
    stale = None
    if request.method == "POST":
        form = NarrativeForm(request.POST)
        if form.is_valid():
            try:
                history.save_narrative(
                    by=request.user,
                    history=target.history,
                    version=form.cleaned_data["version"],
                    narrative=form.cleaned_data["narrative"],
                    request=request,
                )
            except StaleSave as exc:
                form, stale = _refused(request, target, exc, NarrativeForm, show="narrative")
            else:
                messages.success(request, _("The story is saved."))
                return redirect(target.links.map)
    else:
        form = NarrativeForm(
            initial={"version": target.history.version, "narrative": target.history.narrative}
        )
    return render(
        request,
        "understand/history/narrative_form.html",
        _context(target, form=form, stale=stale),
    )


def _form_or_gone(request, target: Target, item, form_view):
    """``form_view`` for ``item``; for one removed by someone else while this person edited it
    (a POST from an older version), the form again to add it anew; else 404."""
    if item is not None:
        return form_view(request, target, item)
    if request.method == "POST" and _gone_while_editing(request, target):
        return form_view(request, target, None, vanished=True)
    raise Http404


def _removed_meanwhile(request, target: Target, form_class, *, show: str, message: str, **kwargs):
    """The form of an item someone else removed, with what this person typed and ``message``,
    beside the map as saved now."""
    gone = StaleSave(target.history)
    form, stale = _refused(request, target, gone, form_class, show=show, **kwargs)
    form.add_error(None, message)
    return form, stale


# --- events -------------------------------------------------------------------------------------


def _event_of(request, target: Target, event_id, *, read: str | None = None):
    return history.item_of(
        request.user,
        target.history,
        HistoryEvent,
        event_id,
        request=request,
        read=_read(request, read),
    )


def _gone_while_editing(request, target: Target) -> bool:
    """Whether a POST about a missing item came from an older version (someone removed it)."""
    try:
        return int(request.POST.get("version", "")) < target.history.version
    except ValueError:
        return False


@login_required
@require_http_methods(["GET", "POST"])
def event_add(request, client_id=None):
    target = _target(request, client_id, read="edit")
    return _event_form(request, target, None)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, event_id, client_id=None):
    target = _target(request, client_id)
    event = _event_of(request, target, event_id, read="edit")
    return _form_or_gone(request, target, event, _event_form)


def _event_form(request, target: Target, event: HistoryEvent | None, *, vanished: bool = False):
    stale = None
    if request.method == "POST" and vanished:
        form, stale = _removed_meanwhile(
            request,
            target,
            EventForm,
            show="event",
            message=_(
                "This event was removed by someone else. What you wrote is still here: "
                "saving adds it to the timeline again."
            ),
            own=target.own,
        )
    elif request.method == "POST":
        form = EventForm(request.POST, own=target.own)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            version = form.cleaned_data["version"]
            try:
                if event is None:
                    history.add_event(
                        by=request.user,
                        history=target.history,
                        version=version,
                        data=data,
                        request=request,
                    )
                else:
                    history.edit_event(
                        by=request.user, event=event, version=version, data=data, request=request
                    )
            except StaleSave as exc:
                current = _event_of(request, target, event.pk) if event is not None else None
                item = _event_view(current, None) if current is not None else None
                form, stale = _refused(
                    request, target, exc, EventForm, show="event", item=item, own=target.own
                )
            else:
                messages.success(request, _("The timeline is saved."))
                return redirect(target.links.map)
    else:
        initial = {"version": target.history.version}
        if event is not None:
            initial.update({name: getattr(event, name) for name in history.EVENT_FIELDS})
        form = EventForm(initial=initial, own=target.own)
    is_new = event is None
    action = target.links.event_add if is_new else target.links.url("history_event_edit", event.pk)
    return render(
        request,
        "understand/history/event_form.html",
        _context(target, form=form, stale=stale, is_new=is_new, action=action),
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_delete(request, event_id, client_id=None):
    target = _target(request, client_id)
    event = _event_of(request, target, event_id, read="delete")
    if event is None:
        return _already_removed(request, target, _("Someone else had already removed this event."))

    def delete(version):
        history.delete_event(by=request.user, event=event, version=version, request=request)

    item = _event_view(event, None)
    action = target.links.url("history_event_delete", event.pk)
    return _confirm_delete(request, target, item=item, what="event", delete=delete, action=action)


def _already_removed(request, target: Target, message: str):
    """A removal of an item someone else removed first (a POST from an older version): said, and
    back to the map; else 404."""
    if request.method == "POST" and _gone_while_editing(request, target):
        messages.info(request, message)
        return redirect(target.links.map)
    raise Http404


def _confirm_delete(request, target: Target, *, item, what: str, delete, action: str):
    stale = None
    if request.method == "POST":
        form = ConfirmDeleteForm(request.POST)
        if form.is_valid():
            try:
                delete(form.cleaned_data["version"])
            except StaleSave as exc:
                form, stale = _refused(
                    request, target, exc, ConfirmDeleteForm, show=what, item=item
                )
            else:
                messages.success(request, _("Removed. Earlier versions still show it."))
                return redirect(target.links.map)
    else:
        form = ConfirmDeleteForm(initial={"version": target.history.version})
    return render(
        request,
        "understand/history/confirm_delete.html",
        _context(target, form=form, stale=stale, item=item, what=what, action=action),
    )


# --- scripts ------------------------------------------------------------------------------------


def _script_of(request, target: Target, script_id, *, read: str | None = None):
    return history.item_of(
        request.user, target.history, Script, script_id, request=request, read=_read(request, read)
    )


def _script_view(request, target: Target, script: Script) -> ScriptView:
    """One script with its links as this person may see them."""
    events = history.timeline_order(script.learned_in.all())
    moments = history.visible_moments(viewer=request.user, client=target.client)
    return ScriptView(
        id=str(script.pk),
        when=script.when,
        expect=script.expect,
        so_i=script.so_i,
        events=[_event_view(e, None) for e in events],
        moments=[
            _moment_link(m, None) for m in moments.filter(scripts=script).order_by("occurred_at")
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def script_add(request, client_id=None):
    target = _target(request, client_id, read="edit")
    return _script_form(request, target, None)


@login_required
@require_http_methods(["GET", "POST"])
def script_edit(request, script_id, client_id=None):
    target = _target(request, client_id)
    script = _script_of(request, target, script_id, read="edit")
    return _form_or_gone(request, target, script, _script_form)


def _script_form(request, target: Target, script: Script | None, *, vanished: bool = False):
    moments = history.visible_moments(viewer=request.user, client=target.client).order_by(
        "-occurred_at"
    )
    choices = {
        "events": history.events_of(target.history),
        "moments": moments,
    }
    stale = None
    if request.method == "POST" and vanished:
        form, stale = _removed_meanwhile(
            request,
            target,
            ScriptForm,
            show="script",
            message=_(
                "This script was removed by someone else. What you wrote is still here: "
                "saving adds it again."
            ),
            **choices,
        )
    elif request.method == "POST":
        form = ScriptForm(request.POST, **choices)
        if form.is_valid():
            data = form.cleaned_data
            fields = {name: data[name] for name in history.SCRIPT_FIELDS}
            links = {"learned_in": data["learned_in"], "shows_up_in": data["shows_up_in"]}
            try:
                if script is None:
                    history.add_script(
                        by=request.user,
                        history=target.history,
                        version=data["version"],
                        data=fields,
                        request=request,
                        **links,
                    )
                else:
                    history.edit_script(
                        by=request.user,
                        script=script,
                        version=data["version"],
                        data=fields,
                        request=request,
                        **links,
                    )
            except StaleSave as exc:
                current = _script_of(request, target, script.pk) if script is not None else None
                item = _script_view(request, target, current) if current is not None else None
                form, stale = _refused(
                    request, target, exc, ScriptForm, show="script", item=item, **choices
                )
            except history.LinkNotAllowed:
                raise Http404 from None  # the form only offers allowed links; this was forged
            else:
                messages.success(request, _("The script is saved."))
                return redirect(target.links.map)
    else:
        if script is None:
            form = ScriptForm(initial={"version": target.history.version}, **choices)
        else:
            initial = ScriptForm.initial_for(
                script, moments=moments, version=target.history.version
            )
            form = ScriptForm(initial=initial, **choices)
    is_new = script is None
    action = (
        target.links.script_add if is_new else target.links.url("history_script_edit", script.pk)
    )
    return render(
        request,
        "understand/history/script_form.html",
        _context(target, form=form, stale=stale, is_new=is_new, action=action),
    )


@login_required
@require_http_methods(["GET", "POST"])
def script_delete(request, script_id, client_id=None):
    target = _target(request, client_id)
    script = _script_of(request, target, script_id, read="delete")
    if script is None:
        return _already_removed(request, target, _("Someone else had already removed this script."))

    def delete(version):
        history.delete_script(by=request.user, script=script, version=version, request=request)

    item = _script_view(request, target, script)
    action = target.links.url("history_script_delete", script.pk)
    return _confirm_delete(request, target, item=item, what="script", delete=delete, action=action)


# --- version history ----------------------------------------------------------------------------


@login_required
@require_GET
def history_versions(request, client_id=None):
    """Who saved which version, and when; each older version can be opened."""
    target = _target(request, client_id)
    versions = history.versions_for(request.user, target.history, request=request)
    page = Paginator(versions, VERSIONS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(v, target.links.url("history_version", v.version)) for v in page.object_list]
    return render(
        request,
        "understand/history/versions.html",
        _context(target, page=page, rows=rows),
    )


@login_required
@require_GET
def history_version(request, number, client_id=None):
    """One earlier version of the map, read-only."""
    target = _target(request, client_id)
    saved, snapshot = history.version_for(request.user, target.history, number, request=request)
    views = snapshot_views(snapshot, viewer=request.user, client=target.client, links=target.links)
    return render(
        request,
        "understand/history/version.html",
        _context(target, saved=saved, **views),
    )
