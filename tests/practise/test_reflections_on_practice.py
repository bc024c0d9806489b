"""Reflections on ladder attempts and journal entries: the clinician leaves one under a shared
entry; the client reads it under the entry on their own page."""

import re
import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext

from securebase.practise.models import Attempt, JournalEntry, Ladder, Reflection
from securebase.practise.reflections import domain as reflections
from tests.conftest import sign_in
from tests.factories import ExperimentFactory

LADDER = {
    "title": "Small tests of security",
    "climb_peak": "40",
    "climb_attempts": "2",
    "step_1_description": "Send a text and wait for the reply",
    "step_1_predicted": "50",
}


def _ladder(as_maya):
    as_maya.post("/home/ladders/new/", {**LADDER, "submission_id": str(uuid.uuid4())})
    return Ladder.objects.get()


def _attempt(as_maya, ladder, *, shared, notes="Hard but fine"):
    step = ladder.steps.get()
    data = {
        "attempted_at": "2026-11-20T21:15",
        "suds_before": "30",
        "suds_peak": "35",
        "suds_after": "10",
        "notes": notes,
        "submission_id": str(uuid.uuid4()),
    }
    if shared:
        data["shared"] = "on"
    as_maya.post(f"/home/ladder-steps/{step.pk}/attempt/", data)
    attempt = Attempt.objects.order_by("-created_at").first()
    Attempt.objects.filter(pk=attempt.pk).update(shared=shared)
    attempt.refresh_from_db()
    return attempt


def _journal(as_maya, maya, *, shared, text="Felt left out when the plans changed"):
    as_maya.post("/home/journal/new/", {"text": text, "submission_id": str(uuid.uuid4())})
    entry = JournalEntry.objects.filter(client=maya).order_by("-created_at").first()
    JournalEntry.objects.filter(pk=entry.pk).update(shared=shared)
    entry.refresh_from_db()
    return entry


# --- ladder attempts ----------------------------------------------------------------------------


def test_clinician_reflects_on_a_shared_attempt_and_the_client_reads_it(as_alex, as_maya, maya):
    ladder = _ladder(as_maya)
    attempt = _attempt(as_maya, ladder, shared=True)
    page_url = f"/clients/{maya.pk}/ladders/{ladder.pk}/"
    page = as_alex.get(page_url).text
    form_url = f"/clients/{maya.pk}/reflections/attempt/{attempt.pk}/"
    back = f"{page_url}#attempt-{attempt.pk}"
    assert f'action="{form_url}"' in page and f'value="{back}"' in page
    response = as_alex.post(form_url, {"text": "You stayed with it.", "next": back})
    assert response["Location"] == back
    assert Reflection.objects.get().entry_type == "attempt"
    assert "You stayed with it." in as_alex.get(page_url).text

    first = as_maya.get(f"/home/ladders/{ladder.pk}/").text
    assert "You stayed with it." in first
    assert "New reflection from your care team" in first
    assert first.index(f'id="attempt-{attempt.pk}"') < first.index("You stayed with it.")
    assert "Leave a short reflection" not in first
    assert Reflection.objects.get().seen_at is not None
    second = as_maya.get(f"/home/ladders/{ladder.pk}/").text
    assert "You stayed with it." in second
    assert "New reflection from your care team" not in second


def test_private_attempts_get_no_form_and_refuse_a_reflection(as_alex, as_maya, maya):
    ladder = _ladder(as_maya)
    private = _attempt(as_maya, ladder, shared=False)
    page = as_alex.get(f"/clients/{maya.pk}/ladders/{ladder.pk}/").text
    assert str(private.pk) not in page and "Leave a short reflection" not in page
    url = f"/clients/{maya.pk}/reflections/attempt/{private.pk}/"
    assert as_alex.post(url, {"text": "Peeking"}).status_code == 404
    assert not Reflection.objects.exists()


def test_outsiders_cannot_reflect_on_an_attempt(sam, priya, as_maya, maya):
    ladder = _ladder(as_maya)
    attempt = _attempt(as_maya, ladder, shared=True)
    url = f"/clients/{maya.pk}/reflections/attempt/{attempt.pk}/"
    assert sign_in(sam).post(url, {"text": "x"}).status_code == 404
    assert sign_in(priya.user).post(url, {"text": "x"}).status_code == 404
    assert not Reflection.objects.exists()


def test_ladder_page_query_count_is_constant_with_reflections(as_alex, as_maya, maya, alex):
    ladder = _ladder(as_maya)
    url = f"/clients/{maya.pk}/ladders/{ladder.pk}/"

    def add():
        attempt = _attempt(as_maya, ladder, shared=True)
        reflections.leave_reflection(by=alex, entry_type="attempt", entry_id=attempt.pk, text="r")

    add()
    as_alex.get(url)
    with CaptureQueriesContext(connection) as small:
        assert as_alex.get(url).status_code == 200
    for _ in range(4):
        add()
    with CaptureQueriesContext(connection) as large:
        assert as_alex.get(url).text.count('<blockquote class="reflection">') == 5
    assert len(small) == len(large)


# --- journal entries ----------------------------------------------------------------------------


def test_clinician_reflects_on_a_shared_journal_entry_and_the_client_reads_it(
    as_alex, as_maya, maya
):
    entry = _journal(as_maya, maya, shared=True)
    page = as_alex.get(f"/clients/{maya.pk}/journal/").text
    form_url = f"/clients/{maya.pk}/reflections/journal/{entry.pk}/"
    back = f"/clients/{maya.pk}/journal/#entry-{entry.pk}"
    assert f'action="{form_url}"' in page and f'value="{back}"' in page
    response = as_alex.post(form_url, {"text": "That sounds lonely.", "next": back})
    assert response["Location"] == back
    assert Reflection.objects.get().entry_type == "journal"

    first = as_maya.get("/home/journal/").text
    assert "That sounds lonely." in first
    assert "New reflection from your care team" in first
    assert first.index(f'id="entry-{entry.pk}"') < first.index("That sounds lonely.")
    assert "Leave a short reflection" not in first
    assert Reflection.objects.get().seen_at is not None
    assert "New reflection from your care team" not in as_maya.get("/home/journal/").text


