"""Recording sessions and the client's topics: who may, idempotency, and the brief's window."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from securebase.audit.models import AuditEvent
from securebase.plan.models import SessionTopic, TherapySession
from securebase.plan.sessions import domain as sessions


def _today(client):
    return sessions.client_today(client)


def test_recording_a_session_twice_with_the_same_id_records_it_once(alex, maya):
    key = uuid.uuid4()
    day = _today(maya) - dt.timedelta(days=1)
    first, created = sessions.record_session(
        maya, by=alex, held_on=day, attended=True, submission_id=key
    )
    again, created_again = sessions.record_session(
        maya, by=alex, held_on=day, attended=True, submission_id=key
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert TherapySession.objects.filter(client=maya).count() == 1
    event = AuditEvent.objects.filter(object_type="therapy_session").get()
    assert event.detail == {"held_on": day.isoformat(), "attended": True}


def test_only_the_care_team_records_a_session(sam, maya):
    for outsider in (sam, maya.user):
        with pytest.raises(sessions.NotAllowed):
            sessions.record_session(maya, by=outsider, held_on=_today(maya), attended=True)
    assert not TherapySession.objects.exists()


def test_a_session_in_the_future_is_refused(alex, maya):
    with pytest.raises(sessions.SessionError):
        sessions.record_session(
            maya, by=alex, held_on=_today(maya) + dt.timedelta(days=1), attended=True
        )


def test_the_window_starts_at_the_clients_start_before_any_session(alex, maya):
    window = sessions.since_last_session(maya)
    assert window.last_session is None
    assert (window.start, window.end) == (
        timezone.localtime(maya.created_at, maya.zone).date(),
        _today(maya),
    )


def test_recording_a_session_moves_the_window_to_it(alex, maya):
    week_ago = _today(maya) - dt.timedelta(days=7)
    sessions.record_session(maya, by=alex, held_on=week_ago, attended=False)
    window = sessions.since_last_session(maya)
    assert (window.start, window.last_session.attended) == (week_ago, False)
    assert window.start_at == sessions.local_midnight(maya, week_ago)

    session, _ = sessions.record_session(maya, by=alex, held_on=_today(maya), attended=True)
    window = sessions.since_last_session(maya)
    assert window.last_session == session
    assert window.start == _today(maya)
    assert window.start_at == session.recorded_at  # recorded the same day: from that moment on


def test_a_client_adds_a_topic_once_and_the_audit_holds_no_words(maya):
    key = uuid.uuid4()
    topic, created = sessions.add_topic(
        maya, by=maya.user, text="  My sister's visit  ", submission_id=key
    )
    again, created_again = sessions.add_topic(
        maya, by=maya.user, text="My sister's visit", submission_id=key
    )
    assert (created, created_again, again.pk) == (True, False, topic.pk)
    assert topic.text == "My sister's visit"
    event = AuditEvent.objects.filter(object_type="session_topic").get()
    assert "sister" not in str(event.detail)


def test_only_the_client_adds_topics_and_empty_ones_are_refused(alex, maya, priya):
    for other in (alex, priya.user):
        with pytest.raises(sessions.NotAllowed):
            sessions.add_topic(maya, by=other, text="x", submission_id=uuid.uuid4())
    with pytest.raises(sessions.SessionError):
        sessions.add_topic(maya, by=maya.user, text="   ", submission_id=uuid.uuid4())
    assert not SessionTopic.objects.exists()


def test_the_care_team_marks_a_topic_discussed_and_the_client_can_no_longer_delete_it(
    alex, sam, maya
):
    topic, _ = sessions.add_topic(maya, by=maya.user, text="Work", submission_id=uuid.uuid4())
    with pytest.raises(sessions.NotAllowed):
        sessions.mark_topic_discussed(topic, by=sam)
    sessions.mark_topic_discussed(topic, by=alex)
    assert list(sessions.open_topics(maya)) == []
    with pytest.raises(sessions.SessionError):
        sessions.delete_topic(topic, by=maya.user)
    assert SessionTopic.objects.filter(pk=topic.pk).exists()


def test_a_client_deletes_an_open_topic(alex, maya):
    topic, _ = sessions.add_topic(maya, by=maya.user, text="Work", submission_id=uuid.uuid4())
    with pytest.raises(sessions.NotAllowed):
        sessions.delete_topic(topic, by=alex)
    sessions.delete_topic(topic, by=maya.user)
    assert not SessionTopic.objects.exists()
