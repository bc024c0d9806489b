"""Every worked example in ../shared/clinical/INSTRUMENTS.md §4, scored by the pure engine.

§4.1 pairs are published response → score pairs (P1–P6) and negative tests (N1, N2); §4.2
examples are derived here from the published rules and are labelled "derived".
"""

import pytest

from securebase.measures import definitions
from securebase.measures.change import criterion_c, reliable_change, standard_error_of_difference
from securebase.measures.definitions import Cutoff, ReliableChange
from securebase.measures.plane import MidpointRule, fisher_ecr_1998, quadrant
from securebase.measures.scoring import score

approx = pytest.approx


def answers(*values, start=1):
    return {str(number): value for number, value in enumerate(values, start)}


def scored(key, raw, **kwargs):
    return score(definitions.get(key), raw, **kwargs)


def cycle(count):
    """Item i answered ((i − 1) mod 7) + 1: 1, 2, …, 7, 1, 2, …"""
    return {str(i): ((i - 1) % 7) + 1 for i in range(1, count + 1)}


# --- §4.1 published pairs -----------------------------------------------------------------------

# The published label next to the band label this project uses for the same range.
PUBLISHED = [
    pytest.param(
        "phq9", (0, 0, 1, 1, 1, 0, 0, 0, 0), 3, "Minimal", "None/minimal", id="P1 PHQ-9 HL7 PHR IG"
    ),
    pytest.param("gad7", (0, 0, 1, 1, 0, 1, 0), 3, "Minimal", "Minimal", id="P2 GAD-7 HL7 PHR IG"),
    pytest.param(
        "phq9",
        (3, 0, 1, 2, 0, 0, 1, 0, 3),
        10,
        "Moderate depression",
        "Moderate",
        id="P3 PHQ-9 awell-score",
    ),
    pytest.param(
        "phq9", (0,) * 9, 0, "None/minimal depression", "None/minimal", id="P4 PHQ-9 all 0"
    ),
    pytest.param("phq9", (3,) * 9, 27, "Severe depression", "Severe", id="P4 PHQ-9 all 3"),
    pytest.param(
        "gad7", (3, 0, 1, 2, 0, 0, 1), 7, "Mild anxiety", "Mild", id="P5 GAD-7 awell-score"
    ),
    pytest.param("gad7", (0,) * 7, 0, "No anxiety", "Minimal", id="P6 GAD-7 all 0"),
    pytest.param("gad7", (3,) * 7, 21, "Severe anxiety", "Severe", id="P6 GAD-7 all 3"),
]


@pytest.mark.parametrize(("key", "values", "total", "published_label", "band"), PUBLISHED)
def test_published_pairs_give_the_published_total_and_band(
    key, values, total, published_label, band
):
    result = scored(key, answers(*values))
    assert result.scores == {"total": total}
    assert result.bands == {"total": band}, f"published label: {published_label}"
    assert result.missing == []


def test_phq9_p3_raises_the_item_9_risk_flag():
    assert scored("phq9", answers(3, 0, 1, 2, 0, 0, 1, 0, 3)).flags == ["risk:item9"]


@pytest.mark.parametrize(
    ("values", "claimed", "actual"),
    [
        pytest.param((0, 0, 0, 1, 2, 1, 3, 2, 1), 13, 10, id="N1 HL7 SDC PHQ-9 example"),
        pytest.param((1, 0, 0, 1, 2, 1, 3, 2, 1), 13, 11, id="N2 HL7 SDC PHQ-9 example"),
    ],
)
def test_a_wrong_claimed_total_is_recomputed_and_flagged(values, claimed, actual):
    result = scored("phq9", answers(*values), claimed={"total": claimed})
    assert result.scores["total"] == actual
    assert "claimed-total-differs" in result.flags


def test_a_correct_claimed_total_raises_no_flag():
    result = scored("phq9", answers(0, 0, 0, 1, 2, 1, 3, 2, 1), claimed={"total": 10})
    assert "claimed-total-differs" not in result.flags


# --- §4.2 derived: ECR-R ------------------------------------------------------------------------

ECRR_36 = [
    pytest.param({str(i): 4 for i in range(1, 37)}, 4.0, 4.0, id="derived D-ECRR-1 all 4"),
    pytest.param({str(i): 7 for i in range(1, 37)}, 6.3333, 3.0, id="derived D-ECRR-2 all 7"),
    pytest.param({str(i): 1 for i in range(1, 37)}, 1.6667, 5.0, id="derived D-ECRR-3 all 1"),
    pytest.param(
        {str(i): 7 if i <= 18 else 1 for i in range(1, 37)},
        6.3333,
        5.0,
        id="derived D-ECRR-4 7s then 1s",
    ),
    pytest.param(cycle(36), 3.8889, 3.9444, id="derived D-ECRR-5 cycling 1-7"),
]


