"""Goal pages, for the client themself (phone first) and for clinicians on their care team.

One set of views serves both: ``client_id`` in the URL means a clinician on the care team; no
``client_id`` means the signed-in client's own goals. Access goes through the care policy (404 to
everyone else); every change goes through :mod:`securebase.plan.goals.domain`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from securebase.care import policy
from securebase.core.links import ClientLinks
from securebase.core.saving import StaleNotice, render_form, save_edit, save_new
from securebase.plan.goals import domain
from securebase.plan.goals.forms import (
    LEVEL_NAMES,
    ActiveForm,
    EditGoalForm,
    GoalForm,
    NewGoalForm,
    RatingForm,
)
from securebase.plan.models import GAS_LEVELS, LEVEL_FIELDS, Goal, GoalStep

REUSED_GOAL = gettext_lazy(
    "This form was already sent with different answers. The first goal was kept; reload the page "
    "to write another."
)

STALE_GOAL = gettext_lazy(
    "Someone else saved this goal while you were editing. Nothing was overwritten: their version "
    "is shown next to the form, which still holds what you typed. Compare, then save again."
)

REUSED_RATING = gettext_lazy(
    "This rating was already sent with a different answer; the first was kept."
)

VERSIONS_PER_PAGE = 50


# --- who is asking, and where their links go ---------------------------------------------------


@dataclass(frozen=True)
class Links(ClientLinks):
    """The URLs of one client's goals: clinicians' pages carry the client id, clients' don't."""

    @property
    def goals(self) -> str:
        return reverse("my_goals") if self.own else reverse("client_goals", args=[self.client.pk])

    @property
    def new(self) -> str:
        return self.url("goal_new")


def _target(request, client_id) -> Links:
    """Whose goals these are, or 404: the person's own, or those of a client on their care team."""
    if client_id is None:
        return Links(client=policy.get_own_record_for(request.user), own=True)
    return Links(client=policy.get_client_for_care_team(request.user, client_id), own=False)


def _goal_of(request, links: Links, goal_id) -> Goal:
    """The goal to change (404 unless it is this client's and the person may see it); the change
    is audited, not this fetch."""
    goal = policy.get_goal_for_user(request.user, goal_id, of=links.client)
    goal.client = links.client
    return goal


def _read_goal(request, links: Links, goal_id, detail: dict | None = None) -> Goal:
    """The goal to show, as :func:`_goal_of` finds it, audited as read (``detail``: what for)."""
    return domain.get_goal_for(
        request.user, goal_id, of=links.client, request=request, detail=detail
    )


def _goal_for_page(request, links: Links, goal_id, purpose: str) -> Goal:
    """The goal of a page with a form: showing it (a GET) is audited as read for ``purpose``; its
    save (a POST) is audited by the domain."""
    if request.method == "GET":
        return _read_goal(request, links, goal_id, {"for": purpose})
    return _goal_of(request, links, goal_id)


# --- what the templates show: a live goal and an old snapshot alike -----------------------------


@dataclass
class LevelView:
    level: int
    signed: str
    name: str
    text: str
    current: bool = False


@dataclass
class StepView:
    text: str
    who: str
    due_on: dt.date | None
    done: bool


@dataclass
class GoalView:
    title: str
    why: str
    dimension: str
    accountability: str
    target_date: dt.date | None
    weight: int
    baseline_level: str
    levels: list[LevelView] = field(default_factory=list)
    steps: list[StepView] = field(default_factory=list)


def _who(code: str) -> str:
    return str(dict(GoalStep.Who.choices).get(code, code))


def _levels(texts: dict, current: int | None = None) -> list[LevelView]:
    """From +2 at the top down to −2, as the scale is read."""
    return [
        LevelView(
            level=level,
            signed=domain.signed(level),
            name=str(LEVEL_NAMES[level]),
            text=texts.get(level, ""),
            current=level == current,
        )
        for level in reversed(GAS_LEVELS)
    ]


