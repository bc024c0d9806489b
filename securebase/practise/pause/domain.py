"""The pause skill: notice the body, name the emotion, rate it, choose a measured next step.

Each state change is one transaction with its audit event (no clinical text in the audit detail);
free text is encrypted by the model; creating is idempotent through core.idempotency.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from securebase.audit.log import Action, record, record_list
from securebase.care import policy
from securebase.core import idempotency
from securebase.core.errors import InputError
from securebase.practise.models import Pause, Ritual, ToolUse
from securebase.safety.flags import domain as flags
from securebase.safety.flags import domain as safety_flags
from securebase.safety.flags.overwhelm import Overwhelm, assess
from securebase.understand.vocabulary import BODY_CUES, EMOTIONS

PAUSES_LIMIT = 200  # rows of the pauses list, on the pages and per API page


class PauseError(InputError):
    """Input that cannot be saved, with a message for the person and the field it concerns."""


def check_intensity(value, field: str, label: str, *, required: bool, error=PauseError):
    if value in (None, ""):
        if required:
            raise error(_("%(label)s: choose a number from 0 to 10.") % {"label": label}, field)
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise error(_("%(label)s must be a whole number from 0 to 10.") % {"label": label}, field)
    return value


def clean_cues(values, error=PauseError) -> list[str]:
    values = list(values or [])
    unknown = [str(v) for v in values if v not in BODY_CUES]
    if unknown:
        raise error(_("Unknown body cue: %(codes)s") % {"codes": ", ".join(unknown)}, "body_cues")
    return sorted(set(values), key=list(BODY_CUES).index)


def prepared(client, data: dict) -> dict:
    """Validated field values for a pause of ``client`` (raises PauseError)."""
    emotion = str(data.get("emotion") or "").strip()
    if not emotion:
        raise PauseError(_("Name the feeling, from the list or in your own word."), "emotion")
    if len(emotion) > 40:
        raise PauseError(_("Name the feeling in 40 characters or fewer."), "emotion")
    shared = data.get("shared")
    return {
        "body_cues": clean_cues(data.get("body_cues")),
        "emotion": emotion,
        "intensity_before": check_intensity(
            data.get("intensity_before"),
            "intensity_before",
            _("How strong it is"),
            required=True,
        ),
        "next_step": str(data.get("next_step") or "").strip()[:2000],
        "shared": client.shares_by_default if shared is None else bool(shared),
    }


def log_pause(client, *, by, data: dict, submission_id=None, request=None) -> tuple[Pause, bool]:
    """Save a new pause; with ``submission_id`` a retry returns the first one (created False).

    Risk language in the next step or in a feeling named in the client's own word raises a flag
    in the same transaction; the alert (or None) is kept on ``pause.risk_alert``."""
    values = prepared(client, data)

    def create() -> Pause:
        pause = Pause.objects.create(client=client, **values)
        record(
            actor=by,
            action=Action.CREATE,
            object_type="pause",
            object_id=pause.pk,
            client=client,
            request=request,
            detail={"shared": pause.shared},
        )
        own_word = [] if pause.emotion in EMOTIONS else [pause.emotion]
        pause.risk_alert = flags.check_text(
            client,
            texts=[pause.next_step, *own_word],
            source_type="pause",
            source_id=pause.pk,
            shared=pause.shared,
            by=by,
            request=request,
        )
        return pause

    return idempotency.create_once(
        user=by,
        key=submission_id,
        kind="practise.pause",
        body=values,
        model=Pause,
        create=create,
    )


def rate_again(pause: Pause, *, by, intensity_after, request=None) -> Pause:
    """The optional second rating a few minutes later."""
    value = check_intensity(
        intensity_after, "intensity_after", _("How strong it is now"), required=True
    )
    with transaction.atomic():
        pause.intensity_after = value
        pause.rated_again_at = timezone.now()
        pause.save(update_fields=["intensity_after", "rated_again_at", "updated_at"])
        record(
            actor=by,
            action=Action.UPDATE,
            object_type="pause",
            object_id=pause.pk,
            client=pause.client,
            request=request,
            detail={"rated_again": True},
        )
    return pause


def read_pause(user, pause_id, *, request=None) -> Pause:
    """One of the client's own pauses, audited as read; 404 for anyone else's."""
    pause = policy.get_own_entry(user, Pause, pause_id)
    record(
        actor=user,
        action=Action.READ,
        object_type="pause",
        object_id=pause.pk,
        client=pause.client,
        request=request,
    )
    return pause


def set_shared(pause: Pause, *, by, shared: bool, request=None) -> Pause:
    return safety_flags.set_entry_shared(
        pause, object_type="pause", by=by, shared=shared, request=request
    )


TOOL_STEPS = (
    ToolUse.Tool.BREATHING,
    ToolUse.Tool.GROUNDING,
    ToolUse.Tool.REFRAME,
    ToolUse.Tool.REQUEST,
)


def next_step_choices(client) -> list[tuple[str, str]]:
    """Measured next steps: the client's own rituals first, then the toolkit (value, label)."""
    rituals = Ritual.objects.filter(client=client, archived=False).order_by("created_at")
    choices = [(f"ritual:{r.pk}", str(r.name)) for r in rituals]
    choices += [(f"tool:{t.value}", str(t.label)) for t in TOOL_STEPS]
    return choices


def overwhelm(pause: Pause) -> Overwhelm:
    """Whether the pause was logged at 9–10 or feeling numb or far away (``safety.overwhelm``)."""
    return assess(
        intensities=[pause.intensity_before], body_cues=pause.body_cues, feelings=[pause.emotion]
    )


def emotion_label(code: str) -> str:
    return str(EMOTIONS.get(code, code))


def pauses_for(
    user, client, *, offset: int = 0, limit: int = PAUSES_LIMIT, request=None
) -> list[Pause]:
    """The pauses this person may see, newest first (a clinician: the shared ones), labelled for
    the page, for someone the policy let see the client; the list is audited."""
    found = list(
        policy.entries_visible_to(user, client, Pause.objects).order_by("-created_at")[
            offset : offset + limit
        ]
    )
    record_list(actor=user, object_type="pauses", client=client, count=len(found), request=request)
    return decorate(found)


def decorate(pauses):
    for pause in pauses:
        pause.emotion_label = emotion_label(pause.emotion)
        pause.cue_labels = [BODY_CUES[c] for c in pause.body_cues if c in BODY_CUES]
    return pauses