@pytest.mark.parametrize(("raw", "anxiety", "avoidance"), ECRR_36)
def test_derived_ecr_r_examples(raw, anxiety, avoidance):
    result = scored("ecr-r", raw)
    assert result.scores["anxiety"] == approx(anxiety, abs=1e-4)
    assert result.scores["avoidance"] == approx(avoidance, abs=1e-4)


def test_derived_the_original_ecr_key_scores_all_sevens_differently_from_the_ecr_r():
    # ECR 1998: avoidance = odd items with 9 reversed, anxiety = even items with item 22 reversed.
    all_seven = {str(i): 7 for i in range(1, 37)}
    ecr = scored("ecr", all_seven).scores
    assert ecr["avoidance"] == approx(4.0, abs=1e-4)
    assert ecr["anxiety"] == approx(120 / 18, abs=1e-4)
    assert ecr != scored("ecr-r", all_seven).scores


# --- §4.2 derived: ECR-S, ECR-RS ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "anxiety", "avoidance"),
    [
        pytest.param((4,) * 12, 4.0, 4.0, id="derived D-ECRS-1 all 4"),
        pytest.param((7,) * 12, 6.0, 4.0, id="derived D-ECRS-2 all 7"),
        pytest.param((1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 4, 5), 4.5, 5.0, id="derived D-ECRS-3"),
    ],
)
def test_derived_ecr_s_examples(values, anxiety, avoidance):
    result = scored("ecr-s", answers(*values))
    assert result.scores == {"anxiety": approx(anxiety), "avoidance": approx(avoidance)}


@pytest.mark.parametrize("target", ["mother", "father", "partner", "best_friend", "my sister"])
@pytest.mark.parametrize(
    ("values", "avoidance", "anxiety"),
    [
        pytest.param((4,) * 9, 4.0, 4.0, id="derived D-ECRRS-1 all 4"),
        pytest.param((7, 7, 6, 6, 2, 1, 5, 6, 7), 1.5, 6.0, id="derived D-ECRRS-2"),
    ],
)
def test_derived_ecr_rs_examples_score_the_same_for_every_target(
    values, avoidance, anxiety, target
):
    result = scored("ecr-rs", answers(*values), target=target)
    assert result.scores == {"avoidance": approx(avoidance), "anxiety": approx(anxiety)}
    assert result.target == target
    assert result.as_dict()["target"] == target


def test_ecr_rs_offers_the_four_standard_targets():
    assert definitions.get("ecr-rs").targets == ["mother", "father", "partner", "best_friend"]


# --- §4.2 derived: RQ, CORE-10, CSI-4, WAI-SR, DERS-16, SAAM ---------------------------------------


def test_derived_d_rq_gives_model_of_self_7_and_model_of_other_1():
    raw = answers(6, 2, 1, 4)  # Secure, Fearful, Preoccupied, Dismissing
    assert scored("rq", raw).scores == {"model_of_self": 7, "model_of_other": 1}
    # The highest prototype (a descriptive aid only; the engine does not classify).
    prototypes = dict(
        zip(["secure", "fearful", "preoccupied", "dismissing"], (6, 2, 1, 4), strict=True)
    )
    assert max(prototypes, key=prototypes.get) == "secure"


def test_the_rq_has_no_reliable_change_and_no_bands():
    for sub in definitions.get("rq").subscales:
        assert sub.reliable_change is None
        assert sub.bands == []


@pytest.mark.parametrize(
    ("raw", "total", "band"),
    [
        pytest.param(
            answers(*(0,) * 10), 8, "Low level", id="derived D-CORE-1 all not at all gives 8"
        ),
        pytest.param(
            answers(*(4,) * 10), 32, "Severe", id="derived D-CORE-2 all most of the time gives 32"
        ),
        pytest.param(
            answers(2, 1, 1, 2, 1, 0, 3, 2, 2, 1), 19, "Moderate", id="derived D-CORE-3 gives 19"
        ),
    ],
)
def test_derived_core10_examples_reverse_items_2_and_3(raw, total, band):
    result = scored("core10", raw)
    assert result.scores == {"total": total}
    assert result.bands == {"total": band}


def test_derived_d_core_3_is_above_the_cut_off_of_11():
    sub = definitions.get("core10").subscale("total")
    assert (
        scored("core10", answers(2, 1, 1, 2, 1, 0, 3, 2, 2, 1)).scores["total"] > sub.cutoff.value
    )


def test_derived_d_core_4_prorates_nine_answers_summing_to_18_to_20():
    raw = answers(*(2,) * 9)  # item 10 missing; items 2 and 3 score 4 − 2 = 2, so the sum is 18
    result = scored("core10", raw)
    assert result.scores == {"total": approx(20.0)}
    assert result.missing == [10]


