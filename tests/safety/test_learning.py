"""Learning from misses, safely: clinicians mark false alarms and report missed risk; the
practice's admins teach the detector phrases and examples, each change evaluated first and
refused when recall would drop; everything audited; the detector uses the additions at once."""

import datetime as dt

import pytest

from securebase.audit.models import AuditEvent
from securebase.safety.detector import evaluation
from securebase.safety.flags import domain as flags
from securebase.safety.learning import domain as learning
from securebase.safety.models import Alert, RiskAddition, RiskReport
from tests import factories
from tests.clock import FROZEN_NOW
from tests.conftest import sign_in
from tests.factories import JournalEntryFactory, raise_flag

# Our own paraphrases, not in the shipped sets: the detector as shipped misses the first and
# flags the second (checked by the tests below before anything is added).
MISSED = "Tonight after midnight, the railway bridge, I have decided."
IDIOM = "I want to disappear into a good book all weekend"


@pytest.fixture
def small_set(monkeypatch):
    """A slice of the shipped labelled set, every fifth statement (risk and not, both
    languages): the gate's logic is the same on 575 statements, at a fifth of the time."""
    statements = tuple(evaluation.read(evaluation.SHIPPED))[::5]
    assert {s.language for s in statements} == {"en", "es"}
    monkeypatch.setattr(learning, "_shipped", lambda: statements)
    return statements


def _journal_flag(client, text):
    entry = JournalEntryFactory(client=client, text=text, shared=True)
    return flags.check_text(
        client, texts=[text], source_type="journal", source_id=entry.pk, shared=True
    )


def _teach(practice_id, by, kind, text, category=""):
    return learning.add(
        practice_id, by=by, kind=kind, language_code="en", category=category, text=text
    )


@pytest.fixture
def as_admin(robin):
    return sign_in(robin)


# --- false alarms ------------------------------------------------------------------------------


def test_marking_a_false_alarm_closes_the_alert_and_reaches_the_admins_without_the_client(
    as_alex, as_admin, maya
):
    alert = _journal_flag(maya, IDIOM)
    assert alert is not None, "the shipped detector flags this idiom: the test needs it to"

    answer = as_alex.post(
        f"/alerts/{alert.pk}/false-alarm/",
        {"note": "An idiom about reading.", "wording": "disappear into a book", "language": "en"},
    )

    assert answer.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None
    assert alert.acknowledgement == "False alarm: An idiom about reading."
    page = as_alex.get(f"/alerts/{alert.pk}/")
    assert "Marked as a false alarm" in page.text
    assert "Was this a false alarm?" not in page.text
    admin_page = as_admin.get("/practice/risk-detector/")
    assert admin_page.status_code == 200
    assert "disappear into a book" in admin_page.text
    assert "An idiom about reading." in admin_page.text
    assert maya.name not in admin_page.text and maya.display_name not in admin_page.text
    assert AuditEvent.objects.filter(object_type="risk_report", action="create").count() == 1


def test_marking_twice_makes_one_report(as_alex, maya):
    alert = _journal_flag(maya, IDIOM)
    form = {"note": "An idiom.", "wording": "", "language": "en"}

    as_alex.post(f"/alerts/{alert.pk}/false-alarm/", form)
    as_alex.post(f"/alerts/{alert.pk}/false-alarm/", form)

    assert RiskReport.objects.filter(alert=alert).count() == 1


def test_a_false_alarm_without_a_note_keeps_what_was_typed(as_alex, maya):
    alert = _journal_flag(maya, IDIOM)

    answer = as_alex.post(
        f"/alerts/{alert.pk}/false-alarm/",
        {"note": "", "wording": "my typed paraphrase", "language": "en"},
    )

    assert answer.status_code == 400
    assert "Say in a few words why this was a false alarm." in answer.text
    assert "my typed paraphrase" in answer.text
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
    assert not RiskReport.objects.exists()


