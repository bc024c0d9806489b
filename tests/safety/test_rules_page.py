"""The risk rules page: every rule, its threshold and its source, read from the files the rules
run on; clinicians only."""

import pytest

from securebase.measures import definitions
from securebase.safety.detector.language import CATEGORIES, NEGATION_WINDOW
from securebase.safety.flags import rule_list as rules

pytestmark = pytest.mark.django_db


def test_every_risk_item_of_the_instrument_files_is_listed():
    declared = [
        (d.short_name, r.item, r.at_least)
        for d in definitions.registry().values()
        for r in d.risk_items
    ]
    listed = [(r.instrument, r.item, r.at_least) for r in rules.measure_rules()]

    assert listed == declared
    assert ("PHQ-9", 9, 1) in listed


def test_the_phq9_rule_names_its_file_and_the_lowest_answer():
    (phq9,) = [r for r in rules.measure_rules() if r.instrument == "PHQ-9"]

    assert (phq9.source_file, phq9.lowest_answer) == (
        "securebase/measures/instruments/phq9.yaml",
        "not at all",
    )


def test_the_page_shows_the_rules_with_thresholds_and_sources(as_alex):
    page = as_alex.get("/risk-rules/")

    assert page.status_code == 200
    text = page.text
    assert "the answer is 1 or more" in text
    assert "securebase/measures/instruments/phq9.yaml" in text
    assert "This is an implementation aid, not part of the published score." in text
    assert "Yes, and I&#x27;m worried I might act on them" in text
    assert "Any “yes”" in text
    assert f"within {NEGATION_WINDOW} words before it" in text
    assert "Chapman, W. W." in text
    assert "Negated mentions raise no flag." in text
    assert "securebase/safety/data/risk_language.yaml" in text
    assert "until a clinician on the care team acknowledges it with a note" in text


def test_each_languages_phrases_and_negation_cues_are_in_a_details_block(as_alex):
    text = as_alex.get("/risk-rules/").text

    assert text.count('<details class="rules-phrases">') == 2
    assert "English: " in text and "Español: " in text
    for phrase in ("better off dead", "quitarme la vida", "nunca", "never", "pero"):
        assert f'<li class="chip-static">{phrase}</li>' in text


def test_the_patterns_are_listed_by_category_with_a_plain_label(as_alex):
    text = as_alex.get("/risk-rules/").text

    for category, label in rules.category_labels().items():
        assert f'{label} <span class="muted">(<code>{category}</code>)</span></h3>' in text
    assert '<li class="chip-static">{stockpile} ... {pills}</li>' in text


def test_the_concepts_of_each_language_are_in_their_own_details_block(as_alex):
    text = as_alex.get("/risk-rules/").text

    assert text.count('<details class="rules-concepts">') == 2
    assert "<h4><code>{pills}</code></h4>" in text
    assert "<h4><code>{pastillas}</code></h4>" in text


def test_the_past_and_other_person_cues_are_listed_and_context_cited(as_alex):
    text = as_alex.get("/risk-rules/").text

    for cue in ("years ago", "hace años", "my friend*", "mi herman*", "otra vez"):
        assert f'<li class="chip-static">{cue}</li>' in text
    assert "Harkema, H." in text and "ConText" in text


def test_the_phrase_lists_follow_the_categories_of_the_language_module():
    (english, spanish) = rules.phrase_lists()

    assert [g.category for g in english.categories] == list(CATEGORIES)
    assert [g.category for g in spanish.categories] == list(CATEGORIES)
    assert english.phrases == tuple(p for g in english.categories for p in g.patterns)


@pytest.mark.parametrize("who", ["as_maya", "as_priya"])
def test_clients_get_404(request, who):
    assert request.getfixturevalue(who).get("/risk-rules/").status_code == 404


def test_the_rules_page_links_back_to_the_alerts(as_alex):
    assert 'href="/alerts/"' in as_alex.get("/risk-rules/").text


def test_the_rules_page_lists_the_pseudo_and_double_negations(as_alex):
    text = as_alex.get("/risk-rules/").text
    assert '<li class="chip-static">can&#x27;t stop</li>' in text or "can't stop" in text
    assert "not a day goes by" in text
