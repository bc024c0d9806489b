import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext

from securebase.audit.models import AuditEvent
from securebase.practise.models import Attempt, JournalEntry, Ladder
from tests.factories import bearer

LADDER = {
    "title": "Waiting for replies",
    "climb_peak": 40,
    "climb_attempts": 2,
    "steps": [
        {"description": "Send a text and wait an hour without a follow-up", "predicted_suds": 50},
        {"description": "Say what I need at dinner", "predicted_suds": 80},
    ],
}
ATTEMPT = {"suds_before": 30, "suds_peak": 35, "suds_after": 10, "notes": "He replied later"}


def _post(client, user, url, body, key=None, scope="write"):
    headers = {**bearer(user, scope), "Idempotency-Key": key or str(uuid.uuid4())}
    return client.post(url, body, content_type="application/json", headers=headers)


def _ladder(client, user, maya, **extra):
    return _post(client, user, f"/api/v1/clients/{maya.pk}/ladders", {**LADDER, **extra})


def test_the_clinician_builds_a_ladder_and_a_replay_answers_with_the_same_one(client, alex, maya):
    key = str(uuid.uuid4())
    url = f"/api/v1/clients/{maya.pk}/ladders"
    first = _post(client, alex, url, LADDER, key=key)
    again = _post(client, alex, url, LADDER, key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    steps = first.json()["steps"]
    assert [s["predicted_suds"] for s in steps] == [50, 80]
    assert [s["suggested"] for s in steps] == [True, False]
    assert "2 most recent attempts" in first.json()["rule"]
    assert Ladder.objects.count() == 1
    listed = client.get(url, headers=bearer(maya.user)).json()
    assert [item["id"] for item in listed] == [first.json()["id"]]


def test_the_client_builds_their_own_ladder(client, maya):
    assert _ladder(client, maya.user, maya).status_code == 201


def test_attempts_make_a_step_climbed_and_suggest_the_next(client, alex, maya):
    ladder = _ladder(client, alex, maya).json()
    step = ladder["steps"][0]["id"]
    url = f"/api/v1/ladder-steps/{step}/attempts"
    for peak in (70, 35, 30):
        response = _post(client, maya.user, url, {**ATTEMPT, "suds_peak": peak, "shared": True})
        assert response.status_code == 201
    answer = client.get(f"/api/v1/ladder-steps/{step}", headers=bearer(maya.user)).json()
    assert answer["climbed"] is True
    assert answer["summary"] == {
        "attempts": 3,
        "predicted": 50,
        "first_peak": 70,
        "latest_peak": 30,
        "lowest_peak": 30,
        "mean_peak": 45.0,
        "difference": -20,
        "streak": 2,
    }
    second = client.get(
        f"/api/v1/ladder-steps/{ladder['steps'][1]['id']}", headers=bearer(alex)
    ).json()
    assert (second["climbed"], second["suggested"]) == (False, True)


def test_out_of_range_ratings_answer_422_naming_the_field(client, alex, maya):
    step = _ladder(client, alex, maya).json()["steps"][0]["id"]
    response = _post(
        client, maya.user, f"/api/v1/ladder-steps/{step}/attempts", {**ATTEMPT, "suds_peak": 101}
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"suds_peak"}
    bad_step = _ladder(
        client, alex, maya, steps=[{"description": "x", "predicted_suds": -1}]
    ).json()
    assert "steps.0.predicted_suds" in bad_step["detail"]
    assert not Attempt.objects.exists()


def test_an_attempt_replay_records_once_and_a_journal_entry_goes_with_it(client, alex, maya):
    step = _ladder(client, alex, maya).json()["steps"][0]["id"]
    key = str(uuid.uuid4())
    body = {**ATTEMPT, "journal": {"text": "Shaky, then relieved", "emotions": []}}
    url = f"/api/v1/ladder-steps/{step}/attempts"
    first = _post(client, maya.user, url, body, key=key)
    again = _post(client, maya.user, url, body, key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert Attempt.objects.count() == 1
    entry = JournalEntry.objects.get()
    assert entry.attempt_id == Attempt.objects.get().pk
    assert first.json()["journal_ids"] == [str(entry.pk)]


def test_the_clinician_sees_only_shared_attempts_and_summaries_use_them_alone(client, alex, maya):
    step = _ladder(client, alex, maya).json()["steps"][0]["id"]
    url = f"/api/v1/ladder-steps/{step}/attempts"
    _post(client, maya.user, url, {**ATTEMPT, "suds_peak": 90})
    shared = _post(client, maya.user, url, {**ATTEMPT, "shared": True}).json()
    listed = client.get(url, headers=bearer(alex)).json()
    assert [a["id"] for a in listed] == [shared["id"]]
    assert len(client.get(url, headers=bearer(maya.user)).json()) == 2
    seen = client.get(f"/api/v1/ladder-steps/{step}", headers=bearer(alex)).json()
    assert seen["summary"]["attempts"] == 1


def test_only_the_client_records_attempts_and_outsiders_get_404(client, alex, sam, priya, maya):
    step = _ladder(client, alex, maya).json()["steps"][0]["id"]
    url = f"/api/v1/ladder-steps/{step}/attempts"
    assert _post(client, alex, url, ATTEMPT).status_code == 403
    for outsider in (sam, priya.user):
        assert _post(client, outsider, url, ATTEMPT).status_code == 404
        assert client.get(url, headers=bearer(outsider)).status_code == 404
        assert (
            client.get(f"/api/v1/ladder-steps/{step}", headers=bearer(outsider)).status_code == 404
        )
        assert (
            client.get(f"/api/v1/clients/{maya.pk}/ladders", headers=bearer(outsider)).status_code
            == 404
        )
        assert _ladder(client, outsider, maya).status_code == 404


def test_creates_need_an_idempotency_key_and_a_write_token(client, alex, maya):
    response = client.post(
        f"/api/v1/clients/{maya.pk}/ladders",
        LADDER,
        content_type="application/json",
        headers=bearer(alex, "write"),
    )
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]
    assert (
        _post(client, alex, f"/api/v1/clients/{maya.pk}/ladders", LADDER, scope="read").status_code
        == 403
    )


def test_ladder_text_is_kept_out_of_the_audit_log(client, alex, maya):
    step = _ladder(client, alex, maya).json()["steps"][0]["id"]
    _post(client, maya.user, f"/api/v1/ladder-steps/{step}/attempts", ATTEMPT)
    details = " ".join(str(e.detail) for e in AuditEvent.objects.filter(client_id=maya.pk))
    assert "Waiting" not in details and "replied" not in details
    assert AuditEvent.objects.filter(object_type="attempt", action="create").count() == 1


def _count_queries(client, url, user):
    with CaptureQueriesContext(connection) as seen:
        assert client.get(url, headers=bearer(user)).status_code == 200
    return len(seen)


def test_listing_attempts_costs_the_same_queries_for_two_or_twenty(client, alex, maya):
    step = _ladder(client, alex, maya).json()["steps"][0]["id"]
    url = f"/api/v1/ladder-steps/{step}/attempts"
    body = {**ATTEMPT, "shared": True, "journal": {"text": "Shaky", "emotions": []}}
    for _ in range(2):
        _post(client, maya.user, url, body)
    few = _count_queries(client, url, alex)
    for _ in range(18):
        _post(client, maya.user, url, body)
    assert _count_queries(client, url, alex) == few
    listed = client.get(url, headers=bearer(alex)).json()
    assert len(listed) == 20 and all(len(a["journal_ids"]) == 1 for a in listed)
