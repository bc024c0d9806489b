"""Tapering suggestion and booster alert rules on hand-built histories.

Measures are hand-built scores with a stand-in judge (a PHQ-9-like published RCI of 6 points,
lower is better), so each test says which score is compared with which."""

import datetime as dt

from securebase.maintain.rules import (
    BoosterSignal,
    MeasureHistory,
    booster_signals,
    boosters_to_raise,
    step_down_start,
    tapering_suggestion,
)

TODAY = dt.date(2026, 11, 29)


def days_ago(n):
    return TODAY - dt.timedelta(days=n)


def weekly_practice(weeks=4):
    return [days_ago(7 * w + 2) for w in range(weeks)]


def rci_6(earlier, later):
    if later - earlier >= 6:
        return "reliably deteriorated"
    if earlier - later >= 6:
        return "reliably improved"
    return "no reliable change"


def measure(name, *scores):
    return MeasureHistory(name, list(scores), rci_6)


PHQ_IMPROVED = measure("PHQ-9", (days_ago(120), 18), (days_ago(60), 11), (days_ago(10), 4))


def reasons(suggestion):
    return {r.code: r.met for r in suggestion.reasons}


def test_stable_measures_goals_met_and_practice_continuing_suggest_stepping_down():
    s = tapering_suggestion(
        today=TODAY, measures=[PHQ_IMPROVED], goal_levels=[0, 1], practice_days=weekly_practice()
    )
    assert s.step_down
    assert reasons(s) == {"safety": True, "measures": True, "goals": True, "practice": True}


def test_a_recent_reliable_deterioration_holds_the_step_down_and_names_the_measure():
    gad = measure("GAD-7", (days_ago(90), 5), (days_ago(20), 14))
    s = tapering_suggestion(
        today=TODAY, measures=[PHQ_IMPROVED, gad], goal_levels=[0], practice_days=weekly_practice()
    )
    assert not s.step_down
    (measures,) = [r for r in s.reasons if r.code == "measures"]
    assert measures.detail["deteriorated"] == ["GAD-7"]


def test_a_deterioration_older_than_the_stable_window_no_longer_holds_it():
    gad = measure("GAD-7", (days_ago(100), 5), (days_ago(60), 14), (days_ago(7), 13))
    s = tapering_suggestion(
        today=TODAY, measures=[gad], goal_levels=[0], practice_days=weekly_practice()
    )
    assert s.step_down


def measures_reason(*histories):
    s = tapering_suggestion(
        today=TODAY, measures=list(histories), goal_levels=[0], practice_days=weekly_practice()
    )
    (reason,) = [r for r in s.reasons if r.code == "measures"]
    return reason.met, reason.detail["deteriorated"]


def test_a_relapse_to_the_intake_score_in_the_window_is_a_deterioration():
    """Against the score just before the window (1), not intake (18)."""
    phq = measure("PHQ-9", (days_ago(120), 18), (days_ago(60), 1), (days_ago(10), 18))
    assert measures_reason(phq) == (False, ["PHQ-9"])


def test_a_score_worse_than_intake_but_steady_since_before_the_window_is_stable():
    phq = measure("PHQ-9", (days_ago(120), 1), (days_ago(60), 18), (days_ago(10), 17))
    assert measures_reason(phq) == (True, [])


def test_a_fall_inside_the_window_counts_against_the_better_score_before_it():
    """Each score is judged against the one before the window and every earlier one in it."""
    phq = measure("PHQ-9", (days_ago(60), 10), (days_ago(30), 2), (days_ago(10), 9))
    assert measures_reason(phq) == (False, ["PHQ-9"])


def test_a_best_score_before_the_window_is_not_the_baseline():
    """The best score ever (1, long ago) does not hold a client steady at 8 since."""
    phq = measure("PHQ-9", (days_ago(200), 1), (days_ago(60), 8), (days_ago(10), 8))
    assert measures_reason(phq) == (True, [])


