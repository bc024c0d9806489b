"""The toolkit: tool uses with intensity before and after, rituals, reframes, requests.

Each save is one transaction with its audit event (ids and flags only, never clinical text).
Creating is idempotent through core.idempotency. "What helped" is computed from ToolUse rows.
Risk language in what the client writes (notes, rituals, reframes, requests) raises a risk flag in
the same transaction (``safety.flags.check_text``); the saved record then carries ``risk_alert``.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Avg, Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from securebase.audit.log import Action, record
from securebase.care import policy
from securebase.core import idempotency
from securebase.core.errors import InputError
from securebase.practise.models import Reframe, Request, Ritual, ToolUse
from securebase.practise.pause.domain import check_intensity
from securebase.safety.flags import domain as flags

Tool = ToolUse.Tool

# Breathing patterns: seconds for (in, hold, out, hold). The client may adjust each number.
PATTERNS = {
    "478": {"label": gettext_lazy("4-7-8"), "phases": [4, 7, 8, 0]},
    "box": {"label": gettext_lazy("Box 4-4-4-4"), "phases": [4, 4, 4, 4]},
    "resonance": {"label": gettext_lazy("Resonance (about 6 a minute)"), "phases": [5, 0, 5, 0]},
}


def has_holds(phases) -> bool:
    """Whether a pattern's (in, hold, out, hold) seconds hold the breath at all."""
    return bool(phases[1] or phases[3])


def without_holds(phases) -> list[int]:
    """The same in and out, holds skipped: holding the breath can feel unsafe to some."""
    return [phases[0], 0, phases[2], 0]


GROUNDING_STEPS = [
    (5, gettext_lazy("Name five things you can see.")),
    (4, gettext_lazy("Name four things you can feel or touch.")),
    (3, gettext_lazy("Name three things you can hear.")),
    (2, gettext_lazy("Name two things you can smell.")),
    (1, gettext_lazy("Name one thing you can taste, or one kind thing about yourself.")),
]


class ToolkitError(InputError):
    """Input that cannot be saved, with a message and the field it concerns."""


def _intensity(value, field, label, required=False):
    return check_intensity(value, field, label, required=required, error=ToolkitError)


def _text(data, name, limit=5000) -> str:
    return str(data.get(name) or "").strip()[:limit]


def _shared(client, data) -> bool:
    shared = data.get("shared")
    return client.shares_by_default if shared is None else bool(shared)


def record_event(by, action, kind, obj, client, request, **detail):
    """Audit ``action`` on ``obj`` (an object of ``kind``) of ``client``, with ``detail``."""
    record(
        actor=by,
        action=action,
        object_type=kind,
        object_id=obj.pk,
        client=client,
        request=request,
        detail=detail,
    )


def check_risk(obj, *, source_type: str, texts, by, request=None):
    """Raise a risk-words flag when the record's words hold risk language; kept on
    ``obj.risk_alert`` (None when nothing was raised). Call inside the save's transaction."""
    obj.risk_alert = flags.check_text(
        obj.client,
        texts=list(texts),
        source_type=source_type,
        source_id=obj.pk,
        shared=obj.shared,
        by=by,
        request=request,
    )
    return obj


LIMIT = 200


def entries_for(user, client, model, kind: str, *, order="-created_at", request=None) -> list:
    """The client's rituals, reframes, requests or tool uses as this person may see them (all
    their own; the shared ones for the care team), at most :data:`LIMIT`; audited as a list."""
    items = list(policy.entries_visible_to(user, client, model.objects).order_by(order)[:LIMIT])
    record(
        actor=user,
        action=Action.LIST,
        object_type=kind,
        object_id=client.pk,
        client=client,
        request=request,
        detail={"count": len(items)},
    )
    return items


def audit_read(*, by, obj, kind: str, request=None, **detail) -> None:
    """Note that this person opened a ritual or a request (``detail`` says what for)."""
    record_event(by, Action.READ, kind, obj, obj.client, request, **detail)


