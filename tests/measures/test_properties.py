"""Properties of the scoring engine, for every shipped instrument (hypothesis)."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from securebase.measures import definitions
from securebase.measures.definitions import Definition, Subscale
from securebase.measures.scoring import ScoringError, keyed, score

KEYS = sorted(definitions.registry())


def complete(definition: Definition):
    """Every item answered with a value on its own scale."""
    return st.fixed_dictionaries(
        {
            str(item.number): st.integers(
                definition.scale_of(item.number).min, definition.scale_of(item.number).max
            )
            for item in definition.items
        }
    )


def theoretical_range(definition: Definition, sub: Subscale) -> tuple[float, float]:
    """The lowest and highest score the subscale can take, worked out from the definition alone.

    Reverse keying maps a scale onto itself, so each item spans its scale's min … max either way.
    """
    spans = [(definition.scale_of(n).min, definition.scale_of(n).max) for n in sub.items]
    if sub.method == "sum":
        return sum(lo for lo, _ in spans), sum(hi for _, hi in spans)
    if sub.method == "mean":
        return sum(lo for lo, _ in spans) / len(spans), sum(hi for _, hi in spans) / len(spans)
    low = sum(
        w * (lo if w > 0 else hi) for w, (lo, hi) in zip(sub.weights.values(), spans, strict=True)
    )
    high = sum(
        w * (hi if w > 0 else lo) for w, (lo, hi) in zip(sub.weights.values(), spans, strict=True)
    )
    return low, high


def test_the_theoretical_ranges_are_the_published_ones():
    ranges = {
        (d.key, s.key): theoretical_range(d, s)
        for d in definitions.registry().values()
        for s in d.subscales
    }
    assert ranges[("phq9", "total")] == (0, 27)
    assert ranges[("gad7", "total")] == (0, 21)
    assert ranges[("core10", "total")] == (0, 40)
    assert ranges[("csi4", "total")] == (0, 21)
    assert ranges[("wai-sr", "total")] == (12, 60)
    assert ranges[("wai-sr", "task")] == (4, 20)
    assert ranges[("ders16", "total")] == (16, 80)
    assert ranges[("rq", "model_of_self")] == (-12, 12)
    assert ranges[("rq", "model_of_other")] == (-12, 12)
    for key in ("ecr-r", "ecr", "ecr-s", "ecr-rs", "saam"):
        assert ranges[(key, "anxiety")] == (1, 7)
        assert ranges[(key, "avoidance")] == (1, 7)


@pytest.mark.parametrize("key", KEYS)
@given(data=st.data())
def test_every_valid_complete_response_set_scores_every_subscale_within_its_range(key, data):
    definition = definitions.get(key)
    raw = data.draw(complete(definition))
    result = score(definition, raw)
    assert result.missing == []
    for sub in definition.subscales:
        low, high = theoretical_range(definition, sub)
        value = result.scores[sub.key]
        assert value is not None
        assert low - 1e-9 <= value <= high + 1e-9, (sub.key, value, low, high)
        if sub.bands:
            assert sub.key in result.bands


@pytest.mark.parametrize("key", KEYS)
@given(data=st.data())
def test_reversing_twice_is_identity(key, data):
    definition = definitions.get(key)
    answers = {int(k): v for k, v in data.draw(complete(definition)).items()}
    once = keyed(definition, answers)
    assert keyed(definition, {n: int(v) for n, v in once.items()}) == answers
    for item in definition.items:
        scale = definition.scale_of(item.number)
        value = answers[item.number]
        assert scale.reverse(scale.reverse(value)) == value
        assert scale.min <= scale.reverse(value) <= scale.max


@pytest.mark.parametrize("key", KEYS)
@given(data=st.data())
def test_scores_do_not_depend_on_the_order_of_items_in_the_input(key, data):
    definition = definitions.get(key)
    raw = data.draw(complete(definition))
    order = data.draw(st.permutations(list(raw)))
    reordered = {number: raw[number] for number in order}
    assert score(definition, reordered) == score(definition, raw)


@pytest.mark.parametrize("key", KEYS)
@given(data=st.data())
def test_removing_more_items_than_max_missing_gives_no_score(key, data):
    definition = definitions.get(key)
    raw = data.draw(complete(definition))
    sub = data.draw(st.sampled_from(definition.subscales))
    count = min(len(sub.items), sub.missing.max_missing + 1)
    removed = data.draw(
        st.lists(st.sampled_from(sub.items), min_size=count, max_size=count, unique=True)
    )
    for number in removed:
        del raw[str(number)]
    result = score(definition, raw)
    assert result.scores[sub.key] is None
    assert sub.key not in result.bands
    assert set(removed) <= set(result.missing)


@pytest.mark.parametrize("key", KEYS)
@given(data=st.data())
def test_up_to_max_missing_items_may_be_left_out(key, data):
    definition = definitions.get(key)
    raw = data.draw(complete(definition))
    sub = data.draw(st.sampled_from(definition.subscales))
    count = data.draw(st.integers(0, sub.missing.max_missing))
    removed = data.draw(
        st.lists(st.sampled_from(sub.items), min_size=count, max_size=count, unique=True)
    )
    for number in removed:
        raw[str(number)] = None  # an explicit null is "unanswered" too
    result = score(definition, raw)
    assert result.scores[sub.key] is not None
    assert result.missing == sorted(removed)


def invalid_values(low: int, high: int):
    return st.one_of(
        st.integers(max_value=low - 1),
        st.integers(min_value=high + 1),
        st.floats(allow_nan=True, allow_infinity=True).filter(
            lambda f: not f.is_integer() or not low <= f <= high
        ),
        st.booleans(),
        st.text(max_size=5),
        st.lists(st.integers(), max_size=2),
        st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
    )


@pytest.mark.parametrize("key", KEYS)
@given(data=st.data())
def test_an_invalid_value_always_raises_a_scoring_error_naming_the_item(key, data):
    definition = definitions.get(key)
    raw = data.draw(complete(definition))
    number = data.draw(st.sampled_from([item.number for item in definition.items]))
    scale = definition.scale_of(number)
    raw[str(number)] = data.draw(invalid_values(scale.min, scale.max))
    with pytest.raises(
        ScoringError,
        match=rf"^item {number}: .*expected a whole number from {scale.min} to {scale.max}$",
    ):
        score(definition, raw)


@pytest.mark.parametrize("key", KEYS)
@given(data=st.data())
def test_an_unknown_item_always_raises_a_scoring_error_naming_it(key, data):
    definition = definitions.get(key)
    raw = data.draw(complete(definition))
    bad = data.draw(
        st.one_of(
            st.integers().filter(lambda n: not 1 <= n <= definition.item_count).map(str),
            st.sampled_from(["01", "1.0", "one", "", "target", "answers"]),
        )
    )
    raw[bad] = definition.scale.min
    with pytest.raises(ScoringError, match=re.escape(bad) if bad else "is not an item"):
        score(definition, raw)


def test_input_that_is_not_a_mapping_is_refused():
    with pytest.raises(ScoringError, match="answers must be an object"):
        score(definitions.get("phq9"), [0] * 9)
