"""FHIR R4 Questionnaire import/export and the export of completed administrations.

Every Questionnaire here carries wording written for these tests, never an instrument's own.
"""

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from securebase.audit.models import AuditEvent
from securebase.measures import definitions, domain, fhir, scoring
from securebase.measures.models import Wording
from tests.factories import AdministrationFactory

FIXTURES = Path(__file__).parent / "fixtures"
PHQ9_CODES = [
    "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8",
]  # fmt: skip


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def structure(questionnaire: dict) -> list[tuple]:
    """What must survive a round trip, apart from wording: linkIds, codes, options."""
    return [
        (
            item["linkId"],
            item["type"],
            [c["code"] for c in item.get("code", [])],
            [o["valueInteger"] for o in item["answerOption"]],
        )
        for item in questionnaire["item"]
    ]


# --- Questionnaire export -------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(definitions.registry()))
def test_every_instrument_exports_as_a_valid_questionnaire(key):
    definition = definitions.get(key)

    exported = fhir.export_questionnaire(definition)

    Questionnaire.model_validate(exported)
    assert exported["url"] == f"https://securebase.example/fhir/Questionnaire/{key}"
    assert exported["status"] == "active"
    assert exported["copyright"] == definition.licence.statement
    assert [item["linkId"] for item in exported["item"]] == [
        str(n) for n in range(1, definition.item_count + 1)
    ]
    for item in exported["item"]:
        scale = definition.scale_of(int(item["linkId"]))
        assert item["type"] == "choice"
        assert [o["valueInteger"] for o in item["answerOption"]] == list(
            range(scale.min, scale.max + 1)
        )


def test_phq9_exports_with_its_loinc_panel_and_item_codes():
    exported = fhir.export_questionnaire(definitions.get("phq9"))

    assert exported["code"] == [{"system": "http://loinc.org", "code": "44249-1"}]
    assert [item["code"] for item in exported["item"]] == [
        [{"system": "http://loinc.org", "code": code}] for code in PHQ9_CODES
    ]
    assert [item["text"] for item in exported["item"]] == [f"Item {n}" for n in range(1, 10)]


def test_ecr_rs_exports_its_nine_items_once():
    exported = fhir.export_questionnaire(definitions.get("ecr-rs"))

    assert len(exported["item"]) == 9


def test_checkin_exports_our_own_wording():
    definition = definitions.get("checkin")

    exported = fhir.export_questionnaire(definition)

    assert [item["text"] for item in exported["item"]] == [i.label for i in definition.items]


# --- matching ---------------------------------------------------------------------------------------


def test_phq9_questionnaire_is_matched_by_its_loinc_panel_code():
    parsed = fhir.parse_questionnaire(fixture("phq9-test-wording.json"))

    match = fhir.explain_match(parsed)

    assert match.key == "phq9"
    assert match.reason == "LOINC panel code 44249-1 (PHQ-9)"
    assert fhir.match_key(parsed) == "phq9"


def test_gad7_questionnaire_is_matched_by_its_loinc_panel_code():
    parsed = fhir.parse_questionnaire(fixture("gad7-test-wording.json"))

    assert fhir.explain_match(parsed).reason == "LOINC panel code 69737-5 (GAD-7)"
    assert fhir.match_key(parsed) == "gad7"


def test_questionnaire_without_panel_code_is_matched_by_its_item_codes():
    data = fixture("phq9-test-wording.json")
    del data["code"]

    match = fhir.explain_match(fhir.parse_questionnaire(data))

    assert (match.key, match.reason) == ("phq9", "the LOINC codes of all 9 items")


def test_questionnaire_without_codes_needs_a_key():
    parsed = fhir.parse_questionnaire(fixture("uncoded-9-items.json"))

    with pytest.raises(ValueError, match=r"cannot tell which instrument .* name it with --key"):
        fhir.match_key(parsed)
    assert fhir.match_key(parsed, "phq9") == "phq9"


def test_key_that_contradicts_the_code_is_refused():
    parsed = fhir.parse_questionnaire(fixture("phq9-test-wording.json"))

    with pytest.raises(ValueError, match="--key gad7 contradicts the Questionnaire: matched phq9"):
        fhir.match_key(parsed, "gad7")


def test_unknown_key_is_refused():
    parsed = fhir.parse_questionnaire(fixture("uncoded-9-items.json"))

    with pytest.raises(ValueError, match="unknown instrument key 'phq10'"):
        fhir.match_key(parsed, "phq10")