def get_ritual_for(user, ritual_id, *, purpose: str, request=None) -> Ritual:
    """One of the signed-in client's own rituals (404 for anyone else's), audited as opened
    for ``purpose`` ("edit", "use")."""
    ritual = policy.get_own_entry(user, Ritual, ritual_id)
    audit_read(by=user, obj=ritual, kind="ritual", request=request, **{"for": purpose})
    return ritual


def get_request_for(user, request_id, *, request=None) -> Request:
    """One of the signed-in client's own requests (404 for anyone else's), audited as read."""
    found = policy.get_own_entry(user, Request, request_id)
    audit_read(by=user, obj=found, kind="request", request=request)
    return found


def _create(by, key, kind, body, model, create):
    return idempotency.create_once(
        user=by, key=key, kind=f"practise.{kind}", body=body, model=model, create=create
    )


# --- tool uses -----------------------------------------------------------------------------------


def clean_detail(tool: str, detail) -> dict:
    """Only numbers and codes, never free text: a pattern and its seconds, minutes, a step."""
    detail = dict(detail or {})
    out = {}
    if tool == Tool.BREATHING:
        pattern = detail.get("pattern") or "box"
        if pattern not in PATTERNS:
            raise ToolkitError(_("Choose a breathing pattern."), "pattern")
        out["pattern"] = pattern
        seconds = detail.get("seconds")
        if seconds is not None:
            if not isinstance(seconds, list) or len(seconds) != 4:
                raise ToolkitError(_("Give four numbers of seconds."), "seconds")
            for s in seconds:
                if isinstance(s, bool) or not isinstance(s, int) or not 0 <= s <= 20:
                    raise ToolkitError(_("Seconds must be whole numbers from 0 to 20."), "seconds")
            out["seconds"] = seconds
    minutes = detail.get("minutes")
    if minutes not in (None, ""):
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 <= minutes <= 120:
            raise ToolkitError(_("Minutes must be a whole number from 0 to 120."), "minutes")
        out["minutes"] = minutes
    return out


def prepared_use(client, data: dict) -> dict:
    tool = data.get("tool")
    if tool not in Tool.values:
        raise ToolkitError(_("Choose which tool you used."), "tool")
    ritual = data.get("ritual")
    if ritual is not None and not isinstance(ritual, Ritual):
        ritual = Ritual.objects.filter(pk=ritual, client=client).first()
        if ritual is None:
            raise ToolkitError(_("That ritual is not one of yours."), "ritual")
    if ritual is not None and ritual.client_id != client.pk:
        raise ToolkitError(_("That ritual is not one of yours."), "ritual")
    return {
        "tool": tool,
        "detail": clean_detail(tool, data.get("detail")),
        "ritual": ritual,
        "intensity_before": _intensity(
            data.get("intensity_before"), "intensity_before", _("How strong it was before")
        ),
        "intensity_after": _intensity(
            data.get("intensity_after"), "intensity_after", _("How strong it was after")
        ),
        "notes": _text(data, "notes"),
        "shared": _shared(client, data),
    }


def log_tool_use(client, *, by, data: dict, submission_id=None, request=None):
    values = prepared_use(client, data)

    def create() -> ToolUse:
        use = ToolUse.objects.create(client=client, **values)
        record_event(
            by, Action.CREATE, "tool_use", use, client, request, tool=use.tool, shared=use.shared
        )
        return check_risk(use, source_type="tool_use", texts=[use.notes], by=by, request=request)

    body = {**values, "ritual": str(values["ritual"].pk) if values["ritual"] else None}
    return _create(by, submission_id, "tool_use", body, ToolUse, create)


def what_helped(client) -> dict[str, dict]:
    """Per tool: uses, rated uses, and the mean drop in intensity (before minus after)."""
    rows = (
        ToolUse.objects.filter(client=client)
        .values("tool")
        .annotate(
            uses=Count("pk"),
            rated=Count(
                "pk", filter=Q(intensity_before__isnull=False, intensity_after__isnull=False)
            ),
            drop=Avg(
                F("intensity_before") - F("intensity_after"),
                filter=Q(intensity_before__isnull=False, intensity_after__isnull=False),
            ),
        )
    )
    return {
        r["tool"]: {
            "uses": r["uses"],
            "rated": r["rated"],
            "mean_drop": None if r["drop"] is None else round(float(r["drop"]), 1),
        }
        for r in rows
    }


