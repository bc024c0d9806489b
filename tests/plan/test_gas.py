"""GAS T-score against the hand-computed table in ../shared/clinical/INSTRUMENTS.md section 4."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from securebase.plan.goals.rules import t_score


@pytest.mark.parametrize(
    ("levels", "weights", "expected"),
    [
        ((0, 0, 0), (1, 1, 1), 50.00),
        ((-1,), (1,), 40.00),
        ((-1, -1, -1), (1, 1, 1), 36.31),
        ((-2, -2, -2), (1, 1, 1), 22.61),
        ((2, 2, 2), (1, 1, 1), 77.39),
        ((1, 1, 0), (2, 1, 1), 60.00),
        ((1, 0, -1, 2), (1, 2, 3, 1), 50.00),
        ((-1, -1, 0, 1, 2), (1, 1, 1, 1, 1), 53.02),
        ((2, 1, 0, -1), (1, 1, 1, 1), 57.25),
    ],
)
def test_gas_t_score_matches_the_worked_examples(levels, weights, expected):
    assert round(t_score(zip(levels, weights, strict=True)), 2) == expected


def test_gas_t_score_with_no_inter_goal_correlation_is_lower_for_the_same_ratings():
    assert round(t_score([(-2, 1)] * 3, rho=0), 2) == 15.36


def test_gas_t_score_of_no_goals_is_none():
    assert t_score([]) is None


@pytest.mark.parametrize("level", [-3, 3, 0.5])
def test_gas_t_score_refuses_a_level_off_the_scale(level):
    with pytest.raises(ValueError, match="GAS level"):
        t_score([(level, 1)])


def test_gas_t_score_refuses_a_weight_of_zero():
    with pytest.raises(ValueError, match="weight"):
        t_score([(0, 0)])


@given(st.lists(st.tuples(st.sampled_from([-2, -1, 0, 1, 2]), st.integers(1, 5)), min_size=1))
def test_gas_t_score_is_fifty_plus_or_minus_by_the_sign_of_the_weighted_sum(pairs):
    weighted = sum(level * weight for level, weight in pairs)
    score = t_score(pairs)
    assert (score > 50) == (weighted > 0)
    assert (score < 50) == (weighted < 0)
    assert 0 < score < 100
