import json
import uuid

import pytest

from securebase.audit.models import AuditEvent
from securebase.core.versioning import StaleSave
from securebase.plan.goals import domain as goals
from securebase.plan.models import Goal, GoalRating, GoalStep, GoalVersion
from tests.factories import GOAL, GOAL_LEVELS, STEP_DUE, STEPS, TARGET_DATE, create_goal


def test_creating_a_goal_writes_version_one_with_its_steps_and_levels(alex, maya):
    goal, created = goals.create_goal(maya, by=alex, data=GOAL, steps=STEPS)

    assert created is True
    assert (goal.version, goal.created_by, goal.title) == (1, alex, GOAL["title"])
    assert [s.text for s in GoalStep.objects.filter(goal=goal)] == [s["text"] for s in STEPS]
    saved, snapshot = goals.get_version(goal, 1)
    assert saved.saved_by == alex
    assert snapshot["level_0"] == GOAL_LEVELS["level_0"]
    assert snapshot["target_date"] == TARGET_DATE.isoformat()
    assert snapshot["steps"][1] == {
        "text": "Practise the words in session",
        "who": "together",
        "due_on": STEP_DUE.isoformat(),
        "done": False,
    }
    event = AuditEvent.objects.filter(object_type="goal").latest("seq")
    assert (event.action, event.detail["version"]) == ("create", 1)
    assert "withdraw" not in json.dumps(event.detail)


def test_creating_a_goal_twice_with_the_same_submission_id_creates_one(alex, maya):
    key = uuid.uuid4()
    first, created = goals.create_goal(maya, by=alex, data=GOAL, steps=STEPS, submission_id=key)
    again, again_created = goals.create_goal(
        maya, by=alex, data=GOAL, steps=STEPS, submission_id=key
    )

    assert (created, again_created) == (True, False)
    assert again.pk == first.pk
    assert Goal.objects.count() == 1
    assert GoalVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "  "}, "title"),
        ({"dimension": "spiritual"}, "dimension"),
        ({"weight": 0}, "weight"),
        ({"weight": 10}, "weight"),
        ({"baseline_level": 3}, "baseline_level"),
        ({"level_plus_2": ""}, "level_plus_2"),
    ],
)
def test_bad_goal_input_is_refused_naming_the_field(alex, maya, change, field):
    with pytest.raises(goals.GoalError) as refused:
        goals.create_goal(maya, by=alex, data={**GOAL, **change})
    assert refused.value.field == field
    assert Goal.objects.count() == 0


def test_more_than_five_steps_are_refused(alex, maya):
    steps = [{"text": f"Step {n}"} for n in range(6)]
    with pytest.raises(goals.GoalError) as refused:
        goals.create_goal(maya, by=alex, data=GOAL, steps=steps)
    assert refused.value.field == "steps"


def test_an_edit_saves_a_new_version_and_replaces_the_steps(alex, maya):
    goal = create_goal(maya, alex)

    edited = goals.edit_goal(
        goal,
        by=maya.user,
        version=1,
        data={**GOAL, "title": "Ask, don't vanish"},
        steps=[{"text": "Text him first", "who": "client", "done": True}],
    )

    assert (edited.version, edited.title, edited.updated_by) == (2, "Ask, don't vanish", maya.user)
    assert [(s.text, s.done_at is not None) for s in edited.steps.all()] == [
        ("Text him first", True)
    ]
    assert [v.version for v in goals.versions_of(goal)] == [2, 1]
    assert goals.get_version(goal, 1)[1]["title"] == GOAL["title"]
    assert goals.get_version(goal, 2)[1]["steps"][0]["done"] is True


def test_a_step_keeps_when_it_was_done_across_edits(alex, maya):
    goal = create_goal(maya, alex)
    first = goals.edit_goal(
        goal, by=alex, version=1, data=GOAL, steps=[{"text": "Tell Sam", "done": True}]
    )
    done_at = first.steps.get().done_at
    second = goals.edit_goal(
        first, by=alex, version=2, data=GOAL, steps=[{"text": "Tell Sam", "done": True}]
    )
    assert second.steps.get().done_at == done_at


