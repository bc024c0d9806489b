"""The tapering plan: made from a template, its phases edited from a version, moved on by the
clinician; and the suggestion of whether the data supports stepping down. Audited.

The suggestion (``maintain.rules.tapering_suggestion``) only informs: no phase ever moves by itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from securebase.audit.log import Action, record
from securebase.care import policy
from securebase.care.models import Client
from securebase.core.errors import InputError
from securebase.core.versioning import claim_version
from securebase.maintain import inputs
from securebase.maintain.models import TaperingPhase, TaperingPlan
from securebase.maintain.rules import Suggestion, step_down_start, tapering_suggestion
from securebase.measures import targets as target_names

Kind = TaperingPhase.Kind
MAX_PHASES = 12
LABEL_LIMIT = 80

# Our default, to be edited: weekly sessions, then every two weeks after four weeks, monthly
# after another eight (four fortnightly sessions), and a booster three months after monthly
# sessions begin. Offsets in days from the plan's start.
DEFAULT_TEMPLATE = (
    (Kind.WEEKLY, 0),
    (Kind.FORTNIGHTLY, 28),
    (Kind.MONTHLY, 84),
    (Kind.BOOSTER, 84 + 91),
)


class TaperingError(InputError):
    """Phases that cannot be saved, with a message for the person (``field`` when known)."""


# --- access -------------------------------------------------------------------------------------


def client_for_care_team(user, client_id) -> Client:
    """Clinicians on the care team read and change the plan; anyone else gets 404."""
    return policy.get_client_for_care_team(user, client_id)


# The client themself (read only) or their care team; anyone else gets 404.
client_for_reader = policy.get_client_for_plan_reader
# The signed-in client's own record; 404 for anyone who is not a client.
own_client = policy.get_own_record_for


# --- reading ------------------------------------------------------------------------------------


def plan_of(client: Client) -> TaperingPlan | None:
    """The client's plan with its phases (two queries), or None."""
    plan = (
        TaperingPlan.objects.select_related("updated_by")
        .prefetch_related("phases")
        .filter(client=client)
        .first()
    )
    if plan is not None:
        plan.client = client
    return plan


def phases_of(plan: TaperingPlan | None) -> list[TaperingPhase]:
    return list(plan.phases.all()) if plan is not None else []


def plan_for(user, client: Client, *, request=None) -> TaperingPlan | None:
    """The client's tapering plan with its phases (None before one is made), for someone the
    policy already let see the client; audited as read."""
    plan = plan_of(client)
    audit_read(by=user, client=client, plan=plan, request=request)
    return plan


def phases_to_edit(user, plan: TaperingPlan, *, request=None) -> list[TaperingPhase]:
    """The plan's phases, for the clinician about to edit them; audited as a read of the plan."""
    audit_read(by=user, client=plan.client, plan=plan, request=request)
    return phases_of(plan)


def current_phase(phases) -> TaperingPhase | None:
    """The phase under way: started and not ended (the latest such, should there be two)."""
    running = [p for p in phases if p.is_current]
    return running[-1] if running else None


def next_phase(phases) -> TaperingPhase | None:
    """The first phase not started yet, after the current one (in plan order)."""
    current = current_phase(phases)
    after = current.position if current is not None else -1
    return next((p for p in phases if p.started_at is None and p.position > after), None)


def stepped_down_on(phases, zone) -> dt.date | None:
    """The day the first phase after weekly sessions started, if one has (tapering began),
    counted from the latest weekly phase started (``rules.step_down_start``: back in weekly
    sessions, the old step-down no longer counts)."""
    start = step_down_start((p.kind, p.started_at) for p in phases)
    return inputs.local_date(start, zone) if start is not None else None


def audit_read(*, by, client: Client, plan: TaperingPlan | None, request=None) -> None:
    record(
        actor=by,
        action=Action.READ,
        object_type="tapering_plan",
        object_id=plan.pk if plan is not None else client.pk,
        client=client,
        request=request,
        detail={"version": plan.version if plan is not None else None},
    )


# --- the suggestion -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReasonView:
    code: str
    met: bool
    text: str
    detail: dict


@dataclass(frozen=True)
class SuggestionView:
    step_down: bool
    headline: str
    reasons: list[ReasonView]
    not_now: bool = False


