"""The risk rules module: each rule on hand-built inputs."""

from types import SimpleNamespace

import pytest

from securebase.measures import definitions
from securebase.safety.flags import rules as risk


def test_a_phq9_item_9_answer_above_zero_flags():
    phq9 = definitions.get("phq9")
    answers = {n: 0 for n in range(1, 10)}
    assert risk.measure_answer_flags(phq9.risk_items, answers) == []
    assert risk.measure_answer_flags(phq9.risk_items, answers | {9: 1}) == ["risk:item9"]


def test_a_risk_item_left_unanswered_does_not_flag():
    items = [SimpleNamespace(item=9, at_least=1)]
    assert risk.measure_answer_flags(items, {1: 3}) == []


@pytest.mark.parametrize(("answer", "flagged"), [(None, False), (0, False), (1, True), (2, True)])
def test_any_yes_to_the_check_in_safety_question_flags(answer, flagged):
    assert risk.checkin_answer_flags(answer) is flagged


def test_affirmed_risk_words_flag_and_negated_ones_do_not():
    assert risk.text_flags("I want to end it all").flag
    assert not risk.text_flags("I would never end it all").flag


def test_risk_words_report_their_clinical_category():
    assert risk.text_flags("I've been saving up my tablets for weeks").categories == (
        "preparatory",
    )
    assert risk.text_flags("Years ago I saved up my tablets").categories == ()
