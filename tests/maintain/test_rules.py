"""Tapering suggestion and booster alert rules on hand-built histories."""

import datetime as dt

from securebase.maintain.rules import MeasureHistory, booster_signals, tapering_suggestion

TODAY = dt.date(2026, 11, 29)


def days_ago(n):
    return TODAY - dt.timedelta(days=n)


def weekly_practice(weeks=4):
    return [days_ago(7 * w + 2) for w in range(weeks)]


PHQ_IMPROVED = MeasureHistory(
    "PHQ-9",
    [
        (days_ago(120), "no reliable change"),
        (days_ago(60), "reliably improved"),
        (days_ago(10), "recovered"),
    ],
)


def reasons(suggestion):
    return {r.code: r.met for r in suggestion.reasons}


def test_stable_measures_goals_met_and_practice_continuing_suggest_stepping_down():
    s = tapering_suggestion(
        today=TODAY, measures=[PHQ_IMPROVED], goal_levels=[0, 1], practice_days=weekly_practice()
    )
    assert s.step_down
    assert reasons(s) == {"measures": True, "goals": True, "practice": True}


def test_a_recent_reliable_deterioration_holds_the_step_down_and_names_the_measure():
    gad = MeasureHistory(
        "GAD-7", [(days_ago(90), "no reliable change"), (days_ago(20), "reliably deteriorated")]
    )
    s = tapering_suggestion(
        today=TODAY, measures=[PHQ_IMPROVED, gad], goal_levels=[0], practice_days=weekly_practice()
    )
    assert not s.step_down
    (measures,) = [r for r in s.reasons if r.code == "measures"]
    assert measures.detail["deteriorated"] == ["GAD-7"]


def test_a_deterioration_older_than_the_stable_window_no_longer_holds_it():
    gad = MeasureHistory(
        "GAD-7", [(days_ago(60), "reliably deteriorated"), (days_ago(7), "no reliable change")]
    )
    s = tapering_suggestion(
        today=TODAY, measures=[gad], goal_levels=[0], practice_days=weekly_practice()
    )
    assert s.step_down


def test_no_measure_in_the_window_is_not_evidence_of_stability():
    old = MeasureHistory("PHQ-9", [(days_ago(100), "reliably improved")])
    s = tapering_suggestion(
        today=TODAY, measures=[old], goal_levels=[0], practice_days=weekly_practice()
    )
    assert reasons(s)["measures"] is False


def test_a_goal_below_expected_or_unrated_holds_the_step_down():
    below = tapering_suggestion(
        today=TODAY, measures=[PHQ_IMPROVED], goal_levels=[1, -1], practice_days=weekly_practice()
    )
    unrated = tapering_suggestion(
        today=TODAY, measures=[PHQ_IMPROVED], goal_levels=[1, None], practice_days=weekly_practice()
    )
    none = tapering_suggestion(
        today=TODAY, measures=[PHQ_IMPROVED], goal_levels=[], practice_days=weekly_practice()
    )
    assert reasons(below)["goals"] is False
    assert reasons(unrated)["goals"] is False
    assert reasons(none)["goals"] is False


def test_a_week_without_practice_holds_the_step_down():
    s = tapering_suggestion(
        today=TODAY, measures=[PHQ_IMPROVED], goal_levels=[0], practice_days=weekly_practice(3)
    )
    assert not s.step_down
    assert reasons(s) == {"measures": True, "goals": True, "practice": False}


STEPPED_DOWN = dt.date(2026, 9, 1)


def felt_security(before, after_weeks):
    """Daily check-ins: four weeks at ``before``, then one value per week after stepping down."""
    points = [(STEPPED_DOWN - dt.timedelta(days=d), before) for d in range(1, 29)]
    for week, value in enumerate(after_weeks):
        points += [(STEPPED_DOWN + dt.timedelta(days=7 * week + d), value) for d in range(7)]
    return points


def test_no_booster_when_things_hold_after_stepping_down():
    assert (
        booster_signals(
            stepped_down_on=STEPPED_DOWN,
            measures=[PHQ_IMPROVED],
            felt_security=felt_security(7, [7, 6.5, 7, 6]),
            risk_flags=[],
        )
        == []
    )


def test_a_reliable_deterioration_after_stepping_down_calls_for_a_booster():
    phq = MeasureHistory(
        "PHQ-9",
        [
            (dt.date(2026, 6, 1), "no reliable change"),
            (dt.date(2026, 10, 5), "reliably deteriorated"),
        ],
    )
    (signal,) = booster_signals(
        stepped_down_on=STEPPED_DOWN, measures=[phq], felt_security=[], risk_flags=[]
    )
    assert (signal.code, signal.on, signal.detail) == (
        "measure",
        dt.date(2026, 10, 5),
        {"measure": "PHQ-9"},
    )


def test_a_deterioration_before_stepping_down_is_not_a_booster_signal():
    phq = MeasureHistory("PHQ-9", [(dt.date(2026, 8, 1), "reliably deteriorated")])
    assert (
        booster_signals(
            stepped_down_on=STEPPED_DOWN, measures=[phq], felt_security=[], risk_flags=[]
        )
        == []
    )


def test_a_risk_flag_after_stepping_down_calls_for_a_booster():
    (signal,) = booster_signals(
        stepped_down_on=STEPPED_DOWN,
        measures=[],
        felt_security=[],
        risk_flags=[dt.date(2026, 9, 20)],
    )
    assert signal.code == "risk"


def test_two_weeks_in_a_row_of_lower_felt_security_call_for_a_booster():
    signals = booster_signals(
        stepped_down_on=STEPPED_DOWN,
        measures=[],
        felt_security=felt_security(7, [7, 5, 4.5, 7]),
        risk_flags=[],
    )
    assert [(s.code, s.on, s.detail) for s in signals] == [
        ("checkins", STEPPED_DOWN + dt.timedelta(days=20), {"before": 7, "now": 4.5})
    ]


def test_one_low_week_or_two_separated_low_weeks_do_not():
    assert (
        booster_signals(
            stepped_down_on=STEPPED_DOWN,
            measures=[],
            felt_security=felt_security(7, [4, 7, 4, 7]),
            risk_flags=[],
        )
        == []
    )


def test_a_gap_week_between_two_low_weeks_breaks_the_run():
    points = felt_security(7, [4]) + [(STEPPED_DOWN + dt.timedelta(days=15), 4)]
    assert (
        booster_signals(
            stepped_down_on=STEPPED_DOWN, measures=[], felt_security=points, risk_flags=[]
        )
        == []
    )
