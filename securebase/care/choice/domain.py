"""The client's own choices over their programme (DESIGN.md section 2, "choice").

- **Pause the whole programme**: while ``Client.programme_paused_at`` is set nothing is due and no
  reminder of any kind is sent. It is the client's decision alone (the care team is not asked) and
  separate from the clinician-set ``Client.status``. Resuming clears it. Both are audited.
- **Change what is shared, at any time**: per kind of entry, share every past entry or make every
  past entry private in one transaction, audited with counts only; the care team's pages read the
  ``shared`` flag on every request, so a change is seen at once.
- **Self-supervision after discharge**: reflective-journal prompts in our own words.

Every state change is one function that owns its transaction and its audit event, and is allowed
for the client themself only (:class:`NotAllowed` otherwise; callers answer 404 before that).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from securebase.audit.log import Action, record, record_read
from securebase.care import policy
from securebase.care.models import Client
from securebase.safety.models import Alert


class NotAllowed(PermissionError):
    """Only the client decides this for themself."""


def _own(client: Client, by) -> None:
    if by is None or policy.client_record_of(by) != client:
        raise NotAllowed


# --- pausing the whole programme -----------------------------------------------------------------


def pause_programme(client: Client, *, by, request=None) -> Client:
    """The client pauses everything; pausing again keeps the first date."""
    return _set_programme_paused(client, by=by, paused=True, request=request)


def resume_programme(client: Client, *, by, request=None) -> Client:
    """The client resumes; reminders and due dates apply again from now on."""
    return _set_programme_paused(client, by=by, paused=False, request=request)


def _set_programme_paused(client: Client, *, by, paused: bool, request=None) -> Client:
    """Pause or resume the whole programme; audited only when that changes something."""
    _own(client, by)
    with transaction.atomic():
        now = timezone.now()
        changed = Client.objects.filter(pk=client.pk, programme_paused_at__isnull=paused).update(
            programme_paused_at=now if paused else None, updated_at=now
        )
        if paused and not changed:  # already paused: keep the first date
            client.programme_paused_at = Client.objects.values_list(
                "programme_paused_at", flat=True
            ).get(pk=client.pk)
        else:
            client.programme_paused_at = now if paused else None
        if changed:
            record(
                actor=by,
                action=Action.UPDATE,
                object_type="programme",
                object_id=client.pk,
                client=client,
                request=request,
                detail={"paused": paused},
            )
    return client


# --- what is shared ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SharingKind:
    """One kind of client-authored entry with a "share with my care team" flag."""

    key: str
    label: Promise
    model: str  # "app_label.ModelName"
    flag: str = "shared"
    # The ``Alert.source_type`` of risk flags raised from this kind of entry, if any.
    alert_source: str = ""

    def model_class(self):
        return apps.get_model(self.model)


SHARING_KINDS: tuple[SharingKind, ...] = (
    SharingKind("moments", _("Moments"), "understand.Moment", alert_source="moment"),
    SharingKind("pauses", _("Pauses"), "practise.Pause", alert_source="pause"),
    SharingKind("journal", _("Journal entries"), "practise.JournalEntry", alert_source="journal"),
    SharingKind(
        "experiments",
        _("Behavioural experiments"),
        "practise.Experiment",
        alert_source="experiment",
    ),
    SharingKind("attempts", _("Ladder attempts"), "practise.Attempt", alert_source="attempt"),
    SharingKind("tool_uses", _("Toolkit practice"), "practise.ToolUse"),
    SharingKind("rituals", _("Soothing rituals"), "practise.Ritual"),
    SharingKind("reframes", _("Reframing records"), "practise.Reframe", alert_source="reframe"),
    SharingKind("requests", _("Requests and boundaries"), "practise.Request"),
    SharingKind(
        "coregulation", _("Notes on exercises with my partner"), "practise.CoregulationNote"
    ),
    SharingKind(
        "checkin_notes",
        _("Check-in notes"),
        "plan.Checkin",
        flag="note_shared",
        alert_source="checkin",
    ),
    SharingKind("people", _("People on my relationship map"), "understand.Person"),
)
SHARING_BY_KEY = {kind.key: kind for kind in SHARING_KINDS}


@dataclass(frozen=True)
class SharingRow:
    kind: SharingKind
    shared: int
    private: int

    @property
    def total(self) -> int:
        return self.shared + self.private


def _entries(kind: SharingKind, client: Client):
    found = kind.model_class().objects.filter(client=client)
    if kind.key == "checkin_notes":
        found = found.exclude(note="")  # a check-in without a note has nothing to share
    return found


def sharing_summary(client: Client) -> list[SharingRow]:
    """How many entries of each kind are shared and private: one query per kind."""
    rows = []
    for kind in SHARING_KINDS:
        counts = _entries(kind, client).aggregate(
            n_shared=Count("pk", filter=Q(**{kind.flag: True})),
            n_private=Count("pk", filter=Q(**{kind.flag: False})),
        )
        rows.append(SharingRow(kind, counts["n_shared"] or 0, counts["n_private"] or 0))
    return rows


def sharing_of(client: Client, *, by, request=None) -> list[SharingRow]:
    """What the client shares, kind by kind (:func:`sharing_summary`), for the client themself;
    audited as a read."""
    _own(client, by)
    rows = sharing_summary(client)
    record_read(actor=by, object_type="sharing", obj=client, client=client, request=request)
    return rows


def set_sharing_of_past_entries(
    client: Client, *, by, kind: str, shared: bool, request=None
) -> int:
    """Share every past entry of one kind, or make every one private; answer how many changed.

    One transaction; the audit event records the kind and the counts only. Risk alerts raised from
    these entries follow, so an alert of a now private entry says where it came from, never more.
    """
    _own(client, by)
    found = SHARING_BY_KEY.get(kind)
    if found is None:
        raise KeyError(kind)
    with transaction.atomic():
        changing = _entries(found, client).filter(**{found.flag: not shared})
        ids = list(changing.values_list("pk", flat=True)) if found.alert_source else []
        changed = changing.update(**{found.flag: shared})
        if ids:
            Alert.objects.filter(
                client=client, source_type=found.alert_source, source_id__in=ids
            ).update(source_shared=shared)
        record(
            actor=by,
            action=Action.UPDATE,
            object_type="sharing",
            object_id=client.pk,
            client=client,
            request=request,
            detail={"kind": found.key, "shared": shared, "count": changed},
        )
    return changed


def set_sharing_default(client: Client, *, by, shares_by_default: bool, request=None) -> Client:
    """Whether new entries start shared or private (each entry can still be changed)."""
    _own(client, by)
    with transaction.atomic():
        Client.objects.filter(pk=client.pk).update(
            shares_by_default=shares_by_default, updated_at=timezone.now()
        )
        client.shares_by_default = shares_by_default
        record(
            actor=by,
            action=Action.UPDATE,
            object_type="client_preferences",
            object_id=client.pk,
            client=client,
            request=request,
            detail={"shares_by_default": shares_by_default},
        )
    return client


# --- self-supervision after discharge ------------------------------------------------------------

# Our own prompts for reflecting alone after therapy ends (not taken from any published tool).
REFLECTIVE_PROMPTS: tuple[tuple[str, Promise], ...] = (
    ("reaching", _("How have I reached out to the people close to me lately, and how did it go?")),
    ("secure", _("When did I feel safe with someone this week? What helped?")),
    ("signs", _("Have I noticed any of my warning signs? What did I do about them?")),
    ("skill", _("Which skill have I used lately, and what did I learn from it?")),
    ("kind", _("What would I say to a friend who had the week I had?")),
    ("proud", _("What am I proud of since therapy ended?")),
)
_PROMPTS = dict(REFLECTIVE_PROMPTS)


def prompt_text(key: str | None) -> str:
    """The words of a reflective prompt by its key, in the active language ("" if unknown)."""
    found = _PROMPTS.get(key or "")
    return str(found) if found is not None else ""