def suggestion_for(client: Client, *, viewer=None, today: dt.date | None = None) -> Suggestion:
    """The rule's answer over the client's data, in a fixed number of queries (six).

    Each measure's scores in the stable window are judged against the score just before the
    window (and earlier scores in it), not against intake: see ``rules._worse_in_window``.
    Practice counts what ``viewer`` may see (see :func:`inputs.practice_days`). Risk flags count
    whoever may see the entry that raised them: safety comes first.
    """
    today = today or inputs.today_for(client)
    weeks = settings.SAFETY_HOLD_WEEKS
    return tapering_suggestion(
        today=today,
        measures=inputs.client_measure_histories(client),
        goal_levels=inputs.goal_levels(client),
        practice_days=inputs.practice_days(client, viewer=viewer),
        risk_signals=inputs.risk_signals(client, today, weeks),
        safety_weeks=weeks,
    )


def reason_text(code: str, met: bool, detail: dict, names: dict[str, str] | None = None) -> str:
    """One reason of the suggestion in words a clinician can check against the data.

    ``names``: the client's named relationships, for measures named in the client's words."""
    if code == "measures":
        weeks = detail.get("weeks", 0)
        if met:
            return ngettext(
                "Measures: no reliable deterioration on any measure in the last %(weeks)d week "
                "(%(count)d completed).",
                "Measures: no reliable deterioration on any measure in the last %(weeks)d weeks "
                "(%(count)d completed).",
                weeks,
            ) % {"weeks": weeks, "count": detail.get("completed", 0)}
        worse = detail.get("deteriorated") or []
        if worse:
            return ngettext(
                "Measures: reliable deterioration in the last %(weeks)d week on %(names)s.",
                "Measures: reliable deterioration in the last %(weeks)d weeks on %(names)s.",
                weeks,
            ) % {
                "weeks": weeks,
                "names": ", ".join(inputs.measure_label(k, names) for k in worse),
            }
        return ngettext(
            "Measures: none completed in the last %(weeks)d week, so stability cannot be shown.",
            "Measures: none completed in the last %(weeks)d weeks, so stability cannot be shown.",
            weeks,
        ) % {"weeks": weeks}
    if code == "safety":
        weeks = detail.get("weeks", 0)
        if met:
            return ngettext(
                "Safety: no risk flag in the last %(weeks)d week, and none open.",
                "Safety: no risk flag in the last %(weeks)d weeks, and none open.",
                weeks,
            ) % {"weeks": weeks}
        if detail.get("open"):
            return _("Safety: a risk flag is still open. It comes before any step down.")
        return ngettext(
            "Safety: a risk flag in the last %(weeks)d week. Stepping down waits.",
            "Safety: a risk flag in the last %(weeks)d weeks. Stepping down waits.",
            weeks,
        ) % {"weeks": weeks}
    if code == "goals":
        goals = detail.get("goals", 0)
        if met:
            return ngettext(
                "Goals: the active goal is at or above its expected level.",
                "Goals: all %(count)d active goals are at or above their expected level.",
                goals,
            ) % {"count": goals}
        if not goals:
            return _("Goals: there are no active goals to judge by.")
        return _(
            "Goals: %(below)d of %(count)d below the expected level, %(unrated)d not rated yet."
        ) % {"below": detail.get("below", 0), "count": goals, "unrated": detail.get("unrated", 0)}
    if code == "practice":
        weeks = detail.get("weeks", 0)
        done = detail.get("weeks_with_practice", 0)
        if met:
            return ngettext(
                "Practice: some practice in each of the last %(weeks)d week.",
                "Practice: some practice in each of the last %(weeks)d weeks.",
                weeks,
            ) % {"weeks": weeks}
        return ngettext(
            "Practice: practice in %(done)d of the last %(weeks)d week.",
            "Practice: practice in %(done)d of the last %(weeks)d weeks.",
            weeks,
        ) % {"done": done, "weeks": weeks}
    return code


def suggestion_view(suggestion: Suggestion, client: Client | None = None) -> SuggestionView:
    """The suggestion in words; with ``client``, a relationship they named shows in their words
    (one query, only when there is one)."""
    names = {}
    if client is not None:
        worse = [k for r in suggestion.reasons for k in (r.detail or {}).get("deteriorated") or []]
        names = target_names.labels_for(client, [inputs.target_of(k) for k in worse])
    reasons = [
        ReasonView(r.code, r.met, reason_text(r.code, r.met, r.detail, names), r.detail)
        for r in suggestion.reasons
    ]
    safety = next((r for r in suggestion.reasons if r.code == "safety"), None)
    if suggestion.step_down:
        headline = _("The data supports stepping down.")
    elif suggestion.not_now and safety is not None and not safety.met:
        headline = _("Not now: safety comes first.")
    elif suggestion.not_now:
        headline = _("Not now: a measure reliably got worse, and that comes first.")
    else:
        headline = _("The data does not support stepping down yet.")
    return SuggestionView(suggestion.step_down, headline, reasons, suggestion.not_now)


