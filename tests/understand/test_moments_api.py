import uuid

from securebase.understand.models import Moment
from tests.factories import bearer

MOMENT = {
    "occurred_at": "2026-11-20T21:15:00+00:00",
    "kind": "threat",
    "situation": "No reply for hours",
    "emotions": [{"name": "anxious", "intensity": 8}],
    "response": ["checked"],
    "safety_before": 5,
    "safety_after": 2,
}


def _post(client, user, body=MOMENT, key=None, scope="write", who=None):
    headers = {**bearer(user, scope), "Idempotency-Key": key or str(uuid.uuid4())}
    return client.post(
        f"/api/v1/clients/{(who or user.client_record).pk}/moments",
        body,
        content_type="application/json",
        headers=headers,
    )


def test_a_client_logs_a_moment_and_a_replay_answers_with_the_same_id(client, maya):
    key = str(uuid.uuid4())
    first = _post(client, maya.user, key=key)
    again = _post(client, maya.user, key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["shared"] is False
    assert Moment.objects.count() == 1


def test_a_replay_with_a_different_body_is_refused(client, maya):
    key = str(uuid.uuid4())
    _post(client, maya.user, key=key)
    response = _post(client, maya.user, body={**MOMENT, "situation": "Other"}, key=key)
    assert response.status_code == 422


def test_bad_fields_are_named(client, maya):
    response = _post(client, maya.user, body={**MOMENT, "safety_after": 11, "kind": "maybe"})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"safety_after", "kind"} <= fields


def test_unknown_checklist_codes_are_refused_with_their_names(client, maya):
    response = _post(client, maya.user, body={**MOMENT, "response": ["teleported"]})
    assert response.status_code == 422
    assert "teleported" in response.json()["detail"]


def test_an_unshared_moment_is_invisible_to_the_clinician_through_the_api(client, alex, maya):
    private = _post(client, maya.user).json()
    shared = _post(client, maya.user, body={**MOMENT, "shared": True}).json()
    listed = client.get(f"/api/v1/clients/{maya.pk}/moments", headers=bearer(alex)).json()
    assert [m["id"] for m in listed] == [shared["id"]]
    assert client.get(f"/api/v1/moments/{private['id']}", headers=bearer(alex)).status_code == 404
    assert client.get(f"/api/v1/moments/{shared['id']}", headers=bearer(alex)).status_code == 200


def test_outsiders_get_404_and_clinicians_cannot_log_for_a_client(client, alex, sam, priya, maya):
    moment = _post(client, maya.user, body={**MOMENT, "shared": True}).json()
    for outsider in (sam, priya.user):
        headers = bearer(outsider)
        assert client.get(f"/api/v1/clients/{maya.pk}/moments", headers=headers).status_code == 404
        assert client.get(f"/api/v1/moments/{moment['id']}", headers=headers).status_code == 404
    assert _post(client, alex, who=maya).status_code == 403
    assert _post(client, sam, who=maya).status_code == 404


def test_a_read_token_cannot_log(client, maya):
    assert _post(client, maya.user, scope="read").status_code == 403


def test_a_moment_without_an_idempotency_key_is_refused(client, maya):
    response = client.post(
        f"/api/v1/clients/{maya.pk}/moments",
        MOMENT,
        content_type="application/json",
        headers=bearer(maya.user, "write"),
    )
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]
