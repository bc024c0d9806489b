"""Ladder pages: built by either, climbed by the client, read by the care team (shared only)."""

import uuid

import pytest
from django.db import connection

from securebase.audit.models import AuditEvent
from securebase.practise.models import Attempt, JournalEntry, Ladder
from tests.conftest import sign_in
from tests.factories import ladder_form


def _attempt_form(**extra):
    data = {
        "attempted_at": "2026-11-20T21:15",
        "suds_before": "30",
        "suds_peak": "35",
        "suds_after": "10",
        "notes": "No follow-up text, hard but fine",
        "submission_id": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


def test_the_clinician_builds_a_ladder_and_the_client_sees_it(as_alex, as_maya, maya):
    response = as_alex.post(f"/clients/{maya.pk}/ladders/new/", ladder_form())
    ladder = Ladder.objects.get(client=maya)
    assert response["Location"] == f"/clients/{maya.pk}/ladders/{ladder.pk}/"
    assert [s.predicted_suds for s in ladder.steps.all()] == [50, 85]
    page = as_maya.get(f"/home/ladders/{ladder.pk}/")
    assert "Send a text and wait for the reply" in page.text
    assert "2 most recent attempts in a row" in page.text
    assert 'role="img"' in page.text and "<table" in page.text
    assert "Suggested next: step 1" in page.text


def test_a_double_submit_creates_one_ladder(as_maya, maya):
    data = ladder_form()
    as_maya.post("/home/ladders/new/", data)
    as_maya.post("/home/ladders/new/", data)
    assert Ladder.objects.filter(client=maya).count() == 1


def test_bad_input_is_explained_and_what_was_typed_is_kept(as_maya, maya):
    response = as_maya.post(
        "/home/ladders/new/", ladder_form(step_2_predicted="140", climb_peak="")
    )
    assert response.status_code == 400
    assert "Talk about a painful memory" in response.text
    assert not Ladder.objects.exists()


def test_the_client_edits_the_ladder_and_a_stale_edit_is_refused(as_alex, as_maya, maya):
    as_maya.post("/home/ladders/new/", ladder_form())
    ladder = Ladder.objects.get()
    edit = ladder_form(title="Renamed", step_3_description="Set a boundary", step_3_predicted="90")
    edit["version"] = "1"
    assert as_maya.post(f"/home/ladders/{ladder.pk}/edit/", edit).status_code == 302
    ladder.refresh_from_db()
    assert (ladder.title, ladder.steps.count(), ladder.version) == ("Renamed", 3, 2)
    stale = as_alex.post(f"/clients/{maya.pk}/ladders/{ladder.pk}/edit/", {**edit, "title": "Old"})
    assert stale.status_code == 400
    assert "changed elsewhere" in stale.text
    ladder.refresh_from_db()
    assert ladder.title == "Renamed"


def test_attempts_with_a_journal_entry_climb_a_step(as_maya, maya):
    as_maya.post("/home/ladders/new/", ladder_form())
    ladder = Ladder.objects.get()
    first, second = ladder.steps.all()
    journal = {"journal_text": "Wobbly but proud", "emotion_1": "anxious", "intensity_1": "6"}
    as_maya.post(f"/home/ladder-steps/{first.pk}/attempt/", _attempt_form(**journal))
    as_maya.post(f"/home/ladder-steps/{first.pk}/attempt/", _attempt_form(suds_peak="20"))
    assert Attempt.objects.filter(step=first).count() == 2
    entry = JournalEntry.objects.get()
    assert entry.attempt.step == first and entry.text == "Wobbly but proud"
    page = as_maya.get(f"/home/ladders/{ladder.pk}/")
    rows = page.context["rows"]
    assert [r["summary"].climbed for r in rows] == [True, False]
    assert page.context["suggested"] == second
    assert "Wobbly but proud" in page.text


def test_out_of_range_ratings_are_explained_and_kept(as_maya, maya):
    as_maya.post("/home/ladders/new/", ladder_form())
    step = Ladder.objects.get().steps.first()
    response = as_maya.post(
        f"/home/ladder-steps/{step.pk}/attempt/", _attempt_form(suds_peak="101")
    )
    assert response.status_code == 400
    assert "No follow-up text, hard but fine" in response.text
    assert response.context["form"].errors["suds_peak"]
    assert not Attempt.objects.exists()


def test_the_clinician_sees_shared_attempts_only(as_alex, as_maya, maya):
    as_maya.post("/home/ladders/new/", ladder_form())
    ladder = Ladder.objects.get()
    step = ladder.steps.first()
    url = f"/home/ladder-steps/{step.pk}/attempt/"
    as_maya.post(url, _attempt_form(notes="Private try", journal_text="Private feelings"))
    as_maya.post(
        url, _attempt_form(notes="Shared try", shared="on", journal_text="Shared feelings")
    )
    page = as_alex.get(f"/clients/{maya.pk}/ladders/{ladder.pk}/")
    assert "Shared try" in page.text and "Shared feelings" in page.text
    assert "Private try" not in page.text and "Private feelings" not in page.text
    assert page.context["rows"][0]["summary"].attempts == 1
    private = Attempt.objects.get(shared=False)
    as_maya.post(f"/home/attempts/{private.pk}/share/", {"shared": "1"})
    page = as_alex.get(f"/clients/{maya.pk}/ladders/{ladder.pk}/")
    assert "Private try" in page.text and "Private feelings" in page.text


@pytest.mark.parametrize("who", ["sam", "priya"])
def test_nobody_else_sees_or_changes_a_ladder(who, request, as_maya, maya):
    as_maya.post("/home/ladders/new/", ladder_form())
    ladder = Ladder.objects.get()
    step = ladder.steps.first()
    as_maya.post(f"/home/ladder-steps/{step.pk}/attempt/", _attempt_form(shared="on"))
    attempt = Attempt.objects.get()
    user = request.getfixturevalue(who)
    web = sign_in(getattr(user, "user", user))
    assert web.get(f"/clients/{maya.pk}/ladders/").status_code == 404
    assert web.get(f"/clients/{maya.pk}/ladders/{ladder.pk}/").status_code == 404
    assert web.get(f"/home/ladders/{ladder.pk}/").status_code == 404
    assert web.post(f"/home/ladder-steps/{step.pk}/attempt/", _attempt_form()).status_code == 404
    assert web.post(f"/home/attempts/{attempt.pk}/share/", {"shared": "0"}).status_code == 404
    assert Attempt.objects.count() == 1


def test_the_clinician_cannot_record_attempts_for_the_client(as_alex, as_maya, maya):
    as_maya.post("/home/ladders/new/", ladder_form())
    step = Ladder.objects.get().steps.first()
    assert (
        as_alex.post(f"/home/ladder-steps/{step.pk}/attempt/", _attempt_form()).status_code == 404
    )


def test_attempt_text_is_encrypted_and_not_audited(as_maya, maya):
    as_maya.post("/home/ladders/new/", ladder_form())
    step = Ladder.objects.get().steps.first()
    as_maya.post(f"/home/ladder-steps/{step.pk}/attempt/", _attempt_form(notes="Nobody stays"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM practise_attempt")
        assert "Nobody stays" not in cursor.fetchone()[0]
    details = " ".join(str(e.detail) for e in AuditEvent.objects.filter(client_id=maya.pk))
    assert "Nobody stays" not in details
