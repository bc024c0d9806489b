"""The ladder's progression rule and SUDS summaries, on hand-checked examples."""

import pytest

from securebase.practise.ladder import rules as ladder


@pytest.mark.parametrize(
    ("peaks", "climb_peak", "climb_attempts", "climbed"),
    [
        ([], 40, 2, False),  # never tried
        ([30], 40, 2, False),  # one good attempt, two needed
        ([30, 35], 40, 2, True),  # two in a row at or under 40
        ([30, 40], 40, 2, True),  # "at or below": 40 counts
        ([30, 41], 40, 2, False),  # the latest went over
        ([30, 35, 60], 40, 2, False),  # climbed once, but the most recent attempt rose again
        ([80, 70, 60, 35, 20], 40, 2, True),  # the earlier high peaks do not matter
        ([35, 60, 30], 40, 2, False),  # not consecutive
        ([90, 20, 25, 30], 30, 3, True),  # three in a row at or under 30
        ([20, 25, 31], 30, 3, False),
        ([50], 50, 1, True),  # one attempt is enough when the clinician says so
        ([10, 10], 40, 0, True),  # a nonsense count of 0 acts as 1
    ],
)
def test_a_step_counts_as_climbed_after_enough_low_peaks_in_a_row(
    peaks, climb_peak, climb_attempts, climbed
):
    assert ladder.is_climbed(peaks, climb_peak=climb_peak, climb_attempts=climb_attempts) is climbed


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ([[], [], []], 0),  # nothing tried: the first step
        ([[30, 20], [], []], 1),  # first climbed: the second is suggested
        ([[30, 20], [70], [10, 10]], 1),  # a later step climbed early does not skip step 2
        ([[30, 20], [30, 30], [10, 5]], None),  # all climbed: nothing to suggest
        ([[30, 90], [10, 10]], 0),  # step 1 slipped back: suggest it again
        ([], None),  # an empty ladder
    ],
)
def test_the_next_step_is_the_first_unclimbed_one(steps, expected):
    assert ladder.next_step(steps, climb_peak=40, climb_attempts=2) == expected


@pytest.mark.parametrize(
    ("peaks", "expected"),
    [
        ([], 0),
        ([50], 0),
        ([20], 1),
        ([20, 50, 30, 10], 2),
        ([10, 20, 30], 3),
    ],
)
def test_the_streak_counts_the_most_recent_low_peaks(peaks, expected):
    assert ladder.streak(peaks, climb_peak=40) == expected


def test_a_summary_of_a_step_with_attempts():
    # predicted 70; peaks 80, 55, 35, 30 → mean (80+55+35+30)/4 = 50.0; latest 30 - 70 = -40
    summary = ladder.summarise(70, [80, 55, 35, 30], climb_peak=40, climb_attempts=2)
    assert summary == ladder.StepSummary(
        attempts=4,
        predicted=70,
        first_peak=80,
        latest_peak=30,
        lowest_peak=30,
        mean_peak=50.0,
        difference=-40,
        streak=2,
        climbed=True,
    )


def test_a_summary_rounds_the_mean_to_one_decimal_and_shows_a_harder_than_expected_step():
    # peaks 33, 34, 34 → 101/3 = 33.67 → 33.7; latest 34 - predicted 30 = +4
    summary = ladder.summarise(30, [33, 34, 34], climb_peak=40, climb_attempts=2)
    assert (summary.mean_peak, summary.lowest_peak, summary.difference) == (33.7, 33, 4)
    assert summary.climbed is True


def test_a_summary_of_a_step_never_tried():
    summary = ladder.summarise(55, [], climb_peak=40, climb_attempts=2)
    assert (summary.attempts, summary.predicted, summary.latest_peak, summary.mean_peak) == (
        0,
        55,
        None,
        None,
    )
    assert summary.climbed is False


def test_the_rule_is_stated_in_words():
    assert ladder.rule_sentence(40, 2) == (
        "A step counts as climbed when your 2 most recent attempts in a row each peaked at 40 "
        "or less (out of 100). The next step is then suggested; you decide when to take it."
    )
    assert "most recent attempt peaked at 25 or less" in ladder.rule_sentence(25, 1)
