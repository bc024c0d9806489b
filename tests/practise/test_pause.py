"""The pause skill: quick on a phone, private unless shared, never duplicated, audited."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from securebase.audit.models import AuditEvent
from securebase.practise.models import Pause
from securebase.practise.pause import domain
from tests.conftest import sign_in
from tests.factories import RitualFactory


def _pause(**extra):
    data = {
        "body_cues": ["chest", "heart"],
        "emotion": "anxious",
        "intensity_before": "8",
        "next_choice": "tool:breathing",
        "submission_id": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


def test_a_client_pauses_and_it_is_private_by_default(as_maya, maya):
    response = as_maya.post("/home/pause/", _pause())
    pause = Pause.objects.get(client=maya)
    assert response["Location"] == f"/home/pause/{pause.pk}/"
    assert (pause.emotion, pause.intensity_before, pause.shared) == ("anxious", 8, False)
    assert pause.body_cues == ["chest", "heart"]
    assert pause.next_step == "Paced breathing"


def test_own_words_win_and_rituals_are_offered_as_next_steps(as_maya, maya):
    ritual = RitualFactory(client=maya, name="Walk round the block")
    page = as_maya.get("/home/pause/")
    assert "Walk round the block" in page.text
    as_maya.post("/home/pause/", _pause(next_choice=f"ritual:{ritual.pk}", own_emotion="wobbly"))
    pause = Pause.objects.get()
    assert (pause.emotion, pause.next_step) == ("wobbly", "Walk round the block")


def test_the_default_follows_the_clients_sharing_preference(as_maya, maya):
    maya.shares_by_default = True
    maya.save()
    assert as_maya.get("/home/pause/").context["form"]["shared"].value() is True


def test_a_double_submit_creates_one_pause(as_maya, maya):
    data = _pause()
    first = as_maya.post("/home/pause/", data)
    second = as_maya.post("/home/pause/", data)
    assert first["Location"] == second["Location"]
    assert Pause.objects.count() == 1


def test_missing_answers_are_explained(as_maya, maya):
    response = as_maya.post("/home/pause/", _pause(emotion="", intensity_before=""))
    assert response.status_code == 400
    assert "Name the feeling" in response.text
    assert not Pause.objects.exists()


def test_rate_again_later(as_maya, maya):
    as_maya.post("/home/pause/", _pause())
    pause = Pause.objects.get()
    assert as_maya.post(f"/home/pause/{pause.pk}/", {"intensity_after": "4"}).status_code == 302
    pause.refresh_from_db()
    assert pause.intensity_after == 4 and pause.rated_again_at is not None
    assert as_maya.post(f"/home/pause/{pause.pk}/", {"intensity_after": "12"}).status_code == 400


def test_the_domain_checks_ranges_and_codes(maya):
    with pytest.raises(domain.PauseError) as err:
        domain.prepared(maya, {"emotion": "sad", "intensity_before": 11})
    assert err.value.field == "intensity_before"
    with pytest.raises(domain.PauseError) as err:
        domain.prepared(maya, {"emotion": "sad", "intensity_before": 3, "body_cues": ["wings"]})
    assert err.value.field == "body_cues" and "wings" in str(err.value)
    with pytest.raises(domain.PauseError) as err:
        domain.prepared(maya, {"emotion": " ", "intensity_before": 3})
    assert err.value.field == "emotion"


def test_unshared_pauses_are_invisible_to_the_clinician(as_alex, as_maya, maya):
    as_maya.post("/home/pause/", _pause(own_emotion="secretword"))
    as_maya.post("/home/pause/", _pause(own_emotion="sharedword", shared="on"))
    page = as_alex.get(f"/clients/{maya.pk}/pauses/")
    assert page.status_code == 200
    assert "sharedword" in page.text and "secretword" not in page.text
    private = Pause.objects.get(shared=False)
    assert as_alex.get(f"/home/pause/{private.pk}/").status_code == 404


def test_sharing_can_be_changed(as_alex, as_maya, maya):
    as_maya.post("/home/pause/", _pause(own_emotion="laterword"))
    pause = Pause.objects.get()
    as_maya.post(f"/home/pause/{pause.pk}/share/", {"shared": "1"})
    assert "laterword" in as_alex.get(f"/clients/{maya.pk}/pauses/").text


@pytest.mark.parametrize("who", ["sam", "priya"])
def test_nobody_else_sees_a_clients_pauses(who, request, as_maya, maya):
    as_maya.post("/home/pause/", _pause(shared="on"))
    pause = Pause.objects.get()
    user = request.getfixturevalue(who)
    web = sign_in(getattr(user, "user", user))
    assert web.get(f"/clients/{maya.pk}/pauses/").status_code == 404
    assert web.get(f"/home/pause/{pause.pk}/").status_code == 404
    assert web.post(f"/home/pause/{pause.pk}/", {"intensity_after": "1"}).status_code == 404


def test_pause_text_is_encrypted_and_kept_out_of_the_audit_log(as_maya, maya):
    as_maya.post("/home/pause/", _pause(next_choice="", own_next_step="Text nobody tonight"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT next_step FROM practise_pause")
        assert "nobody" not in cursor.fetchone()[0]
    events = AuditEvent.objects.filter(client_id=maya.pk, object_type="pause")
    assert events.count() == 1
    assert "nobody" not in str(events.get().detail) and "anxious" not in str(events.get().detail)


@pytest.mark.parametrize("url", ["/home/pause/all/", "clinician"])
def test_pause_lists_query_count_does_not_grow(url, as_maya, as_alex, maya):
    web = as_alex if url == "clinician" else as_maya
    path = f"/clients/{maya.pk}/pauses/" if url == "clinician" else url
    as_maya.post("/home/pause/", _pause(shared="on"))
    web.get(path)
    with CaptureQueriesContext(connection) as small:
        web.get(path)
    for _ in range(5):
        as_maya.post("/home/pause/", _pause(shared="on"))
    with CaptureQueriesContext(connection) as large:
        assert len(web.get(path).context["pauses"]) == 6
    assert len(small) == len(large)
