"""The session brief page, recording a session, the printable report and the client's topics."""

import datetime as dt
import re
import uuid

import pytest

from securebase.audit.models import AuditEvent
from securebase.plan.models import SessionTopic, TherapySession
from securebase.plan.sessions import domain as sessions
from tests.factories import lots_of_history


def _brief_url(client):
    return f"/clients/{client.pk}/brief/"


def _report_url(client):
    return f"/clients/{client.pk}/report/"


def test_the_care_team_reads_the_brief_with_its_sections_in_order(as_alex, maya):
    page = as_alex.get(_brief_url(maya))
    assert page.status_code == 200
    headings = re.findall(r'<h2 id="brief-[a-z]+-h">([^<]+)', page.text)
    assert headings == [
        "Record this session",
        "Risk flags",
        "What the client wants to talk about",
        "Moments to discuss",
        "Check-ins",
        "Measures completed",
        "Goals and GAS",
        "Ladder attempts",
        "Experiments",
        "Practice use",
    ]
    assert "No risk flags." in page.text
    assert "No session recorded yet" in page.text


@pytest.mark.parametrize("who", ["as_sam", "as_priya", "as_maya"])
def test_the_brief_is_not_found_for_anyone_else(request, who, maya):
    web = request.getfixturevalue(who)
    assert web.get(_brief_url(maya)).status_code == 404
    assert web.get(_report_url(maya)).status_code == 404
    response = web.post(
        f"/clients/{maya.pk}/brief/sessions/",
        {"held_on": "2025-01-01", "attended": "yes", "submission_id": str(uuid.uuid4())},
    )
    assert response.status_code == 404
    assert not TherapySession.objects.exists()


def test_unknown_clients_are_not_found(as_alex):
    assert as_alex.get("/clients/not-a-uuid/brief/").status_code == 404
    assert as_alex.get(f"/clients/{uuid.uuid4()}/report/").status_code == 404


def test_recording_a_session_from_the_brief_twice_records_it_once(as_alex, maya):
    form = {
        "held_on": sessions.client_today(maya).isoformat(),
        "attended": "no",
        "submission_id": str(uuid.uuid4()),
    }
    first = as_alex.post(f"/clients/{maya.pk}/brief/sessions/", form)
    again = as_alex.post(f"/clients/{maya.pk}/brief/sessions/", form)
    assert (first.status_code, again.status_code) == (302, 302)
    assert first["Location"] == _brief_url(maya)
    session = TherapySession.objects.get()
    assert session.attended is False
    page = as_alex.get(_brief_url(maya))
    assert "Last session" in page.text and "not attended" in page.text


def test_a_future_date_is_refused_next_to_the_field_and_the_form_keeps_it(as_alex, maya):
    future = (sessions.client_today(maya) + dt.timedelta(days=3)).isoformat()
    response = as_alex.post(
        f"/clients/{maya.pk}/brief/sessions/",
        {"held_on": future, "attended": "yes", "submission_id": str(uuid.uuid4())},
    )
    assert response.status_code == 400
    assert "A session can only be recorded once it has happened." in response.text
    assert f'value="{future}"' in response.text
    assert not TherapySession.objects.exists()


def test_the_care_team_marks_a_topic_discussed_and_outsiders_get_404(as_alex, as_sam, maya, priya):
    topic, _ = sessions.add_topic(maya, by=maya.user, text="Holidays", submission_id=uuid.uuid4())
    other, _ = sessions.add_topic(priya, by=priya.user, text="Other", submission_id=uuid.uuid4())
    url = f"/clients/{maya.pk}/brief/topics/{topic.pk}/discussed/"
    assert as_sam.post(url).status_code == 404
    assert as_alex.post(f"/clients/{maya.pk}/brief/topics/{other.pk}/discussed/").status_code == 404
    assert as_alex.post(url).status_code == 302
    topic.refresh_from_db()
    assert topic.discussed_at is not None


def test_the_report_defaults_to_since_the_last_session_and_is_audited_as_an_export(as_alex, maya):
    page = as_alex.get(_report_url(maya))
    assert page.status_code == 200
    assert "Print or save as PDF" in page.text
    assert 'src="/static/securebase/print.js" defer' in page.text
    assert "Progress summary" in page.text
    event = AuditEvent.objects.filter(object_type="session_brief").get()
    assert (event.action, event.detail["format"]) == ("export", "print")


def test_the_report_shows_a_chosen_period_and_presets(as_alex, maya):
    page = as_alex.get(_report_url(maya) + "?start=2025-01-01&end=2025-03-31")
    assert page.status_code == 200
    event = AuditEvent.objects.filter(object_type="session_brief").get()
    assert (event.detail["start"], event.detail["end"]) == ("2025-01-01", "2025-03-31")
    assert as_alex.get(_report_url(maya) + "?preset=3m").status_code == 200


def test_a_backwards_period_is_explained_and_the_dates_are_kept(as_alex, maya):
    page = as_alex.get(_report_url(maya) + "?start=2025-03-01&end=2025-01-01")
    assert page.status_code == 400
    assert "The end of the period must come after its start." in page.text
    assert 'value="2025-03-01"' in page.text


@pytest.mark.parametrize("times", [2, 20])
def test_the_brief_page_keeps_its_query_count_at_ten_times_the_data(
    as_alex, alex, maya, times, django_assert_num_queries
):
    lots_of_history(maya, alex, times)
    with django_assert_num_queries(29):
        assert as_alex.get(_brief_url(maya)).status_code == 200


# --- the client ----------------------------------------------------------------------------


def test_a_client_adds_a_topic_once_and_sees_that_the_care_team_will_read_it(as_maya, maya):
    key = str(uuid.uuid4())
    first = as_maya.post("/home/talk-about/", {"text": "My brother", "submission_id": key})
    again = as_maya.post("/home/talk-about/", {"text": "My brother", "submission_id": key})
    assert (first.status_code, again.status_code) == (302, 302)
    assert [t.text for t in SessionTopic.objects.all()] == ["My brother"]
    page = as_maya.get("/home/talk-about/")
    assert "Your care team will see what you add here" in page.text
    assert "My brother" in page.text


def test_an_empty_topic_is_refused_and_a_long_one_keeps_what_was_typed(as_maya):
    response = as_maya.post("/home/talk-about/", {"text": "", "submission_id": str(uuid.uuid4())})
    assert response.status_code == 400
    long_text = "word " * 300
    response = as_maya.post(
        "/home/talk-about/", {"text": long_text, "submission_id": str(uuid.uuid4())}
    )
    assert response.status_code == 400
    assert long_text.strip() in response.text
    assert not SessionTopic.objects.exists()


def test_the_topics_page_is_for_clients_only(as_alex):
    assert as_alex.get("/home/talk-about/").status_code == 404


def test_a_client_removes_their_own_topic_and_nobody_else_can(as_maya, as_priya, as_alex, maya):
    topic, _ = sessions.add_topic(maya, by=maya.user, text="Sleep", submission_id=uuid.uuid4())
    url = f"/home/talk-about/{topic.pk}/delete/"
    assert as_priya.post(url).status_code == 404
    assert as_alex.post(url).status_code == 404
    assert as_maya.post(url).status_code == 302
    assert not SessionTopic.objects.exists()