def goal_view(goal: Goal, steps, current: int | None = None) -> GoalView:
    return GoalView(
        title=goal.title,
        why=goal.why,
        dimension=goal.get_dimension_display(),
        accountability=goal.accountability,
        target_date=goal.target_date,
        weight=goal.weight,
        baseline_level=domain.signed(goal.baseline_level),
        levels=_levels({lvl: goal.level_text(lvl) for lvl in GAS_LEVELS}, current),
        steps=[StepView(s.text, _who(s.who), s.due_on, s.done_at is not None) for s in steps],
    )


def snapshot_view(snapshot: dict) -> GoalView:
    dimension = snapshot.get("dimension", "")
    return GoalView(
        title=snapshot.get("title", ""),
        why=snapshot.get("why", ""),
        dimension=str(dict(Goal.Dimension.choices).get(dimension, dimension)),
        accountability=snapshot.get("accountability", ""),
        target_date=_parse_date(snapshot.get("target_date")),
        weight=snapshot.get("weight", 1),
        baseline_level=domain.signed(snapshot.get("baseline_level", -1)),
        levels=_levels({lvl: snapshot.get(name, "") for lvl, name in LEVEL_FIELDS.items()}),
        steps=[
            StepView(s["text"], _who(s["who"]), _parse_date(s.get("due_on")), s.get("done", False))
            for s in snapshot.get("steps", [])
        ],
    )