def test_with_no_score_before_the_window_its_first_score_is_the_baseline():
    steady = measure("GAD-7", (days_ago(30), 4), (days_ago(10), 6))
    worse = measure("PHQ-9", (days_ago(30), 4), (days_ago(10), 12))
    assert measures_reason(steady) == (True, [])
    assert measures_reason(worse) == (False, ["PHQ-9"])


def test_no_measure_in_the_window_is_not_evidence_of_stability():
    old = measure("PHQ-9", (days_ago(100), 9))
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
    assert reasons(s) == {"safety": True, "measures": True, "goals": True, "practice": False}


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
        )
        == []
    )


def test_a_reliable_deterioration_after_stepping_down_calls_for_a_booster():
    phq = measure("PHQ-9", (dt.date(2026, 6, 1), 9), (dt.date(2026, 10, 5), 18))
    (signal,) = booster_signals(stepped_down_on=STEPPED_DOWN, measures=[phq], felt_security=[])
    assert (signal.code, signal.on, signal.detail) == (
        "measure",
        dt.date(2026, 10, 5),
        {"measure": "PHQ-9"},
    )


def test_a_deterioration_before_stepping_down_is_not_a_booster_signal():
    phq = measure("PHQ-9", (dt.date(2026, 6, 1), 9), (dt.date(2026, 8, 1), 18))
    assert booster_signals(stepped_down_on=STEPPED_DOWN, measures=[phq], felt_security=[]) == []


def test_an_open_risk_alert_holds_back_every_booster_alert():
    deteriorated = BoosterSignal("measure", dt.date(2026, 10, 5), {"measure": "PHQ-9"})
    assert boosters_to_raise([deteriorated], [], risk_alerts=[None]) == []
    assert boosters_to_raise([deteriorated], [], risk_alerts=[dt.date(2026, 9, 20), None]) == []


def test_acknowledging_a_risk_alert_closes_the_episode_and_a_later_signal_opens_a_new_one():
    before = BoosterSignal("measure", dt.date(2026, 10, 5), {"measure": "PHQ-9"})
    same_day = BoosterSignal("checkins", dt.date(2026, 10, 6), {"before": 7, "now": 4})
    later = BoosterSignal("measure", dt.date(2026, 10, 20), {"measure": "GAD-7"})
    acknowledged = [dt.date(2026, 10, 6)]
    assert boosters_to_raise([before, same_day], [], risk_alerts=acknowledged) == []
    assert boosters_to_raise([before, same_day, later], [], risk_alerts=acknowledged) == [later]


def test_two_weeks_in_a_row_of_lower_felt_security_call_for_a_booster():
    signals = booster_signals(
        stepped_down_on=STEPPED_DOWN,
        measures=[],
        felt_security=felt_security(7, [7, 5, 4.5, 7]),
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
        )
        == []
    )


def test_a_gap_week_between_two_low_weeks_breaks_the_run():
    points = felt_security(7, [4]) + [(STEPPED_DOWN + dt.timedelta(days=15), 4)]
    assert booster_signals(stepped_down_on=STEPPED_DOWN, measures=[], felt_security=points) == []


def test_a_relapse_after_stepping_down_is_judged_against_the_last_score_before_it():
    """18 at intake, 1 at stepping down, 18 again: a deterioration though no change from intake."""
    phq = measure(
        "PHQ-9", (dt.date(2026, 5, 1), 18), (dt.date(2026, 8, 20), 1), (dt.date(2026, 10, 5), 18)
    )
    (signal,) = booster_signals(stepped_down_on=STEPPED_DOWN, measures=[phq], felt_security=[])
    assert (signal.code, signal.on) == ("measure", dt.date(2026, 10, 5))


def test_a_score_worse_than_intake_but_not_than_at_stepping_down_is_no_signal():
    phq = measure(
        "PHQ-9", (dt.date(2026, 5, 1), 1), (dt.date(2026, 8, 20), 18), (dt.date(2026, 10, 5), 17)
    )
    assert booster_signals(stepped_down_on=STEPPED_DOWN, measures=[phq], felt_security=[]) == []


