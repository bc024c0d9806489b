"""POST and GET /api/v1/clients/{id}/sessions: the care team records, strict and idempotent."""

import datetime as dt
import uuid

from securebase.plan.models import TherapySession
from securebase.plan.sessions import domain as sessions
from tests.factories import bearer


def _post(client, user, who, body=None, key="new", scope="write"):
    headers = bearer(user, scope)
    if key:
        headers["Idempotency-Key"] = str(uuid.uuid4()) if key == "new" else key
    return client.post(
        f"/api/v1/clients/{who.pk}/sessions",
        body if body is not None else {"date": "2025-02-03", "attended": True},
        content_type="application/json",
        headers=headers,
    )


def test_the_care_team_records_a_session_and_a_replay_answers_200_with_the_same_id(
    client, alex, maya
):
    key = str(uuid.uuid4())
    first = _post(client, alex, maya, key=key)
    again = _post(client, alex, maya, key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert {k: first.json()[k] for k in ("client_id", "date", "attended")} == {
        "client_id": str(maya.pk),
        "date": "2025-02-03",
        "attended": True,
    }
    assert TherapySession.objects.count() == 1
    assert sessions.since_last_session(maya).start == dt.date(2025, 2, 3)


def test_the_same_key_with_another_body_is_refused(client, alex, maya):
    key = str(uuid.uuid4())
    _post(client, alex, maya, key=key)
    response = _post(client, alex, maya, key=key, body={"date": "2025-02-04", "attended": True})
    assert response.status_code == 422
    assert TherapySession.objects.count() == 1


def test_the_idempotency_key_is_required(client, alex, maya):
    assert _post(client, alex, maya, key=None).status_code == 422
    assert not TherapySession.objects.exists()


def test_the_schema_is_strict(client, alex, maya):
    bad_bodies = [
        {"date": "2025-02-03", "attended": "yes"},
        {"date": "2025-02-03", "attended": 1},
        {"date": "03/02/2025", "attended": True},
        {"date": "2025-02-03"},
        {"date": "2025-02-03", "attended": True, "notes": "extra"},
    ]
    for body in bad_bodies:
        assert _post(client, alex, maya, body=body).status_code == 422, body
    future = (sessions.client_today(maya) + dt.timedelta(days=2)).isoformat()
    response = _post(client, alex, maya, body={"date": future, "attended": True})
    assert response.status_code == 422 and "happened" in response.json()["detail"]
    assert not TherapySession.objects.exists()


def test_the_client_gets_403_outsiders_404_and_a_read_token_403(client, alex, sam, maya, priya):
    assert _post(client, maya.user, maya).status_code == 403
    assert _post(client, sam, maya).status_code == 404
    assert _post(client, priya.user, maya).status_code == 404
    assert _post(client, alex, maya, scope="read").status_code == 403
    assert _post(client, alex, priya).status_code == 404
    assert not TherapySession.objects.exists()


def test_the_list_shows_sessions_newest_first_to_the_client_and_the_care_team(
    client, alex, sam, maya, priya
):
    _post(client, alex, maya, body={"date": "2025-01-06", "attended": True})
    _post(client, alex, maya, body={"date": "2025-01-13", "attended": False})
    url = f"/api/v1/clients/{maya.pk}/sessions"
    for reader in (alex, maya.user):
        response = client.get(url, headers=bearer(reader))
        assert response.status_code == 200
        assert [(s["date"], s["attended"]) for s in response.json()] == [
            ("2025-01-13", False),
            ("2025-01-06", True),
        ]
    for outsider in (sam, priya.user):
        assert client.get(url, headers=bearer(outsider)).status_code == 404
