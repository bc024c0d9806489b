"""Risk that used to go unseen: a second check-in, an edit after acknowledgement, an email that
never left, and free text the risk-language check did not read.

Each test first showed the gap (no alert, or an alert that claimed to be emailed), then passes.
"""

import datetime as dt
import io
import uuid

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from securebase.plan.checkins import domain as checkins
from securebase.plan.models import Checkin, CheckinSchedule, SessionTopic
from securebase.practise.models import (
    CoregulationNote,
    CoregulationSession,
    Reframe,
    Request,
    Ritual,
    ToolUse,
)
from securebase.safety.alerts import domain as alerts
from securebase.safety.flags import domain as flags
from securebase.safety.models import Alert
from securebase.understand.models import Moment
from tests.clock import FROZEN_NOW
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

RISKY = "Some nights I think about ending my life"
TOLD = "Your care team has been told and will be in touch."
PRIVATE = (
    "This entry stays private. Your care team has been told that something you wrote raised "
    "concern — not what you wrote."
)
RATINGS = {"mood": 6, "closeness": 4, "felt_security": 5}
CHECKIN = {"mood": "4", "closeness": "5", "felt_security": "3", "skill": ""}
# Yesterday's 19:00 check-in slot, seen from the frozen moment.
SLOT = (FROZEN_NOW - dt.timedelta(days=1)).replace(hour=19, minute=0, second=0, microsecond=0)


def _key():
    return str(uuid.uuid4())


def _support_page(response) -> bool:
    return response.status_code == 200 and response.templates[0].name == "safety/support.html"


# --- 1. a second check-in within an answered slot ------------------------------------------------


def _daily(client, by, times):
    saved = checkins.set_schedule(
        client, by=by, cadence="daily", weekdays=[], times=list(times), remind=True,
        active=True, version=0,
    )  # fmt: skip
    CheckinSchedule.objects.filter(pk=saved.pk).update(
        starts_on=timezone.localdate() - dt.timedelta(days=10)
    )
    client.refresh_from_db()


def _check_in(client, now, **data):
    return checkins.record_checkin(
        client, by=client.user, data={**RATINGS, **data}, submission_id=uuid.uuid4(), now=now
    )


def test_a_second_check_in_in_an_answered_slot_is_saved_unscheduled_and_its_yes_raises_a_flag(
    alex, maya
):
    _daily(maya, alex, ("19:00",))
    calm, _ = _check_in(maya, SLOT + dt.timedelta(minutes=5), safety=0)
    worried, created = _check_in(maya, SLOT + dt.timedelta(hours=1), safety=2, note=RISKY)
    assert created
    assert (calm.due_at, worried.due_at, worried.late) == (SLOT, None, False)
    assert worried.risk_alert is not None
    assert sorted(
        Alert.objects.filter(client=maya).values_list("kind", "source_type", "source_id")
    ) == sorted(
        [
            (Alert.Kind.RISK_CHECKIN, "checkin", worried.pk),
            (Alert.Kind.RISK_WORDS, "checkin", worried.pk),
        ]
    )


def test_a_late_fill_in_of_a_slot_answered_meanwhile_still_raises_its_flag(alex, maya):
    _daily(maya, alex, ("19:00",))
    slot = SLOT - dt.timedelta(days=2)
    _check_in(maya, FROZEN_NOW - dt.timedelta(hours=3), due_at=slot.isoformat())
    _check_in(maya, FROZEN_NOW - dt.timedelta(hours=2), due_at=slot.isoformat(), safety=2)
    assert Checkin.objects.count() == 2
    assert Alert.objects.filter(client=maya, kind=Alert.Kind.RISK_CHECKIN).count() == 1


