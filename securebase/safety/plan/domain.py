"""The safety plan, written together: reading, saving from a version, history. Audited.

The plan has seven sections: the six steps of the Safety Planning Intervention (Stanley & Brown,
2012; INSTRUMENTS.md 3.5) and reasons for living. Each section is a list: of short texts, or of
contacts (a name and how to reach them). The client and the clinicians on their care team read and
edit it; anyone else gets 404. A save names the version it started from; if someone saved in
between, it is refused with :class:`StaleSave` carrying the current plan, and nothing is
overwritten. Every saved state is kept as a :class:`SafetyPlanVersion`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from securebase.care import policy
from securebase.care.models import Client
from securebase.care.versioned_plans import VersionedPlan
from securebase.core.errors import InputError
from securebase.safety.models import SafetyPlan, SafetyPlanVersion

TEXT, CONTACTS = "text", "contacts"


@dataclass(frozen=True)
class Section:
    key: str
    kind: str  # TEXT: a list of short texts; CONTACTS: a list of {"name", "contact"}


# In the order the plan is used in a crisis: notice, cope alone, be with others, ask for help,
# reach professionals, make the surroundings safer; and what makes life worth living.
SECTIONS = (
    Section("warning_signs", TEXT),
    Section("coping", TEXT),
    Section("distraction", TEXT),
    Section("people", CONTACTS),
    Section("professionals", CONTACTS),
    Section("safer_surroundings", TEXT),
    Section("reasons_for_living", TEXT),
)
SECTION_KEYS = tuple(s.key for s in SECTIONS)
MAX_ITEMS = 30
ITEM_LIMIT = 500
NAME_LIMIT = 200
CONTACT_LIMIT = 300


class PlanError(InputError):
    """The content does not fit the plan's shape (``section`` names the section)."""

    def __init__(self, section: str, message: str):
        super().__init__(message, section)
        self.section = section


# --- content ------------------------------------------------------------------------------------


def empty_content() -> dict:
    return {s.key: [] for s in SECTIONS}


def normalised(content: dict) -> dict:
    """The content with blank items dropped and text trimmed; PlanError when it cannot fit."""
    unknown = set(content) - set(SECTION_KEYS)
    if unknown:
        raise PlanError(sorted(unknown)[0], "Unknown section.")
    clean = empty_content()
    for section in SECTIONS:
        items = content.get(section.key) or []
        if not isinstance(items, list):
            raise PlanError(section.key, "A section is a list.")
        for item in items:
            if section.kind == TEXT:
                text = str(item or "").strip()
                if len(text) > ITEM_LIMIT:
                    raise PlanError(section.key, f"Keep each line under {ITEM_LIMIT} characters.")
                if text:
                    clean[section.key].append(text)
            else:
                if not isinstance(item, dict) or set(item) - {"name", "contact"}:
                    raise PlanError(section.key, "A contact has a name and how to reach them.")
                name = str(item.get("name") or "").strip()
                contact = str(item.get("contact") or "").strip()
                if len(name) > NAME_LIMIT or len(contact) > CONTACT_LIMIT:
                    raise PlanError(section.key, "A name or contact detail is too long.")
                if name or contact:
                    clean[section.key].append({"name": name, "contact": contact})
        if len(clean[section.key]) > MAX_ITEMS:
            raise PlanError(section.key, f"Keep a section to {MAX_ITEMS} items at most.")
    return clean


def is_empty(content: dict) -> bool:
    return not any(content.get(key) for key in SECTION_KEYS)


def content_of(plan: SafetyPlan) -> dict:
    """The plan's sections (every section present, possibly empty)."""
    if not plan.content:
        return empty_content()
    return {**empty_content(), **json.loads(plan.content)}


def _dump(content: dict) -> str:
    return json.dumps(content, ensure_ascii=False, sort_keys=True)


# --- access -------------------------------------------------------------------------------------


# The client themself and clinicians on their care team build the plan together: the client whose
# plan this person may read and edit, otherwise 404 (unknown or foreign).
client_for_plan = policy.get_client_for_plan_reader


# --- reading ------------------------------------------------------------------------------------


PLANS = VersionedPlan(
    model=SafetyPlan,
    version_model=SafetyPlanVersion,
    object_type="safety_plan",
    empty_fields=lambda: {"content": _dump(empty_content())},
    first_snapshot=lambda plan: plan.content,
)


def get_or_create_plan(*, client: Client, by, request=None) -> SafetyPlan:
    """The client's plan, started empty (version 1, with its first snapshot) on first use."""
    return PLANS.get_or_create(client=client, by=by, request=request)


def audit_read(*, by, plan: SafetyPlan, request=None, detail: dict | None = None) -> None:
    PLANS.audit_read(by=by, plan=plan, request=request, detail=detail)


def plan_to_save(user, client_id=None, *, request=None) -> SafetyPlan:
    """The safety plan of this client, or of the signed-in client without ``client_id``, started
    empty on first use; 404 for anyone but the client and their care team. Not audited as read:
    the save that follows is audited."""
    return PLANS.to_save(user, client_id, request=request)


def get_plan_for(user, client_id=None, *, request=None, detail: dict | None = None) -> SafetyPlan:
    """The safety plan as :func:`plan_to_save` finds it, audited as read (``detail``: what for)."""
    return PLANS.get_for(user, client_id, request=request, detail=detail)


def existing_plan_for(
    user, client: Client, *, request=None, detail: dict | None = None
) -> SafetyPlan | None:
    """The signed-in client's own safety plan if they have one (None otherwise: nothing is
    created), audited as read (``detail``: what for)."""
    plan = SafetyPlan.objects.filter(client=client).first()
    if plan is not None:
        plan.client = client
        audit_read(by=user, plan=plan, request=request, detail=detail)
    return plan


def versions_of(plan: SafetyPlan):
    """Who saved which version and when, newest first (snapshots not decrypted)."""
    return PLANS.versions_of(plan)


def get_version(plan: SafetyPlan, number: int) -> tuple[SafetyPlanVersion, dict] | None:
    found = (
        SafetyPlanVersion.objects.select_related("saved_by")
        .filter(plan=plan, version=number)
        .first()
    )
    if found is None:
        return None
    return found, {**empty_content(), **json.loads(found.snapshot)}


# --- writing ------------------------------------------------------------------------------------


def save_plan(*, by, plan: SafetyPlan, version: int, content: dict, request=None) -> SafetyPlan:
    """Save the whole plan as edited from ``version``, or refuse with :class:`StaleSave`.

    The conditional UPDATE both checks and claims the next version, so of two people saving from
    the same version exactly one succeeds. The audit event names sections, never their text.
    A retry of this person's own save (same content, one version on) answers with the saved plan.
    """
    clean = normalised(content)
    dumped = _dump(clean)
    return PLANS.save(
        by=by,
        plan=plan,
        version=version,
        fields={"content": dumped},
        snapshot=dumped,
        same_content=lambda saved: content_of(saved) == clean,
        filled=[key for key in SECTION_KEYS if clean[key]],
        request=request,
    )
