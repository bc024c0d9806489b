"""The tapering plan in the API: GET for the client and care team, PUT for the care team."""

import datetime as dt

from securebase.maintain import tapering
from securebase.maintain.models import TaperingPlan
from tests.factories import bearer

START = dt.date(2026, 9, 7)
PHASES = [
    {"kind": "weekly", "planned_start": "2026-09-07"},
    {"kind": "monthly", "planned_start": "2026-11-02"},
]


def _url(client):
    return f"/api/v1/clients/{client.pk}/tapering"


def _put(web, user, client, body, scope="write"):
    return web.put(_url(client), body, content_type="application/json", headers=bearer(user, scope))


def test_the_client_reads_the_plan_with_its_current_phase_and_the_suggestion(client, alex, maya):
    plan = tapering.create_plan(client=maya, by=alex, start=START)
    tapering.move_to_next_phase(by=alex, plan=plan, version=1)

    response = client.get(_url(maya), headers=bearer(maya.user))

    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 2
    assert [p["kind"] for p in body["phases"]] == ["weekly", "fortnightly", "monthly", "booster"]
    assert body["current_phase"]["kind"] == "weekly"
    assert body["suggestion"]["step_down"] is False
    assert [r["code"] for r in body["suggestion"]["reasons"]] == [
        "safety",
        "measures",
        "goals",
        "practice",
    ]


def test_without_a_plan_the_answer_has_no_version_and_no_phases(client, alex, maya):
    body = client.get(_url(maya), headers=bearer(alex)).json()

    assert (body["version"], body["phases"], body["current_phase"]) == (None, [], None)


def test_the_care_team_replaces_the_phases_from_the_version_read(client, alex, maya):
    tapering.create_plan(client=maya, by=alex, start=START)

    response = _put(client, alex, maya, {"version": 1, "phases": PHASES})

    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert [p["kind"] for p in response.json()["phases"]] == ["weekly", "monthly"]


def test_a_stale_version_answers_409_and_overwrites_nothing(client, alex, maya):
    tapering.create_plan(client=maya, by=alex, start=START)
    _put(client, alex, maya, {"version": 1, "phases": PHASES})

    response = _put(client, alex, maya, {"version": 1, "phases": PHASES[:1]})

    assert response.status_code == 409
    assert "it is now version 2" in response.json()["detail"]
    assert TaperingPlan.objects.get().phases.count() == 2


def test_the_client_cannot_write_and_outsiders_get_404(client, alex, sam, priya, maya):
    tapering.create_plan(client=maya, by=alex, start=START)

    assert _put(client, maya.user, maya, {"version": 1, "phases": PHASES}).status_code == 404
    for outsider in (sam, priya.user):
        assert client.get(_url(maya), headers=bearer(outsider)).status_code == 404
        assert _put(client, outsider, maya, {"version": 1, "phases": PHASES}).status_code == 404


def test_a_read_only_token_cannot_replace_the_phases(client, alex, maya):
    tapering.create_plan(client=maya, by=alex, start=START)

    response = _put(client, alex, maya, {"version": 1, "phases": PHASES}, scope="read")

    assert response.status_code == 403
    assert TaperingPlan.objects.get().version == 1


def test_bad_phases_answer_422(client, alex, maya):
    tapering.create_plan(client=maya, by=alex, start=START)
    backwards = [PHASES[1], PHASES[0]]

    assert _put(client, alex, maya, {"version": 1, "phases": backwards}).status_code == 422
    assert _put(client, alex, maya, {"version": 1, "phases": []}).status_code == 422
    assert _put(client, alex, maya, {"version": 1, "phases": PHASES, "x": 1}).status_code == 422