def test_a_worried_second_check_in_on_the_page_answers_with_the_support_page(alex, as_maya, maya):
    _daily(maya, alex, (timezone.now().strftime("%H:%M"),))
    first = as_maya.post("/home/check-in/", {**CHECKIN, "safety": "0", "submission_id": _key()})
    assert first.status_code == 302
    page = as_maya.get("/home/check-in/").text
    assert "You already checked in for this time; you can check in again any time." in page
    assert 'name="safety"' in page  # the form is still offered
    second = as_maya.post(
        "/home/check-in/", {**CHECKIN, "safety": "2", "note": "Scared", "submission_id": _key()}
    )
    assert _support_page(second) and TOLD in second.text
    later = Checkin.objects.get(client=maya, due_at__isnull=True)
    alert = Alert.objects.get(client=maya)
    assert (alert.kind, alert.source_id, alert.detail) == (
        Alert.Kind.RISK_CHECKIN,
        later.pk,
        {"answer": 2},
    )
    assert Checkin.objects.filter(client=maya).count() == 2


# --- 2. an edit after the first alert was acknowledged -------------------------------------------


def test_an_open_alert_suppresses_a_new_one_but_an_acknowledged_one_does_not(alex, maya):
    entry = uuid.uuid4()
    first, _ = flags.raise_flag(
        maya, kind=Alert.Kind.RISK_WORDS, source_type="moment", source_id=entry, shared=False
    )
    again, created = flags.raise_flag(
        maya, kind=Alert.Kind.RISK_WORDS, source_type="moment", source_id=entry, shared=False
    )
    assert (again.pk, created) == (first.pk, False)
    flags.acknowledge(first, by=alex, note="Called Maya; safe tonight.")
    new, created = flags.raise_flag(
        maya, kind=Alert.Kind.RISK_WORDS, source_type="moment", source_id=entry, shared=False
    )
    assert created and new.pk != first.pk and new.acknowledged_at is None


def test_the_database_allows_one_open_alert_per_entry_and_kind(maya):
    entry = uuid.uuid4()
    fields = {"client": maya, "kind": Alert.Kind.RISK_WORDS, "source_type": "journal"}
    Alert.objects.create(**fields, source_id=entry, acknowledged_at=timezone.now())
    Alert.objects.create(**fields, source_id=entry)
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(**fields, source_id=entry)


