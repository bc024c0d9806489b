"""Alerts in words: what raised each one and where to read it, never quoting the client."""

import uuid

from securebase.measures import domain as measures
from securebase.safety.alerts import domain as alerts
from securebase.safety.alerts.domain import describe, source_link
from securebase.safety.models import Alert
from tests.factories import raise_flag


def test_a_phq9_risk_answer_names_the_measure_and_the_item(alex, maya):
    answers = {"": {**{str(n): 0 for n in range(1, 10)}, "9": 1}}
    completed, _ = measures.record_administration(by=alex, client=maya, key="phq9", answers=answers)

    assert describe(completed.alert) == "Risk answer in PHQ-9 (item 9)"
    assert source_link(completed.alert) == (
        f"/clients/{maya.pk}/measures/{completed.administration.pk}/"
    )


def test_a_yes_to_the_check_in_safety_question_quotes_the_answer_the_client_chose(maya):
    alert = raise_flag(maya, Alert.Kind.RISK_CHECKIN, "checkin", detail={"answer": 2})

    assert describe(alert) == (
        "Safety question in a check-in: “Yes, and I'm worried I might act on them”"
    )
    assert source_link(alert) == f"/clients/{maya.pk}/check-ins/"


def test_a_check_in_flag_without_its_answer_still_reads_as_a_yes(maya):
    alert = raise_flag(maya, Alert.Kind.RISK_CHECKIN, "checkin")

    assert describe(alert) == "Safety question in a check-in: answered yes"


def test_risk_words_in_a_private_journal_entry_say_where_and_that_the_text_is_not_shown(maya):
    alert = raise_flag(maya, Alert.Kind.RISK_WORDS, "journal", shared=False)

    assert describe(alert) == (
        "Risk words in a private journal entry — the client did not share it, "
        "so the text is not shown"
    )
    assert source_link(alert) is None


def test_risk_words_in_a_shared_moment_link_to_the_moment(maya):
    moment_id = uuid.uuid4()
    alert = raise_flag(maya, Alert.Kind.RISK_WORDS, "moment", source_id=moment_id)

    assert describe(alert) == "Risk words in a shared moment"
    assert source_link(alert) == f"/clients/{maya.pk}/moments/#moment-{moment_id}"


def test_risk_words_in_an_entry_of_an_unknown_kind_still_read_sensibly(maya):
    alert = raise_flag(maya, Alert.Kind.RISK_WORDS, "something-new", shared=False)

    assert describe(alert).startswith("Risk words in a private entry — ")
    assert source_link(alert) is None


def test_a_booster_alert_gives_its_reason(maya):
    detail = {
        "code": "checkins",
        "on": "2025-03-08",
        "since": "2025-02-01",
        "before": 7.0,
        "now": 4.5,
    }
    alert = raise_flag(maya, Alert.Kind.BOOSTER, "booster", detail=detail)

    assert describe(alert) == (
        "A booster session may be needed: Felt security in check-ins fell from 7.0 to 4.5 for "
        "two weeks in a row."
    )


def test_a_booster_alert_without_reasons_says_so_plainly(maya):
    alert = raise_flag(maya, Alert.Kind.BOOSTER, "booster")

    assert describe(alert) == "A booster session may be needed"


def test_open_alerts_are_those_of_the_users_care_teams_newest_first(alex, sam, maya, priya):
    older = raise_flag(maya, Alert.Kind.RISK_CHECKIN, "checkin")
    newer = raise_flag(maya, Alert.Kind.RISK_WORDS, "moment")
    Alert.objects.filter(pk=older.pk).update(created_at=newer.created_at.replace(year=2020))
    theirs = raise_flag(priya, Alert.Kind.RISK_CHECKIN, "checkin")

    assert [a.pk for a in alerts.open_alerts(alex)] == [newer.pk, older.pk]
    assert [a.pk for a in alerts.open_alerts(sam)] == [theirs.pk]
    assert list(alerts.open_alerts(maya.user)) == []
