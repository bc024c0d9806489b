import uuid

from securebase.core.versioning import StaleSave
from securebase.practise.experiments import domain
from securebase.practise.models import Experiment, Reflection
from securebase.practise.reflections import domain as reflections
from tests.conftest import sign_in
from tests.factories import bearer

BODY = {"belief": "If I ask for help they will leave", "belief_before": 80, "plan": "Ask Sam"}


def _post(client, user, body=BODY, key=None, who=None):
    headers = {**bearer(user, "write"), "Idempotency-Key": key or str(uuid.uuid4())}
    return client.post(
        f"/api/v1/clients/{(who or user.client_record).pk}/experiments",
        body,
        content_type="application/json",
        headers=headers,
    )


def test_api_create_is_idempotent_and_ranges_name_the_field(client, maya):
    key = str(uuid.uuid4())
    first, again = _post(client, maya.user, key=key), _post(client, maya.user, key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert Experiment.objects.count() == 1
    bad = _post(client, maya.user, body={**BODY, "belief_before": 101})
    assert bad.status_code == 422
    assert "belief_before" in {e["field"] for e in bad.json()["errors"]}
    assert (
        client.post(
            f"/api/v1/clients/{maya.pk}/experiments",
            BODY,
            content_type="application/json",
            headers=bearer(maya.user, "write"),
        ).status_code
        == 422
    )


def test_clinician_sees_only_shared_and_outsiders_get_404(client, alex, sam, priya, maya):
    _post(client, maya.user)
    shared = _post(client, maya.user, body={**BODY, "shared": True}).json()
    listed = client.get(f"/api/v1/clients/{maya.pk}/experiments", headers=bearer(alex)).json()
    assert [e["id"] for e in listed] == [shared["id"]]
    for outsider in (sam, priya.user):
        url = f"/api/v1/clients/{maya.pk}/experiments"
        assert client.get(url, headers=bearer(outsider)).status_code == 404
    assert _post(client, alex, who=maya).status_code == 403


def test_a_stale_edit_is_refused(maya):
    exp, _ = domain.create_experiment(maya, by=maya.user, data=BODY)
    seen = exp.version
    domain.update_experiment(exp, by=maya.user, data={**BODY, "belief_after": 40}, version=seen)
    try:
        domain.update_experiment(exp, by=maya.user, data={**BODY, "outcome": "x"}, version=seen)
    except StaleSave:
        pass
    else:
        raise AssertionError("stale edit saved")
    exp.refresh_from_db()
    assert exp.belief_after == 40 and exp.done_at is not None


def test_pages_reviewed_and_reflection(alex, sam, maya):
    as_maya, as_alex, as_sam = sign_in(maya.user), sign_in(alex), sign_in(sam)
    response = as_maya.post(
        "/home/experiments/new/",
        {**BODY, "submission_id": str(uuid.uuid4()), "shared": "on"},
    )
    assert response.status_code == 302
    exp = Experiment.objects.get()
    assert as_alex.get(f"/clients/{maya.pk}/experiments/").status_code == 200
    assert as_sam.get(f"/clients/{maya.pk}/experiments/").status_code == 404
    as_alex.post(f"/clients/{maya.pk}/experiments/{exp.pk}/reviewed/", {"value": "1"})
    exp.refresh_from_db()
    assert exp.reviewed_at is not None
    as_alex.post(f"/clients/{maya.pk}/reflections/experiment/{exp.pk}/", {"text": "Brave step"})
    assert (
        as_sam.post(
            f"/clients/{maya.pk}/reflections/experiment/{exp.pk}/", {"text": "x"}
        ).status_code
        == 404
    )
    assert Reflection.objects.count() == 1
    page = as_maya.get("/home/experiments/")
    assert "Brave step" in page.content.decode() and "/support/" in page.content.decode()
    assert "Brave step" in as_maya.get("/home/reflections/").content.decode()
    assert "moment" in reflections.REGISTRY


def test_no_reflection_on_a_private_entry(alex, maya):
    exp, _ = domain.create_experiment(maya, by=maya.user, data={**BODY, "shared": False})
    as_alex = sign_in(alex)
    url = f"/clients/{maya.pk}/reflections/experiment/{exp.pk}/"
    assert as_alex.post(url, {"text": "x"}).status_code == 404
    assert not Reflection.objects.exists()
