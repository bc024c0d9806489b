"""A relationship named in the client's own words (ECR-RS) is kept encrypted, by an opaque key."""

import json
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from securebase.care import export
from securebase.measures import domain, fhir, targets
from securebase.measures.models import Assignment, Score, TargetName, Wording
from securebase.measures.targets import target_label
from tests.conftest import sign_in
from tests.factories import AdministrationFactory, ScoreFactory, bearer

NAMED = "my ex, Samantha Quill"
WORD = "Samantha"  # long enough never to turn up by chance inside an encrypted token
ECR_ANSWERS = {str(n): 4 for n in range(1, 10)}
RESULTS_PAGE_QUERIES = 15  # as in test_administering.py, without a named relationship


@pytest.fixture
def ecr_wording(db):
    return Wording.objects.create(
        instrument_key="ecr-rs",
        language="en",
        title="ECR-RS (test wording)",
        questionnaire={"resourceType": "Questionnaire"},
        items={str(n): f"Test statement {n} written for the test suite" for n in range(1, 10)},
    )


def _assign(alex, client, *names):
    return domain.assign(by=alex, client=client, key="ecr-rs", schedule="weekly", targets=names)


def _answer(alex, client, assignment, value=4):
    answers = {t: {str(n): value for n in range(1, 10)} for t in assignment.targets}
    done, _created = domain.record_administration(
        by=alex, client=client, key="ecr-rs", answers=answers, assignment=assignment
    )
    return done.administration