def read_what_helped(user, client, *, request=None) -> dict[str, dict]:
    """:func:`what_helped` for the client's own toolkit page, audited as a read."""
    helped = what_helped(client)
    record(
        actor=user,
        action=Action.READ,
        object_type="toolkit",
        object_id=client.pk,
        client=client,
        request=request,
    )
    return helped


def what_helped_shared(uses_queryset) -> list[dict]:
    """Per tool, over the uses the caller may see: uses, rated uses, mean drop in intensity."""
    rated = Q(intensity_before__isnull=False, intensity_after__isnull=False)
    rows = (
        uses_queryset.order_by()
        .values("tool")
        .annotate(
            uses=Count("pk"),
            rated=Count("pk", filter=rated),
            drop=Avg(F("intensity_before") - F("intensity_after"), filter=rated),
        )
    )
    labels = dict(ToolUse.Tool.choices)
    summary = [
        {
            "code": row["tool"],
            "label": labels.get(row["tool"], row["tool"]),
            "uses": row["uses"],
            "rated": row["rated"],
            "mean_drop": None if row["drop"] is None else round(float(row["drop"]), 1),
        }
        for row in rows
    ]
    return sorted(summary, key=lambda item: (-item["uses"], str(item["label"])))


def shared_toolkit(user, client, *, request=None) -> dict:
    """The care team's read-only view of a client's toolkit: the shared tool uses, reframes and
    requests, and what seemed to help over the shared uses; audited as a list."""
    uses_qs = policy.entries_visible_to(user, client, ToolUse.objects)
    uses = list(uses_qs.order_by("-created_at")[:LIMIT])
    helped = what_helped_shared(uses_qs)
    reframes = list(
        policy.entries_visible_to(user, client, Reframe.objects).order_by("-created_at")[:LIMIT]
    )
    requests = list(
        policy.entries_visible_to(user, client, Request.objects).order_by("-created_at")[:LIMIT]
    )
    record(
        actor=user,
        action=Action.LIST,
        object_type="toolkit",
        object_id=client.pk,
        client=client,
        request=request,
        detail={"tool_uses": len(uses), "reframes": len(reframes), "requests": len(requests)},
    )
    return {"uses": uses, "helped": helped, "reframes": reframes, "requests": requests}


# --- rituals -------------------------------------------------------------------------------------


def prepared_ritual(client, data: dict) -> dict:
    name = _text(data, "name", 200)
    if not name:
        raise ToolkitError(_("Give your ritual a name."), "name")
    return {
        "name": name,
        "steps": _text(data, "steps"),
        "when_it_helps": _text(data, "when_it_helps"),
        "shared": _shared(client, data),
    }


def add_ritual(client, *, by, data: dict, submission_id=None, request=None):
    values = prepared_ritual(client, data)

    def create() -> Ritual:
        ritual = Ritual.objects.create(client=client, **values)
        record_event(by, Action.CREATE, "ritual", ritual, client, request, shared=ritual.shared)
        return _check_ritual(ritual, by=by, request=request)

    return _create(by, submission_id, "ritual", values, Ritual, create)


def update_ritual(ritual: Ritual, *, by, data: dict, request=None) -> Ritual:
    values = prepared_ritual(ritual.client, data)
    values["archived"] = bool(data.get("archived", ritual.archived))
    with transaction.atomic():
        for name, value in values.items():
            setattr(ritual, name, value)
        ritual.save()
        record_event(
            by,
            Action.UPDATE,
            "ritual",
            ritual,
            ritual.client,
            request,
            shared=ritual.shared,
            archived=ritual.archived,
        )
        _check_ritual(ritual, by=by, request=request)
    return ritual