def test_deteriorated_scores_in_a_row_are_one_episode_and_a_relapse_after_recovery_another():
    phq = measure(
        "PHQ-9",
        (dt.date(2026, 8, 20), 4),
        (dt.date(2026, 9, 10), 12),
        (dt.date(2026, 9, 24), 15),
        (dt.date(2026, 10, 8), 6),
        (dt.date(2026, 10, 22), 13),
    )
    signals = booster_signals(stepped_down_on=STEPPED_DOWN, measures=[phq], felt_security=[])
    assert [s.on for s in signals] == [dt.date(2026, 9, 10), dt.date(2026, 10, 22)]


def test_with_no_score_before_stepping_down_the_first_one_after_is_the_baseline():
    phq = measure("PHQ-9", (dt.date(2026, 9, 10), 4), (dt.date(2026, 10, 8), 12))
    (signal,) = booster_signals(stepped_down_on=STEPPED_DOWN, measures=[phq], felt_security=[])
    assert signal.on == dt.date(2026, 10, 8)


def test_two_separate_runs_of_low_felt_security_are_two_episodes():
    signals = booster_signals(
        stepped_down_on=STEPPED_DOWN,
        measures=[],
        felt_security=felt_security(7, [4, 4, 4, 7, 4, 4]),
    )
    assert [s.on for s in signals] == [
        STEPPED_DOWN + dt.timedelta(days=13),
        STEPPED_DOWN + dt.timedelta(days=41),
    ]


# --- which signals become alerts -----------------------------------------------------------------

PHQ = ("measure", "PHQ-9")


def phq_signal(day):
    return BoosterSignal("measure", dt.date(2026, 10, day), {"measure": "PHQ-9"})


def checkins_signal(day):
    return BoosterSignal("checkins", dt.date(2026, 10, day), {"before": 7, "now": 4})


def test_one_alert_per_kind_and_measure_the_latest_episode_standing_for_the_rest():
    gad = BoosterSignal("measure", dt.date(2026, 10, 3), {"measure": "GAD-7"})
    signals = [phq_signal(3), gad, phq_signal(20), checkins_signal(4), checkins_signal(5)]
    assert boosters_to_raise(signals, []) == [gad, checkins_signal(5), phq_signal(20)]


def test_nothing_more_is_raised_while_one_is_open():
    assert boosters_to_raise([phq_signal(3), phq_signal(20)], [(PHQ, None)]) == []


def test_after_acknowledgement_only_an_episode_that_began_later_raises_again():
    acknowledged_on = dt.date(2026, 10, 10)
    assert boosters_to_raise([phq_signal(3), phq_signal(10)], [(PHQ, acknowledged_on)]) == []
    assert boosters_to_raise([phq_signal(3), phq_signal(11)], [(PHQ, acknowledged_on)]) == [
        phq_signal(11)
    ]


def test_an_open_alert_for_one_measure_does_not_hold_another_kind():
    assert boosters_to_raise([phq_signal(3), checkins_signal(4)], [(PHQ, None)]) == [
        checkins_signal(4)
    ]


# --- when the current step-down began ------------------------------------------------------------


def at(day):
    return dt.datetime(2026, 9, day, 10, tzinfo=dt.UTC)


def test_the_step_down_is_the_first_less_frequent_phase_after_the_latest_weekly_one():
    assert step_down_start([("weekly", at(1)), ("fortnightly", at(8)), ("monthly", at(20))]) == (
        at(8)
    )
    assert step_down_start([("fortnightly", at(8)), ("weekly", at(15))]) is None
    assert step_down_start(
        [("weekly", at(1)), ("fortnightly", at(8)), ("weekly", at(15)), ("monthly", at(22))]
    ) == at(22)
    assert step_down_start([("weekly", at(1))]) is None
    assert step_down_start([]) is None
