"""A retry of one's own save is not a stale save: it succeeds once, and nothing else changes.

For each shared document: the same person saving the same content twice from the same version (a
double-submitted form, a retried PUT) succeeds both times with one version written; the same
content from another person, or different content from the same person, is still refused.
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from securebase.audit.models import AuditEvent
from securebase.core.versioning import StaleSave, is_own_retry
from securebase.maintain import maintenance, tapering
from securebase.maintain.models import MaintenancePlanVersion, TaperingPhase
from securebase.plan.checkins import domain as checkins
from securebase.plan.goals import domain as goals
from securebase.plan.models import CheckinSchedule, GoalVersion
from securebase.safety.models import SafetyPlanVersion
from securebase.safety.plan import domain as safety
from tests.factories import GOAL, STEPS, create_goal

START = dt.date(2026, 9, 7)


def _updates(object_type: str) -> int:
    return AuditEvent.objects.filter(object_type=object_type, action="update").count()


# --- the helper ---------------------------------------------------------------------------------


def _saved(version, updated_by_id):
    return SimpleNamespace(version=version, updated_by_id=updated_by_id)


def test_own_retry_is_one_version_on_by_the_same_person_with_the_same_content(alex):
    assert is_own_retry(_saved(3, alex.pk), version=2, by=alex, same_content=True) is True


@pytest.mark.parametrize(
    ("saved_version", "by_someone_else", "same_content"),
    [(3, True, True), (3, False, False), (4, False, True), (2, False, True)],
    ids=["someone else", "other content", "two versions on", "same version"],
)
def test_anything_else_is_not_an_own_retry(alex, sam, saved_version, by_someone_else, same_content):
    saved = _saved(saved_version, sam.pk if by_someone_else else alex.pk)

    assert is_own_retry(saved, version=2, by=alex, same_content=same_content) is False


def test_no_saved_record_and_no_saver_are_not_an_own_retry(alex):
    assert is_own_retry(None, version=0, by=alex, same_content=True) is False
    assert is_own_retry(_saved(2, None), version=1, by=None, same_content=True) is False


# --- goals --------------------------------------------------------------------------------------


def _edit_goal(goal, by, **extra):
    return goals.edit_goal(
        goal, by=by, version=1, data={**GOAL, "title": "Mine", **extra}, steps=STEPS
    )


def test_a_goal_saved_twice_by_the_same_person_from_the_same_version_is_saved_once(alex, maya):
    goal = create_goal(maya, alex)

    first = _edit_goal(goal, maya.user)
    again = _edit_goal(goal, maya.user)

    assert (first.version, again.version, again.title) == (2, 2, "Mine")
    assert list(GoalVersion.objects.filter(goal=goal).values_list("version", flat=True)) == [2, 1]
    assert _updates("goal") == 1


def test_the_same_goal_edit_from_another_person_is_still_refused(alex, maya):
    goal = create_goal(maya, alex)
    _edit_goal(goal, maya.user)

    with pytest.raises(StaleSave) as refused:
        _edit_goal(goal, alex)

    assert refused.value.current.version == 2


def test_a_different_goal_edit_from_the_same_person_and_old_version_is_still_refused(alex, maya):
    goal = create_goal(maya, alex)
    _edit_goal(goal, maya.user)

    with pytest.raises(StaleSave):
        _edit_goal(goal, maya.user, why="Something else")
    with pytest.raises(StaleSave):
        goals.edit_goal(goal, by=maya.user, version=1, data={**GOAL, "title": "Mine"}, steps=[])

    assert GoalVersion.objects.filter(goal=goal).count() == 2


# --- the safety plan ----------------------------------------------------------------------------

SAFETY = {"warning_signs": ["Not sleeping", "  "], "people": [{"name": "Dara", "contact": "07700"}]}


def test_a_safety_plan_saved_twice_by_the_same_person_from_the_same_version_is_saved_once(maya):
    plan = safety.get_or_create_plan(client=maya, by=maya.user)

    first = safety.save_plan(by=maya.user, plan=plan, version=1, content=SAFETY)
    again = safety.save_plan(by=maya.user, plan=plan, version=1, content=SAFETY)

    assert (first.version, again.version) == (2, 2)
    assert safety.content_of(again)["warning_signs"] == ["Not sleeping"]
    assert SafetyPlanVersion.objects.filter(plan=plan).count() == 2
    assert _updates("safety_plan") == 1


def test_the_same_safety_plan_from_another_person_is_still_refused(alex, maya):
    plan = safety.get_or_create_plan(client=maya, by=maya.user)
    safety.save_plan(by=maya.user, plan=plan, version=1, content=SAFETY)

    with pytest.raises(StaleSave):
        safety.save_plan(by=alex, plan=plan, version=1, content=SAFETY)


def test_a_different_safety_plan_from_the_same_person_and_old_version_is_still_refused(maya):
    plan = safety.get_or_create_plan(client=maya, by=maya.user)
    safety.save_plan(by=maya.user, plan=plan, version=1, content=SAFETY)

    with pytest.raises(StaleSave):
        safety.save_plan(by=maya.user, plan=plan, version=1, content={"coping": ["A walk"]})

    assert SafetyPlanVersion.objects.filter(plan=plan).count() == 2


# --- the maintenance plan -----------------------------------------------------------------------

KEEPING = {"what_helps": "Walks ", "warning_signs": "Not sleeping"}


def test_a_maintenance_plan_saved_twice_by_the_same_person_is_saved_once(alex, maya):
    plan = maintenance.get_or_create_plan(client=maya, by=alex)

    first = maintenance.save_plan(by=maya.user, plan=plan, version=1, content=KEEPING)
    again = maintenance.save_plan(by=maya.user, plan=plan, version=1, content=KEEPING)

    assert (first.version, again.version, again.what_helps) == (2, 2, "Walks")
    assert MaintenancePlanVersion.objects.filter(plan=plan).count() == 2
    assert _updates("maintenance_plan") == 1


def test_the_same_maintenance_plan_from_another_person_is_still_refused(alex, maya):
    plan = maintenance.get_or_create_plan(client=maya, by=alex)
    maintenance.save_plan(by=maya.user, plan=plan, version=1, content=KEEPING)

    with pytest.raises(StaleSave):
        maintenance.save_plan(by=alex, plan=plan, version=1, content=KEEPING)


def test_a_different_maintenance_plan_from_the_same_person_is_still_refused(alex, maya):
    plan = maintenance.get_or_create_plan(client=maya, by=alex)
    maintenance.save_plan(by=maya.user, plan=plan, version=1, content=KEEPING)

    with pytest.raises(StaleSave):
        maintenance.save_plan(by=maya.user, plan=plan, version=1, content={"what_helps": "Music"})

    assert MaintenancePlanVersion.objects.filter(plan=plan).count() == 2


# --- the tapering plan --------------------------------------------------------------------------


def _phases(plan, label="Every three weeks"):
    weekly = tapering.phases_of(plan)[0]
    return [
        {"id": weekly.pk, "kind": "weekly", "label": "", "planned_start": START},
        {"kind": "custom", "label": label, "planned_start": START + dt.timedelta(40)},
    ]


def test_tapering_phases_saved_twice_by_the_same_person_are_saved_once(alex, maya):
    plan = tapering.create_plan(client=maya, by=alex, start=START)
    rows = _phases(plan)

    first = tapering.save_phases(by=alex, plan=plan, version=1, phases=rows)
    again = tapering.save_phases(by=alex, plan=plan, version=1, phases=rows)

    assert (first.version, again.version) == (2, 2)
    assert [p.pk for p in tapering.phases_of(again)] == [p.pk for p in tapering.phases_of(first)]
    assert TaperingPhase.objects.filter(plan=plan).count() == 2
    assert _updates("tapering_plan") == 1


def test_the_same_tapering_phases_from_another_person_are_still_refused(alex, maya):
    plan = tapering.create_plan(client=maya, by=alex, start=START)
    rows = _phases(plan)
    tapering.save_phases(by=alex, plan=plan, version=1, phases=rows)

    with pytest.raises(StaleSave):
        tapering.save_phases(by=maya.user, plan=plan, version=1, phases=rows)


def test_different_tapering_phases_from_the_same_person_are_still_refused(alex, maya):
    plan = tapering.create_plan(client=maya, by=alex, start=START)
    tapering.save_phases(by=alex, plan=plan, version=1, phases=_phases(plan))

    with pytest.raises(StaleSave):
        tapering.save_phases(by=alex, plan=plan, version=1, phases=_phases(plan, "Every 3 weeks"))

    assert tapering.phases_of(tapering.plan_of(maya))[1].label == "Every three weeks"


# --- the check-in schedule ----------------------------------------------------------------------


def _set_schedule(maya, by, *, version, times=("20:00",)):
    return checkins.set_schedule(
        maya,
        by=by,
        cadence="custom",
        weekdays=[0, 3],
        times=list(times),
        remind=True,
        active=True,
        version=version,
    )


@pytest.mark.parametrize("version", [0, 1], ids=["first setting", "an edit"])
def test_a_schedule_set_twice_by_the_same_person_from_the_same_version_is_set_once(
    alex, maya, version
):
    if version:
        checkins.set_schedule(
            maya, by=alex, cadence="daily", weekdays=[], times=["19:00"], remind=True,
            active=True, version=0,
        )  # fmt: skip
    before = (
        AuditEvent.objects.filter(object_type="checkin_schedule").exclude(action="read").count()
    )

    first = _set_schedule(maya, maya.user, version=version)
    again = _set_schedule(maya, maya.user, version=version)

    assert (first.version, again.version, again.times) == (version + 1, version + 1, ["20:00"])
    assert CheckinSchedule.objects.get(client=maya).version == version + 1
    written = AuditEvent.objects.filter(object_type="checkin_schedule").exclude(action="read")
    assert written.count() == before + 1


def test_the_same_schedule_from_another_person_is_still_refused(alex, maya):
    _set_schedule(maya, maya.user, version=0)

    with pytest.raises(StaleSave):
        _set_schedule(maya, alex, version=0)


def test_a_different_schedule_from_the_same_person_and_old_version_is_still_refused(maya):
    _set_schedule(maya, maya.user, version=0)

    with pytest.raises(StaleSave):
        _set_schedule(maya, maya.user, version=0, times=("08:00",))

    assert CheckinSchedule.objects.get(client=maya).times == ["20:00"]