def _check_ritual(ritual: Ritual, *, by, request=None) -> Ritual:
    texts = [ritual.name, ritual.steps, ritual.when_it_helps]
    return check_risk(ritual, source_type="ritual", texts=texts, by=by, request=request)


# --- reframes ------------------------------------------------------------------------------------

REFRAME_TEXT = (
    "situation",
    "automatic_thought",
    "evidence_for",
    "evidence_against",
    "balanced_thought",
)


def prepared_reframe(client, data: dict) -> dict:
    values = {name: _text(data, name) for name in REFRAME_TEXT}
    if not values["situation"]:
        raise ToolkitError(_("Describe the situation in a few words."), "situation")
    if not values["automatic_thought"]:
        raise ToolkitError(
            _("Write down the thought that came automatically."), "automatic_thought"
        )
    emotion = _text(data, "emotion", 40)
    if not emotion:
        raise ToolkitError(_("Name the feeling."), "emotion")
    values.update(
        emotion=emotion,
        intensity_before=_intensity(
            data.get("intensity_before"), "intensity_before", _("How strong it was"), True
        ),
        intensity_after=_intensity(
            data.get("intensity_after"), "intensity_after", _("How strong it is now")
        ),
        shared=_shared(client, data),
    )
    return values


def log_reframe(client, *, by, data: dict, submission_id=None, request=None):
    """Save a reframing record and its tool use (for "what helped") in one transaction."""
    values = prepared_reframe(client, data)

    def create() -> Reframe:
        reframe = Reframe.objects.create(client=client, **values)
        ToolUse.objects.create(
            client=client,
            tool=Tool.REFRAME,
            detail={"reframe": str(reframe.pk)},
            intensity_before=reframe.intensity_before,
            intensity_after=reframe.intensity_after,
            shared=reframe.shared,
        )
        record_event(by, Action.CREATE, "reframe", reframe, client, request, shared=reframe.shared)
        texts = [getattr(reframe, name) for name in REFRAME_TEXT] + [reframe.emotion]
        return check_risk(reframe, source_type="reframe", texts=texts, by=by, request=request)

    return _create(by, submission_id, "reframe", values, Reframe, create)


# --- requests and boundaries ---------------------------------------------------------------------

REQUEST_TEXT = ("what_happened", "i_feel", "i_need", "i_ask", "if_not")


def prepared_request(client, data: dict) -> dict:
    values = {name: _text(data, name) for name in REQUEST_TEXT}
    if not values["i_ask"]:
        raise ToolkitError(_("Say what you are asking for."), "i_ask")
    values["shared"] = _shared(client, data)
    return values


def plan_request(client, *, by, data: dict, submission_id=None, request=None):
    values = prepared_request(client, data)

    def create() -> Request:
        req = Request.objects.create(client=client, **values)
        record_event(by, Action.CREATE, "request", req, client, request, shared=req.shared)
        texts = [getattr(req, name) for name in REQUEST_TEXT]
        return check_risk(req, source_type="request", texts=texts, by=by, request=request)

    return _create(by, submission_id, "request", values, Request, create)


def record_how_it_went(req: Request, *, by, how_it_went: str, request=None) -> Request:
    """After the conversation: how it went; logged as a use of the request builder."""
    text = (how_it_went or "").strip()
    if not text:
        raise ToolkitError(_("Write a few words about how it went."), "how_it_went")
    with transaction.atomic():
        first_time = req.done_at is None
        req.how_it_went = text
        req.done_at = req.done_at or timezone.now()
        req.save(update_fields=["how_it_went", "done_at", "updated_at"])
        if first_time:
            ToolUse.objects.create(
                client=req.client,
                tool=Tool.REQUEST,
                detail={"request": str(req.pk)},
                shared=req.shared,
            )
        record_event(by, Action.UPDATE, "request", req, req.client, request, done=True)
        texts = [req.how_it_went] + [getattr(req, name) for name in REQUEST_TEXT]
        check_risk(req, source_type="request", texts=texts, by=by, request=request)
    return req