# --- writing ------------------------------------------------------------------------------------


def default_phases(start: dt.date) -> list[dict]:
    return [
        {"kind": kind.value, "label": "", "planned_start": start + dt.timedelta(days=offset)}
        for kind, offset in DEFAULT_TEMPLATE
    ]


def create_plan(*, client: Client, by, start: dt.date, request=None) -> TaperingPlan:
    """The plan from the default template, starting on ``start``. A second call returns the first
    plan unchanged (two clinicians pressing at once make one plan)."""
    existing = plan_of(client)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            plan = TaperingPlan.objects.create(client=client, created_by=by, updated_by=by)
            TaperingPhase.objects.bulk_create(
                TaperingPhase(plan=plan, position=n, **phase)
                for n, phase in enumerate(default_phases(start))
            )
            record(
                actor=by,
                action=Action.CREATE,
                object_type="tapering_plan",
                object_id=plan.pk,
                client=client,
                request=request,
                detail={"version": plan.version, "phases": len(DEFAULT_TEMPLATE)},
            )
    except IntegrityError:
        pass
    return plan_of(client)


def prepared_phases(rows) -> list[dict]:
    """Check edited phases: ``[{"id"?, "kind", "label", "planned_start"}]`` in plan order."""
    rows = list(rows)
    if not rows:
        raise TaperingError(_("Keep at least one phase."))
    if len(rows) > MAX_PHASES:
        raise TaperingError(_("Keep the plan to %(n)d phases at most.") % {"n": MAX_PHASES})
    kinds = set(Kind.values)
    clean = []
    for n, row in enumerate(rows, start=1):
        kind = row.get("kind")
        if kind not in kinds:
            raise TaperingError(_("Phase %(n)d: choose a frequency.") % {"n": n}, "kind")
        label = (row.get("label") or "").strip()
        if len(label) > LABEL_LIMIT:
            raise TaperingError(_("Phase %(n)d: the name is too long.") % {"n": n}, "label")
        if kind == Kind.CUSTOM and not label:
            raise TaperingError(_("Phase %(n)d: name the phase.") % {"n": n}, "label")
        start = row.get("planned_start")
        if isinstance(start, str):
            try:
                start = dt.date.fromisoformat(start)
            except ValueError:
                start = None
        if not isinstance(start, dt.date):
            raise TaperingError(
                _("Phase %(n)d: give the planned start date.") % {"n": n}, "planned_start"
            )
        if clean and start < clean[-1]["planned_start"]:
            raise TaperingError(
                _("Phase %(n)d starts before the phase above it: put the phases in date order.")
                % {"n": n},
                "planned_start",
            )
        clean.append(
            {
                "id": row.get("id") or None,
                "kind": kind,
                "label": label if kind == Kind.CUSTOM else "",
                "planned_start": start,
            }
        )
    return clean


def _same_phases(saved: list[TaperingPhase], clean: list[dict]) -> bool:
    """Whether the saved phases are these edited ones, in order (a phase added by the edit has
    no id in it, so only the ids it names are compared)."""
    if len(saved) != len(clean):
        return False
    return all(
        (phase.kind, phase.label, phase.planned_start)
        == (row["kind"], row["label"], row["planned_start"])
        and (not row["id"] or str(row["id"]) == str(phase.pk))
        for phase, row in zip(saved, clean, strict=True)
    )