def test_only_risk_words_alerts_can_be_false_alarms_and_only_by_the_care_team(
    as_alex, as_sam, maya
):
    checkin = raise_flag(maya, detail={"answer": 1})
    words = _journal_flag(maya, IDIOM)

    assert "Was this a false alarm?" not in as_alex.get(f"/alerts/{checkin.pk}/").text
    refused = as_alex.post(f"/alerts/{checkin.pk}/false-alarm/", {"note": "x", "language": "en"})
    assert refused.status_code == 400
    assert as_sam.post(f"/alerts/{words.pk}/false-alarm/", {"note": "x"}).status_code == 404
    assert not RiskReport.objects.exists()


# --- missed risk -------------------------------------------------------------------------------


def test_a_clinician_reports_a_missed_risk_from_the_clients_record(as_alex, maya):
    assert _journal_flag(maya, MISSED) is None, "the shipped detector misses this (the premise)"
    record_page = as_alex.get(f"/clients/{maya.pk}/")
    assert f"/clients/{maya.pk}/missed-risk/" in record_page.text

    answer = as_alex.post(
        f"/clients/{maya.pk}/missed-risk/",
        {
            "source_type": "journal",
            "written_on": (FROZEN_NOW - dt.timedelta(days=2)).date().isoformat(),
            "category": "plan",
            "language": "en",
            "wording": "after midnight at the railway bridge I have decided",
            "note": "",
        },
    )

    assert answer.status_code == 302
    report = RiskReport.objects.get()
    assert (report.kind, report.category, report.client_id) == ("missed", "plan", maya.pk)
    assert report.wording == "after midnight at the railway bridge I have decided"
    event = AuditEvent.objects.get(object_type="risk_report")
    assert event.detail == {"kind": "missed", "source": "journal", "category": "plan"}
    assert "bridge" not in str(event.detail)


def test_a_missed_risk_report_with_errors_keeps_everything_typed(as_alex, maya):
    answer = as_alex.post(
        f"/clients/{maya.pk}/missed-risk/",
        {"source_type": "journal", "written_on": "", "category": "", "language": "en",
         "wording": "my paraphrase of it", "note": "my note"},
    )  # fmt: skip

    assert answer.status_code == 400
    assert "my paraphrase of it" in answer.text and "my note" in answer.text
    assert not RiskReport.objects.exists()


def test_a_missed_risk_cannot_be_dated_in_the_future(as_alex, maya):
    tomorrow = (FROZEN_NOW + dt.timedelta(days=1)).date().isoformat()

    answer = as_alex.post(
        f"/clients/{maya.pk}/missed-risk/",
        {"source_type": "journal", "written_on": tomorrow, "category": "plan",
         "language": "en", "wording": "my paraphrase of it", "note": ""},
    )  # fmt: skip

    assert answer.status_code == 400
    assert "The day it was written cannot be in the future." in answer.text
    assert "my paraphrase of it" in answer.text
    assert not RiskReport.objects.exists()


def test_only_the_care_team_reports_missed_risk(as_sam, as_admin, maya):
    assert as_sam.get(f"/clients/{maya.pk}/missed-risk/").status_code == 404
    assert as_admin.get(f"/clients/{maya.pk}/missed-risk/").status_code == 404


# --- teaching the detector ---------------------------------------------------------------------


def _report_missed(alex, maya):
    return learning.report_missed(
        maya,
        by=alex,
        source_type="journal",
        written_on=FROZEN_NOW.date(),
        category="plan",
        language_code="en",
        wording="after midnight at the railway bridge I have decided",
    )


def test_an_example_added_from_a_report_is_used_at_once_and_the_report_is_learned(
    small_set, alex, maya, robin, as_admin
):
    report = _report_missed(alex, maya)
    prefilled = as_admin.get(f"/practice/risk-detector/?report={report.pk}")
    assert prefilled.context["add_form"].initial["kind"] == RiskAddition.Kind.EXAMPLE

    answer = as_admin.post(
        "/practice/risk-detector/add/",
        {
            "kind": "example",
            "language": "en",
            "category": "plan",
            "text": "Tonight after midnight at the railway bridge. I have decided.",
            "report": str(report.pk),
        },
    )

    assert answer.status_code == 302
    addition = RiskAddition.objects.get()
    assert set(addition.evaluation) == {"en", "es"}
    report.refresh_from_db()
    assert report.status == RiskReport.Status.LEARNED
    alert = _journal_flag(maya, MISSED)
    assert alert is not None
    assert {"category": "plan", "layer": "semantic"}.items() <= alert.detail["reasons"][0].items()
    event = AuditEvent.objects.get(object_type="risk_addition", action="create")
    assert event.detail["kind"] == "example" and event.actor_id == robin.pk


