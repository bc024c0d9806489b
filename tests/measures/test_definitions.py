"""The shipped definition files load and validate; broken definitions are refused clearly."""

import copy
import re

import pytest
import yaml
from pydantic import ValidationError

from securebase.measures import definitions
from securebase.measures.definitions import INSTRUMENTS_DIR, Definition, load_file

SHIPPED = sorted(path.stem for path in INSTRUMENTS_DIR.glob("*.yaml"))

EXPECTED_KEYS = {
    "phq9", "gad7", "core10", "ecr-r", "ecr-rs", "ecr-s", "ecr", "rq", "saam", "csi4", "wai-sr",
    "ders16", "checkin",
}  # fmt: skip

SUBSCALE_KEYS = {
    "phq9": {"total"},
    "gad7": {"total"},
    "core10": {"total"},
    "csi4": {"total"},
    "ecr-r": {"anxiety", "avoidance"},
    "ecr-rs": {"anxiety", "avoidance"},
    "ecr-s": {"anxiety", "avoidance"},
    "ecr": {"anxiety", "avoidance"},
    "saam": {"security", "anxiety", "avoidance"},
    "wai-sr": {"total", "task", "bond", "goal"},
    "ders16": {"total", "clarity", "goals", "impulse", "strategies", "nonacceptance"},
    "rq": {"model_of_self", "model_of_other"},
    "checkin": {"felt_security", "closeness", "distress"},
}


def test_every_expected_instrument_is_shipped():
    assert set(SHIPPED) == EXPECTED_KEYS
    assert set(definitions.registry()) == EXPECTED_KEYS


@pytest.mark.parametrize("key", SHIPPED)
def test_each_shipped_file_loads_validates_and_is_named_after_its_key(key):
    definition = load_file(INSTRUMENTS_DIR / f"{key}.yaml")
    assert definition.key == key
    assert {s.key for s in definition.subscales} == SUBSCALE_KEYS[key]


@pytest.mark.parametrize("key", [k for k in SHIPPED if definitions.get(k).validated])
def test_each_validated_instrument_has_a_citation_a_licence_and_a_direction_per_subscale(key):
    definition = definitions.get(key)
    assert len(definition.citation) > 40 and re.search(r"\(\d{4}\)", definition.citation)
    assert definition.licence.status != "ours"
    assert definition.licence.statement and definition.licence.source
    for sub in definition.subscales:
        assert sub.better in ("lower", "higher")
        assert sub.missing.source, f"{key}/{sub.key}: missing-item rule needs its source"
        if sub.cutoff:
            assert sub.cutoff.source
        if sub.reliable_change:
            assert sub.reliable_change.source


def test_the_checkin_is_ours_and_not_validated():
    checkin = definitions.get("checkin")
    assert checkin.validated is False
    assert checkin.licence.status == "ours"
    assert all(not sub.bands and sub.reliable_change is None for sub in checkin.subscales)
    assert {s.key: s.better for s in checkin.subscales} == {
        "felt_security": "higher",
        "closeness": "higher",
        "distress": "lower",
    }


def test_only_the_checkin_is_unvalidated():
    assert [k for k, d in definitions.registry().items() if not d.validated] == ["checkin"]


def test_every_band_has_a_plain_sentence_for_the_client():
    for definition in definitions.registry().values():
        for sub in definition.subscales:
            for band in sub.bands:
                assert band.plain.strip(), f"{definition.key}/{sub.key}/{band.label}"


def test_no_instrument_ships_item_wording():
    # Labels are short topic words of our own (the check-in's are our own questions).
    for definition in definitions.registry().values():
        for item in definition.items:
            limit = 80 if definition.licence.status == "ours" else 50
            assert len(item.label) <= limit, f"{definition.key} item {item.number}"


@pytest.mark.parametrize(
    ("key", "reverse"),
    [
        ("ecr-r", [9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36]),
        ("ecr", [3, 15, 19, 22, 25, 27, 29, 31, 33, 35]),
        ("ecr-s", [1, 5, 8, 9]),
        ("ecr-rs", [1, 2, 3, 4]),
        ("core10", [2, 3]),
        ("saam", []),
        ("wai-sr", []),
        ("ders16", []),
        ("csi4", []),
    ],
)
def test_reverse_keyed_items_are_the_published_ones(key, reverse):
    assert [i.number for i in definitions.get(key).items if i.reverse] == reverse


def test_the_original_ecr_key_puts_odd_items_on_avoidance_and_even_items_on_anxiety():
    ecr = definitions.get("ecr")
    assert ecr.subscale("avoidance").items == list(range(1, 37, 2))
    assert ecr.subscale("anxiety").items == list(range(2, 37, 2))


