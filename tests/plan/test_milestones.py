"""Milestones: pure rules over hand-built histories."""

import datetime as dt

from securebase.plan.progress import rules as m

D = dt.date


def _phq9(day, verdict, *, flagged=False):
    return m.MeasurePoint(
        instrument="phq9",
        instrument_name="PHQ-9",
        subscale="total",
        target="",
        date=day,
        verdict=verdict,
        items=tuple(range(1, 10)),
        risk_items=(9,),
        risk_flagged=flagged,
    )


def test_nothing_reached_gives_no_milestones():
    assert m.milestones() == []


def test_the_first_ladder_step_is_climbed_on_the_attempt_that_meets_the_rule():
    rule = {"climb_peak": 40, "climb_attempts": 2}
    early = m.Step([m.Attempt(D(2025, 1, 3), 70), m.Attempt(D(2025, 1, 5), 35)], **rule)
    climbed = m.Step(
        [m.Attempt(D(2025, 1, 4), 30), m.Attempt(D(2025, 1, 9), 20), m.Attempt(D(2025, 2, 1), 10)],
        **rule,
    )
    assert m.milestones(steps=[early, climbed]) == [
        m.Milestone("ladder-first-step", D(2025, 1, 9), "You climbed your first ladder step.")
    ]


def test_a_reliable_improvement_is_celebrated_once_on_the_first_day_it_shows():
    points = [
        _phq9(D(2025, 1, 1), None),
        _phq9(D(2025, 2, 1), "no reliable change"),
        _phq9(D(2025, 3, 1), "reliably improved"),
        _phq9(D(2025, 4, 1), "recovered"),
    ]
    assert m.milestones(measures=points) == [
        m.Milestone(
            "measure-improved:phq9:total:",
            D(2025, 3, 1),
            "A reliable improvement on PHQ-9 since you started.",
        )
    ]


def test_a_deterioration_is_never_a_milestone():
    assert m.milestones(measures=[_phq9(D(2025, 3, 1), "reliably deteriorated")]) == []


def test_a_change_on_a_risk_item_never_becomes_a_milestone():
    """PHQ-9 item 9 is the instrument's risk item (phq9.yaml ``risk_items``): never celebrated."""
    item_9 = m.MeasurePoint(
        instrument="phq9",
        instrument_name="PHQ-9",
        subscale="item9",
        target="",
        date=D(2025, 3, 1),
        verdict="reliably improved",
        items=(9,),
        risk_items=(9,),
    )
    assert item_9.risk_related is True
    assert m.milestones(measures=[item_9]) == []


def test_an_improvement_on_a_form_that_raised_a_risk_answer_is_not_celebrated():
    flagged = _phq9(D(2025, 3, 1), "reliably improved", flagged=True)
    later = _phq9(D(2025, 4, 1), "reliably improved")
    assert [x.date for x in m.milestones(measures=[flagged, later])] == [D(2025, 4, 1)]


def test_a_month_of_check_ins_needs_four_weeks_and_a_month_not_every_day():
    # Twice a week for five weeks: Mondays and Thursdays from 6 January 2025.
    days = [D(2025, 1, 6) + dt.timedelta(days=7 * w + d) for w in range(5) for d in (0, 3)]
    assert m.milestones(checkin_dates=days) == [
        m.Milestone("checkins-month", D(2025, 2, 3), "A month of check-ins. Thank you for them.")
    ]


def test_many_check_ins_in_one_fortnight_are_not_yet_a_month():
    days = [D(2025, 1, 6) + dt.timedelta(days=n) for n in range(14)]
    assert m.milestones(checkin_dates=days) == []


def test_the_first_experiment_carried_out():
    assert m.milestones(experiments_done=[D(2025, 5, 2), D(2025, 4, 1)]) == [
        m.Milestone("experiment-first", D(2025, 4, 1), "You carried out your first experiment.")
    ]


def test_a_goal_reaching_its_expected_level_is_a_milestone_once():
    goal = m.GoalHistory(
        "g1",
        "Ask for a time to talk",
        [(D(2025, 1, 1), -1), (D(2025, 2, 1), 0), (D(2025, 3, 1), 1)],
    )
    never = m.GoalHistory("g2", "Sleep earlier", [(D(2025, 1, 1), -2), (D(2025, 2, 1), -1)])
    assert m.milestones(goals=[goal, never]) == [
        m.Milestone(
            "goal-expected:g1",
            D(2025, 2, 1),
            "You reached the expected outcome of a goal: Ask for a time to talk",
        )
    ]


def test_milestones_come_newest_first_and_never_count_or_push():
    found = m.milestones(
        experiments_done=[D(2025, 1, 1)],
        measures=[_phq9(D(2025, 3, 1), "reliably improved")],
        steps=[m.Step([m.Attempt(D(2025, 2, 1), 10)], climb_peak=40, climb_attempts=1)],
    )
    assert [x.key for x in found] == [
        "measure-improved:phq9:total:",
        "ladder-first-step",
        "experiment-first",
    ]
    for milestone in found:
        text = milestone.text.lower().replace("phq-9", "")
        assert not any(ch.isdigit() for ch in text)
        assert "streak" not in text and "don't" not in text and "keep" not in text


def test_milestone_texts_go_through_the_given_translation():
    found = m.milestones(experiments_done=[D(2025, 1, 1)], gettext=str.upper)
    assert found[0].text == "YOU CARRIED OUT YOUR FIRST EXPERIMENT."
