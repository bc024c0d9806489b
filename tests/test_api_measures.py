"""The measures endpoints of the JSON API: catalogue, assigning, submitting answers, scores."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from securebase.audit.models import AuditEvent
from securebase.measures import domain
from securebase.measures import domain as measures_domain
from securebase.measures.models import Administration, Assignment, Score, Wording
from securebase.safety.models import Alert
from tests.factories import bearer

# Test wording only: the licensed PHQ-9 item text is never part of this repository.
PHQ9_TEST_WORDING = {str(n): f"Test question {n} written for the API tests" for n in range(1, 10)}
PHQ9_MILD = {"1": 3, "2": 0, "3": 1, "4": 2, "5": 0, "6": 0, "7": 1, "8": 0, "9": 0}  # total 7
PHQ9_SEVERE = {str(n): 3 for n in range(1, 9)} | {"9": 0}  # total 24
CHECKIN = {"1": 4, "2": 6, "3": 7}
QUERIES_FOR_SCORES = 11  # token, roles, policy, the scores, the audit event


@pytest.fixture
def phq9_wording(db):
    return Wording.objects.create(
        instrument_key="phq9",
        language="en",
        title="PHQ-9 (test wording)",
        questionnaire={"resourceType": "Questionnaire"},
        items=PHQ9_TEST_WORDING,
    )


def post(client, path, body, headers, key=None):
    if key is not None:
        headers = {**headers, "Idempotency-Key": str(key)}
    return client.post(path, body, content_type="application/json", headers=headers)


def submit(client, user, patient, body, key=None):
    return post(
        client,
        f"/api/v1/clients/{patient.pk}/administrations",
        body,
        bearer(user, "write"),
        key or uuid.uuid4(),
    )


# --- catalogue ------------------------------------------------------------------------------------


def test_the_catalogue_lists_every_instrument_and_whether_clients_can_answer_it(client, alex):
    response = client.get("/api/v1/instruments", headers=bearer(alex))
    assert response.status_code == 200
    by_key = {i["key"]: i for i in response.json()}
    assert {"phq9", "checkin", "ecr-rs", "csi4"} <= set(by_key)

    phq9 = by_key["phq9"]
    assert (phq9["short_name"], phq9["licence"], phq9["item_count"]) == ("PHQ-9", "free", 9)
    assert (phq9["scale"]["min"], phq9["scale"]["max"]) == (0, 3)
    assert phq9["subscales"][0] | {"items": None} == {
        "key": "total",
        "name": "Depression severity",
        "method": "sum",
        "better": "lower",
        "items": None,
        "has_reliable_change": True,
        "cutoff": 10.0,
    }
    assert phq9["available_to_clients"] is False
    assert "securebase instruments import" in phq9["reason"]
    assert by_key["checkin"]["available_to_clients"] is True
    assert by_key["checkin"]["reason"] == ""
    assert by_key["ecr-rs"]["targets"] == ["mother", "father", "partner", "best_friend"]
    assert by_key["csi4"]["item_scales"] == {"1": {"min": 0, "max": 6}}
    assert by_key["checkin"]["item_scales"] == {}  # same range on every item


def test_loaded_wording_makes_an_instrument_available(client, alex, phq9_wording):
    by_key = {i["key"]: i for i in client.get("/api/v1/instruments", headers=bearer(alex)).json()}
    assert by_key["phq9"]["available_to_clients"] is True
    assert by_key["phq9"]["wording_languages"] == ["en"]


# --- assigning ------------------------------------------------------------------------------------


def test_a_care_team_clinician_assigns_a_measure(client, alex, maya, phq9_wording):
    response = post(
        client,
        f"/api/v1/clients/{maya.pk}/measure-assignments",
        {"instrument": "phq9", "schedule": "weekly"},
        bearer(alex, "write"),
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["instrument"], body["instrument_name"], body["schedule"]) == (
        "phq9",
        "PHQ-9",
        "weekly",
    )
    assert body["next_due"] == timezone.localdate().isoformat()
    assignment = Assignment.objects.get(client=maya)
    assert str(assignment.pk) == body["id"]
    event = AuditEvent.objects.get(object_type="assignment")
    assert (event.action, event.via, event.client_id) == ("create", "api", maya.pk)

    listed = client.get(f"/api/v1/clients/{maya.pk}/measure-assignments", headers=bearer(alex))
    assert [a["id"] for a in listed.json()] == [body["id"]]
    event = AuditEvent.objects.filter(object_type="assignments").get()
    assert (event.action, event.via, event.actor_id) == ("list", "api", alex.pk)


def test_per_relationship_measures_keep_their_targets(client, alex, maya):
    Wording.objects.create(
        instrument_key="ecr-rs",
        title="ECR-RS (test wording)",
        questionnaire={"resourceType": "Questionnaire"},
        items={str(n): f"Test statement {n}" for n in range(1, 10)},
    )
    response = post(
        client,
        f"/api/v1/clients/{maya.pk}/measure-assignments",
        {"instrument": "ecr-rs", "targets": ["partner", " mother ", "my sister"]},
        bearer(alex, "write"),
    )
    assert response.status_code == 201
    assert response.json()["targets"] == ["partner", "mother", "my sister"]


def test_assigning_without_loaded_wording_is_refused_with_the_reason(client, alex, maya):
    response = post(
        client,
        f"/api/v1/clients/{maya.pk}/measure-assignments",
        {"instrument": "phq9"},
        bearer(alex, "write"),
    )
    assert response.status_code == 422
    assert "wording of PHQ-9 is not loaded" in response.json()["detail"]
    assert not Assignment.objects.exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"instrument": "nope"}, "instrument"),
        ({"instrument": "checkin", "schedule": "daily"}, "schedule"),
        ({"instrument": "checkin", "extra": 1}, "extra"),
    ],
)
def test_bad_assignment_input_names_the_field(client, alex, maya, body, field):
    response = post(
        client, f"/api/v1/clients/{maya.pk}/measure-assignments", body, bearer(alex, "write")
    )
    assert response.status_code == 422
    assert field in {e["field"] for e in response.json()["errors"]}


def test_assigning_is_idempotent_on_the_idempotency_key(client, alex, maya):
    key = uuid.uuid4()
    path = f"/api/v1/clients/{maya.pk}/measure-assignments"
    first = post(client, path, {"instrument": "checkin"}, bearer(alex, "write"), key)
    again = post(client, path, {"instrument": "checkin"}, bearer(alex, "write"), key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Assignment.objects.count() == 1
    other = post(
        client, path, {"instrument": "checkin", "schedule": "weekly"}, bearer(alex, "write"), key
    )
    assert other.status_code == 422
    assert "different" in other.json()["detail"]


def test_a_client_cannot_assign_measures_to_themself(client, maya):
    response = post(
        client,
        f"/api/v1/clients/{maya.pk}/measure-assignments",
        {"instrument": "checkin"},
        bearer(maya.user, "write"),
    )
    assert response.status_code == 403
    assert "care team" in response.json()["detail"]
    assert not Assignment.objects.exists()


def test_a_client_sees_their_own_assignments_but_not_another_clients(client, alex, maya, priya):
    domain.assign(by=alex, client=maya, key="checkin", schedule="weekly")
    mine = client.get(f"/api/v1/clients/{maya.pk}/measure-assignments", headers=bearer(maya.user))
    assert [a["instrument"] for a in mine.json()] == ["checkin"]
    theirs = client.get(
        f"/api/v1/clients/{priya.pk}/measure-assignments", headers=bearer(maya.user)
    )
    assert theirs.status_code == 404


# --- submitting answers ---------------------------------------------------------------------------


def test_a_clinician_enters_a_paper_form_and_gets_scores_and_bands(
    client, alex, maya, phq9_wording
):
    response = submit(client, alex, maya, {"instrument": "phq9", "answers": PHQ9_MILD})
    assert response.status_code == 201
    body = response.json()
    assert body["results"] == [
        {
            "target": "",
            "scores": {"total": 7},
            "bands": {"total": "Mild"},
            "flags": [],
            "missing": [],
        }
    ]
    assert (body["alert"], body["support_url"]) == (False, None)
    assert (body["risk"], body["crisis_resources"]) == (False, None)
    assert str(Administration.objects.get(client=maya).pk) == body["id"]
    event = AuditEvent.objects.get(object_type="administration")
    assert (event.action, event.via, event.actor_id) == ("create", "api", alex.pk)


def test_a_risk_answer_returns_an_alert_and_the_support_page(client, alex, maya, phq9_wording):
    response = submit(client, alex, maya, {"instrument": "phq9", "answers": {**PHQ9_MILD, "9": 1}})
    assert response.status_code == 201
    body = response.json()
    assert (body["alert"], body["support_url"]) == (True, "/support/")
    assert (body["risk"], body["crisis_resources"]["country"]) == (True, "GB")
    assert "999" in [r["phone"] for r in body["crisis_resources"]["resources"]]
    assert body["results"][0]["flags"] == ["risk:item9"]
    assert Alert.objects.filter(client=maya).count() == 1


def test_a_replayed_risk_answer_answers_the_same_risk_and_raises_nothing_new(
    client, alex, maya, phq9_wording
):
    key = uuid.uuid4()
    body = {"instrument": "phq9", "answers": {**PHQ9_MILD, "9": 2}}
    first = submit(client, alex, maya, body, key=key)
    again = submit(client, alex, maya, body, key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert (again.json()["risk"], again.json()["crisis_resources"]) == (
        True,
        first.json()["crisis_resources"],
    )
    assert Alert.objects.filter(client=maya).count() == 1


def test_per_relationship_answers_are_scored_per_target(client, alex, maya):
    answers = {str(n): 4 for n in range(1, 10)}
    response = submit(
        client,
        alex,
        maya,
        {"instrument": "ecr-rs", "targets": {"partner": answers, "mother": {**answers, "7": 7}}},
    )
    assert response.status_code == 201
    results = {r["target"]: r["scores"] for r in response.json()["results"]}
    assert results == {
        "partner": {"avoidance": 4, "anxiety": 4},
        "mother": {"avoidance": 4, "anxiety": 5},
    }


def test_per_relationship_instruments_need_targets(client, alex, maya):
    response = submit(
        client, alex, maya, {"instrument": "ecr-rs", "answers": {str(n): 4 for n in range(1, 10)}}
    )
    assert response.status_code == 422
    assert "per relationship" in response.json()["detail"]


def test_replaying_a_submission_returns_the_first_result_without_new_scores(
    client, alex, maya, phq9_wording
):
    key = uuid.uuid4()
    body = {"instrument": "phq9", "answers": PHQ9_MILD}
    first = submit(client, alex, maya, body, key)
    again = submit(client, alex, maya, body, key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Administration.objects.count() == 1
    assert Score.objects.count() == 1


def test_the_same_key_with_other_answers_is_refused(client, alex, maya, phq9_wording):
    key = uuid.uuid4()
    submit(client, alex, maya, {"instrument": "phq9", "answers": PHQ9_MILD}, key)
    changed = submit(client, alex, maya, {"instrument": "phq9", "answers": PHQ9_SEVERE}, key)
    assert changed.status_code == 422
    assert "different" in changed.json()["detail"]
    assert Score.objects.count() == 1


def test_a_key_first_used_for_another_client_returns_nothing_of_theirs(client, alex, maya, couple):
    jordan, _casey = couple
    key = uuid.uuid4()
    first = submit(client, alex, maya, {"instrument": "checkin", "answers": CHECKIN}, key)
    assert first.status_code == 201
    other = submit(client, alex, jordan, {"instrument": "checkin", "answers": CHECKIN}, key)
    assert other.status_code == 422
    assert str(maya.pk) not in other.text
    assert not Administration.objects.filter(client=jordan).exists()


@pytest.mark.parametrize(
    "answers, words",
    [
        ({**PHQ9_MILD, "4": 5}, "item 4: 5 is out of range; expected a whole number from 0 to 3"),
        ({**PHQ9_MILD, "2": "often"}, "item 2: 'often' is not a number"),
        ({**PHQ9_MILD, "2": 1.5}, "item 2: 1.5 is not allowed"),
        ({**PHQ9_MILD, "10": 1}, "item 10: not an item of PHQ-9 (items 1–9)"),
    ],
)
def test_a_bad_answer_is_refused_naming_the_item(client, alex, maya, answers, words):
    response = submit(client, alex, maya, {"instrument": "phq9", "answers": answers})
    assert response.status_code == 422
    assert words in response.json()["detail"]
    assert not Administration.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"instrument": "checkin"},
        {"instrument": "checkin", "answers": {}},
        {"instrument": "checkin", "answers": CHECKIN, "targets": {"partner": CHECKIN}},
        {"instrument": "checkin", "answers": CHECKIN, "note": "x"},
        {"instrument": "checkin", "answers": CHECKIN, "completed_at": "2024-05-01T10:00:00"},
    ],
)
def test_malformed_submissions_are_refused(client, alex, maya, body):
    response = submit(client, alex, maya, body)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("Invalid input")


def test_completed_at_is_kept_and_must_not_be_in_the_future(client, alex, maya):
    when = timezone.now() - timedelta(days=3)
    body = {"instrument": "checkin", "answers": CHECKIN, "completed_at": when.isoformat()}
    response = submit(client, alex, maya, body)
    assert response.status_code == 201
    assert Administration.objects.get().completed_at == when
    future = (timezone.now() + timedelta(days=1)).isoformat()
    late = submit(client, alex, maya, {**body, "completed_at": future})
    assert late.status_code == 422
    assert "future" in late.json()["detail"]


def test_a_submission_needs_a_uuid_idempotency_key(client, alex, maya):
    path = f"/api/v1/clients/{maya.pk}/administrations"
    body = {"instrument": "checkin", "answers": CHECKIN}
    missing = post(client, path, body, bearer(alex, "write"))
    assert missing.status_code == 422
    assert "Idempotency-Key" in missing.json()["detail"]
    bad = post(client, path, body, bearer(alex, "write"), "not-a-uuid")
    assert bad.status_code == 422
    assert "UUID" in bad.json()["detail"]
    assert not Administration.objects.exists()


def test_a_client_submits_an_assigned_measure_and_reads_their_scores(client, alex, maya, priya):
    domain.assign(by=alex, client=maya, key="checkin", schedule="weekly")
    response = submit(client, maya.user, maya, {"instrument": "checkin", "answers": CHECKIN})
    assert response.status_code == 201
    assert Administration.objects.get().entered_by == maya.user
    scores = client.get(f"/api/v1/clients/{maya.pk}/scores", headers=bearer(maya.user))
    assert scores.status_code == 200
    [checkin] = scores.json()["instruments"]
    assert checkin["targets"][0]["points"][0]["scores"] == {
        "felt_security": 4,
        "closeness": 6,
        "distress": 7,
    }


def test_a_client_cannot_submit_what_was_not_assigned_to_them(client, maya):
    response = submit(client, maya.user, maya, {"instrument": "checkin", "answers": CHECKIN})
    assert response.status_code == 403
    assert "not assigned" in response.json()["detail"]


def test_a_client_cannot_submit_or_read_for_another_client(client, sam, maya, priya):
    domain.assign(by=sam, client=priya, key="checkin")
    body = {"instrument": "checkin", "answers": CHECKIN}
    assert submit(client, maya.user, priya, body).status_code == 404
    path = f"/api/v1/clients/{priya.pk}/scores"
    assert client.get(path, headers=bearer(maya.user)).status_code == 404
    assert not Administration.objects.exists()


# --- scores and reliable change -------------------------------------------------------------------


def test_scores_come_with_reliable_change_since_first_and_previous(
    client, alex, maya, phq9_wording
):
    start = timezone.now() - timedelta(days=30)
    for days, answers in [(0, PHQ9_SEVERE), (14, PHQ9_MILD), (28, PHQ9_MILD)]:
        at = (start + timedelta(days=days)).isoformat()
        body = {"instrument": "phq9", "answers": answers, "completed_at": at}
        assert submit(client, alex, maya, body).status_code == 201
    domain.record_administration(by=alex, client=maya, key="checkin", answers={"": CHECKIN})

    response = client.get(f"/api/v1/clients/{maya.pk}/scores?instrument=phq9", headers=bearer(alex))
    assert response.status_code == 200
    [phq9] = response.json()["instruments"]
    assert (phq9["instrument"], phq9["short_name"]) == ("phq9", "PHQ-9")
    [series] = phq9["targets"]
    assert series["target"] == ""
    first, second, third = series["points"]
    assert (first["scores"], first["bands"]) == ({"total": 24}, {"total": "Severe"})
    assert first["since_first"] == first["since_previous"] == {}
    change = second["since_first"]["total"]
    assert change["verdict"] == "recovered"  # 24 → 7: a fall of 17 ≥ 6, below the cut-off of 10
    assert (change["difference"], change["rc"], change["smallest_reliable"]) == (-17, None, 6)
    assert "published RCI of 6 points" in change["method"]
    assert third["since_first"]["total"]["verdict"] == "recovered"
    assert third["since_previous"]["total"]["verdict"] == "no reliable change"

    everything = client.get(f"/api/v1/clients/{maya.pk}/scores", headers=bearer(alex)).json()
    assert [i["instrument"] for i in everything["instruments"]] == ["checkin", "phq9"]
    event = AuditEvent.objects.filter(object_type="scores").order_by("-id").first()
    assert (event.action, event.via, event.actor_id, event.client_id) == (
        "read",
        "api",
        alex.pk,
        maya.pk,
    )


def test_scores_are_grouped_per_relationship(client, alex, maya):
    answers = {str(n): 4 for n in range(1, 10)}
    body = {"instrument": "ecr-rs", "targets": {"partner": answers, "mother": answers}}
    submit(client, alex, maya, body)
    submit(client, alex, maya, body)
    [ecr] = client.get(f"/api/v1/clients/{maya.pk}/scores", headers=bearer(alex)).json()[
        "instruments"
    ]
    assert {t["target"]: len(t["points"]) for t in ecr["targets"]} == {"partner": 2, "mother": 2}


def test_an_unknown_instrument_filter_is_refused(client, alex, maya):
    response = client.get(f"/api/v1/clients/{maya.pk}/scores?instrument=nope", headers=bearer(alex))
    assert response.status_code == 422
    assert "nope" in response.json()["detail"]


@pytest.mark.parametrize("administrations", [1, 6])
def test_reading_scores_takes_the_same_number_of_queries_however_many_there_are(
    client, alex, maya, django_assert_num_queries, administrations
):
    for _ in range(administrations):
        domain.record_administration(by=alex, client=maya, key="checkin", answers={"": CHECKIN})
        domain.record_administration(
            by=alex,
            client=maya,
            key="ecr-rs",
            answers={"partner": {str(n): 3 for n in range(1, 10)}},
        )
    headers = bearer(alex)
    with django_assert_num_queries(QUERIES_FOR_SCORES):
        response = client.get(f"/api/v1/clients/{maya.pk}/scores", headers=headers)
    points = sum(len(t["points"]) for i in response.json()["instruments"] for t in i["targets"])
    assert points == 2 * administrations


# --- access ---------------------------------------------------------------------------------------


def test_a_read_token_cannot_assign_or_submit(client, alex, maya):
    for path, body in [
        (f"/api/v1/clients/{maya.pk}/measure-assignments", {"instrument": "checkin"}),
        (
            f"/api/v1/clients/{maya.pk}/administrations",
            {"instrument": "checkin", "answers": CHECKIN},
        ),
    ]:
        response = post(client, path, body, bearer(alex, "read"), uuid.uuid4())
        assert response.status_code == 403
        assert "read" in response.json()["detail"]
    assert not Assignment.objects.exists()
    assert not Administration.objects.exists()


def test_sams_token_gets_404_on_alexs_client_at_every_measures_endpoint(client, alex, sam, maya):
    domain.assign(by=alex, client=maya, key="checkin")
    domain.record_administration(by=alex, client=maya, key="checkin", answers={"": CHECKIN})
    headers = bearer(sam, "write")
    base = f"/api/v1/clients/{maya.pk}"
    responses = [
        client.get(f"{base}/measure-assignments", headers=headers),
        client.get(f"{base}/scores", headers=headers),
        client.get(f"{base}/scores?instrument=checkin", headers=headers),
        post(
            client, f"{base}/measure-assignments", {"instrument": "checkin"}, headers, uuid.uuid4()
        ),
        post(
            client,
            f"{base}/administrations",
            {"instrument": "checkin", "answers": CHECKIN},
            headers,
            uuid.uuid4(),
        ),
    ]
    assert [r.status_code for r in responses] == [404] * 5
    assert all(r.json() == {"detail": "Not found."} for r in responses)
    assert Assignment.objects.count() == Administration.objects.count() == 1
    unknown = f"/api/v1/clients/{uuid.uuid4()}/scores"
    assert client.get(unknown, headers=headers).status_code == 404


def test_the_openapi_schema_lists_the_measures_paths(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/instruments",
        "/api/v1/clients/{client_id}/measure-assignments",
        "/api/v1/clients/{client_id}/administrations",
        "/api/v1/clients/{client_id}/scores",
    } <= set(paths)
    assert set(paths["/api/v1/clients/{client_id}/measure-assignments"]) == {"get", "post"}
    headers = [
        p["name"]
        for p in paths["/api/v1/clients/{client_id}/administrations"]["post"]["parameters"]
    ]
    assert "Idempotency-Key" in headers


def test_a_client_answering_through_the_api_fulfils_their_assignment(client, alex, maya):
    assignment = measures_domain.assign(by=alex, client=maya, key="checkin")
    response = client.post(
        f"/api/v1/clients/{maya.pk}/administrations",
        {"instrument": "checkin", "answers": {"1": 5, "2": 6, "3": 3}},
        content_type="application/json",
        headers={**bearer(maya.user, "write"), "Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201
    assignment.refresh_from_db()
    assert assignment.active is False
