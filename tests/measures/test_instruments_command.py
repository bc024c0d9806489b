"""`securebase instruments`: list, import and export, and exit 2 on every kind of bad input."""

import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from fhir.resources.R4B.questionnaire import Questionnaire

from securebase.measures import definitions
from securebase.measures.models import Wording

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args) -> str:
    out = io.StringIO()
    call_command("instruments", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refused(*args) -> str:
    with pytest.raises(CommandError) as exc:
        run(*args)
    assert exc.value.returncode == 2
    message = str(exc.value)
    assert "\n" not in message
    return message


def rows(listing: str) -> dict[str, str]:
    lines = listing.splitlines()
    return {line.split()[0]: line for line in lines[1:] if line.strip() and " " in line}


# --- list ----------------------------------------------------------------------------------------


def test_list_shows_every_instrument_with_licence_and_wording_status(db):
    listing = run()

    assert listing.splitlines()[0].split() == ["KEY", "NAME", "LICENCE", "WORDING"]
    table = rows(listing)
    for key, definition in definitions.registry().items():
        line = table[key]
        assert definition.name in line
        assert f" {definition.licence.status} " in line
        if definition.validated:
            assert line.endswith("not loaded")
        else:
            assert line.endswith("own wording (not a validated instrument)")
    assert "securebase instruments import QUESTIONNAIRE.json" in listing


def test_list_is_the_default_subcommand(db):
    assert run("list") == run()


def test_list_names_the_languages_of_loaded_wording(db):
    run("import", str(FIXTURES / "phq9-test-wording.json"))
    run("import", str(FIXTURES / "phq9-test-wording-es.json"))

    table = rows(run("list"))

    assert table["phq9"].endswith("loaded: en, es")
    assert table["gad7"].endswith("not loaded")
    assert table["checkin"].endswith("own wording (not a validated instrument)")


# --- import --------------------------------------------------------------------------------------


def test_import_says_what_it_matched_and_why(db):
    output = run("import", str(FIXTURES / "phq9-test-wording.json"))

    assert output.splitlines() == [
        "Imported the wording of PHQ-9 (phq9), language en: 9 items.",
        "Matched to phq9 by LOINC panel code 44249-1 (PHQ-9).",
    ]
    assert Wording.objects.get().items["1"] == "Test item one for PHQ-9"


def test_import_again_says_it_replaced_the_wording(db):
    run("import", str(FIXTURES / "gad7-test-wording.json"))

    output = run("import", str(FIXTURES / "gad7-test-wording.json"))

    assert output.splitlines()[0] == "Replaced the wording of GAD-7 (gad7), language en: 7 items."


def test_import_without_codes_uses_the_key(db):
    output = run("import", str(FIXTURES / "uncoded-9-items.json"), "--key", "phq9")

    assert "Matched to phq9 by the key given (phq9)" in output
    assert Wording.objects.get(instrument_key="phq9").items["9"] == "Test item 9 without a code"


def test_import_of_a_missing_file_exits_2(db, tmp_path):
    message = refused("import", str(tmp_path / "nowhere.json"))

    assert message == f"cannot read {tmp_path / 'nowhere.json'}: No such file or directory"


def test_import_of_invalid_json_exits_2(db, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"resourceType": "Questionnaire",', encoding="utf-8")

    message = refused("import", str(broken))

    assert message.startswith(f"{broken} is not valid JSON: ")


def test_import_refuses_what_is_not_a_regular_file_without_reading_it(db, tmp_path):
    fifo = tmp_path / "questionnaire.json"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer forever

    assert refused("import", str(fifo)) == f"{fifo} is not a regular file"
    assert refused("import", "/dev/zero") == "/dev/zero is not a regular file"
    assert refused("import", str(tmp_path)) == f"{tmp_path} is not a regular file"


def test_import_refuses_a_file_over_5_mb(db, tmp_path):
    huge = tmp_path / "huge.json"
    huge.write_text('{"resourceType": "Questionnaire", "text": "' + "x" * 5_000_000 + '"}')

    assert refused("import", str(huge)) == f"{huge} is larger than 5 MB"


def test_import_refuses_json_nested_too_deep_with_one_line(db, tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    nested_strings = tmp_path / "brackets-in-text.json"
    nested_strings.write_text(json.dumps({"resourceType": "Patient", "text": "[" * 1000}))

    assert refused("import", str(deep)) == f"{deep} is nested more than 64 levels deep"
    assert "found a Patient" in refused("import", str(nested_strings))  # read: brackets in text


def test_import_of_another_resource_exits_2(db, tmp_path):
    patient = tmp_path / "patient.json"
    patient.write_text(json.dumps({"resourceType": "Patient"}), encoding="utf-8")

    assert (
        refused("import", str(patient)) == f"{patient}: not a FHIR Questionnaire: found a Patient"
    )


def test_import_of_invalid_fhir_exits_2(db, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"resourceType": "Questionnaire"}), encoding="utf-8")

    assert refused("import", str(bad)) == (
        f"{bad}: not a valid FHIR R4 Questionnaire: status: Value for the field 'status' "
        "is required."
    )


def test_import_without_a_match_exits_2(db):
    message = refused("import", str(FIXTURES / "uncoded-9-items.json"))

    assert "cannot tell which instrument this Questionnaire is" in message
    assert "name it with --key" in message
    assert not Wording.objects.exists()


def test_import_with_the_wrong_item_count_exits_2(db):
    message = refused("import", str(FIXTURES / "uncoded-9-items.json"), "--key", "gad7")

    assert "has 9 answerable items but GAD-7 (gad7) has 7" in message
    assert not Wording.objects.exists()


def test_import_with_an_unknown_key_exits_2(db):
    message = refused("import", str(FIXTURES / "uncoded-9-items.json"), "--key", "nope")

    assert "unknown instrument key 'nope'" in message


# --- export --------------------------------------------------------------------------------------


def test_export_prints_a_valid_questionnaire(db):
    exported = json.loads(run("export", "phq9"))

    Questionnaire.model_validate(exported)
    assert exported["code"] == [{"system": "http://loinc.org", "code": "44249-1"}]
    assert exported["item"][0]["text"] == "Item 1"


def test_export_carries_the_imported_wording(db):
    run("import", str(FIXTURES / "phq9-test-wording.json"))

    exported = json.loads(run("export", "phq9"))

    assert exported["item"][0]["text"] == "Test item one for PHQ-9"
    assert exported["language"] == "en"


def test_export_in_a_language(db):
    run("import", str(FIXTURES / "phq9-test-wording.json"))
    run("import", str(FIXTURES / "phq9-test-wording-es.json"))

    exported = json.loads(run("export", "phq9", "--language", "es"))

    assert exported["language"] == "es"
    assert exported["item"][0]["text"] == "Pregunta de prueba 1 para PHQ-9"


def test_export_to_a_file_round_trips_through_import(db, tmp_path):
    run("import", str(FIXTURES / "gad7-test-wording.json"))
    target = tmp_path / "gad7.json"

    output = run("export", "gad7", "--output", str(target))
    run("import", str(target))

    assert output == (
        f"Wrote GAD-7 as a FHIR Questionnaire with the wording imported in en to {target}.\n"
    )
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(run("export", "gad7"))
    assert Wording.objects.count() == 1


def test_export_of_an_unknown_key_exits_2(db):
    assert "unknown instrument 'phq10'" in refused("export", "phq10")


def test_export_in_a_language_not_loaded_exits_2(db):
    run("import", str(FIXTURES / "phq9-test-wording.json"))

    assert refused("export", "phq9", "--language", "es") == (
        "no PHQ-9 wording loaded in language 'es' (loaded: en)"
    )