def test_loincs_phq9_form_with_its_unscored_difficulty_item_is_imported_without_it():
    """LOINC's PHQ-9 adds item 69722-7 (how difficult the problems made things), which the
    PHQ-9 total does not count: it is left out, not a reason to refuse the file."""
    parsed = fhir.parse_questionnaire(fixture("phq9-ten-items.json"))
    phq9 = definitions.get("phq9")

    assert fhir.match_key(parsed) == "phq9"
    assert "/69722-7" not in [item.link_id for item in fhir.answerable(parsed, phq9)]
    assert len(fhir.answerable(parsed, phq9)) == 9


def test_wrong_item_count_is_refused():
    data = fixture("phq9-test-wording.json")

    def without_item_9(items):
        return [
            {**i, "item": without_item_9(i["item"])} if "item" in i else i
            for i in items
            if i.get("linkId") != "/44260-8"
        ]

    data["item"] = without_item_9(data["item"])
    parsed = fhir.parse_questionnaire(data)

    with pytest.raises(ValueError, match="has 8 answerable items but PHQ-9 \\(phq9\\) has 9"):
        fhir.match_key(parsed, "phq9")


def test_wrong_item_count_is_refused_with_an_explicit_key():
    parsed = fhir.parse_questionnaire(fixture("uncoded-9-items.json"))

    with pytest.raises(ValueError, match="has 9 answerable items but GAD-7 \\(gad7\\) has 7"):
        fhir.match_key(parsed, "gad7")


def test_read_only_score_items_and_display_items_are_not_counted():
    parsed = fhir.parse_questionnaire(fixture("phq9-test-wording.json"))

    assert [item.link_id for item in fhir.answerable(parsed, definitions.get("phq9"))] == [
        f"/{code}" for code in PHQ9_CODES
    ]


def test_items_are_numbered_by_code_then_link_id_digits_then_position():
    shuffled = fixture("phq9-test-wording.json")
    shuffled["item"][1]["item"].reverse()
    by_digits = fixture("uncoded-9-items.json")
    by_digits["item"].reverse()  # linkIds q9 … q1
    by_position = fixture("uncoded-9-items.json")
    for n, item in enumerate(by_position["item"], start=1):
        item["linkId"] = f"question-{chr(96 + n)}"
    phq9 = definitions.get("phq9")

    assert fhir.item_wording(fhir.parse_questionnaire(shuffled), phq9)[1] == (
        "Test item one for PHQ-9"
    )
    assert fhir.item_wording(fhir.parse_questionnaire(by_digits), phq9)[1] == (
        "Test item 1 without a code"
    )
    assert fhir.item_wording(fhir.parse_questionnaire(by_position), phq9)[2] == (
        "Test item 2 without a code"
    )


# --- parsing errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "not a FHIR resource: expected a JSON object"),
        ({"resourceType": "Patient"}, "not a FHIR Questionnaire: found a Patient"),
        ({"status": "active"}, "not a FHIR Questionnaire: found no resourceType"),
        (
            {"resourceType": "Questionnaire", "status": "active", "item": [{"type": "choice"}]},
            "not a valid FHIR R4 Questionnaire: item[0].linkId: Value for the field 'linkId' "
            "is required.",
        ),
        (
            {"resourceType": "Questionnaire", "status": "active", "colour": "blue"},
            "not a valid FHIR R4 Questionnaire: colour: Extra inputs are not permitted",
        ),
    ],
)
def test_invalid_questionnaires_are_refused_with_one_clear_line(data, message):
    with pytest.raises(ValueError) as exc:
        fhir.parse_questionnaire(data)

    assert str(exc.value) == message


# --- importing -----------------------------------------------------------------------------------


def test_import_stores_the_wording_and_audits_without_it(db):
    wording = fhir.import_questionnaire(fixture("phq9-test-wording.json"), imported_by="a test")

    assert (wording.instrument_key, wording.language) == ("phq9", "en")
    assert wording.title == "Test PHQ-9 questionnaire"
    assert wording.items["9"] == "Test item nine for PHQ-9"
    assert wording.imported_by == "a test"
    event = AuditEvent.objects.get(object_type="wording")
    assert (event.action, event.object_id, event.actor_id) == ("create", "phq9", None)
    assert event.detail["matched_by"] == "LOINC panel code 44249-1 (PHQ-9)"
    assert "Test item" not in json.dumps(event.detail)


