import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext

from securebase.practise.models import Reflection
from securebase.practise.reflections import domain as reflections
from securebase.understand.models import Moment
from tests.conftest import sign_in


def _moment(as_client, client, *, shared, situation="He went quiet after dinner"):
    as_client.post(
        "/home/moments/new/",
        {
            "kind": "threat",
            "occurred_at": "2026-11-20T21:15",
            "situation": situation,
            "emotion_1": "lonely",
            "intensity_1": "7",
            "submission_id": str(uuid.uuid4()),
        },
    )
    moment = Moment.objects.filter(client=client).order_by("-created_at").first()
    Moment.objects.filter(pk=moment.pk).update(shared=shared)
    moment.refresh_from_db()
    return moment


def test_clinician_reflects_on_a_shared_moment_from_the_moments_page(as_alex, as_maya, maya):
    moment = _moment(as_maya, maya, shared=True)
    page = as_alex.get(f"/clients/{maya.pk}/moments/").content.decode()
    form_url = f"/clients/{maya.pk}/reflections/moment/{moment.pk}/"
    assert f'action="{form_url}"' in page
    response = as_alex.post(form_url, {"text": "You noticed the loneliness early."})
    assert response.status_code == 302
    assert Reflection.objects.get().entry_type == "moment"
    again = as_alex.get(f"/clients/{maya.pk}/moments/").content.decode()
    assert "You noticed the loneliness early." in again


def test_the_form_returns_to_the_moment_on_the_clinician_page(as_alex, as_maya, maya):
    moment = _moment(as_maya, maya, shared=True)
    page = as_alex.get(f"/clients/{maya.pk}/moments/").content.decode()
    back = f"/clients/{maya.pk}/moments/#moment-{moment.pk}"
    assert f'value="{back}"' in page
    response = as_alex.post(
        f"/clients/{maya.pk}/reflections/moment/{moment.pk}/", {"text": "Noted", "next": back}
    )
    assert response["Location"] == back


def test_client_sees_reflections_under_the_moment_and_they_become_seen(as_maya, maya, alex):
    moment = _moment(as_maya, maya, shared=True)
    _moment(as_maya, maya, shared=True, situation="A warm call with my sister")
    reflections.leave_reflection(
        by=alex, entry_type="moment", entry_id=moment.pk, text="A brave thing to write down."
    )
    first = as_maya.get("/home/moments/").content.decode()
    assert "A brave thing to write down." in first
    assert "New reflection from your care team" in first
    assert first.index(f'id="moment-{moment.pk}"') < first.index("A brave thing")
    assert first.count("A brave thing") == 1
    assert Reflection.objects.get().seen_at is not None
    second = as_maya.get("/home/moments/").content.decode()
    assert "A brave thing to write down." in second
    assert "New reflection from your care team" not in second


def test_private_moments_get_no_reflection_form_and_refuse_one(as_alex, as_maya, maya):
    private = _moment(as_maya, maya, shared=False, situation="Only for me")
    page = as_alex.get(f"/clients/{maya.pk}/moments/").content.decode()
    assert str(private.pk) not in page and "Only for me" not in page
    response = as_alex.post(
        f"/clients/{maya.pk}/reflections/moment/{private.pk}/", {"text": "Peeking"}
    )
    assert response.status_code == 404
    assert not Reflection.objects.exists()


def test_outsiders_neither_see_nor_reflect(sam, priya, as_maya, maya, alex):
    moment = _moment(as_maya, maya, shared=True)
    reflections.leave_reflection(by=alex, entry_type="moment", entry_id=moment.pk, text="Kind")
    as_sam, as_priya = sign_in(sam), sign_in(priya.user)
    assert as_sam.get(f"/clients/{maya.pk}/moments/").status_code == 404
    assert as_priya.get(f"/clients/{maya.pk}/moments/").status_code == 404
    url = f"/clients/{maya.pk}/reflections/moment/{moment.pk}/"
    assert as_sam.post(url, {"text": "x"}).status_code == 404
    assert as_priya.post(url, {"text": "x"}).status_code == 404
    assert "Kind" not in as_priya.get("/home/moments/").content.decode()
    assert Reflection.objects.count() == 1


def test_client_moments_query_count_is_constant_with_reflections(as_alex, as_maya, maya, alex):
    def add():
        moment = _moment(as_maya, maya, shared=True)
        reflections.leave_reflection(by=alex, entry_type="moment", entry_id=moment.pk, text="r")

    add()
    as_alex.get(f"/clients/{maya.pk}/moments/")
    with CaptureQueriesContext(connection) as small:
        assert as_alex.get(f"/clients/{maya.pk}/moments/").status_code == 200
    for _ in range(4):
        add()
    with CaptureQueriesContext(connection) as large:
        as_alex.get(f"/clients/{maya.pk}/moments/")
    assert len(small) == len(large)