def test_a_stale_edit_is_refused_and_overwrites_nothing(alex, maya):
    goal = create_goal(maya, alex)
    goals.edit_goal(goal, by=maya.user, version=1, data={**GOAL, "title": "Maya's words"}, steps=[])

    with pytest.raises(StaleSave) as refused:
        goals.edit_goal(
            goal, by=alex, version=1, data={**GOAL, "title": "Alex's words"}, steps=STEPS
        )

    assert (refused.value.current.title, refused.value.current.version) == ("Maya's words", 2)
    goal.refresh_from_db()
    assert (goal.title, goal.version) == ("Maya's words", 2)
    assert GoalStep.objects.filter(goal=goal).count() == 0
    assert GoalVersion.objects.filter(goal=goal).count() == 2


def test_a_rating_is_saved_once_per_submission_id(alex, maya):
    goal = create_goal(maya, alex)
    key = uuid.uuid4()
    first, created = goals.rate_goal(goal, by=alex, level=1, note="Asked twice", submission_id=key)
    again, again_created = goals.rate_goal(
        goal, by=alex, level=1, note="Asked twice", submission_id=key
    )
    assert (created, again_created, again.pk) == (True, False, first.pk)
    assert (first.level, first.note, first.client) == (1, "Asked twice", maya)
    assert GoalRating.objects.count() == 1


@pytest.mark.parametrize("level", [-3, 3, "1", 1.0, True, None])
def test_ratings_outside_minus_two_to_plus_two_are_refused(alex, maya, level):
    goal = create_goal(maya, alex)
    with pytest.raises(goals.GoalError) as refused:
        goals.rate_goal(goal, by=alex, level=level)
    assert refused.value.field == "level"
    assert "−2 to +2" in str(refused.value)
    assert GoalRating.objects.count() == 0


def test_an_archived_goal_cannot_be_rated_until_active_again(alex, maya):
    goal = create_goal(maya, alex)
    goals.set_active(goal, by=alex, active=False)
    assert Goal.objects.get(pk=goal.pk).active is False
    with pytest.raises(goals.GoalError):
        goals.rate_goal(goal, by=alex, level=0)
    goals.set_active(goal, by=maya.user, active=True)
    assert goals.rate_goal(goal, by=alex, level=0)[1] is True


def test_latest_levels_answers_for_many_goals_in_one_query(alex, maya, django_assert_num_queries):
    rated, unrated = create_goal(maya, alex), create_goal(maya, alex)
    goals.rate_goal(rated, by=alex, level=-1)
    goals.rate_goal(rated, by=alex, level=2)

    with django_assert_num_queries(1):
        levels = goals.latest_levels([rated, unrated])

    assert levels == {rated.pk: 2, unrated.pk: None}


def test_gas_summary_matches_the_worked_example(alex, maya):
    """INSTRUMENTS.md section 4: levels 1, 1, 0 with weights 2, 1, 1 give T = 60.00."""
    made = [create_goal(maya, alex, weight=w) for w in (2, 1, 1)]
    for goal, level in zip(made, (1, 1, 0), strict=True):
        goals.rate_goal(goal, by=alex, level=level)

    assert goals.gas_summary(made) == {"t_score": 60.0, "goals_counted": 3}


def test_gas_summary_leaves_out_archived_and_unrated_goals(alex, maya):
    counted, archived, unrated = (create_goal(maya, alex) for _ in range(3))
    goals.rate_goal(counted, by=alex, level=-1)
    goals.rate_goal(archived, by=alex, level=2)
    goals.set_active(archived, by=alex, active=False)

    # One goal at −1 alone: T = 40.00 (INSTRUMENTS.md section 4).
    assert goals.gas_summary([counted, archived, unrated]) == {
        "t_score": 40.0,
        "goals_counted": 1,
    }
    assert goals.gas_summary([unrated]) == {"t_score": None, "goals_counted": 0}