def _parse_date(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _strip(level: int | None) -> list[LevelView]:
    """The small −2…+2 strip of the list, left to right."""
    return [
        LevelView(
            level=lvl,
            signed=domain.signed(lvl),
            name=str(LEVEL_NAMES[lvl]),
            text="",
            current=lvl == level,
        )
        for lvl in GAS_LEVELS
    ]


def _context(links: Links, **extra) -> dict:
    return {"client": links.client, "own": links.own, "links": links, **extra}


# --- the list -----------------------------------------------------------------------------------


@login_required
@require_GET
def goals_list(request, client_id=None):
    """Every goal of the client, its current level, and the combined GAS T-score."""
    links = _target(request, client_id)
    goals = domain.goals_for(request.user, links.client, request=request)
    levels = domain.latest_levels(goals)
    summary = domain.gas_summary(goals, levels)
    rows = []
    for goal in goals:
        level = levels.get(goal.pk)
        rows.append(
            {
                "goal": goal,
                "level": level,
                "signed": domain.signed(level) if level is not None else "",
                "level_name": LEVEL_NAMES[level] if level is not None else "",
                "level_text": goal.level_text(level) if level is not None else "",
                "strip": _strip(level),
                "url": links.url("goal_detail", goal.pk),
            }
        )
    return render(
        request,
        "plan/goals/list.html",
        _context(
            links,
            active_rows=[r for r in rows if r["goal"].active],
            archived_rows=[r for r in rows if not r["goal"].active],
            gas=summary,
        ),
    )


# --- creating and editing -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def goal_new(request, client_id=None):
    links = _target(request, client_id)
    form = NewGoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        goal = save_new(
            request,
            form,
            domain.create_goal,
            links.client,
            data=form.goal_data(),
            steps=form.steps_data(),
            reused=REUSED_GOAL,
        )
        if goal is not None:
            messages.success(request, _("Goal saved."))
            return redirect(links.url("goal_detail", goal.pk))
    return render_form(
        request,
        "plan/goals/form.html",
        _context(links, form=form, is_new=True, action=links.new, back=links.goals),
        form=form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request, goal_id, client_id=None):
    links = _target(request, client_id)
    goal = _goal_for_page(request, links, goal_id, "edit")
    stale = None
    if request.method == "POST":
        form = EditGoalForm(request.POST)
        if form.is_valid():
            edit = save_edit(
                request,
                form,
                domain.edit_goal,
                goal,
                data=form.goal_data(),
                steps=form.steps_data(),
                stale=_stale_goal(request, links),
            )
            form, stale = edit.form, edit.stale
            if edit.done:
                messages.success(request, _("Goal saved."))
                return redirect(links.url("goal_detail", goal.pk))
    else:
        form = EditGoalForm(initial=GoalForm.initial_for(goal, domain.steps_of(goal)))
    return render_form(
        request,
        "plan/goals/form.html",
        _context(
            links,
            form=form,
            goal=goal,
            stale=stale,
            is_new=False,
            action=links.url("goal_edit", goal.pk),
            back=links.url("goal_detail", goal.pk),
        ),
        form=form,
    )


def _stale_goal(request, links: Links) -> StaleNotice:
    """A refused save of a goal: the goal as someone else saved it (read for this person)."""

    def shown(refused) -> dict:
        current = domain.saved_by_someone_else(
            request.user, refused, of=links.client, request=request
        )
        return {"view": goal_view(current, domain.steps_of(current))}

    return StaleNotice(message=STALE_GOAL, show="plan/goals/_goal.html", shown=shown)


# --- reading one goal and rating it -------------------------------------------------------------


@login_required
@require_GET
def goal_detail(request, goal_id, client_id=None):
    """The goal, why it matters, its steps and levels, and every rating so far."""
    links = _target(request, client_id)
    goal = _read_goal(request, links, goal_id)
    ratings = domain.ratings_of(goal)
    current = ratings[0].level if ratings else None
    for rating in ratings:
        rating.signed = domain.signed(rating.level)
        rating.level_name = LEVEL_NAMES[rating.level]
    return render(
        request,
        "plan/goals/detail.html",
        _context(
            links,
            goal=goal,
            view=goal_view(goal, domain.steps_of(goal), current),
            ratings=ratings,
            current=current,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_rate(request, goal_id, client_id=None):
    """Rate a goal at a review, with why it matters shown first."""
    links = _target(request, client_id)
    goal = _goal_for_page(request, links, goal_id, "rating")
    form = RatingForm(request.POST or None, goal=goal)
    if request.method == "POST" and form.is_valid():
        rating = save_new(
            request,
            form,
            domain.rate_goal,
            goal,
            level=form.cleaned_data["level"],
            note=form.cleaned_data["note"],
            reused=REUSED_RATING,
        )
        if rating is not None:
            messages.success(request, _("Rating saved."))
            return redirect(links.url("goal_detail", goal.pk))
    return render_form(
        request, "plan/goals/rate.html", _context(links, goal=goal, form=form), form=form
    )


@login_required
@require_POST
def goal_active(request, goal_id, client_id=None):
    """Archive a goal, or make an archived one active again."""
    links = _target(request, client_id)
    goal = _goal_of(request, links, goal_id)
    form = ActiveForm(request.POST)
    if not form.is_valid():
        return redirect(links.url("goal_detail", goal.pk))
    active = form.cleaned_data["active"]
    domain.set_active(goal, by=request.user, active=active, request=request)
    messages.success(
        request,
        _("The goal is active again.") if active else _("The goal is archived, with its ratings."),
    )
    return redirect(links.url("goal_detail", goal.pk))


# --- version history ----------------------------------------------------------------------------


@login_required
@require_GET
def goal_versions(request, goal_id, client_id=None):
    """Who saved which version, and when."""
    links = _target(request, client_id)
    goal = _read_goal(request, links, goal_id, {"for": "versions"})
    page = Paginator(domain.versions_of(goal), VERSIONS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(v, links.url("goal_version", goal.pk, v.version)) for v in page]
    return render(
        request,
        "plan/goals/versions.html",
        _context(links, goal=goal, page=page, rows=rows),
    )


@login_required
@require_GET
def goal_version(request, goal_id, number, client_id=None):
    """One earlier version, read-only."""
    links = _target(request, client_id)
    goal, saved, snapshot = domain.get_version_for(
        request.user, goal_id, number, of=links.client, request=request
    )
    return render(
        request,
        "plan/goals/version.html",
        _context(links, goal=goal, saved=saved, view=snapshot_view(snapshot)),
    )
