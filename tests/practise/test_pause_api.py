import uuid

from securebase.practise.models import Pause
from tests.factories import bearer

PAUSE = {"body_cues": ["chest"], "emotion": "anxious", "intensity_before": 7, "next_step": "Walk"}


def _post(client, user, body=PAUSE, key="new", scope="write", who=None):
    headers = bearer(user, scope)
    if key:
        headers["Idempotency-Key"] = str(uuid.uuid4()) if key == "new" else key
    return client.post(
        f"/api/v1/clients/{(who or user.client_record).pk}/pauses",
        body,
        content_type="application/json",
        headers=headers,
    )


def test_a_client_logs_a_pause_and_a_replay_answers_with_the_same_id(client, maya):
    key = str(uuid.uuid4())
    first = _post(client, maya.user, key=key)
    again = _post(client, maya.user, key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["shared"] is False
    assert Pause.objects.count() == 1


def test_the_idempotency_key_is_required(client, maya):
    assert _post(client, maya.user, key=None).status_code == 422
    assert not Pause.objects.exists()


def test_out_of_range_ratings_name_the_field(client, maya):
    response = _post(client, maya.user, body={**PAUSE, "intensity_before": 11})
    assert response.status_code == 422
    assert "intensity_before" in {e["field"] for e in response.json()["errors"]}
    response = _post(client, maya.user, body={**PAUSE, "body_cues": ["wings"]})
    assert response.status_code == 422 and "wings" in response.json()["detail"]


def test_rated_again_in_one_call(client, maya):
    response = _post(client, maya.user, body={**PAUSE, "intensity_after": 3})
    assert response.json()["intensity_after"] == 3


def test_lists_show_what_the_caller_may_see(client, alex, sam, priya, maya):
    _post(client, maya.user)
    shared = _post(client, maya.user, body={**PAUSE, "shared": True}).json()
    url = f"/api/v1/clients/{maya.pk}/pauses"
    assert len(client.get(url, headers=bearer(maya.user)).json()) == 2
    assert [p["id"] for p in client.get(url, headers=bearer(alex)).json()] == [shared["id"]]
    for outsider in (sam, priya.user):
        assert client.get(url, headers=bearer(outsider)).status_code == 404
    assert _post(client, alex, who=maya).status_code == 403
    assert _post(client, maya.user, scope="read").status_code == 403