def test_private_journal_entries_get_no_form_and_refuse_a_reflection(as_alex, as_maya, maya):
    private = _journal(as_maya, maya, shared=False, text="Only for me")
    page = as_alex.get(f"/clients/{maya.pk}/journal/").text
    assert "Only for me" not in page and "Leave a short reflection" not in page
    url = f"/clients/{maya.pk}/reflections/journal/{private.pk}/"
    assert as_alex.post(url, {"text": "Peeking"}).status_code == 404
    assert not Reflection.objects.exists()


def test_journal_page_query_count_is_constant_with_reflections(as_alex, as_maya, maya, alex):
    url = f"/clients/{maya.pk}/journal/"

    def add():
        entry = _journal(as_maya, maya, shared=True)
        reflections.leave_reflection(by=alex, entry_type="journal", entry_id=entry.pk, text="r")

    add()
    as_alex.get(url)
    with CaptureQueriesContext(connection) as small:
        assert as_alex.get(url).status_code == 200
    for _ in range(4):
        add()
    with CaptureQueriesContext(connection) as large:
        assert as_alex.get(url).text.count('<blockquote class="reflection">') == 5
    assert len(small) == len(large)


# --- writing about an experiment ----------------------------------------------------------------


def test_the_client_writes_about_an_experiment_in_the_journal(as_maya, maya, priya):

    experiment = ExperimentFactory(
        client=maya, belief="If I ask for help they will leave", belief_before=80, plan="Ask Sam"
    )
    page = as_maya.get(f"/home/experiments/{experiment.pk}/").text
    link = f"/home/journal/new/?experiment={experiment.pk}"
    assert f'href="{link}"' in page and "Write about this in your journal" in page
    form = as_maya.get(link).text
    assert f'name="experiment" value="{experiment.pk}"' in form
    response = as_maya.post(
        "/home/journal/new/",
        {
            "text": "Asking was easier than I feared",
            "experiment": str(experiment.pk),
            "submission_id": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    assert JournalEntry.objects.get().experiment == experiment
    other = sign_in(priya.user)
    assert other.get(link).status_code == 404
    assert (
        other.post(
            "/home/journal/new/",
            {"text": "x", "experiment": str(experiment.pk), "submission_id": str(uuid.uuid4())},
        ).status_code
        == 404
    )
    assert JournalEntry.objects.count() == 1


def test_the_client_sees_the_clinicians_name_under_a_reflection_not_their_email(
    as_alex, as_maya, maya
):
    ladder = _ladder(as_maya)
    attempt = _attempt(as_maya, ladder, shared=True)
    as_alex.post(
        f"/clients/{maya.pk}/reflections/attempt/{attempt.pk}/", {"text": "You stayed with it."}
    )

    page = as_maya.get(f"/home/ladders/{ladder.pk}/").text

    footer = page.split('<footer class="muted">', 1)[1].split("</footer>", 1)[0]
    assert footer.split(",", 1)[0] == "Alex Morgan"
    assert "alex@example.org" not in page


def test_each_entrys_reflections_are_a_named_group_not_a_landmark(as_alex, as_maya, maya, alex):
    # Landmarks must have unique names, and a ladder page lists many reflected attempts.
    ladder = _ladder(as_maya)
    for _ in range(2):
        attempt = _attempt(as_maya, ladder, shared=True)
        reflections.leave_reflection(by=alex, entry_type="attempt", entry_id=attempt.pk, text="r")

    page = as_maya.get(f"/home/ladders/{ladder.pk}/").text

    group = '<div class="reflections" role="group" aria-label="Reflections from your care team">'
    assert page.count(group) == 2
    assert '<section class="reflections"' not in page


# --- the client's list of reflections -----------------------------------------------------------


def test_the_clients_reflections_open_the_attempt_on_its_ladder_and_the_journal_entry(
    as_maya, maya, alex
):
    ladder = _ladder(as_maya)
    attempt = _attempt(as_maya, ladder, shared=True)
    entry = _journal(as_maya, maya, shared=True)
    reflections.leave_reflection(by=alex, entry_type="attempt", entry_id=attempt.pk, text="a")
    reflections.leave_reflection(by=alex, entry_type="journal", entry_id=entry.pk, text="j")

    page = as_maya.get("/home/reflections/").text

    links = re.findall(r'<a href="([^"]+)">Open the entry</a>', page)
    assert links == [
        f"/home/journal/#entry-{entry.pk}",
        f"/home/ladders/{ladder.pk}/#attempt-{attempt.pk}",
    ]


def test_the_clients_reflections_list_query_count_is_constant(as_maya, maya, alex):
    ladder = _ladder(as_maya)

    def add():
        attempt = _attempt(as_maya, ladder, shared=True)
        entry = _journal(as_maya, maya, shared=True)
        reflections.leave_reflection(by=alex, entry_type="attempt", entry_id=attempt.pk, text="a")
        reflections.leave_reflection(by=alex, entry_type="journal", entry_id=entry.pk, text="j")

    add()
    as_maya.get("/home/reflections/")
    with CaptureQueriesContext(connection) as small:
        assert as_maya.get("/home/reflections/").text.count("Open the entry") == 2
    for _ in range(4):
        add()
    with CaptureQueriesContext(connection) as large:
        assert as_maya.get("/home/reflections/").text.count("Open the entry") == 10
    assert len(small) == len(large)
