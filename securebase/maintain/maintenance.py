"""The maintenance plan, written together: reading, saving from a version, history. Audited.

Five sections in the client's words: warning signs, what helps, the ladder's next steps, who to
turn to, and when to get back in touch. The client and the clinicians on their care team both
edit it; anyone else gets 404. A save names the version it started from; if someone saved in
between, it is refused with :class:`StaleSave` carrying the current plan.
"""

from __future__ import annotations

import json
from collections import defaultdict

from securebase.care import policy
from securebase.care.models import Client
from securebase.care.versioned_plans import VersionedPlan
from securebase.core.errors import InputError
from securebase.maintain.models import MaintenancePlan, MaintenancePlanVersion
from securebase.practise.ladder import rules as ladder_rules
from securebase.practise.models import Attempt, Ladder

SECTIONS = ("warning_signs", "what_helps", "next_steps", "who_to_turn_to", "get_back_in_touch")
SECTION_LIMIT = 5000
STEPS_PER_LADDER = 3


class MaintenancePlanError(InputError):
    def __init__(self, section: str, message: str):
        super().__init__(message, section)
        self.section = section


def content_of(plan: MaintenancePlan) -> dict:
    return {key: getattr(plan, key) or "" for key in SECTIONS}


def is_empty(content: dict) -> bool:
    return not any((content.get(key) or "").strip() for key in SECTIONS)


def normalised(content: dict) -> dict:
    unknown = set(content) - set(SECTIONS)
    if unknown:
        raise MaintenancePlanError(sorted(unknown)[0], "Unknown section.")
    clean = {}
    for key in SECTIONS:
        text = str(content.get(key) or "").strip()
        if len(text) > SECTION_LIMIT:
            raise MaintenancePlanError(key, f"Keep each section under {SECTION_LIMIT} characters.")
        clean[key] = text
    return clean


PLANS = VersionedPlan(
    model=MaintenancePlan,
    version_model=MaintenancePlanVersion,
    object_type="maintenance_plan",
    empty_fields=dict,
    first_snapshot=lambda plan: json.dumps(content_of(plan)),
)


def get_or_create_plan(*, client: Client, by, request=None) -> MaintenancePlan:
    """The client's plan, started empty (version 1, with its first snapshot) on first use."""
    return PLANS.get_or_create(client=client, by=by, request=request)


def audit_read(*, by, plan: MaintenancePlan, request=None, detail: dict | None = None) -> None:
    PLANS.audit_read(by=by, plan=plan, request=request, detail=detail)


def plan_to_save(user, client_id=None, *, request=None) -> MaintenancePlan:
    """The maintenance plan of this client, or of the signed-in client without ``client_id``,
    started empty on first use; 404 for anyone but the client and their care team. Not audited
    as read: the save that follows is audited."""
    return PLANS.to_save(user, client_id, request=request)


def get_plan_for(user, client_id=None, *, request=None, detail: dict | None = None):
    """The maintenance plan as :func:`plan_to_save` finds it, audited as read (``detail``: what
    for)."""
    return PLANS.get_for(user, client_id, request=request, detail=detail)


def versions_of(plan: MaintenancePlan):
    return PLANS.versions_of(plan)


def save_plan(
    *, by, plan: MaintenancePlan, version: int, content: dict, request=None
) -> MaintenancePlan:
    """Save the plan as edited from ``version``, or refuse with :class:`StaleSave`.

    The audit event names the sections filled, never their text. A retry of this person's own
    save (same content, one version on) answers with the saved plan.
    """
    clean = normalised(content)
    return PLANS.save(
        by=by,
        plan=plan,
        version=version,
        fields=clean,
        snapshot=json.dumps(clean),
        same_content=lambda saved: content_of(saved) == clean,
        filled=[k for k in SECTIONS if clean[k]],
        request=request,
    )


def ladder_next_steps(client: Client, *, viewer) -> list[str]:
    """Suggestions for "my ladder's next steps": the first unclimbed steps of each active ladder
    (up to three per ladder), judged from the attempts ``viewer`` may see. Three queries."""
    ladders = list(
        Ladder.objects.filter(client=client, archived=False)
        .prefetch_related("steps")
        .order_by("created_at")
    )
    peaks: dict = defaultdict(list)
    attempts = policy.entries_visible_to(viewer, client, Attempt.objects).order_by(
        "attempted_at", "created_at"
    )
    for step_id, peak in attempts.values_list("step_id", "suds_peak"):
        peaks[step_id].append(peak)
    out = []
    for ladder in ladders:
        unclimbed = [
            step.description
            for step in ladder.steps.all()
            if not ladder_rules.is_climbed(
                peaks[step.pk],
                climb_peak=ladder.climb_peak,
                climb_attempts=ladder.climb_attempts,
            )
        ]
        out.extend(unclimbed[:STEPS_PER_LADDER])
    return out
