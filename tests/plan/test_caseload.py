"""The clinician's caseload: rows, alerts, sorting, the missed-check-in setting, and a query count
that stays the same from a handful of clients to 40 clients with two years of data each."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from securebase.care.models import CareTeamMember, Client
from securebase.measures import domain as measures
from securebase.measures.models import Administration, Alert, Assignment, Score
from securebase.plan.caseload import caseload_rows, parse_missed_days
from securebase.plan.models import (
    Checkin,
    CheckinSchedule,
    Goal,
    GoalRating,
    TherapySession,
)
from securebase.practise.models import Homework
from securebase.safety import flags
from tests import factories

NOW = timezone.now()
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
    return CheckinSchedule.objects.create(
        client=client,
        cadence=CheckinSchedule.Cadence.DAILY,
        times=["19:00"],
        starts_on=timezone.localdate(NOW) - dt.timedelta(days=started_days_ago),
    )


def _checkin(client, *, days_ago):
    return Checkin.objects.create(
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
    CheckinSchedule.objects.create(
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
    TherapySession.objects.create(client=maya, held_on=dt.date(2025, 1, 6))
    TherapySession.objects.create(client=maya, held_on=dt.date(2025, 1, 13), attended=False)
    row = _row(caseload_rows(alex), maya)
    assert (row.last_session_on, row.last_session_attended) == (dt.date(2025, 1, 13), False)


def test_next_due_lists_the_earliest_measure_homework_and_check_in(alex, maya):
    today = timezone.localdate(NOW)
    Assignment.objects.create(
        client=maya, instrument_key="gad7", schedule="weekly", next_due=today + dt.timedelta(5)
    )
    Assignment.objects.create(
        client=maya, instrument_key="phq9", schedule="monthly", next_due=today - dt.timedelta(2)
    )
    Assignment.objects.create(
        client=maya, instrument_key="core10", next_due=today - dt.timedelta(9), active=False
    )
    Homework.objects.create(client=maya, kind="pause", due_on=today + dt.timedelta(3))
    Homework.objects.create(
        client=maya, kind="reading", due_on=today - dt.timedelta(3), done_at=NOW
    )
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
    from securebase.audit.models import AuditEvent

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
    TherapySession.objects.create(client=ada, held_on=today - dt.timedelta(7))
    TherapySession.objects.create(client=cy, held_on=today - dt.timedelta(70))
    Assignment.objects.create(client=bea, instrument_key="phq9", next_due=today + dt.timedelta(1))
    Alert.objects.bulk_create(Alert(client=bea, kind=Alert.Kind.RISK_ITEM) for _ in range(2))
    Homework.objects.create(client=cy, kind="pause", due_on=today)
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


def _practice_of(user):
    return user.memberships.get().practice


def _bulk_caseload(alex, clients: int, weeks: int):
    """``clients`` clients on Alex's care team, each with ``weeks`` of weekly check-ins and
    sessions, four-weekly PHQ-9 and GAD-7, goals rated monthly, homework, measures assigned and
    a daily check-in schedule. Made with bulk_create so the big case stays fast."""
    practice = _practice_of(alex)
    start = NOW - dt.timedelta(weeks=weeks)
    made = Client.objects.bulk_create(
        Client(practice=practice, name=f"Bulk {n:02d}", email=f"bulk{n}@example.org")
        for n in range(clients)
    )
    CareTeamMember.objects.bulk_create(
        CareTeamMember(client=c, clinician=alex, role=CareTeamMember.Role.LEAD) for c in made
    )
    CheckinSchedule.objects.bulk_create(
        CheckinSchedule(client=c, cadence="daily", times=["09:00"], starts_on=start.date())
        for c in made
    )
    checkins, sessions, administrations, scores, homework, assignments = [], [], [], [], [], []
    for i, client in enumerate(made):
        quiet_weeks = i % 2  # every other client has not checked in for a week
        for week in range(weeks - quiet_weeks):
            at = start + dt.timedelta(weeks=week)
            checkins.append(
                Checkin(
                    client=client, due_at=at, completed_at=at, mood=6, closeness=5, felt_security=5
                )
            )
            sessions.append(
                TherapySession(client=client, held_on=at.date(), attended=week % 9 != 0)
            )
        for month in range(weeks // 4):
            at = start + dt.timedelta(weeks=4 * month)
            # A third of the clients get reliably worse: 5 points up each month, up to 20.
            value = min(20, 5 + 5 * month) if i % 3 == 0 else 12 + month % 3
            for key in ("phq9", "gad7"):
                administration = Administration(
                    client=client,
                    instrument_key=key,
                    instrument_version="1",
                    status=Administration.Status.COMPLETED,
                    completed_at=at,
                )
                administrations.append(administration)
                scores.append(
                    Score(
                        administration=administration,
                        client=client,
                        instrument_key=key,
                        subscale="total",
                        value=value,
                        completed_at=at,
                    )
                )
        today = timezone.localdate(NOW)
        homework.append(Homework(client=client, kind="pause", due_on=today + dt.timedelta(i % 5)))
        homework.append(Homework(client=client, kind="tool", due_on=today, schedule="daily"))
        assignments += [
            Assignment(client=client, instrument_key=k, schedule="monthly", next_due=today)
            for k in ("phq9", "gad7")
        ]
    Checkin.objects.bulk_create(checkins)
    TherapySession.objects.bulk_create(sessions)
    Homework.objects.bulk_create(homework)
    Assignment.objects.bulk_create(assignments)
    Administration.objects.bulk_create(administrations)
    Score.objects.bulk_create(scores)
    Alert.objects.bulk_create(
        Alert(client=c, kind=Alert.Kind.RISK_ITEM, acknowledged_at=None if n % 4 else NOW)
        for n, c in enumerate(made)
    )
    goals = Goal.objects.bulk_create(
        Goal(
            client=c,
            title="Ask for time to talk",
            dimension="relational",
            level_minus_2="a",
            level_minus_1="b",
            level_0="c",
            level_plus_1="d",
            level_plus_2="e",
        )
        for c in made
        for _ in range(2)
    )
    GoalRating.objects.bulk_create(
        GoalRating(
            goal=g,
            client_id=g.client_id,
            level=month % 5 - 2,
            rated_at=start + dt.timedelta(weeks=4 * month),
        )
        for g in goals
        for month in range(weeks // 4)
    )
    return made


def test_the_caseload_keeps_the_same_query_count_from_4_to_40_clients_with_2_years(
    as_alex, alex, django_assert_num_queries
):
    _bulk_caseload(alex, clients=4, weeks=8)
    as_alex.get("/caseload/")  # the first visit also starts this person's audit chain
    with django_assert_num_queries(12):
        response = as_alex.get("/caseload/", {"sort": "alerts"})
    assert len(response.context["rows"]) == 4

    _bulk_caseload(alex, clients=36, weeks=104)
    assert Score.objects.count() > 40 * 40
    with django_assert_num_queries(12):
        response = as_alex.get("/caseload/", {"sort": "alerts"})
    rows = response.context["rows"]
    assert len(rows) == 40
    kinds = {a.kind for row in rows for a in row.alerts}
    assert kinds == {"risk", "deterioration", "missed"}
    assert all(row.last_session_on and row.next_due for row in rows)