def test_core10_with_two_items_missing_has_no_total():
    result = scored("core10", answers(*(2,) * 8))
    assert result.scores == {"total": None}
    assert result.bands == {}
    assert result.missing == [9, 10]


def test_core10_prorates_a_non_integer_score():
    raw = answers(1, 2, 2, 1, 1, 0, 1, 1, 1)  # keyed 1, 2, 2, 1, 1, 0, 1, 1, 1 = 10 over 9 items
    assert scored("core10", raw).scores["total"] == approx(100 / 9, abs=1e-4)


@pytest.mark.parametrize(
    ("position", "flagged"), [(0, False), (1, True), (4, True)], ids=["not at all", "1", "4"]
)
def test_core10_item_6_above_not_at_all_is_a_risk_flag(position, flagged):
    raw = answers(*(0,) * 10)
    raw["6"] = position
    assert ("risk:item6" in scored("core10", raw).flags) is flagged


@pytest.mark.parametrize(
    ("values", "total", "distressed"),
    [
        pytest.param((4, 4, 4, 4), 16, False, id="derived CSI-4 16 not distressed"),
        pytest.param((3, 3, 3, 3), 12, True, id="derived CSI-4 12 notable dissatisfaction"),
        pytest.param((6, 5, 5, 5), 21, False, id="derived CSI-4 21 maximum"),
    ],
)
def test_derived_csi4_examples(values, total, distressed):
    result = scored("csi4", answers(*values))
    assert result.scores == {"total": total}
    cutoff = definitions.get("csi4").subscale("total").cutoff.value
    assert cutoff == 13.5
    assert (total < cutoff) is distressed
    assert result.bands["total"] == ("Notable dissatisfaction" if distressed else "Satisfied range")


@pytest.mark.parametrize(
    ("values", "expected", "mean"),
    [
        pytest.param(
            (4,) * 12,
            {"total": 48, "task": 16, "bond": 16, "goal": 16},
            4.0,
            id="derived WAI-SR all 4",
        ),
        pytest.param(
            (5, 4, 5, 3, 5, 4, 5, 3, 4, 4, 3, 5),
            {"total": 50, "task": 18, "bond": 19, "goal": 13},
            4.1667,
            id="derived WAI-SR mixed",
        ),
    ],
)
def test_derived_wai_sr_examples(values, expected, mean):
    result = scored("wai-sr", answers(*values))
    assert result.scores == expected
    assert result.scores["total"] / 12 == approx(mean, abs=1e-4)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param(
            (3,) * 16,
            {
                "total": 48,
                "clarity": 6,
                "goals": 9,
                "impulse": 9,
                "strategies": 15,
                "nonacceptance": 9,
            },
            id="derived DERS-16 all 3",
        ),
        pytest.param(
            (1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1),
            {
                "total": 46,
                "clarity": 3,
                "goals": 10,
                "impulse": 8,
                "strategies": 13,
                "nonacceptance": 12,
            },
            id="derived DERS-16 mixed",
        ),
    ],
)
def test_derived_ders16_examples(values, expected):
    assert scored("ders16", answers(*values)).scores == expected


def test_derived_saam_cycling_answers():
    result = scored("saam", cycle(21))
    assert result.scores == {
        "security": approx(5.2857, abs=1e-4),
        "anxiety": approx(3.8571, abs=1e-4),
        "avoidance": approx(2.8571, abs=1e-4),
    }


def test_the_checkin_scores_three_single_items():
    result = scored("checkin", answers(7, 5, 3))
    assert result.scores == {"felt_security": 7, "closeness": 5, "distress": 3}
    assert result.bands == {}


# --- §4.2 derived: reliable change, criterion c --------------------------------------------------

RCI_TABLE = [
    pytest.param(18, 9, 5.0, 0.84, 2.8284, 5.5437, -3.1820, True, id="derived RCI SD 5 r .84"),
    pytest.param(18, 9, 5.0, 0.89, 2.3452, 4.5966, -3.8376, True, id="derived RCI SD 5 r .89"),
    pytest.param(12, 7, 4.0, 0.83, 2.3324, 4.5715, -2.1437, True, id="derived RCI SD 4 r .83"),
    pytest.param(
        4.5, 3.8, 1.1, 0.90, 0.4919, 0.9642, -1.4230, False, id="derived RCI ECR-R-like mean"
    ),
]


@pytest.mark.parametrize(
    ("pre", "post", "sd", "r", "s_diff", "smallest", "rc", "reliable"), RCI_TABLE
)
def test_derived_jacobson_truax_table(pre, post, sd, r, s_diff, smallest, rc, reliable):
    assert standard_error_of_difference(sd, r) == approx(s_diff, abs=1e-4)
    spec = ReliableChange(sd=sd, reliability=r, z=1.96, source="INSTRUMENTS.md §4.2")
    change = reliable_change(pre, post, spec, better="lower")
    assert change.smallest_reliable == approx(smallest, abs=1e-4)
    assert change.rc == approx(rc, abs=1e-4)
    assert change.reliable is reliable
    assert change.verdict == ("reliably improved" if reliable else "no reliable change")