def test_importing_again_replaces_the_wording_of_that_language(db):
    fhir.import_questionnaire(fixture("phq9-test-wording.json"))
    changed = fixture("phq9-test-wording.json")
    changed["item"][1]["item"][0]["text"] = "Changed test item one"

    done = fhir.import_questionnaire_with_report(changed)

    assert done.created is False
    assert Wording.objects.get().items["1"] == "Changed test item one"
    assert AuditEvent.objects.filter(object_type="wording").count() == 2


def test_regional_language_tag_becomes_the_apps_language(db):
    fhir.import_questionnaire(fixture("phq9-test-wording.json"))

    wording = fhir.import_questionnaire(fixture("phq9-test-wording-es.json"))

    assert wording.language == "es"
    assert sorted(Wording.objects.values_list("language", flat=True)) == ["en", "es"]


def test_placeholder_export_cannot_pass_for_the_wording(db):
    exported = fhir.export_questionnaire(definitions.get("phq9"))

    with pytest.raises(ValueError, match="reads 'Item 1', Secure Base's placeholder"):
        fhir.import_questionnaire(exported)
    assert not Wording.objects.exists()


def test_own_wording_instruments_take_no_import(db):
    exported = fhir.export_questionnaire(definitions.get("checkin"))

    with pytest.raises(ValueError, match="uses Secure Base's own wording"):
        fhir.import_questionnaire(exported)


# --- round trip ----------------------------------------------------------------------------------


def test_exported_questionnaire_parses_back_to_the_same_instrument_and_codes():
    exported = fhir.export_questionnaire(definitions.get("phq9"))

    parsed = fhir.parse_questionnaire(copy.deepcopy(exported))

    assert fhir.match_key(parsed) == "phq9"
    assert [item.link_id for item in parsed.items] == [str(n) for n in range(1, 10)]
    assert [item.codes for item in parsed.items] == [(("http://loinc.org", c),) for c in PHQ9_CODES]


def test_uncoded_instrument_exported_here_is_matched_by_its_url():
    exported = fhir.export_questionnaire(definitions.get("core10"))

    match = fhir.explain_match(fhir.parse_questionnaire(exported))

    assert match.key == "core10"
    assert match.reason.startswith("its canonical URL")


def test_questionnaire_round_trips_with_its_wording(db):
    phq9 = definitions.get("phq9")
    imported = fhir.import_questionnaire(fixture("phq9-test-wording.json"))
    first = fhir.export_questionnaire(phq9, imported)

    again = fhir.import_questionnaire(copy.deepcopy(first))
    second = fhir.export_questionnaire(phq9, again)

    assert second == first
    assert structure(second) == structure(fhir.export_questionnaire(phq9))
    assert [item["text"] for item in second["item"]] == [
        f"Test item {w} for PHQ-9"
        for w in ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    ]
    assert second["title"] == "Test PHQ-9 questionnaire"
    assert Wording.objects.count() == 1


# --- completed administrations ------------------------------------------------------------------


def resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


PHQ9_ANSWERS = {"1": 2, "2": 1, "3": 3, "4": 0, "5": 1, "6": 2, "7": 0, "8": 1, "9": 0}