def _raw_cells_holding(text: str) -> list[tuple[str, str]]:
    """Every (table, cell) of the whole database whose raw stored value contains ``text``."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (names from introspection)
            for row in cursor.fetchall():
                for cell in row:
                    value = cell.decode("utf-8", "replace") if isinstance(cell, bytes) else cell
                    if isinstance(value, str) and text.casefold() in value.casefold():
                        found.append((table, value[:80]))
    return found


def test_a_named_relationship_leaves_no_plain_text_anywhere_in_the_database(
    as_alex, alex, maya, ecr_wording
):
    response = as_alex.post(
        f"/clients/{maya.pk}/measures/",
        {
            "instrument": "ecr-rs",
            "schedule": "weekly",
            "targets": ["partner"],
            "other_target": NAMED,
        },
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(client=maya)
    key = assignment.targets[1]
    _answer(alex, maya, assignment)
    web = sign_in(maya.user)
    second = _assign(alex, maya, NAMED)
    web.post(f"/home/questionnaires/{second.pk}/start/")  # an unfinished administration too

    assert assignment.targets == ["partner", key]
    assert key.startswith("own:") and len(key) == len("own:") + 16
    assert set(Score.objects.filter(client=maya).values_list("target", flat=True)) == {
        "partner",
        key,
    }
    assert _raw_cells_holding(WORD) == []
    assert targets.target_labels(maya) == {key: NAMED}  # kept, encrypted


def test_scores_of_the_same_named_relationship_group_together_across_assignments(
    alex, maya, ecr_wording
):
    first = _assign(alex, maya, NAMED)
    second = _assign(alex, maya, "  My ex,   SAMANTHA quill ")  # same words, other case and spacing
    _answer(alex, maya, first, value=2)
    _answer(alex, maya, second, value=6)

    assert first.targets == second.targets
    assert TargetName.objects.filter(client=maya).count() == 1
    rows = Score.objects.filter(client=maya).order_by("completed_at", "id")
    history = domain.history(rows, "ecr-rs")
    assert list(history) == first.targets
    assert [p.scores["anxiety"] for p in history[first.targets[0]]] == [2, 6]


def test_the_key_stays_when_the_secret_key_changes(alex, maya, settings, ecr_wording):
    first = _assign(alex, maya, NAMED)
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert targets.derive_key(maya.pk, NAMED) != first.targets[0]
    assert _assign(alex, maya, NAMED).targets == first.targets


def test_the_clinician_sees_the_name_on_the_results_page_and_in_the_progress(
    as_alex, alex, maya, ecr_wording
):
    assignment = _assign(alex, maya, NAMED)
    administration = _answer(alex, maya, assignment)

    assert NAMED in as_alex.get(f"/clients/{maya.pk}/measures/").text
    assert NAMED in as_alex.get(f"/clients/{maya.pk}/measures/{administration.pk}/").text
    assert NAMED in as_alex.get(f"/clients/{maya.pk}/progress/").text
    assert NAMED in as_alex.get(f"/clients/{maya.pk}/brief/").text


def test_the_client_sees_the_name_while_answering_and_in_their_results(alex, maya, ecr_wording):
    assignment = _assign(alex, maya, NAMED)
    web = sign_in(maya.user)
    started = web.post(f"/home/questionnaires/{assignment.pk}/start/")
    assert f"About: {NAMED}" in web.get(started["Location"]).text
    assert NAMED in web.get(started["Location"].split("?")[0] + "?all=1").text

    _answer(alex, maya, _assign(alex, maya, NAMED))
    assert NAMED in web.get("/home/questionnaires/").text
    assert NAMED in web.get("/home/progress/").text


def test_the_api_takes_the_words_and_gives_them_back_to_the_clinician_and_the_client(
    client, alex, maya, ecr_wording
):
    created = client.post(
        f"/api/v1/clients/{maya.pk}/measure-assignments",
        {"instrument": "ecr-rs", "schedule": "weekly", "targets": ["mother", NAMED]},
        content_type="application/json",
        headers=bearer(alex, "write"),
    )
    assert created.status_code == 201
    assert created.json()["targets"] == ["mother", NAMED]
    assert WORD not in json.dumps(Assignment.objects.get(client=maya).targets)

    answered = client.post(
        f"/api/v1/clients/{maya.pk}/administrations",
        {"instrument": "ecr-rs", "targets": {NAMED: ECR_ANSWERS, "mother": ECR_ANSWERS}},
        content_type="application/json",
        headers={**bearer(maya.user, "write"), "Idempotency-Key": str(uuid.uuid4())},
    )
    assert answered.status_code == 201
    assert [r["target"] for r in answered.json()["results"]] == [NAMED, "mother"]

    for user in (alex, maya.user):
        headers = bearer(user)
        listed = client.get(f"/api/v1/clients/{maya.pk}/measure-assignments", headers=headers)
        scores = client.get(f"/api/v1/clients/{maya.pk}/scores", headers=headers)
        progress = client.get(f"/api/v1/clients/{maya.pk}/progress", headers=headers)
        assert [a["targets"] for a in listed.json()] == [["mother", NAMED]]
        assert [t["target"] for t in scores.json()["instruments"][0]["targets"]] == [
            NAMED,
            "mother",
        ]
        assert {m["target"] for m in progress.json()["measures"]} == {NAMED, "mother"}


def test_the_fhir_export_and_the_clients_own_export_keep_the_words(alex, maya, ecr_wording):
    administration = _answer(alex, maya, _assign(alex, maya, NAMED))
    administration.refresh_from_db()

    bundle = fhir.export_administration(administration, by=alex)
    named = {
        extension["valueString"]
        for entry in bundle["entry"]
        for extension in entry["resource"].get("extension", [])
    }
    assert named == {NAMED}
    record = export.build(maya)
    (measure,) = record["measures"]
    assert list(measure["answers"]) == [NAMED]
    assert {s["target"] for s in measure["scores"]} == {NAMED}


def test_another_clients_names_never_resolve(alex, sam, maya, priya, ecr_wording):
    theirs = domain.assign(by=sam, client=priya, key="ecr-rs", targets=[NAMED]).targets[0]
    mine = _assign(alex, maya, NAMED).targets[0]
    # Someone sends Priya's key for Maya: it is taken as words, never as Priya's relationship.
    sent = _assign(alex, maya, theirs).targets[0]

    assert mine != theirs
    assert sent not in (mine, theirs)
    assert targets.target_labels(maya) == {mine: NAMED, sent: theirs}
    assert target_label(theirs, targets.target_labels(maya)) == "Another relationship"
    ScoreFactory(
        administration=AdministrationFactory(
            client=maya, instrument_key="ecr-rs", instrument_version="1", in_progress=True
        ),
        client=maya,
        instrument_key="ecr-rs",
        target=theirs,
        subscale="anxiety",
        value=4,
        completed_at=timezone.now(),
    )
    web = sign_in(maya.user)
    page = web.get("/home/questionnaires/").text
    assert "Another relationship" in page


@pytest.mark.parametrize("administrations", [1, 4])
def test_named_relationships_cost_one_query_however_many_scores_there_are(
    client, as_alex, alex, maya, ecr_wording, django_assert_num_queries, administrations
):
    for n in range(administrations):
        _answer(alex, maya, _assign(alex, maya, NAMED, f"my friend number {n}"))
    headers = bearer(alex)
    as_alex.get(f"/clients/{maya.pk}/measures/")
    with django_assert_num_queries(12):  # the 11 of tests/test_api_measures.py, and the names
        scores = client.get(f"/api/v1/clients/{maya.pk}/scores", headers=headers)
    with django_assert_num_queries(RESULTS_PAGE_QUERIES + 1):
        page = as_alex.get(f"/clients/{maya.pk}/measures/")
    assert len(scores.json()["instruments"][0]["targets"]) == administrations + 1
    assert NAMED in page.text and f"my friend number {administrations - 1}" in page.text
