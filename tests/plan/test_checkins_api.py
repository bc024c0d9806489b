"""The check-in API: POST and GET /api/v1/clients/{id}/checkins."""

import datetime as dt
import uuid

from django.utils import timezone

from securebase.plan.checkins import domain as checkins
from securebase.plan.models import Checkin, CheckinSchedule
from tests.factories import CheckinFactory, bearer

BODY = {"mood": 7, "closeness": 5, "felt_security": 6, "skill": "pause"}
FIELDS = {
    "id", "client_id", "completed_at", "due_at", "late", "mood", "closeness", "felt_security",
    "safety", "skill", "note", "note_shared",
}  # fmt: skip
CREATED_FIELDS = FIELDS | {"risk", "crisis_resources"}


def _post(client, user, body=BODY, key="new", scope="write", who=None):
    headers = bearer(user, scope)
    if key:
        headers["Idempotency-Key"] = str(uuid.uuid4()) if key == "new" else key
    return client.post(
        f"/api/v1/clients/{(who or user.client_record).pk}/checkins",
        body,
        content_type="application/json",
        headers=headers,
    )


def test_a_client_checks_in_and_a_replay_answers_with_the_same_check_in(client, maya):
    key = str(uuid.uuid4())
    first = _post(client, maya.user, key=key)
    again = _post(client, maya.user, key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert set(first.json()) == CREATED_FIELDS
    assert (first.json()["safety"], first.json()["risk"]) == (None, False)
    assert first.json()["id"] == again.json()["id"]
    assert (first.json()["mood"], first.json()["skill"], first.json()["late"]) == (
        7,
        "pause",
        False,
    )
    assert Checkin.objects.count() == 1


def test_the_idempotency_key_is_required(client, maya):
    assert _post(client, maya.user, key=None).status_code == 422
    assert not Checkin.objects.exists()


def test_out_of_range_ratings_and_unknown_fields_are_refused(client, maya):
    assert _post(client, maya.user, body={**BODY, "mood": 11}).status_code == 422
    assert _post(client, maya.user, body={**BODY, "energy": 3}).status_code == 422
    response = _post(client, maya.user, body={**BODY, "skill": "flying"})
    assert response.status_code == 422
    assert response.json() == {"detail": "Choose a skill from the list."}


def test_a_missed_slot_is_filled_in_late_through_the_api(client, maya):
    saved = checkins.set_schedule(
        maya, by=maya.user, cadence="daily", weekdays=[], times=["03:00"], remind=False,
        active=True, version=0,
    )  # fmt: skip
    CheckinSchedule.objects.filter(pk=saved.pk).update(
        starts_on=timezone.localdate() - dt.timedelta(days=5)
    )
    maya.refresh_from_db()
    slot = checkins.missed_slots(maya)[0]
    response = _post(client, maya.user, body={**BODY, "due_at": slot.isoformat()})
    assert response.status_code == 201
    assert response.json()["late"] is True
    assert dt.datetime.fromisoformat(response.json()["due_at"]) == slot
    not_a_slot = _post(client, maya.user, body={**BODY, "due_at": (slot + dt.timedelta(hours=1)).isoformat()})  # fmt: skip
    assert not_a_slot.status_code == 422


def test_the_care_team_sees_a_note_only_when_shared(client, alex, sam, priya, maya):
    _post(client, maya.user, body={**BODY, "note": "private", "note_shared": False})
    _post(client, maya.user, body={**BODY, "note": "shared", "note_shared": True})
    url = f"/api/v1/clients/{maya.pk}/checkins"
    own = client.get(url, headers=bearer(maya.user)).json()
    team = client.get(url, headers=bearer(alex)).json()
    assert sorted(c["note"] for c in own) == ["private", "shared"]
    assert sorted(str(c["note"]) for c in team) == ["None", "shared"]
    assert [c["mood"] for c in team] == [7, 7]
    for outsider in (sam, priya.user):
        assert client.get(url, headers=bearer(outsider)).status_code == 404
        assert _post(client, outsider, who=maya).status_code == 404


def test_clinicians_and_read_tokens_cannot_check_in(client, alex, maya):
    assert _post(client, alex, who=maya).status_code == 403
    assert _post(client, maya.user, scope="read").status_code == 403
    assert not Checkin.objects.exists()


def test_the_openapi_schema_lists_the_check_in_paths(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/clients/{client_id}/checkins"]) == {"get", "post"}


def test_the_care_team_cannot_tell_from_the_api_that_a_check_in_has_a_private_note(
    client, alex, maya
):
    CheckinFactory(client=maya, mood=5, closeness=5, felt_security=5, note="x")
    CheckinFactory(client=maya, mood=5, closeness=5, felt_security=5, note_shared=True)
    url = f"/api/v1/clients/{maya.pk}/checkins"
    rows = client.get(url, headers=bearer(alex)).json()
    assert {(r["note"], r["note_shared"]) for r in rows} == {(None, None), ("", True)}