def test_administration_exports_as_valid_fhir_with_the_scores(alex, maya):
    when = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)
    completed, _ = domain.record_administration(
        by=alex, client=maya, key="phq9", answers={"": PHQ9_ANSWERS}, completed_at=when
    )

    bundle = fhir.export_administration(completed.administration, by=alex)

    Bundle.model_validate(bundle)
    assert bundle["type"] == "collection"
    [response] = resources(bundle, "QuestionnaireResponse")
    [observation] = resources(bundle, "Observation")
    QuestionnaireResponse.model_validate(response)
    Observation.model_validate(observation)
    assert response["status"] == "completed"
    assert response["questionnaire"] == "https://securebase.example/fhir/Questionnaire/phq9|2001"
    assert response["authored"] == "2025-03-04T09:30:00Z"
    assert response["subject"] == {"reference": f"Patient/{maya.pk}"}
    assert {i["linkId"]: i["answer"][0]["valueInteger"] for i in response["item"]} == PHQ9_ANSWERS
    expected = scoring.score(definitions.get("phq9"), PHQ9_ANSWERS).scores["total"]
    assert observation["valueQuantity"]["value"] == expected == 10
    assert observation["code"]["coding"] == [{"system": "http://loinc.org", "code": "44261-6"}]
    assert observation["category"][0]["coding"][0]["code"] == "survey"
    assert observation["status"] == "final"
    assert observation["effectiveDateTime"] == "2025-03-04T09:30:00Z"
    assert observation["interpretation"] == [{"text": "Moderate"}]
    response_url = next(
        e["fullUrl"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    )
    assert observation["derivedFrom"] == [{"reference": response_url}]


def test_administration_export_names_no_one(alex, maya):
    completed, _ = domain.record_administration(
        by=alex, client=maya, key="phq9", answers={"": PHQ9_ANSWERS}
    )

    text = json.dumps(fhir.export_administration(completed.administration, by=alex))

    for secret in (maya.name, "Maya", "Okafor", maya.email, alex.email, "Alex Morgan"):
        assert secret not in text


def test_administration_export_is_audited(alex, maya):
    completed, _ = domain.record_administration(
        by=alex, client=maya, key="phq9", answers={"": PHQ9_ANSWERS}
    )

    fhir.export_administration(completed.administration, by=alex)

    event = AuditEvent.objects.get(action="export")
    assert (event.object_type, event.object_id) == (
        "administration",
        str(completed.administration.pk),
    )
    assert (event.actor_id, event.client_id) == (alex.pk, maya.pk)


def test_export_is_stable_between_runs(alex, maya):
    completed, _ = domain.record_administration(
        by=alex, client=maya, key="phq9", answers={"": PHQ9_ANSWERS}
    )

    first = fhir.export_administration(completed.administration, by=alex)

    assert fhir.export_administration(completed.administration, by=alex) == first


def test_per_target_administration_exports_one_response_per_target(alex, maya):
    mother = {"1": 2, "2": 3, "3": 1, "4": 2, "5": 4, "6": 5, "7": 6, "8": 7, "9": 5}
    partner = {"1": 6, "2": 6, "3": 5, "4": 7, "5": 2, "6": 1, "7": 2, "8": 1, "9": 3}
    completed, _ = domain.record_administration(
        by=alex, client=maya, key="ecr-rs", answers={"mother": mother, "partner": partner}
    )
    definition = definitions.get("ecr-rs")

    bundle = fhir.export_administration(completed.administration, by=alex)

    Bundle.model_validate(bundle)
    target_url = "https://securebase.example/fhir/StructureDefinition/relationship-target"
    responses = resources(bundle, "QuestionnaireResponse")
    assert [r["extension"] for r in responses] == [
        [{"url": target_url, "valueString": "mother"}],
        [{"url": target_url, "valueString": "partner"}],
    ]
    assert [len(r["item"]) for r in responses] == [9, 9]
    observations = resources(bundle, "Observation")
    got = {
        (o["extension"][0]["valueString"], o["code"]["coding"][0]["code"]): o["valueQuantity"][
            "value"
        ]
        for o in observations
    }
    expected = {
        (target, f"ecr-rs.{key}"): value
        for target, answers in (("mother", mother), ("partner", partner))
        for key, value in scoring.score(definition, answers).scores.items()
    }
    assert got == expected
    assert {o["code"]["coding"][0]["system"] for o in observations} == {
        "https://securebase.example/fhir/CodeSystem/score"
    }
    urls = {e["resource"]["id"]: e["fullUrl"] for e in bundle["entry"]}
    for observation in observations:
        target = observation["extension"][0]["valueString"]
        response = next(r for r in responses if r["extension"][0]["valueString"] == target)
        assert observation["derivedFrom"] == [{"reference": urls[response["id"]]}]


def test_unfinished_administration_is_not_exported(alex, maya):

    started = AdministrationFactory(
        client=maya,
        instrument_key="phq9",
        instrument_version="2001",
        entered_by=alex,
        in_progress=True,
    )

    with pytest.raises(ValueError, match="only a completed administration"):
        fhir.export_administration(started, by=alex)


def test_importing_loincs_phq9_form_keeps_the_nine_scored_items(db):
    parsed = fhir.parse_questionnaire(fixture("phq9-ten-items.json"))
    texts = fhir.item_wording(parsed, definitions.get("phq9"))
    assert sorted(texts) == list(range(1, 10))