@pytest.mark.parametrize(("z", "sd"), [(1.96, 6.85), (1.645, 8.16)], ids=["z 1.96", "z 1.645"])
def test_derived_a_published_rci_of_6_with_alpha_90_implies_the_tabled_sd(z, sd):
    implied = 6 / (z * standard_error_of_difference(1.0, 0.90))
    assert implied == approx(sd, abs=0.01)


def test_derived_criterion_c_is_the_weighted_midpoint():
    assert criterion_c(3.0, 3.4, 15.0, 5.0) == approx(7.8571, abs=1e-4)
    # Equal SDs give the plain midpoint.
    assert criterion_c(3.0, 4.0, 15.0, 4.0) == approx(9.0)


def test_core10_uses_its_published_rci_of_6_at_90_percent():
    sub = definitions.get("core10").subscale("total")
    assert sub.reliable_change.published_rci == 6
    assert sub.reliable_change.z == 1.645
    improved = reliable_change(16, 10, sub.reliable_change, better="lower", cutoff=sub.cutoff)
    assert improved.reliable and improved.crossed_cutoff
    assert improved.verdict == "recovered"
    small = reliable_change(16, 11, sub.reliable_change, better="lower", cutoff=sub.cutoff)
    assert small.verdict == "no reliable change"
    worse = reliable_change(10, 16, sub.reliable_change, better="lower", cutoff=sub.cutoff)
    assert worse.verdict == "reliably deteriorated"


def test_gad7_uses_the_iapt_rci_of_4_and_caseness_8():
    sub = definitions.get("gad7").subscale("total")
    assert sub.reliable_change.published_rci == 4
    assert sub.cutoff.value == 8
    assert reliable_change(
        12, 8, sub.reliable_change, better="lower", cutoff=sub.cutoff
    ).verdict == ("reliably improved")
    assert reliable_change(
        11, 7, sub.reliable_change, better="lower", cutoff=sub.cutoff
    ).verdict == ("recovered")


def test_a_higher_is_better_scale_recovers_by_rising_across_its_cut_off():
    spec = ReliableChange(published_rci=4, source="illustrative")
    change = reliable_change(10, 16, spec, better="higher", cutoff=Cutoff(value=13.5, source="x"))
    assert change.verdict == "recovered"


# --- §4.2 derived: the attachment plane ---------------------------------------------------------

FISHER = [
    pytest.param(
        2, 2, "secure", (5.9929, -1.5258, -1.1875, 2.3812), id="derived Fisher A2 X2 secure"
    ),
    pytest.param(
        2,
        5,
        "preoccupied",
        (22.4105, 23.0071, 27.9433, 17.1988),
        id="derived Fisher A2 X5 preoccupied",
    ),
    pytest.param(
        5,
        2,
        "dismissing",
        (15.8609, 20.1855, 10.5865, 24.4776),
        id="derived Fisher A5 X2 dismissing",
    ),
    pytest.param(
        5, 5, "fearful", (32.2785, 44.7184, 39.7173, 39.2952), id="derived Fisher A5 X5 fearful"
    ),
]


@pytest.mark.parametrize(("avoidance", "anxiety", "category", "values"), FISHER)
def test_derived_fisher_classification_table(avoidance, anxiety, category, values):
    chosen, functions = fisher_ecr_1998(avoidance, anxiety)
    assert chosen == category
    order = ("secure", "fearful", "preoccupied", "dismissing")
    assert tuple(functions[name] for name in order) == approx(values, abs=1e-4)


def test_derived_fisher_midpoint_4_4_is_fearful_not_secure():
    assert fisher_ecr_1998(4, 4)[0] == "fearful"


def test_derived_midpoint_rule_a_2_5_x_5_1_is_preoccupied():
    assert quadrant(anxiety=5.1, avoidance=2.5) == "preoccupied"


def test_derived_midpoint_4_4_depends_on_the_tie_rule():
    assert quadrant(anxiety=4.0, avoidance=4.0, rule=MidpointRule(inclusive=False)) == "secure"
    assert quadrant(anxiety=4.0, avoidance=4.0, rule=MidpointRule(inclusive=True)) == "fearful"
    assert ">" in MidpointRule().describe() and "≥" in MidpointRule(inclusive=True).describe()


def test_every_plane_instrument_maps_anxiety_and_avoidance():
    for key in ("ecr-r", "ecr-rs", "ecr-s", "ecr", "saam"):
        assert definitions.get(key).plane == {"anxiety": "anxiety", "avoidance": "avoidance"}
    assert definitions.get("rq").plane is None