def test_an_everyday_phrase_stops_a_false_alarm_of_the_phrase_list(small_set, robin, maya):
    assert _journal_flag(maya, IDIOM) is not None

    _teach(maya.practice_id, robin, "everyday", "disappear into a good book")

    assert _journal_flag(maya, "Tonight I want to disappear into a good book") is None
    assert _journal_flag(maya, "I want to disappear for good") is not None


def test_a_change_that_would_miss_more_risk_is_refused_audited_and_not_made(
    small_set, alex, robin, maya, as_admin
):
    # A reported miss the meaning layer catches once an example is added; the same words as a
    # not-risk example would make it missed again.
    risk = _report_missed(alex, maya)
    _teach(
        maya.practice_id,
        robin,
        "example",
        "Tonight after midnight at the railway bridge. I have decided.",
        category="plan",
    )

    answer = as_admin.post(
        "/practice/risk-detector/add/",
        {"kind": "not_risk", "language": "en", "category": "", "text": risk.wording},
    )

    assert answer.status_code == 400
    assert "Refused: recall in en would drop from" in answer.text
    assert risk.wording in answer.text  # the form keeps what was typed
    assert RiskAddition.objects.count() == 1
    refusal = AuditEvent.objects.get(object_type="risk_addition", action="security")
    assert refusal.detail["event"] == "add refused"
    assert refusal.detail["after"]["en"]["recall"] < refusal.detail["before"]["en"]["recall"]


def test_removing_an_addition_that_catches_a_reported_risk_is_refused(small_set, alex, maya, robin):
    _report_missed(alex, maya)
    added = _teach(
        maya.practice_id, robin, "phrase", "midnight ... railway bridge", category="plan"
    )

    with pytest.raises(learning.ChangeRefused):
        learning.remove(added, by=robin)

    added.refresh_from_db()
    assert added.removed_at is None


def test_a_phrase_that_cannot_be_read_or_one_word_is_refused_with_the_reason(small_set, robin):
    with pytest.raises(learning.LearningError, match="no concept"):
        learning.add(
            robin.memberships.first().practice_id,
            by=robin,
            kind="phrase",
            language_code="en",
            category="plan",
            text="{nothing-like-this} tonight",
        )
    with pytest.raises(learning.LearningError, match="at least two words"):
        learning.add(
            robin.memberships.first().practice_id,
            by=robin,
            kind="phrase",
            language_code="en",
            category="plan",
            text="tonight",
        )


def test_the_admins_page_is_for_admins_and_each_practice_sees_its_own(
    small_set, as_alex, robin, maya
):
    _teach(maya.practice_id, robin, "everyday", "disappear into a good book")
    assert as_alex.get("/practice/risk-detector/").status_code == 404

    other = factories.make_practice("Other Practice")
    elsewhere = sign_in(factories.make_admin(other, "admin@other.example.org"))
    page = elsewhere.get("/practice/risk-detector/")
    assert page.status_code == 200
    assert "disappear into a good book" not in page.text
    assert learning.additions_list(other.pk).count() == 0


def test_another_practices_additions_do_not_change_detection_here(small_set, robin, maya, priya):
    other = factories.make_practice("Other Practice")
    other_admin = factories.make_admin(other, "admin@other.example.org")
    _teach(other.pk, other_admin, "everyday", "disappear into a good book")

    assert _journal_flag(maya, IDIOM) is not None


def test_the_shipped_set_is_what_the_gate_reads(alex, maya):
    """Without the slice: the real gate over the whole shipped set plus the practice's reports."""
    _report_missed(alex, maya)

    statements = [*learning._shipped(), *learning.learned_statements(maya.practice_id)]

    assert len(statements) == len(evaluation.read(evaluation.SHIPPED)) + 1
    assert statements[-1].category == "plan"
    assert Alert.objects.count() == 0