def test_editing_a_moment_to_add_risk_words_after_acknowledgement_opens_a_new_alert(
    alex, as_maya, maya
):
    form = {
        "kind": "threat",
        "occurred_at": (FROZEN_NOW - dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "emotion_1": "lonely",
        "intensity_1": "7",
        "shared": "on",
    }
    as_maya.post("/home/moments/new/", {**form, "situation": RISKY, "submission_id": _key()})
    moment = Moment.objects.get()
    flags.acknowledge(Alert.objects.get(), by=alex, note="Talked it through in session.")
    edit = {**form, "situation": RISKY + ". It came back tonight, worse.", "version": "1"}
    response = as_maya.post(f"/home/moments/{moment.pk}/", edit)
    assert _support_page(response) and TOLD in response.text
    opened = Alert.objects.get(acknowledged_at__isnull=True)
    assert (opened.source_type, opened.source_id) == ("moment", moment.pk)
    assert Alert.objects.count() == 2


# --- 3. an email that could not be sent ----------------------------------------------------------


def _failing_mail(*args, **kwargs):
    raise OSError("mail server timed out")


def test_when_no_email_could_be_sent_the_alert_stays_unsent_and_the_worker_retries_it(
    alex, maya, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(flags, "send_mail", _failing_mail)
    with django_capture_on_commit_callbacks(execute=True):
        alert, _ = flags.raise_flag(
            maya, kind=Alert.Kind.RISK_CHECKIN, source_type="checkin", source_id=uuid.uuid4()
        )
    alert.refresh_from_db()
    assert alert.emailed_at is None
    assert mail.outbox == []
    monkeypatch.undo()
    assert flags.retry_unsent_alerts() == 0  # too young: it may still be on its way
    later = timezone.now() + dt.timedelta(minutes=2)
    assert flags.retry_unsent_alerts(now=later) == 1
    (message,) = mail.outbox
    assert message.to == [alex.email]
    alert.refresh_from_db()
    assert alert.emailed_at is not None
    assert flags.retry_unsent_alerts(now=later) == 0  # never twice


def test_the_reminders_command_retries_unsent_alert_emails(alex, maya):
    alert = Alert.objects.create(
        client=maya, kind=Alert.Kind.RISK_WORDS, source_type="journal", source_id=uuid.uuid4()
    )
    Alert.objects.filter(pk=alert.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    call_command("reminders", "--run", stdout=io.StringIO())
    (message,) = mail.outbox
    assert message.to == [alex.email]
    alert.refresh_from_db()
    assert alert.emailed_at is not None


def test_an_acknowledged_alert_is_not_emailed_again(alex, maya):
    alert = Alert.objects.create(
        client=maya,
        kind=Alert.Kind.RISK_WORDS,
        source_type="journal",
        source_id=uuid.uuid4(),
        acknowledged_at=timezone.now(),
    )
    assert flags.retry_unsent_alerts(now=timezone.now() + dt.timedelta(hours=1)) == 0
    assert mail.outbox == []
    assert Alert.objects.get(pk=alert.pk).emailed_at is None


def test_mail_waits_at_most_ten_seconds_for_the_server_by_default(settings):
    assert settings.EMAIL_TIMEOUT == 10


# --- 4. free text that was never read for risk words ---------------------------------------------

# Each flow: the URL of the form, its data around the risky text, the model, the source type.
FLOWS = {
    "reframe": (
        "/home/toolkit/reframes/new/",
        lambda text: {
            "situation": "No reply",
            "automatic_thought": text,
            "emotion": "afraid",
            "intensity_before": "8",
        },
        Reframe,
        "reframe",
    ),
    "request": (
        "/home/toolkit/requests/new/",
        lambda text: {"i_feel": text, "i_ask": "a call on Sundays"},
        Request,
        "request",
    ),
    "ritual": (
        "/home/toolkit/rituals/new/",
        lambda text: {"name": "Warm tea", "steps": text},
        Ritual,
        "ritual",
    ),
    "tool_use": (
        "/home/toolkit/grounding/",
        lambda text: {"intensity_before": "7", "notes": text},
        ToolUse,
        "tool_use",
    ),
}


@pytest.mark.parametrize("shared", [True, False], ids=["shared", "private"])
@pytest.mark.parametrize("flow", list(FLOWS))
def test_risk_words_in_a_toolkit_entry_raise_a_flag_and_answer_with_the_support_page(
    flow, shared, as_maya, maya
):
    url, data, model, source = FLOWS[flow]
    form = {**data(RISKY), "submission_id": _key()}
    if shared:
        form["shared"] = "on"
    response = as_maya.post(url, form)
    entry = model.objects.get(client=maya)
    alert = Alert.objects.get(client=maya)
    assert _support_page(response) and TOLD in response.text
    assert (PRIVATE in response.text) is not shared
    assert (alert.kind, alert.source_type, alert.source_id, alert.source_shared) == (
        Alert.Kind.RISK_WORDS,
        source,
        entry.pk,
        shared,
    )


@pytest.mark.parametrize("flow", list(FLOWS))
def test_a_calm_toolkit_entry_saves_as_usual(flow, as_maya, maya):
    url, data, model, _source = FLOWS[flow]
    response = as_maya.post(url, {**data("A quiet evening"), "submission_id": _key()})
    assert response.status_code == 302
    assert model.objects.filter(client=maya).count() == 1
    assert not Alert.objects.exists()


def test_editing_a_ritual_into_risk_words_raises_a_flag(as_maya, maya):
    as_maya.post("/home/toolkit/rituals/new/", {"name": "Warm tea", "submission_id": _key()})
    ritual = Ritual.objects.get()
    response = as_maya.post(f"/home/toolkit/rituals/{ritual.pk}/", {"name": "Tea", "steps": RISKY})
    assert _support_page(response) and PRIVATE in response.text
    alert = Alert.objects.get()
    assert (alert.source_type, alert.source_id) == ("ritual", ritual.pk)


def test_how_a_request_went_is_read_for_risk_words(as_maya, maya):
    as_maya.post("/home/toolkit/requests/new/", {"i_ask": "a call", "submission_id": _key()})
    req = Request.objects.get()
    response = as_maya.post(f"/home/toolkit/requests/{req.pk}/", {"how_it_went": RISKY})
    assert _support_page(response)
    alert = Alert.objects.get()
    assert (alert.source_type, alert.source_id) == ("request", req.pk)


def test_risk_words_in_a_script_log_raise_a_flag(as_maya, maya):
    response = as_maya.post(
        "/home/toolkit/scripts/safe-place/",
        {"intensity_before": "6", "notes": RISKY, "submission_id": _key()},
    )
    assert _support_page(response)
    use = ToolUse.objects.get()
    alert = Alert.objects.get()
    assert (alert.source_type, alert.source_id, alert.source_shared) == ("tool_use", use.pk, False)


def test_risk_words_in_a_co_regulation_note_reach_that_partners_care_team_only(couple):
    jordan, casey = couple
    as_jordan = sign_in(jordan.user)
    as_jordan.post("/home/toolkit/together/hand-on-heart/start/", {"submission_id": _key()})
    session = CoregulationSession.objects.get()
    url = f"/home/toolkit/together/sessions/{session.pk}/"
    response = as_jordan.post(url, {"notes": RISKY, "submission_id": _key()})
    assert _support_page(response) and PRIVATE in response.text
    note = CoregulationNote.objects.get()
    alert = Alert.objects.get()
    assert (alert.client, alert.source_type, alert.source_id, alert.source_shared) == (
        jordan,
        "coregulation_note",
        note.pk,
        False,
    )
    assert casey.alerts.count() == 0


def test_updating_a_co_regulation_note_into_risk_words_raises_a_flag(couple):
    jordan, _casey = couple
    as_jordan = sign_in(jordan.user)
    as_jordan.post("/home/toolkit/together/hand-on-heart/start/", {"submission_id": _key()})
    url = f"/home/toolkit/together/sessions/{CoregulationSession.objects.get().pk}/"
    assert as_jordan.post(url, {"notes": "Calm", "submission_id": _key()}).status_code == 302
    response = as_jordan.post(url, {"notes": RISKY, "submission_id": _key()})
    assert _support_page(response)
    assert Alert.objects.get().source_type == "coregulation_note"


def test_risk_words_in_a_topic_for_the_next_session_raise_a_shared_flag(as_maya, maya):
    response = as_maya.post("/home/talk-about/", {"text": RISKY, "submission_id": _key()})
    assert _support_page(response) and TOLD in response.text
    assert PRIVATE not in response.text
    topic = SessionTopic.objects.get()
    alert = Alert.objects.get()
    assert (alert.source_type, alert.source_id, alert.source_shared) == ("topic", topic.pk, True)


@pytest.mark.parametrize(
    ("source", "shared", "words"),
    [
        (
            "reframe",
            False,
            "Risk words in a private reframing record — the client did not share it, so the "
            "text is not shown",
        ),
        ("reframe", True, "Risk words in a shared reframing record"),
        (
            "tool_use",
            False,
            "Risk words in a private note on using a tool — the client did not share it, so the "
            "text is not shown",
        ),
        ("request", True, "Risk words in a shared request or boundary"),
        (
            "ritual",
            False,
            "Risk words in a private ritual — the client did not share it, so the text is not "
            "shown",
        ),
        (
            "coregulation_note",
            False,
            "Risk words in a private co-regulation note — the client did not share it, so the "
            "text is not shown",
        ),
        ("topic", True, "Risk words in a topic for the next session"),
    ],
)
def test_the_alerts_say_which_kind_of_entry_raised_them(maya, source, shared, words):
    alert = Alert(client=maya, kind=Alert.Kind.RISK_WORDS, source_type=source, source_shared=shared)
    assert alerts.describe(alert) == words
