"""Risk flags: stored once per entry, emailed to the care team, closed only with a note."""

import uuid

import pytest
from django.core import mail

from securebase.audit.models import AuditEvent
from securebase.practise.journal import domain as journal_domain
from securebase.safety.flags import domain as flags
from securebase.safety.flags import rules as risk
from securebase.safety.models import Alert

pytestmark = pytest.mark.django_db


def test_a_flag_is_stored_once_per_entry_and_kind(maya):
    entry = uuid.uuid4()
    first, created = flags.raise_flag(
        maya, kind=Alert.Kind.RISK_WORDS, source_type="journal", source_id=entry, shared=False
    )
    again, created_again = flags.raise_flag(
        maya, kind=Alert.Kind.RISK_WORDS, source_type="journal", source_id=entry, shared=False
    )
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert Alert.objects.filter(client=maya).count() == 1


def test_the_care_team_is_emailed_once_the_flag_is_stored_without_clinical_detail(
    maya, alex, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alert, _ = flags.raise_flag(
            maya, kind=Alert.Kind.RISK_CHECKIN, source_type="checkin", source_id=uuid.uuid4()
        )
    (message,) = mail.outbox
    assert message.to == [alex.email]
    assert maya.name not in message.body
    # The link opens this alert on the configured site address (SITE_URL).
    assert f"Sign in to see it: http://testserver/alerts/{alert.pk}/\n" in message.body
    alert.refresh_from_db()
    assert alert.emailed_at is not None
    assert flags.notify_care_team(alert.pk) == 0  # never twice


def test_risk_words_in_a_private_entry_raise_a_flag_that_says_where_not_what(maya):
    entry = uuid.uuid4()
    alert = flags.check_text(
        maya,
        texts=["Some nights I think about ending my life"],
        source_type="journal",
        source_id=entry,
        shared=False,
    )
    assert (alert.kind, alert.source_type, alert.source_id, alert.source_shared) == (
        Alert.Kind.RISK_WORDS,
        "journal",
        entry,
        False,
    )
    # Why, never what: the category and the layers that found it, no words of the entry.
    reasons = alert.detail["reasons"]
    assert {(r["category"], r["layer"]) for r in reasons} >= {("ideation", "lexicon")}
    assert "ending" not in str(alert.detail) and "life" not in str(alert.detail)
    event = AuditEvent.objects.filter(object_type="alert", object_id=str(alert.pk)).get()
    assert "ending" not in str(event.detail)


@pytest.mark.parametrize("text", ["I would never hurt myself", "We had a lovely walk", ""])
def test_negated_or_ordinary_text_raises_no_flag(maya, text):
    assert (
        flags.check_text(
            maya, texts=[text], source_type="moment", source_id=uuid.uuid4(), shared=True
        )
        is None
    )
    assert not Alert.objects.exists()


def test_spanish_risk_words_flag_for_an_english_speaking_client_too(maya):
    assert flags.check_text(
        maya, texts=["quiero morirme"], source_type="moment", source_id=uuid.uuid4(), shared=True
    )


def test_acknowledging_needs_a_note_and_is_audited_without_it(maya, alex):
    alert, _ = flags.raise_flag(maya, kind=Alert.Kind.RISK_CHECKIN, source_type="checkin")
    with pytest.raises(flags.AcknowledgementError):
        flags.acknowledge(alert, by=alex, note="   ")
    flags.acknowledge(alert, by=alex, note="Called Maya; she is safe tonight and has her plan.")
    alert.refresh_from_db()
    assert alert.acknowledged_by == alex
    assert alert.acknowledgement == "Called Maya; she is safe tonight and has her plan."
    event = AuditEvent.objects.filter(object_type="alert", action="update").latest("pk")
    assert event.detail == {"event": "acknowledged"}


@pytest.mark.parametrize(("answer", "flagged"), [(None, False), (0, False), (1, True), (2, True)])
def test_the_check_in_safety_answer_flags_any_yes(answer, flagged):
    assert risk.checkin_answer_flags(answer) is flagged


def test_the_crisis_payload_lists_the_clients_crisis_lines(maya):
    payload = flags.crisis_payload(maya, "GB")
    assert payload["risk"] is True
    assert payload["crisis_resources"]["country"] == "GB"
    assert any(r["phone"] == "999" for r in payload["crisis_resources"]["resources"])


def test_sharing_a_flagged_entry_later_lets_its_alert_point_to_it(maya):
    entry, _created = journal_domain.write_entry(
        maya,
        by=maya.user,
        data={"text": "I want to die some nights", "shared": False},
        submission_id=uuid.uuid4(),
    )
    alert = Alert.objects.get(source_id=entry.pk)
    assert alert.source_shared is False
    journal_domain.set_shared(entry, by=maya.user, shared=True)
    alert.refresh_from_db()
    assert alert.source_shared is True