def save_phases(*, by, plan: TaperingPlan, version: int, phases, request=None) -> TaperingPlan:
    """Replace the phases as edited from ``version``, or refuse with :class:`StaleSave`.

    Phases named by id keep whether and when they started and ended; a phase that has started
    cannot be removed (it is part of the record). A retry of this person's own save (same
    phases, one version on) answers with the saved plan.
    """
    clean = prepared_phases(phases)
    with transaction.atomic():
        retry = claim_version(
            TaperingPlan.objects,
            plan.pk,
            version=version,
            by=by,
            same_content=lambda saved: _same_phases(phases_of(saved), clean),
            current=lambda: plan_of(plan.client),
        )
        if retry is not None:
            audit_read(by=by, client=plan.client, plan=retry, request=request)
            return retry
        existing = {str(p.pk): p for p in TaperingPhase.objects.filter(plan=plan)}
        kept_ids = {str(row["id"]) for row in clean if row["id"]}
        unknown = kept_ids - set(existing)
        if unknown:
            raise TaperingError(_("A phase in this edit no longer exists; reload the plan."))
        removed = [p for key, p in existing.items() if key not in kept_ids]
        if any(p.started_at for p in removed):
            raise TaperingError(_("A phase that has started cannot be removed."))
        TaperingPhase.objects.filter(pk__in=[p.pk for p in removed]).delete()
        # Move everything out of the way first: positions are unique within a plan, so each
        # phase gets its own place above any final position (not one shared place).
        TaperingPhase.objects.filter(plan=plan).update(position=F("position") + MAX_PHASES * 10)
        for position, row in enumerate(clean):
            if row["id"]:
                phase = existing[str(row["id"])]
                phase.position = position
                phase.kind, phase.label = row["kind"], row["label"]
                phase.planned_start = row["planned_start"]
                phase.save(update_fields=["position", "kind", "label", "planned_start"])
            else:
                TaperingPhase.objects.create(
                    plan=plan,
                    position=position,
                    kind=row["kind"],
                    label=row["label"],
                    planned_start=row["planned_start"],
                )
        saved = plan_of(plan.client)
        record(
            actor=by,
            action=Action.UPDATE,
            object_type="tapering_plan",
            object_id=plan.pk,
            client=plan.client,
            request=request,
            detail={"version": saved.version, "phases": [row["kind"] for row in clean]},
        )
    return saved


class SafetyHold(TaperingError):
    """Safety says "not now" and no override note was given."""


OVERRIDE_LIMIT = 2000


def steps_down(phase: TaperingPhase | None) -> bool:
    """Whether starting ``phase`` spaces sessions out (anything but weekly sessions): what a
    safety hold is about. Starting or going back to weekly sessions never needs an override."""
    return phase is not None and phase.kind != TaperingPhase.Kind.WEEKLY


def check_safety_hold(client: Client, override_note: str, *, viewer=None) -> str:
    """The override note, cleaned, when safety says "not now" (:attr:`Suggestion.not_now`);
    "" when it does not. Refused (:class:`SafetyHold`) when it does and no note was written."""
    note = (override_note or "").strip()
    if len(note) > OVERRIDE_LIMIT:
        raise TaperingError(
            _("Keep the note under %(n)d characters.") % {"n": OVERRIDE_LIMIT}, "override_note"
        )
    if not suggestion_for(client, viewer=viewer).not_now:
        return ""
    if not note:
        raise SafetyHold(
            _("Safety says not now. To go ahead anyway, write why in the override note."),
            "override_note",
        )
    return note


def move_to_next_phase(
    *, by, plan: TaperingPlan, version: int, override_note: str = "", request=None
) -> TaperingPlan:
    """End the current phase and start the next one (or start the first), from ``version``.

    The clinician's decision; audited with the phases' kinds. A step down (:func:`steps_down`)
    while safety says "not now" (a risk flag open or recent, or a reliable deterioration) needs an
    override note, kept (encrypted) with the phase it starts; the audit says an override was
    made, not its words.
    """
    following = next_phase(phases_of(plan))
    override = (
        check_safety_hold(plan.client, override_note, viewer=by) if steps_down(following) else ""
    )
    with transaction.atomic():
        # A press of "move on" carries no content to compare, so a second press from the same
        # version is never taken for a retry: it is refused and no phase moves twice.
        claim_version(
            TaperingPlan.objects,
            plan.pk,
            version=version,
            by=by,
            same_content=lambda saved: False,
            current=lambda: plan_of(plan.client),
        )
        phases = list(TaperingPhase.objects.filter(plan=plan).order_by("position"))
        current, following = current_phase(phases), next_phase(phases)
        if following is None:
            raise TaperingError(_("This is the last phase of the plan: add a phase to move on."))
        now = timezone.now()
        if current is not None:
            current.ended_at = now
            current.save(update_fields=["ended_at"])
        following.started_at = now
        following.override_note = override
        following.save(update_fields=["started_at", "override_note"])
        saved = plan_of(plan.client)
        record(
            actor=by,
            action=Action.UPDATE,
            object_type="tapering_plan",
            object_id=plan.pk,
            client=plan.client,
            request=request,
            detail={
                "version": saved.version,
                "event": "next_phase",
                "from": current.kind if current is not None else None,
                "to": following.kind,
                "safety_override": bool(override),
            },
        )
    return saved