def test_reliable_change_is_stored_only_where_a_defensible_value_exists():
    with_rci = {
        (d.key, s.key)
        for d in definitions.registry().values()
        for s in d.subscales
        if s.reliable_change
    }
    assert with_rci == {("phq9", "total"), ("gad7", "total"), ("core10", "total")}


# --- broken definitions -------------------------------------------------------------------------


@pytest.fixture
def base():
    """A small valid definition to break in each test."""
    return {
        "key": "demo",
        "name": "Demo",
        "short_name": "Demo",
        "version": "1",
        "citation": "Written for this test (2025).",
        "licence": {"status": "ours", "statement": "test", "source": "test"},
        "scale": {"min": 0, "max": 3},
        "items": [{"number": 1}, {"number": 2}, {"number": 3}],
        "subscales": [
            {
                "key": "total",
                "name": "Total",
                "method": "sum",
                "items": [1, 2, 3],
                "better": "lower",
            }
        ],
    }


def refused(data) -> str:
    with pytest.raises(ValidationError) as caught:
        Definition.model_validate(data)
    return str(caught.value)


def test_the_base_definition_is_valid(base):
    assert Definition.model_validate(base).key == "demo"


def test_a_subscale_naming_an_unknown_item_is_refused(base):
    base["subscales"][0]["items"] = [1, 2, 3, 4]
    assert "subscale total names unknown items [4]" in refused(base)


def test_an_item_in_no_subscale_is_refused(base):
    base["subscales"][0]["items"] = [1, 2]
    assert "items [3] belong to no subscale" in refused(base)


def test_weights_without_weighted_sum_are_refused(base):
    base["subscales"][0]["weights"] = {1: 1, 2: 1, 3: -1}
    assert "weights go with method weighted_sum, and only there" in refused(base)


def test_weighted_sum_without_weights_is_refused(base):
    base["subscales"][0]["method"] = "weighted_sum"
    assert "weights go with method weighted_sum" in refused(base)


def test_weights_that_do_not_match_the_items_are_refused(base):
    base["subscales"][0].update(method="weighted_sum", weights={1: 1, 2: -1})
    assert "weights must name exactly the subscale's items" in refused(base)


def test_both_forms_of_reliable_change_are_refused(base):
    base["subscales"][0]["reliable_change"] = {
        "sd": 5.0,
        "reliability": 0.9,
        "published_rci": 6,
        "source": "x",
    }
    assert "give either sd and reliability, or published_rci" in refused(base)


def test_reliable_change_with_neither_form_is_refused(base):
    base["subscales"][0]["reliable_change"] = {"sd": 5.0, "source": "x"}
    assert "give either sd and reliability, or published_rci" in refused(base)


def test_items_out_of_order_are_refused(base):
    base["items"] = [{"number": 1}, {"number": 3}, {"number": 2}]
    assert "items must be numbered 1..n in order" in refused(base)


def test_an_unknown_field_is_refused(base):
    base["wording"] = "no licensed text here"
    assert "wording" in refused(base)


def test_a_risk_item_that_is_not_an_item_is_refused(base):
    base["risk_items"] = [{"item": 9, "at_least": 1, "message": "x"}]
    assert "risk item 9 is not an item" in refused(base)


def test_a_plane_naming_an_unknown_subscale_is_refused(base):
    base["plane"] = {"anxiety": "anxiety", "avoidance": "avoidance"}
    assert "plane names unknown subscales" in refused(base)


def test_duplicate_subscale_keys_are_refused(base):
    base["subscales"].append(copy.deepcopy(base["subscales"][0]))
    assert "subscale keys must be unique" in refused(base)


def test_an_inverted_scale_is_refused(base):
    base["scale"] = {"min": 3, "max": 0}
    assert "scale.min must be below scale.max" in refused(base)


def test_a_key_that_differs_from_the_file_name_is_refused(base, tmp_path, monkeypatch):
    (tmp_path / "other.yaml").write_text(yaml.safe_dump(base), encoding="utf-8")
    monkeypatch.setattr(definitions, "INSTRUMENTS_DIR", tmp_path)
    definitions.registry.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"other\.yaml: key 'demo' must match the file name"):
            definitions.registry()
    finally:
        monkeypatch.undo()
        definitions.registry.cache_clear()
    assert "phq9" in definitions.registry()


def test_an_unknown_key_names_the_known_ones():
    with pytest.raises(KeyError, match="unknown instrument 'nope' \\(known: checkin, core10"):
        definitions.get("nope")
