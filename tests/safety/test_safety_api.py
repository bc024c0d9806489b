"""The safety plan in the API: read, replace from a version, 409 when stale, 404 when foreign."""

from securebase.safety.models import SafetyPlan
from tests.factories import bearer

SECTIONS = {"warning_signs": ["Not sleeping"], "people": [{"name": "Dara", "contact": "0770"}]}


def _url(client):
    return f"/api/v1/clients/{client.pk}/safety-plan"


def _put(web, user, client, body, scope="write"):
    return web.put(_url(client), body, content_type="application/json", headers=bearer(user, scope))


def test_the_client_reads_an_empty_plan_at_version_one(client, maya):
    response = client.get(_url(maya), headers=bearer(maya.user))

    assert response.status_code == 200
    body = response.json()
    assert (body["version"], body["sections"]["coping"], body["client_id"]) == (1, [], str(maya.pk))


def test_the_clinician_replaces_the_plan_from_the_version_read(client, alex, maya):
    response = _put(client, alex, maya, {"version": 1, "sections": SECTIONS})

    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response.json()["sections"]["people"] == [{"name": "Dara", "contact": "0770"}]


def test_a_stale_version_answers_409_naming_the_current_version(client, alex, maya):
    _put(client, alex, maya, {"version": 1, "sections": SECTIONS})

    response = _put(client, maya.user, maya, {"version": 1, "sections": {"coping": ["x"]}})

    assert response.status_code == 409
    assert "it is now version 2" in response.json()["detail"]
    assert SafetyPlan.objects.get().version == 2


def test_someone_off_the_care_team_gets_404(client, sam, priya, maya):
    for outsider in (sam, priya.user):
        assert client.get(_url(maya), headers=bearer(outsider)).status_code == 404
        put = _put(client, outsider, maya, {"version": 1, "sections": SECTIONS})
        assert put.status_code == 404


def test_a_read_only_token_cannot_replace_the_plan(client, maya):
    response = _put(client, maya.user, maya, {"version": 1, "sections": SECTIONS}, scope="read")

    assert response.status_code == 403
    assert not SafetyPlan.objects.filter(version__gt=1).exists()


def test_unknown_fields_are_refused(client, maya):
    response = _put(client, maya.user, maya, {"version": 1, "sections": {"hobbies": ["x"]}})

    assert response.status_code == 422
