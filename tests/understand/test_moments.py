"""The moments log: quick to log, private unless shared, never duplicated, never overwritten."""

import copy
import uuid

import pytest
from django.db import connection

from securebase.audit.models import AuditEvent
from securebase.understand.models import Moment
from securebase.understand.moments import domain
from tests.conftest import sign_in
from tests.factories import PersonFactory


def _quick(**extra):
    data = {
        "kind": "threat",
        "occurred_at": "2026-11-20T21:15",
        "situation": "He went quiet after dinner and looked at his phone",
        "emotion_1": "lonely",
        "intensity_1": "7",
        "safety_before": "6",
        "safety_after": "3",
        "submission_id": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


def test_a_client_logs_a_quick_moment_and_it_is_private_by_default(as_maya, maya):
    response = as_maya.post("/home/moments/new/", _quick())
    moment = Moment.objects.get(client=maya)
    assert response["Location"] == f"/home/moments/{moment.pk}/?saved=moment-new"
    assert (moment.kind, moment.shared, moment.safety_before, moment.safety_after) == (
        "threat",
        False,
        6,
        3,
    )
    assert domain.emotions_of(moment) == [{"name": "lonely", "intensity": 7}]


def test_the_default_follows_the_clients_sharing_preference(as_maya, maya):
    maya.shares_by_default = True
    maya.save()
    page = as_maya.get("/home/moments/new/")
    assert page.context["form"]["shared"].value() is True


def test_a_double_submit_creates_one_moment(as_maya, maya):
    data = _quick()
    first = as_maya.post("/home/moments/new/", data)
    second = as_maya.post("/home/moments/new/", data)
    assert first["Location"] == second["Location"]
    assert Moment.objects.filter(client=maya).count() == 1


def test_after_a_double_tap_the_page_still_says_the_moment_was_saved(as_maya, maya):
    # The browser drops the first response (and its confirmation) when the second tap is sent.
    data, cookies = _quick(), copy.deepcopy(as_maya.cookies)
    as_maya.post("/home/moments/new/", data)
    as_maya.cookies = cookies
    page = as_maya.post("/home/moments/new/", data, follow=True)
    assert page.text.count("Moment saved.") == 1
    assert Moment.objects.filter(client=maya).count() == 1


def test_bad_input_is_explained_and_nothing_typed_is_lost(as_maya, maya):
    response = as_maya.post(
        "/home/moments/new/", _quick(intensity_1="", occurred_at="", felt_meaning="They'll leave")
    )
    assert response.status_code == 400
    assert "How strong was" in response.text
    assert "He went quiet after dinner" in response.text
    assert "They&#x27;ll leave" in response.text
    assert not Moment.objects.exists()


def test_an_unshared_moment_is_invisible_to_the_clinician(as_alex, as_maya, maya):
    as_maya.post("/home/moments/new/", _quick(situation="Private thing"))
    as_maya.post("/home/moments/new/", _quick(situation="Shared thing", shared="on"))
    page = as_alex.get(f"/clients/{maya.pk}/moments/")
    assert "Shared thing" in page.text
    assert "Private thing" not in page.text
    private = Moment.objects.get(shared=False)
    assert as_alex.get(f"/home/moments/{private.pk}/").status_code == 404


def test_sharing_can_be_changed_per_moment(as_alex, as_maya, maya):
    as_maya.post("/home/moments/new/", _quick(situation="Later shared"))
    moment = Moment.objects.get()
    as_maya.post(f"/home/moments/{moment.pk}/share/", {"shared": "1"})
    assert "Later shared" in as_alex.get(f"/clients/{maya.pk}/moments/").text
    as_maya.post(f"/home/moments/{moment.pk}/share/", {"shared": "0"})
    assert "Later shared" not in as_alex.get(f"/clients/{maya.pk}/moments/").text


@pytest.mark.parametrize("who", ["sam", "priya"])
def test_nobody_else_sees_or_marks_a_clients_moments(who, request, as_maya, maya):
    as_maya.post("/home/moments/new/", _quick(shared="on"))
    moment = Moment.objects.get()
    user = request.getfixturevalue(who)
    web = sign_in(getattr(user, "user", user))
    assert web.get(f"/clients/{maya.pk}/moments/").status_code == 404
    assert web.get(f"/home/moments/{moment.pk}/").status_code == 404
    assert (
        web.post(f"/clients/{maya.pk}/moments/{moment.pk}/discuss/", {"value": "1"}).status_code
        == 404
    )


def test_the_clinician_marks_a_moment_to_discuss_next_session(as_alex, as_maya, maya):
    as_maya.post("/home/moments/new/", _quick(shared="on"))
    moment = Moment.objects.get()
    as_alex.post(f"/clients/{maya.pk}/moments/{moment.pk}/discuss/", {"value": "1"})
    moment.refresh_from_db()
    assert moment.to_discuss is True


def test_the_clinician_filters_by_person_feeling_and_response(as_alex, as_maya, maya):
    partner = PersonFactory(client=maya, name="Sol", term="partner", circle="inner", shared=True)
    as_maya.post(
        "/home/moments/new/",
        _quick(person=str(partner.pk), shared="on", responses=["sought_reassurance"]),
    )
    as_maya.post(
        "/home/moments/new/",
        _quick(emotion_1="calm", kind="connection", situation="Walk together", shared="on"),
    )
    by_person = as_alex.post(f"/clients/{maya.pk}/moments/", {"person": str(partner.pk)})
    assert len(by_person.context["moments"]) == 1
    by_feeling = as_alex.post(f"/clients/{maya.pk}/moments/", {"emotion": "calm"})
    assert [m.situation for m in by_feeling.context["moments"]] == ["Walk together"]
    by_response = as_alex.post(f"/clients/{maya.pk}/moments/", {"response": "sought_reassurance"})
    assert len(by_response.context["moments"]) == 1


def test_a_stale_edit_is_refused_and_both_versions_are_kept(as_maya, maya):
    as_maya.post("/home/moments/new/", _quick())
    moment = Moment.objects.get()
    phone = _quick(situation="Edited on the phone", version="1")
    laptop = _quick(situation="Edited on the laptop", version="1")
    assert as_maya.post(f"/home/moments/{moment.pk}/", phone).status_code == 302
    response = as_maya.post(f"/home/moments/{moment.pk}/", laptop)
    assert response.status_code == 400
    assert "changed on another device" in response.text
    assert "Edited on the phone" in response.text and "Edited on the laptop" in response.text
    moment.refresh_from_db()
    assert moment.situation == "Edited on the phone"


def test_moment_text_is_encrypted_and_kept_out_of_the_audit_log(as_maya, maya):
    as_maya.post("/home/moments/new/", _quick(felt_meaning="Nobody stays"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT felt_meaning FROM understand_moment")
        assert "Nobody stays" not in cursor.fetchone()[0]
    events = AuditEvent.objects.filter(client_id=maya.pk, object_type="moment")
    assert events.count() == 1
    assert "Nobody" not in str(events.get().detail)


def test_the_moments_list_query_count_does_not_grow(as_maya, maya, django_assert_num_queries):
    as_maya.post("/home/moments/new/", _quick())
    as_maya.get("/home/moments/")
    with django_assert_num_queries(10):
        as_maya.get("/home/moments/")
    for _ in range(5):
        as_maya.post("/home/moments/new/", _quick())
    with django_assert_num_queries(10):
        as_maya.get("/home/moments/")


def test_emotions_are_checked_by_the_domain():
    with pytest.raises(domain.MomentError, match="0 to 10"):
        domain.clean_emotions([{"name": "sad", "intensity": 11}])
    assert domain.clean_emotions(
        [{"name": "Sad", "intensity": 3}, {"name": "sad", "intensity": 5}]
    ) == [{"name": "Sad", "intensity": 3}]
