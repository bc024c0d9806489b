"""Assembling progress (plan.progress.build_progress): sections, visibility, period and audit."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.http import Http404
from django.utils import timezone

from securebase.audit.models import AuditEvent
from securebase.measures import definitions
from securebase.measures import domain as measures_domain
from securebase.plan.progress.domain import build_progress, iso_week, subscale_range
from tests.factories import (
    POST_9,
    PRE_18,
    ExperimentFactory,
    PauseFactory,
    PersonFactory,
    PersonRatingFactory,
    attempt,
    checkin,
    days_ago,
    make_goal,
    make_ladder,
    phq9,
    rate,
)


def test_gas_uses_the_latest_rating_of_each_active_goal_and_counts_the_unrated(alex, maya):
    # Levels 1, 1, 0 with weights 2, 1, 1 → T = 60.00 (INSTRUMENTS.md §3.3 worked example):
    # Σwx = 3; √(0.7·6 + 0.3·16) = √9 = 3; T = 50 + 10·3/3 = 60.
    first = make_goal(maya, "one", weight=2)
    rate(first, -1, days_ago(10))
    rate(first, 1, days_ago(1))
    rate(make_goal(maya, "two"), 1)
    rate(make_goal(maya, "three"), 0)
    make_goal(maya, "never rated")
    rate(make_goal(maya, "retired", active=False), -2)
    progress = build_progress(maya, viewer=alex)
    assert (progress.gas.t_score, progress.gas.goals_counted, progress.gas.goals_unrated) == (
        60.0,
        3,
        1,
    )
    assert [g.latest_level for g in progress.gas.goals] == [1, 1, 0, None]


def test_no_rated_goal_gives_no_t_score(alex, maya):
    make_goal(maya)
    progress = build_progress(maya, viewer=alex)
    assert (progress.gas.t_score, progress.gas.goals_counted, progress.gas.goals_unrated) == (
        None,
        0,
        1,
    )


def test_a_measure_reports_its_latest_verdict_against_the_first(alex, maya):
    phq9(alex, maya, PRE_18, days_ago(60))
    phq9(alex, maya, POST_9, days_ago(2))
    progress = build_progress(maya, viewer=maya.user)
    [row] = progress.measures
    assert (row.instrument, row.first, row.latest, row.verdict) == ("phq9", 18, 9, "recovered")
    assert row.verdict_text == "recovered"
    assert [m.key for m in progress.milestones] == ["measure-improved:phq9:total:"]


def test_a_risk_answer_on_the_improved_form_is_not_a_milestone(alex, maya):
    phq9(alex, maya, PRE_18, days_ago(60))
    phq9(alex, maya, (1, 1, 1, 1, 1, 1, 1, 1, 1), days_ago(2))  # item 9 answered 1: risk
    progress = build_progress(maya, viewer=maya.user)
    assert progress.measures[0].verdict == "recovered"
    assert progress.milestones == []


def test_check_in_trend_gives_weekly_means_in_the_clients_time_zone(alex, maya):
    maya.time_zone = "Europe/London"
    maya.save(update_fields=["time_zone"])
    monday = dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC)
    checkin(maya, monday, mood=4, closeness=6, felt_security=2)
    checkin(maya, monday + dt.timedelta(days=2), mood=6, closeness=7, felt_security=3)
    checkin(maya, monday + dt.timedelta(days=8), mood=8, closeness=8, felt_security=8)
    progress = build_progress(maya, viewer=alex)
    assert progress.checkins.count == 3
    assert [
        (w.week, w.count, w.mood, w.closeness, w.felt_security) for w in progress.checkins.trend
    ] == [
        ("2025-W10", 2, 5.0, 6.5, 2.5),
        ("2025-W11", 1, 8.0, 8.0, 8.0),
    ]
    assert progress.checkins.by_week is False


def test_iso_weeks_follow_the_iso_calendar():
    assert iso_week(dt.date(2025, 1, 1)) == "2025-W01"
    assert iso_week(dt.date(2024, 12, 30)) == "2025-W01"


def test_long_check_in_histories_are_charted_by_week(alex, maya):
    checkin(maya, days_ago(60))
    checkin(maya, days_ago(1))
    progress = build_progress(maya, viewer=maya.user)
    assert progress.checkins.by_week is True
    assert len(progress.checkins.chart.series[0].dots) == 2


def test_ladder_progress_counts_climbed_steps_and_attempts(alex, maya):
    ladder, (one, two) = make_ladder(maya, alex)
    for n, peak in enumerate((70, 35, 30)):
        attempt(one, peak, days_ago(10 - n))
    attempt(two, 90, days_ago(1))
    progress = build_progress(maya, viewer=maya.user)
    [row] = progress.ladders
    assert (row.title, row.steps_total, row.steps_climbed, row.attempts) == (
        "Waiting for replies",
        2,
        1,
        4,
    )
    assert "ladder-first-step" in [m.key for m in progress.milestones]


def test_the_clinician_sees_only_shared_practice(alex, maya):
    ladder, (one, _two) = make_ladder(maya, alex)
    attempt(one, 30, days_ago(2), shared=True)
    attempt(one, 20, days_ago(1))
    ExperimentFactory(client=maya, belief="They will leave", belief_before=80, done_at=days_ago(2))
    PauseFactory(client=maya, emotion="fear", intensity_before=7, created_at=days_ago(0))
    hidden = PersonFactory(client=maya, name="Sol", circle="inner")
    PersonRatingFactory(person=hidden, reassurance=1, criticism=2, withdrawal=3, reliability=1)
    mine = build_progress(maya, viewer=maya.user)
    theirs = build_progress(maya, viewer=alex)
    assert (mine.ladders[0].attempts, theirs.ladders[0].attempts) == (2, 1)
    assert (mine.ladders[0].steps_climbed, theirs.ladders[0].steps_climbed) == (1, 0)
    assert (mine.experiments.done, theirs.experiments.done) == (1, 0)
    assert ([p.label for p in mine.people], theirs.people) == (["Sol"], [])
    assert (mine.streak.days, theirs.streak.days) == (3, 0)  # today, yesterday, the day before


def test_a_colleague_without_access_and_another_client_get_404(sam, priya, maya):
    for viewer in (sam, priya.user):
        with pytest.raises(Http404):
            build_progress(maya, viewer=viewer)


def test_the_partner_of_a_couple_does_not_see_the_other_partners_progress(couple):
    jordan, casey = couple
    with pytest.raises(Http404):
        build_progress(jordan, viewer=casey.user)


def test_a_period_narrows_every_section(alex, maya):
    old, recent = days_ago(40), days_ago(5)
    checkin(maya, old)
    checkin(maya, recent)
    phq9(alex, maya, PRE_18, old)
    phq9(alex, maya, POST_9, recent)
    goal = make_goal(maya)
    rate(goal, -1, old)
    rate(goal, 1, recent)
    start = timezone.localdate(old) + dt.timedelta(days=1)
    end = timezone.localdate(recent) - dt.timedelta(days=1)
    progress = build_progress(maya, viewer=alex, start=start, end=end)
    assert progress.checkins.count == 0
    assert progress.measures == []
    assert progress.gas.goals[0].latest_level == -1  # the latest rating up to the period's end
    assert progress.milestones == []


def test_reading_progress_is_audited_without_clinical_text(alex, maya):
    build_progress(maya, viewer=alex, start=dt.date(2025, 1, 1))
    event = AuditEvent.objects.filter(object_type="progress").get()
    assert (event.action, event.object_id, event.detail) == (
        "read",
        str(maya.pk),
        {"from": "2025-01-01", "to": None},
    )


def test_subscale_ranges_come_from_the_item_scales():
    phq = definitions.get("phq9")
    ecr = definitions.get("ecr-rs")
    assert subscale_range(phq, phq.subscale("total")) == (0.0, 27.0)
    assert subscale_range(ecr, ecr.subscale("anxiety")) == (1.0, 7.0)


def test_measure_points_fall_on_the_clients_own_day(alex, maya):
    """20:00 on 31 March in Los Angeles is 1 April in UTC: the chart must say 31 March."""
    maya.time_zone = "America/Los_Angeles"
    maya.save(update_fields=["time_zone"])
    zone = ZoneInfo("America/Los_Angeles")
    for day, value in (
        (dt.datetime(2026, 3, 2, 9, tzinfo=zone), 3),
        (dt.datetime(2026, 3, 31, 20, tzinfo=zone), 1),
    ):
        measures_domain.record_administration(
            client=maya,
            by=alex,
            key="phq9",
            answers={"": {str(n): value for n in range(1, 9)} | {"9": 0}},
            completed_at=day,
        )
    progress = build_progress(
        maya, viewer=alex, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)
    )
    (chart,) = [c for c in progress.measure_charts if "phq9" in c.key]
    dates = [dot["date"] for s in chart.series for dot in s.dots]
    assert max(dates) == dt.date(2026, 3, 31)
    assert all(dot["x"] <= chart.plot["right"] for s in chart.series for dot in s.dots)
