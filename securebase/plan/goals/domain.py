"""Collaborative goals with Goal Attainment Scaling, written together by the client and care team.

A goal is a shared document: the client and the clinicians on their care team may all create,
edit and rate it, and all of them see every goal of the client. Each edit is made from the version
the person started from; if someone else saved in between, the edit is refused with
:class:`StaleSave` carrying the saved goal, and nothing is overwritten. Every saved state (the
goal, its five level descriptions and its steps) is kept as a :class:`GoalVersion` snapshot.

Ratings follow Goal Attainment Scaling (Kiresuk & Sherman 1968): −2 much less than expected,
−1 somewhat less, 0 the expected outcome, +1 somewhat more, +2 much more than expected. Each
state change is one transaction with its audit event; clinical text never goes into the audit.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from securebase.audit.log import Action, record, record_list
from securebase.care import policy
from securebase.care.models import Client
from securebase.core import idempotency
from securebase.core.errors import InputError
from securebase.core.versioning import StaleSave, claim_version
from securebase.plan.goals import rules as gas
from securebase.plan.models import GAS_LEVELS, LEVEL_FIELDS, Goal, GoalRating, GoalStep, GoalVersion

TEXT_LIMITS = {"title": 300, "why": 5000, "accountability": 1000}
LEVEL_LIMIT = 1000
STEP_LIMIT = 500
MAX_STEPS = 5
# Turner-Stokes (2009) weighs a goal by importance (0–3) × difficulty (0–3), so at most 9.
MAX_WEIGHT = 9
GOAL_FIELDS = (
    "title",
    "why",
    "dimension",
    "accountability",
    "target_date",
    "weight",
    "baseline_level",
    *LEVEL_FIELDS.values(),
)


class GoalError(InputError):
    """Input that cannot be saved, with a message for the person and the field it concerns."""


# --- validation ---------------------------------------------------------------------------------


# Rows per list, on the pages and per API page: a client's goals, one goal's ratings.
GOALS_LIMIT = 100
RATINGS_LIMIT = 500


def _date(value, field: str):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise GoalError(_("Give a date such as 2027-03-31."), field) from None


def _level(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in GAS_LEVELS:
        raise GoalError(
            _("A goal level is a whole number from −2 to +2 (0 is the expected outcome)."), field
        )
    return value


def prepared(data: dict) -> dict:
    """Validated goal fields (raises GoalError naming the field)."""
    values: dict = {}
    for name, limit in TEXT_LIMITS.items():
        text = (data.get(name) or "").strip()
        if len(text) > limit:
            raise GoalError(
                _("Please keep this under %(limit)s characters.") % {"limit": limit}, name
            )
        values[name] = text
    if not values["title"]:
        raise GoalError(_("Write the goal in your own words."), "title")
    dimension = data.get("dimension")
    if dimension not in Goal.Dimension.values:
        raise GoalError(
            _("Choose whether the goal is emotional, behavioural or relational."), "dimension"
        )
    values["dimension"] = dimension
    values["target_date"] = _date(data.get("target_date"), "target_date")
    weight = data.get("weight", 1)
    weight = 1 if weight in (None, "") else weight
    if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= MAX_WEIGHT:
        raise GoalError(
            _("The weight is a whole number from 1 to %(max)s (1 for most goals).")
            % {"max": MAX_WEIGHT},
            "weight",
        )
    values["weight"] = weight
    baseline = data.get("baseline_level", -1)
    values["baseline_level"] = _level(-1 if baseline in (None, "") else baseline, "baseline_level")
    for level, name in LEVEL_FIELDS.items():
        text = (data.get(name) or "").strip()
        if not text:
            raise GoalError(
                _("Describe what level %(level)s would look like.") % {"level": signed(level)},
                name,
            )
        if len(text) > LEVEL_LIMIT:
            raise GoalError(
                _("Please keep this under %(limit)s characters.") % {"limit": LEVEL_LIMIT}, name
            )
        values[name] = text
    return values


def prepared_steps(steps: Iterable[dict]) -> list[dict]:
    """Validated steps in order, empty rows dropped (raises GoalError with field ``steps``)."""
    result = []
    for n, step in enumerate(steps, start=1):
        text = (step.get("text") or "").strip()
        if not text:
            if step.get("due_on") or step.get("done"):
                raise GoalError(_("Step %(n)s: say what the step is.") % {"n": n}, "steps")
            continue
        if len(text) > STEP_LIMIT:
            raise GoalError(
                _("Step %(n)s: please keep it under %(limit)s characters.")
                % {"n": n, "limit": STEP_LIMIT},
                "steps",
            )
        who = step.get("who") or GoalStep.Who.CLIENT
        if who not in GoalStep.Who.values:
            raise GoalError(
                _("Step %(n)s: say who does it: me, my therapist or together.") % {"n": n},
                "steps",
            )
        try:
            due_on = _date(step.get("due_on"), "steps")
        except GoalError:
            raise GoalError(
                _("Step %(n)s: give the date as 2027-03-31.") % {"n": n}, "steps"
            ) from None
        result.append({"text": text, "who": who, "due_on": due_on, "done": bool(step.get("done"))})
    if len(result) > MAX_STEPS:
        raise GoalError(
            _("A goal has at most %(max)s steps; keep the next few.") % {"max": MAX_STEPS}, "steps"
        )
    return result


def signed(level: int) -> str:
    """−2, −1, 0, +1, +2 as people write them."""
    if level > 0:
        return f"+{level}"
    return f"−{-level}" if level < 0 else "0"


# --- snapshots and versions ---------------------------------------------------------------------


def snapshot_of(goal: Goal, steps: Iterable[GoalStep] | None = None) -> dict:
    """The goal as plain data (its steps and level descriptions included): what a version keeps."""
    rows = list(steps) if steps is not None else list(GoalStep.objects.filter(goal=goal))
    return {
        "version": goal.version,
        **{name: getattr(goal, name) for name in GOAL_FIELDS if name != "target_date"},
        "target_date": goal.target_date.isoformat() if goal.target_date else None,
        "steps": [
            {
                "text": s.text,
                "who": s.who,
                "due_on": s.due_on.isoformat() if s.due_on else None,
                "done": s.done_at is not None,
            }
            for s in rows
        ],
    }


def _save_version(goal: Goal, *, by) -> GoalVersion:
    snapshot = json.dumps(snapshot_of(goal), ensure_ascii=False, sort_keys=True)
    return GoalVersion.objects.create(
        goal=goal, version=goal.version, saved_by=by, snapshot=snapshot
    )


def versions_of(goal: Goal):
    """Who saved which version and when, newest first (snapshots not decrypted)."""
    return (
        GoalVersion.objects.filter(goal=goal)
        .select_related("saved_by")
        .defer("snapshot")
        .order_by("-version")
    )


def get_version(goal: Goal, number: int) -> tuple[GoalVersion, dict] | None:
    """One saved version and its snapshot, or None when there is no such version."""
    found = GoalVersion.objects.select_related("saved_by").filter(goal=goal, version=number).first()
    if found is None:
        return None
    return found, json.loads(found.snapshot)


def steps_of(goal: Goal):
    return GoalStep.objects.filter(goal=goal)


def ratings_of(goal: Goal) -> list[GoalRating]:
    """Every rating of the goal, newest first, with who rated it."""
    return list(GoalRating.objects.filter(goal=goal).select_related("rated_by"))


def audit_read(*, by, goal: Goal, request=None, detail: dict | None = None) -> None:
    """Note that this person read the goal (or a version of it)."""
    record(
        actor=by,
        action=Action.READ,
        object_type="goal",
        object_id=goal.pk,
        client=goal.client,
        request=request,
        detail={"version": goal.version, **(detail or {})},
    )


def get_goal_for(
    user, goal_id, *, of: Client | None = None, request=None, detail: dict | None = None
) -> Goal:
    """A goal of the person's own, or of a client on their care team (with ``of``, only a goal
    of that client); 404 otherwise. Audited as read (``detail``: what for)."""
    goal = _visible_goal(user, goal_id, of)
    audit_read(by=user, goal=goal, request=request, detail=detail)
    return goal


def get_version_for(
    user, goal_id, number: int, *, of: Client | None = None, request=None
) -> tuple[Goal, GoalVersion, dict]:
    """One saved version of a goal this person may see, with its snapshot; 404 when either is
    not there. Audited as a read of the goal."""
    goal = _visible_goal(user, goal_id, of)
    found = get_version(goal, number)
    if found is None:
        raise Http404("Not found.")
    audit_read(by=user, goal=goal, request=request, detail={"for": "version", "n": number})
    return goal, *found


def saved_by_someone_else(user, refused: StaleSave, *, of: Client, request=None) -> Goal:
    """The goal as someone else saved it, shown beside the edit it refused; audited as read."""
    current = refused.current
    current.client = of
    audit_read(by=user, goal=current, request=request, detail={"for": "stale"})
    return current


def _visible_goal(user, goal_id, of: Client | None) -> Goal:
    goal = policy.get_goal_for_user(user, goal_id, of=of)
    if of is not None:
        goal.client = of
    return goal


def goals_for(
    user,
    client,
    *,
    with_steps: bool = False,
    offset: int = 0,
    limit: int | None = None,
    request=None,
) -> list[Goal]:
    """The client's goals, active and archived (``with_steps``: their steps loaded too), at most
    ``limit`` (``GOALS_LIMIT`` when left out), for a reader of the client's plan
    (``policy.get_client_for_plan_reader``); the list is audited."""
    limit = GOALS_LIMIT if limit is None else limit
    goals = Goal.objects.filter(client=client)
    goals = list(
        (goals.prefetch_related("steps") if with_steps else goals)[offset : offset + limit]
    )
    record_list(actor=user, object_type="goals", client=client, count=len(goals), request=request)
    return goals


def with_steps(goal: Goal) -> Goal:
    """The goal again, with its steps loaded (after a change, or a fetch by id)."""
    return Goal.objects.prefetch_related("steps").get(pk=goal.pk)


def ratings_for(
    user, goal: Goal, *, offset: int = 0, limit: int | None = None, request=None
) -> list[GoalRating]:
    """A goal's ratings, newest first, at most ``limit`` (``RATINGS_LIMIT`` when left out), for
    someone the policy let read the goal; audited."""
    limit = RATINGS_LIMIT if limit is None else limit
    ratings = list(GoalRating.objects.filter(goal=goal)[offset : offset + limit])
    record_list(
        actor=user,
        object_type="goal_ratings",
        client=goal.client,
        of=goal,
        count=len(ratings),
        request=request,
    )
    return ratings


# --- writing ------------------------------------------------------------------------------------


def _create_steps(goal: Goal, steps: list[dict], *, done_before: dict | None = None) -> None:
    now = timezone.now()
    done_before = done_before or {}
    GoalStep.objects.bulk_create(
        GoalStep(
            goal=goal,
            position=n,
            text=step["text"],
            who=step["who"],
            due_on=step["due_on"],
            # Keep when a step was first ticked off, across edits of the list.
            done_at=(done_before.get(step["text"]) or now) if step["done"] else None,
        )
        for n, step in enumerate(steps, start=1)
    )


def _same_goal(goal: Goal, values: dict, rows: list[dict]) -> bool:
    """Whether the saved goal and its steps are exactly these prepared fields and steps."""
    if any(getattr(goal, name) != value for name, value in values.items()):
        return False
    saved = [
        {"text": s.text, "who": s.who, "due_on": s.due_on, "done": s.done_at is not None}
        for s in GoalStep.objects.filter(goal=goal).order_by("position")
    ]
    return saved == rows


def create_goal(
    client, *, by, data: dict, steps: Iterable[dict] = (), submission_id=None, request=None
) -> tuple[Goal, bool]:
    """A new goal (version 1 with its first snapshot); with ``submission_id`` a retry returns it."""
    values = prepared(data)
    rows = prepared_steps(steps)

    def create() -> Goal:
        now = timezone.now()
        goal = Goal.objects.create(
            client=client, created_by=by, updated_by=by, created_at=now, updated_at=now, **values
        )
        _create_steps(goal, rows)
        _save_version(goal, by=by)
        record(
            actor=by,
            action=Action.CREATE,
            object_type="goal",
            object_id=goal.pk,
            client=client,
            request=request,
            detail={"version": goal.version, "steps": len(rows), "weight": goal.weight},
        )
        return goal

    return idempotency.create_once(
        user=by,
        key=submission_id,
        kind="plan.goal",
        body={"client": str(client.pk), **values, "steps": rows},
        model=Goal,
        create=create,
    )


def edit_goal(
    goal: Goal, *, by, version: int, data: dict, steps: Iterable[dict], request=None
) -> Goal:
    """Save an edit made from ``version`` (the whole goal and its list of steps), or refuse it.

    The conditional UPDATE both checks and claims the next version, so of two people saving from
    the same version exactly one succeeds; the other gets :class:`StaleSave` with the saved goal.
    A retry of this person's own save (same content, one version on) answers with the saved goal.
    """
    values = prepared(data)
    rows = prepared_steps(steps)
    with transaction.atomic():
        retry = claim_version(
            Goal.objects.select_related("client", "updated_by"),
            goal.pk,
            version=version,
            by=by,
            same_content=lambda saved: _same_goal(saved, values, rows),
            **values,
        )
        if retry is not None:
            audit_read(by=by, goal=retry, request=request, detail={"retry": True})
            return retry
        old = GoalStep.objects.filter(goal=goal)
        done_before = {s.text: s.done_at for s in old if s.done_at is not None}
        old.delete()
        current = Goal.objects.select_related("client", "updated_by").get(pk=goal.pk)
        _create_steps(current, rows, done_before=done_before)
        _save_version(current, by=by)
        record(
            actor=by,
            action=Action.UPDATE,
            object_type="goal",
            object_id=current.pk,
            client=current.client,
            request=request,
            detail={"version": current.version, "steps": len(rows)},
        )
    return current


def rate_goal(
    goal: Goal, *, by, level, note: str = "", submission_id=None, request=None
) -> tuple[GoalRating, bool]:
    """Rate the goal at a review (−2…+2); with ``submission_id`` a retry returns the first one."""
    level = _level(level, "level")
    note = (note or "").strip()
    if len(note) > TEXT_LIMITS["why"]:
        raise GoalError(
            _("Please keep this under %(limit)s characters.") % {"limit": TEXT_LIMITS["why"]},
            "note",
        )
    if not goal.active:
        raise GoalError(_("This goal is archived. Make it active again to rate it."), "level")

    def create() -> GoalRating:
        rating = GoalRating.objects.create(
            goal=goal, client_id=goal.client_id, level=level, note=note, rated_by=by
        )
        record(
            actor=by,
            action=Action.CREATE,
            object_type="goal_rating",
            object_id=rating.pk,
            client=goal.client,
            request=request,
            detail={"goal": str(goal.pk), "level": level},
        )
        return rating

    return idempotency.create_once(
        user=by,
        key=submission_id,
        kind="plan.goal_rating",
        body={"goal": str(goal.pk), "level": level, "note": note},
        model=GoalRating,
        create=create,
    )


def set_active(goal: Goal, *, by, active: bool, request=None) -> Goal:
    """Archive a goal (no longer worked on, kept with its ratings) or make it active again.

    Not a content edit, so it does not take a new version and cannot conflict with one.
    """
    with transaction.atomic():
        Goal.objects.filter(pk=goal.pk).update(active=bool(active))
        goal.active = bool(active)
        record(
            actor=by,
            action=Action.UPDATE,
            object_type="goal",
            object_id=goal.pk,
            client=goal.client,
            request=request,
            detail={"active": goal.active},
        )
    return goal


# --- reading: levels and the combined T-score ---------------------------------------------------


def latest_levels(goals: Iterable) -> dict:
    """Each goal's latest rated level, or None if never rated: {goal_id: level | None}.

    One query however many goals and ratings there are.
    """
    ids = [getattr(g, "pk", g) for g in goals]
    if not ids:
        return {}
    latest = (
        GoalRating.objects.filter(goal=OuterRef("pk"))
        .order_by("-rated_at", "-pk")
        .values("level")[:1]
    )
    rows = Goal.objects.filter(pk__in=ids).annotate(latest=Subquery(latest))
    found = dict(rows.values_list("pk", "latest"))
    return {pk: found.get(pk) for pk in ids}


def gas_summary(goals: Iterable[Goal], levels: dict | None = None) -> dict:
    """The combined GAS T-score over the latest rating of each active goal, with its weight.

    Kiresuk & Sherman (1968), ρ = 0.3 (``securebase.plan.goals.rules``): 50 means the goals were met as
    expected on average, SD 10. Archived goals and goals never rated are left out: a goal counts
    from its first rating. ``t_score`` is rounded to two decimals, and None when no goal counts.
    Pass ``levels`` (from :func:`latest_levels`) to avoid querying them again.
    """
    goals = list(goals)
    if levels is None:
        levels = latest_levels(goals)
    pairs = [(levels[g.pk], g.weight) for g in goals if g.active and levels.get(g.pk) is not None]
    score = gas.t_score(pairs, rho=gas.RHO)
    return {"t_score": None if score is None else round(score, 2), "goals_counted": len(pairs)}
