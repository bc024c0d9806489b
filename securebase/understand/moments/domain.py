"""The moments log: concrete episodes of connection or felt threat, logged by the client.

Each state change is one transaction with its audit event; free text is encrypted by the model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from securebase.audit.log import Action, record, record_list, record_read, record_retry
from securebase.care import policy
from securebase.core import idempotency
from securebase.core.errors import InputError
from securebase.core.versioning import claim_version
from securebase.practise.models import Reflection
from securebase.safety.flags import domain as flags
from securebase.safety.flags import domain as safety_flags
from securebase.safety.flags.overwhelm import Overwhelm, assess
from securebase.understand.models import Moment, Person
from securebase.understand.vocabulary import BODY_CUES, EMOTIONS, RESPONSES

MOMENTS_LIMIT = 500  # rows of the moments list, on the pages and per API page
TEXT_FIELDS = (
    "situation",
    "trigger",
    "body_notes",
    "felt_meaning",
    "evidence",
    "response_notes",
    "outcome",
)


class MomentError(InputError):
    """Input that cannot be saved, with a message for the person."""


@dataclass(frozen=True)
class Emotion:
    name: str
    intensity: int


def clean_emotions(raw) -> list[dict]:
    """[{"name": "lonely", "intensity": 7}, …]: names are words (ours or the client's), 0–10."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise MomentError(_("Emotions must be a list of names with an intensity from 0 to 10."))
    cleaned, seen = [], set()
    for entry in raw:
        if not isinstance(entry, dict) or set(entry) - {"name", "intensity"}:
            raise MomentError(_("Each emotion needs a name and an intensity from 0 to 10."))
        name = str(entry.get("name", "")).strip()[:40]
        intensity = entry.get("intensity")
        if not name:
            raise MomentError(_("An emotion is missing its name."))
        if (
            isinstance(intensity, bool)
            or not isinstance(intensity, int)
            or not 0 <= intensity <= 10
        ):
            raise MomentError(
                _("The intensity of “%(name)s” must be a whole number from 0 to 10.")
                % {"name": name}
            )
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        cleaned.append({"name": name, "intensity": intensity})
    return cleaned


def _check_codes(values, allowed: dict, what: str) -> list[str]:
    values = list(values or [])
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise MomentError(
            _("Unknown %(what)s: %(codes)s") % {"what": what, "codes": ", ".join(map(str, unknown))}
        )
    return sorted(set(values), key=list(allowed).index)


def _check_rating(value, label: str):
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise MomentError(_("%(label)s must be a whole number from 0 to 10.") % {"label": label})
    return value


def prepared(client, data: dict) -> dict:
    """Validated field values for a moment of ``client`` (raises MomentError)."""
    person = data.get("person")
    if person is not None and not isinstance(person, Person):
        person = Person.objects.filter(pk=person, client=client, archived=False).first()
        if person is None:
            raise MomentError(_("That person is not on your relationship map."))
    if person is not None and person.client_id != client.pk:
        raise MomentError(_("That person is not on your relationship map."))
    kind = data.get("kind")
    if kind not in Moment.Kind.values:
        raise MomentError(_("Choose whether this was a moment of connection or of threat."))
    if not data.get("occurred_at"):
        raise MomentError(_("Say when it happened."))
    values = {
        "kind": kind,
        "occurred_at": data["occurred_at"],
        "person": person,
        "body_cues": _check_codes(data.get("body_cues"), BODY_CUES, _("body cue")),
        "responses": _check_codes(data.get("responses"), RESPONSES, _("response")),
        "emotions_json": json.dumps(clean_emotions(data.get("emotions")), ensure_ascii=False),
        "safety_before": _check_rating(data.get("safety_before"), _("How safe you felt before")),
        "safety_after": _check_rating(data.get("safety_after"), _("How safe you felt after")),
        "shared": bool(data.get("shared", client.shares_by_default)),
    }
    for name in TEXT_FIELDS:
        values[name] = (data.get(name) or "").strip()
    return values


def _fingerprint(values: dict) -> dict:
    body = {k: v for k, v in values.items() if k != "person"}
    body["person"] = str(values["person"].pk) if values["person"] else None
    body["occurred_at"] = values["occurred_at"].isoformat()
    return body


def _check_risk(moment: Moment, *, by, request=None):
    """Risk language in the moment's words (its texts and own-word emotions) raises a flag; the
    alert (new or already raised for this moment) is kept on ``moment.risk_alert``."""
    own_words = [e["name"] for e in emotions_of(moment) if e["name"] not in EMOTIONS]
    moment.risk_alert = flags.check_text(
        moment.client,
        texts=[getattr(moment, name) for name in TEXT_FIELDS] + own_words,
        source_type="moment",
        source_id=moment.pk,
        shared=moment.shared,
        by=by,
        request=request,
    )
    return moment


def log_moment(client, *, by, data: dict, submission_id=None, request=None) -> tuple[Moment, bool]:
    """Save a new moment; with ``submission_id`` a retry returns the first one (created False).

    Risk language in it raises a flag in the same transaction (see :func:`_check_risk`)."""
    values = prepared(client, data)

    def create() -> Moment:
        moment = Moment.objects.create(client=client, **values)
        record(
            actor=by,
            action=Action.CREATE,
            object_type="moment",
            object_id=moment.pk,
            client=client,
            request=request,
            detail={"kind": moment.kind, "shared": moment.shared},
        )
        return _check_risk(moment, by=by, request=request)

    return idempotency.create_once(
        user=by,
        key=submission_id,
        kind="understand.moment",
        body=_fingerprint(values),
        model=Moment,
        create=create,
    )


def update_moment(moment: Moment, *, by, data: dict, version: int, request=None) -> Moment:
    """Save an edit made from ``version``; a stale save raises ``StaleSave`` with the current one.

    The edited words are checked for risk language again (one flag per moment at most). A retry
    of this person's own save (same words, one version on) answers with the saved moment.
    """
    values = prepared(moment.client, data)
    with transaction.atomic():
        retry = claim_version(
            Moment.objects.select_related("updated_by"),
            moment.pk,
            version=version,
            by=by,
            **values,
        )
        if retry is not None:
            retry.client = moment.client
            record_retry(
                actor=by, object_type="moment", saved=retry, client=moment.client, request=request
            )
            return retry
        current = Moment.objects.get(pk=moment.pk)
        _audit_update(moment, by=by, request=request, shared=current.shared)
        current.client = moment.client
        safety_flags.sync_shared(current.pk, current.shared)
        _check_risk(current, by=by, request=request)
    return current


def _audit_update(moment: Moment, *, by, request=None, **detail) -> None:
    """Audit a change to ``moment`` (``detail`` says what it is now)."""
    record(
        actor=by,
        action=Action.UPDATE,
        object_type="moment",
        object_id=moment.pk,
        client=moment.client,
        request=request,
        detail=detail,
    )


def _set_flag(moment: Moment, *, by, field: str, value: bool, request=None) -> Moment:
    with transaction.atomic():
        Moment.objects.filter(pk=moment.pk).update(**{field: value})
        setattr(moment, field, value)
        if field == "shared":
            safety_flags.sync_shared(moment.pk, value)
        _audit_update(moment, by=by, request=request, **{field: value})
    return moment


def set_shared(moment: Moment, *, by, shared: bool, request=None) -> Moment:
    """The client shares a moment with the care team, or makes it private again."""
    return _set_flag(moment, by=by, field="shared", value=shared, request=request)


def mark_to_discuss(moment: Moment, *, by, to_discuss: bool, request=None) -> Moment:
    """The clinician flags a shared moment for the next session."""
    return _set_flag(moment, by=by, field="to_discuss", value=to_discuss, request=request)


def _with_reflection_flag(queryset):
    """Mark each moment that has a clinician's reflection, in the same query."""
    return queryset.annotate(
        has_reflections=Exists(
            Reflection.objects.filter(
                client_id=OuterRef("client_id"), entry_type="moment", entry_id=OuterRef("pk")
            )
        )
    )


def moments_for(
    user,
    client,
    *,
    offset: int = 0,
    limit: int | None = None,
    filters: dict | None = None,
    request=None,
) -> list[Moment]:
    """The client's moments as this person may see them (all their own; the shared ones for the
    care team), newest first, each with ``has_reflections``, narrowed by ``filters``
    (:func:`filter_moments`); at most ``limit`` (``MOMENTS_LIMIT`` when left out); audited as a
    list."""
    limit = MOMENTS_LIMIT if limit is None else limit
    moments = list(
        _with_reflection_flag(policy.entries_visible_to(user, client, Moment.objects))
        .select_related("person")
        .order_by("-occurred_at")[offset : offset + limit]
    )
    if filters is not None:
        moments = filter_moments(moments, **filters)
    record_list(
        actor=user, object_type="moments", client=client, count=len(moments), request=request
    )
    return moments


def audit_read(*, by, moment: Moment, request=None) -> None:
    record_read(actor=by, object_type="moment", obj=moment, client=moment.client, request=request)


def moment_for(user, moment_id, *, own: bool = False, request=None) -> Moment:
    """One moment this person may see (``own``: only the signed-in client's own, to edit it),
    audited as a read; 404 otherwise."""
    if own:
        moment = policy.get_own_entry(user, Moment, moment_id)
    else:
        moment = policy.get_entry_for_user(user, Moment, moment_id)
    audit_read(by=user, moment=moment, request=request)
    return moment


def emotions_of(moment: Moment) -> list[dict]:
    return json.loads(moment.emotions_json or "[]")


def overwhelm(moment: Moment) -> Overwhelm:
    """Whether a feeling of the moment was at 9–10, or it was felt numb or far away
    (``safety.overwhelm``)."""
    emotions = emotions_of(moment)
    return assess(
        intensities=[e["intensity"] for e in emotions],
        body_cues=moment.body_cues,
        feelings=[e["name"] for e in emotions],
    )


def filter_moments(moments, *, person=None, trigger="", emotion="", response=""):
    """Narrow already-visible moments in Python: the free text is encrypted in the database."""
    trigger, emotion = trigger.strip().lower(), emotion.strip().lower()
    out = []
    for moment in moments:
        if person and str(moment.person_id) != str(person):
            continue
        if trigger and trigger not in (moment.trigger or "").lower():
            continue
        if emotion:
            names = {e["name"] for e in emotions_of(moment)}
            words = {n.lower() for n in names} | {str(EMOTIONS.get(n, n)).lower() for n in names}
            if emotion not in words:
                continue
        if response and response not in (moment.responses or []):
            continue
        out.append(moment)
    return out
