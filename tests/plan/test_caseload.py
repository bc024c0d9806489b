"""The clinician's caseload: rows, alerts, sorting, the missed-check-in setting, and a query count
that stays the same from a handful of clients to 40 clients with two years of data each."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from securebase.audit.models import AuditEvent
from securebase.measures import domain as measures
from securebase.measures.models import Score
from securebase.plan.caseload.domain import caseload_rows, parse_missed_days
from securebase.plan.models import (
    CheckinSchedule,
)
from securebase.safety.flags import domain as flags
from securebase.safety.models import Alert
from tests import factories
from tests.clock import FROZEN_NOW
from tests.factories import (
    AssignmentFactory,
    CheckinFactory,
    CheckinScheduleFactory,
    HomeworkFactory,
    TherapySessionFactory,
)

NOW = FROZEN_NOW
_due = itertools.count(1)


def _phq9(by, client, total, *, days_ago):
    """Record a PHQ-9 with this total (item 9, the risk item, left at 0)."""
    answers, left = {}, total
    for n in range(1, 9):
        answers[str(n)] = min(3, left)
        left -= answers[str(n)]
    answers["9"] = 0
    measures.record_administration(
        by=by,
        client=client,
        key="phq9",
        answers={"": answers},
        completed_at=NOW - dt.timedelta(days=days_ago),
    )


def _daily_schedule(client, *, started_days_ago=30):
    return CheckinScheduleFactory(
        client=client,
        cadence=CheckinSchedule.Cadence.DAILY,
        times=["19:00"],
        starts_on=timezone.localdate(NOW) - dt.timedelta(days=started_days_ago),
    )


def _checkin(client, *, days_ago):
    return CheckinFactory(
        client=client,
        due_at=NOW - dt.timedelta(days=days_ago, seconds=next(_due)),
        completed_at=NOW - dt.timedelta(days=days_ago),
        mood=5,
        closeness=5,
        felt_security=5,
    )


def _row(rows, client):
    (found,) = [r for r in rows if r.client.pk == client.pk]
    return found


def _alerts(rows, client):
    return [a.label for a in _row(rows, client).alerts]


# --- rows and alerts ------------------------------------------------------------------------------


def test_a_phq9_that_went_from_8_to_20_shows_reliable_deterioration(alex, maya):
    _phq9(alex, maya, 8, days_ago=60)
    _phq9(alex, maya, 20, days_ago=2)
    assert _alerts(caseload_rows(alex), maya) == ["reliable deterioration: PHQ-9"]


def test_deterioration_compares_the_latest_score_with_the_first(alex, maya):
    _phq9(alex, maya, 8, days_ago=90)
    _phq9(alex, maya, 20, days_ago=60)  # worse for a while …
    _phq9(alex, maya, 10, days_ago=2)  # … but the latest is within 6 points of the first
    assert _alerts(caseload_rows(alex), maya) == []


def test_a_reliable_improvement_raises_no_alert(alex, maya):
    _phq9(alex, maya, 20, days_ago=60)
    _phq9(alex, maya, 8, days_ago=2)
    assert _alerts(caseload_rows(alex), maya) == []


def test_an_open_risk_alert_shows_until_it_is_acknowledged(alex, maya):
    answers = {"": {str(n): (2 if n == 9 else 0) for n in range(1, 10)}}
    completed, _ = measures.record_administration(by=alex, client=maya, key="phq9", answers=answers)
    assert _alerts(caseload_rows(alex), maya) == ["1 risk alert"]
    flags.acknowledge(completed.alert, by=alex, note="Spoke with the client today.")
    assert _alerts(caseload_rows(alex), maya) == []


def test_a_daily_schedule_with_the_last_check_in_5_days_ago_shows_missed(alex, maya):
    _daily_schedule(maya)
    _checkin(maya, days_ago=5)
    assert _alerts(caseload_rows(alex, missed_days=3), maya) == ["no check-in for 5 days"]


def test_a_check_in_yesterday_is_not_missed(alex, maya):
    _daily_schedule(maya)
    _checkin(maya, days_ago=1)
    assert _alerts(caseload_rows(alex, missed_days=3), maya) == []


def test_a_paused_schedule_raises_no_missed_alert(alex, maya):
    schedule = _daily_schedule(maya)
    schedule.active = False
    schedule.save()
    _checkin(maya, days_ago=10)
    assert _alerts(caseload_rows(alex), maya) == []


def test_a_weekly_schedule_between_its_slots_is_not_missed(alex, maya):
    # Checked in on this week's slot four days ago; the next slot has not come yet.
    answered = NOW - dt.timedelta(days=4)
    type(maya).objects.filter(pk=maya.pk).update(time_zone="UTC")
    CheckinScheduleFactory(
        client=maya,
        cadence=CheckinSchedule.Cadence.WEEKLY,
        weekdays=[answered.astimezone(dt.UTC).weekday()],
        times=[answered.astimezone(dt.UTC).strftime("%H:%M")],
        starts_on=(NOW - dt.timedelta(days=60)).date(),
    )
    _checkin(maya, days_ago=4)
    assert _alerts(caseload_rows(alex, missed_days=3), maya) == []


def test_a_schedule_never_answered_counts_from_its_start(alex, maya):
    _daily_schedule(maya, started_days_ago=6)
    assert _alerts(caseload_rows(alex, missed_days=3), maya) == ["no check-in for 6 days"]


def test_the_row_shows_the_latest_session_attended_or_not(alex, maya):
    last = NOW.date() - dt.timedelta(days=3)
    TherapySessionFactory(client=maya, held_on=last - dt.timedelta(days=7))
    TherapySessionFactory(client=maya, held_on=last, attended=False)
    row = _row(caseload_rows(alex), maya)
    assert (row.last_session_on, row.last_session_attended) == (last, False)


def test_next_due_lists_the_earliest_measure_homework_and_check_in(alex, maya):
    today = timezone.localdate(NOW)
    AssignmentFactory(
        client=maya, instrument_key="gad7", schedule="weekly", next_due=today + dt.timedelta(5)
    )
    AssignmentFactory(
        client=maya, instrument_key="phq9", schedule="monthly", next_due=today - dt.timedelta(2)
    )
    AssignmentFactory(
        client=maya, instrument_key="core10", next_due=today - dt.timedelta(9), active=False
    )
    HomeworkFactory(client=maya, kind="pause", due_on=today + dt.timedelta(3))
    HomeworkFactory(client=maya, kind="reading", due_on=today - dt.timedelta(3), done_at=NOW)
    _daily_schedule(maya)
    row = _row(caseload_rows(alex), maya)
    assert [(i.kind, i.label, i.overdue) for i in row.due] == [
        ("measure", "PHQ-9", True),
        ("checkin", "Check-in", False),
        ("homework", "Homework: Practise the pause", False),
    ]
    assert row.next_due.on == today - dt.timedelta(2)


def test_a_client_on_another_clinicians_care_team_never_appears(alex, sam, maya, priya):
    factories.make_client(alex, name="Another of Alex's")
    assert [r.client.pk for r in caseload_rows(sam)] == [priya.pk]
    assert priya.pk not in [r.client.pk for r in caseload_rows(alex)]


def test_the_page_shows_sam_none_of_alexs_clients(as_sam, maya, priya):
    response = as_sam.get("/caseload/")
    assert [r.client.pk for r in response.context["rows"]] == [priya.pk]
    assert "Maya Okafor" not in response.text


def test_a_client_has_no_caseload(maya):
    assert caseload_rows(maya.user) == []


def test_the_page_shows_alerts_in_words(as_alex, alex, maya):
    _phq9(alex, maya, 8, days_ago=60)
    _phq9(alex, maya, 20, days_ago=2)
    _daily_schedule(maya)
    _checkin(maya, days_ago=5)
    html = as_alex.get("/caseload/").text
    assert "reliable deterioration: PHQ-9" in html
    assert "no check-in for 5 days" in html


def test_reading_the_caseload_is_audited(as_alex, alex, maya):
    as_alex.get("/caseload/")
    event = AuditEvent.objects.filter(actor_id=alex.pk, object_type="caseload").latest("seq")
    assert (event.action, event.detail) == ("list", {"count": 1})


# --- sorting --------------------------------------------------------------------------------------


@pytest.fixture
def three(alex):
    """Three clients: Ada (seen last week, nothing due), Bea (never seen, PHQ-9 due tomorrow,
    two risk alerts), Cy (seen long ago, homework due today, a missed check-in)."""
    today = timezone.localdate(NOW)
    ada = factories.make_client(alex, name="Ada")
    bea = factories.make_client(alex, name="Bea")
    cy = factories.make_client(alex, name="Cy")
    TherapySessionFactory(client=ada, held_on=today - dt.timedelta(7))
    TherapySessionFactory(client=cy, held_on=today - dt.timedelta(70))
    AssignmentFactory(client=bea, instrument_key="phq9", next_due=today + dt.timedelta(1))
    Alert.objects.bulk_create(Alert(client=bea, kind=Alert.Kind.RISK_ITEM) for _ in range(2))
    HomeworkFactory(client=cy, kind="pause", due_on=today)
    _daily_schedule(cy, started_days_ago=10)
    return ada, bea, cy


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("name", ["Ada", "Bea", "Cy"]),
        ("last_session", ["Bea", "Cy", "Ada"]),
        ("next_due", ["Cy", "Bea", "Ada"]),
        ("alerts", ["Bea", "Cy", "Ada"]),
        ("nonsense", ["Ada", "Bea", "Cy"]),
    ],
)
def test_the_caseload_sorts_by_the_chosen_column(as_alex, three, sort, order):
    response = as_alex.get("/caseload/", {"sort": sort})
    assert response.status_code == 200
    assert [r.client.name for r in response.context["rows"]] == order


def test_the_sorted_column_header_says_so(as_alex, three):
    html = as_alex.get("/caseload/", {"sort": "alerts"}).text
    assert 'aria-sort="descending"><a href="?sort=alerts&amp;missed_days=3">' in html
    assert html.count("aria-sort=") == 1


# --- the missed-check-in setting -------------------------------------------------------------


@pytest.mark.parametrize("raw", ["0", "31", "-2", "abc", "", "3.5", None])
def test_bad_missed_days_fall_back_to_the_default(raw):
    assert parse_missed_days(raw) == 3


def test_the_default_comes_from_the_setting(settings):
    settings.CASELOAD_MISSED_CHECKIN_DAYS = 7
    assert parse_missed_days("nope") == 7


@pytest.mark.parametrize("raw", ["0", "31", "abc", "", "1e3", "%00"])
def test_the_page_ignores_a_bad_missed_days_value(as_alex, maya, raw):
    _daily_schedule(maya)
    _checkin(maya, days_ago=5)
    response = as_alex.get("/caseload/", {"missed_days": raw})
    assert response.status_code == 200
    assert response.context["missed_days"] == 3
    assert _alerts(response.context["rows"], maya) == ["no check-in for 5 days"]


def test_a_longer_missed_days_value_quiets_the_alert(as_alex, maya):
    _daily_schedule(maya)
    _checkin(maya, days_ago=5)
    response = as_alex.get("/caseload/", {"missed_days": "7", "sort": "alerts"})
    assert response.context["missed_days"] == 7
    assert _alerts(response.context["rows"], maya) == []
    assert 'href="?sort=name&amp;missed_days=7"' in response.text


# --- the query count stays constant ---------------------------------------------------------------


def test_the_caseload_keeps_the_same_query_count_from_4_to_40_clients_with_2_years(
    as_alex, alex, django_assert_num_queries
):
    factories.bulk_caseload(alex, clients=4, weeks=8, now=NOW)
    as_alex.get("/caseload/")  # the first visit also starts this person's audit chain
    with django_assert_num_queries(12):
        response = as_alex.get("/caseload/", {"sort": "alerts"})
    assert len(response.context["rows"]) == 4

    factories.bulk_caseload(alex, clients=36, weeks=104, now=NOW)
    assert Score.objects.count() > 40 * 40
    with django_assert_num_queries(12):
        response = as_alex.get("/caseload/", {"sort": "alerts"})
    rows = response.context["rows"]
    assert len(rows) == 40
    kinds = {a.kind for row in rows for a in row.alerts}
    assert kinds == {"risk", "deterioration", "missed"}
    assert all(row.last_session_on and row.next_due for row in rows)
