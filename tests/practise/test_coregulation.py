"""Co-regulation for couples: both partners see the session; each partner's notes are private."""

import datetime
import uuid

from securebase.audit.models import AuditEvent
from securebase.practise.models import CoregulationNote, CoregulationSession, ToolUse
from tests.conftest import sign_in


def _key():
    return str(uuid.uuid4())


def _start(web, slug="hand-on-heart"):
    response = web.post(f"/home/toolkit/together/{slug}/start/", {"submission_id": _key()})
    assert response.status_code == 302
    return CoregulationSession.objects.latest("started_at")


def test_either_partner_starts_and_both_see_the_session(couple):
    jordan, casey = couple
    as_jordan, as_casey = sign_in(jordan.user), sign_in(casey.user)
    session = _start(as_casey, "hug-and-check-in")
    assert {session.client_id, session.partner_id} == {jordan.pk, casey.pk}
    url = f"/home/toolkit/together/sessions/{session.pk}/"
    assert as_jordan.get(url).status_code == 200
    assert as_casey.get(url).status_code == 200
    assert "/together/sessions/" in as_jordan.get("/home/toolkit/together/").text


def test_starting_is_idempotent(couple):
    jordan, _casey = couple
    web = sign_in(jordan.user)
    data = {"submission_id": _key()}
    web.post("/home/toolkit/together/hand-on-heart/start/", data)
    web.post("/home/toolkit/together/hand-on-heart/start/", data)
    assert CoregulationSession.objects.count() == 1


def test_each_partners_notes_are_private_from_the_other(couple):
    jordan, casey = couple
    as_jordan, as_casey = sign_in(jordan.user), sign_in(casey.user)
    session = _start(as_jordan)
    url = f"/home/toolkit/together/sessions/{session.pk}/"
    as_jordan.post(
        url,
        {
            "notes": "JORDAN-SECRET",
            "intensity_before": "7",
            "intensity_after": "4",
            "submission_id": _key(),
        },
    )
    as_casey.post(url, {"notes": "CASEY-SECRET", "intensity_before": "5", "submission_id": _key()})
    assert CoregulationNote.objects.count() == 2
    assert "JORDAN-SECRET" in as_jordan.get(url).text
    assert "CASEY-SECRET" not in as_jordan.get(url).text
    assert "CASEY-SECRET" in as_casey.get(url).text
    assert "JORDAN-SECRET" not in as_casey.get(url).text
    note = CoregulationNote.objects.get(client=jordan)
    assert (note.intensity_before, note.intensity_after, note.shared) == (7, 4, False)
    use = ToolUse.objects.get(client=jordan)
    assert (use.tool, use.intensity_before, use.intensity_after) == ("coregulation", 7, 4)
    events = AuditEvent.objects.filter(object_type__startswith="coregulation")
    assert events.exists()
    assert all("SECRET" not in str(e.detail) for e in events)


def test_saving_again_updates_the_one_note(couple):
    jordan, _casey = couple
    web = sign_in(jordan.user)
    session = _start(web)
    url = f"/home/toolkit/together/sessions/{session.pk}/"
    web.post(url, {"notes": "first", "submission_id": _key()})
    web.post(url, {"notes": "second", "submission_id": _key()})
    assert CoregulationNote.objects.get().text == "second"


def test_others_cannot_see_the_session(couple, maya, as_sam):
    jordan, _casey = couple
    session = _start(sign_in(jordan.user))
    url = f"/home/toolkit/together/sessions/{session.pk}/"
    assert sign_in(maya.user).get(url).status_code == 404
    assert as_sam.get(url).status_code == 404


def test_a_client_without_a_partner_cannot_start(as_maya):
    response = as_maya.post(
        "/home/toolkit/together/hand-on-heart/start/", {"submission_id": _key()}
    )
    assert response.status_code == 404
    assert "linked" in as_maya.get("/home/toolkit/together/").text


def test_the_care_team_sees_the_session_and_only_shared_notes(couple, as_alex):
    jordan, casey = couple
    as_jordan, as_casey = sign_in(jordan.user), sign_in(casey.user)
    session = _start(as_jordan)
    url = f"/home/toolkit/together/sessions/{session.pk}/"
    as_jordan.post(url, {"notes": "PRIVATE-J", "submission_id": _key()})
    as_casey.post(url, {"notes": "SHARED-C", "shared": "on", "submission_id": _key()})
    for client, hidden, shown in ((jordan, "PRIVATE-J", None), (casey, None, "SHARED-C")):
        page = as_alex.get(f"/clients/{client.pk}/together/")
        assert page.status_code == 200
        assert "Hand on heart, breathe together" in page.text  # the title, not the slug
        if hidden:
            assert hidden not in page.text
        if shown:
            assert shown in page.text


def test_a_colleague_off_the_care_team_sees_nothing(couple, as_sam):
    jordan, _casey = couple
    assert as_sam.get(f"/clients/{jordan.pk}/together/").status_code == 404


def test_the_session_page_says_the_day_it_started_in_one_sentence(couple):
    jordan, _casey = couple
    web = sign_in(jordan.user)
    session = _start(web)
    CoregulationSession.objects.filter(pk=session.pk).update(
        started_at=datetime.datetime(2026, 11, 25, 16, 58, tzinfo=datetime.UTC)
    )

    page = web.get(f"/home/toolkit/together/sessions/{session.pk}/").text

    started = page.split('<p class="muted">', 1)[1].split("</p>", 1)[0]
    assert started == "Started together on Nov. 25, 2026."
