"""The maintenance plan, written together: reading, saving from a version, history. Audited.

Five sections in the client's words: warning signs, what helps, the ladder's next steps, who to
turn to, and when to get back in touch. The client and the clinicians on their care team both
edit it; anyone else gets 404. A save names the version it started from; if someone saved in
between, it is refused with :class:`StaleSave` carrying the current plan.
"""

from __future__ import annotations

import json
from collections import defaultdict

from django.db import IntegrityError, transaction

from securebase.audit.log import Action, record
from securebase.care import policy
from securebase.care.models import Client
from securebase.core.errors import InputError
from securebase.core.versioning import claim_version
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


# The client whose plan this person may read and edit (the client or their care team); else 404.
client_for_plan = policy.get_client_for_plan_reader
# The signed-in client's own record; 404 for anyone who is not a client.
own_client = policy.get_own_record_for


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


def get_or_create_plan(*, client: Client, by, request=None) -> MaintenancePlan:
    """The client's plan, started empty (version 1, with its first snapshot) on first use."""
    found = MaintenancePlan.objects.select_related("updated_by").filter(client=client).first()
    if found is None:
        try:
            with transaction.atomic():
                created = MaintenancePlan.objects.create(client=client, updated_by=by)
                MaintenancePlanVersion.objects.create(
                    plan=created,
                    version=created.version,
                    saved_by=by,
                    snapshot=json.dumps(content_of(created)),
                )
                record(
                    actor=by,
                    action=Action.CREATE,
                    object_type="maintenance_plan",
                    object_id=created.pk,
                    client=client,
                    request=request,
                    detail={"version": created.version},
                )
        except IntegrityError:
            pass  # the other person opened it at the same moment
        found = MaintenancePlan.objects.select_related("updated_by").get(client=client)
    found.client = client
    return found


def audit_read(*, by, plan: MaintenancePlan, request=None, detail: dict | None = None) -> None:
    record(
        actor=by,
        action=Action.READ,
        object_type="maintenance_plan",
        object_id=plan.pk,
        client=plan.client,
        request=request,
        detail={"version": plan.version, **(detail or {})},
    )


def plan_to_save(user, client_id=None, *, request=None) -> MaintenancePlan:
    """The maintenance plan of this client, or of the signed-in client without ``client_id``,
    started empty on first use; 404 for anyone but the client and their care team. Not audited
    as read: the save that follows is audited."""
    client = own_client(user) if client_id is None else client_for_plan(user, client_id)
    return get_or_create_plan(client=client, by=user, request=request)


def get_plan_for(user, client_id=None, *, request=None, detail: dict | None = None):
    """The maintenance plan as :func:`plan_to_save` finds it, audited as read (``detail``: what
    for)."""
    plan = plan_to_save(user, client_id, request=request)
    audit_read(by=user, plan=plan, request=request, detail=detail)
    return plan


def versions_of(plan: MaintenancePlan):
    return (
        MaintenancePlanVersion.objects.filter(plan=plan)
        .select_related("saved_by")
        .defer("snapshot")
        .order_by("-version")
    )


def save_plan(
    *, by, plan: MaintenancePlan, version: int, content: dict, request=None
) -> MaintenancePlan:
    """Save the plan as edited from ``version``, or refuse with :class:`StaleSave`.

    The audit event names the sections filled, never their text. A retry of this person's own
    save (same content, one version on) answers with the saved plan.
    """
    clean = normalised(content)
    with transaction.atomic():
        retry = claim_version(
            MaintenancePlan.objects.select_related("updated_by", "client"),
            plan.pk,
            version=version,
            by=by,
            same_content=lambda saved: content_of(saved) == clean,
            **clean,
        )
        if retry is not None:
            audit_read(by=by, plan=retry, request=request, detail={"retry": True})
            return retry
        current = MaintenancePlan.objects.select_related("updated_by", "client").get(pk=plan.pk)
        MaintenancePlanVersion.objects.create(
            plan=current, version=current.version, saved_by=by, snapshot=json.dumps(clean)
        )
        record(
            actor=by,
            action=Action.UPDATE,
            object_type="maintenance_plan",
            object_id=current.pk,
            client=current.client,
            request=request,
            detail={"version": current.version, "filled": [k for k in SECTIONS if clean[k]]},
        )
    return current


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
