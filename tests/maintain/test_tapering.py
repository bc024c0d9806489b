"""The tapering plan (maintain.tapering): template, edits from a version, moving on, suggestion."""

import datetime as dt

import pytest
from django.utils import timezone

from securebase.audit.models import AuditEvent
from securebase.core.versioning import StaleSave
from securebase.maintain import tapering
from securebase.maintain.models import TaperingPhase
from tests.factories import (
    POST_9,
    PRE_18,
    PauseFactory,
    TaperingPhaseFactory,
    checkin,
    days_ago,
    make_goal,
    phase_kinds,
    phq9,
    rate,
)

START = dt.date(2026, 9, 7)


def test_a_new_plan_follows_the_default_template_with_dates(alex, maya):
    plan = tapering.create_plan(client=maya, by=alex, start=START)

    phases = list(plan.phases.all())
    assert [(p.kind, p.planned_start) for p in phases] == [
        ("weekly", START),
        ("fortnightly", START + dt.timedelta(weeks=4)),
        ("monthly", START + dt.timedelta(weeks=12)),
        ("booster", START + dt.timedelta(weeks=12, days=91)),
    ]
    assert tapering.create_plan(client=maya, by=alex, start=START).pk == plan.pk


def test_moving_on_ends_the_current_phase_starts_the_next_and_is_audited(alex, maya):
    plan = tapering.create_plan(client=maya, by=alex, start=START)
    plan = tapering.move_to_next_phase(by=alex, plan=plan, version=1)
    plan = tapering.move_to_next_phase(by=alex, plan=plan, version=2)

    phases = tapering.phases_of(plan)
    assert tapering.current_phase(phases).kind == "fortnightly"
    assert phases[0].ended_at is not None
    assert plan.version == 3
    event = AuditEvent.objects.filter(object_type="tapering_plan").order_by("-seq").first()
    assert event.detail["from"] == "weekly"
    assert event.detail["to"] == "fortnightly"


def test_a_stale_version_is_refused_and_nothing_moves(alex, maya):
    plan = tapering.create_plan(client=maya, by=alex, start=START)
    tapering.move_to_next_phase(by=alex, plan=plan, version=1)

    with pytest.raises(StaleSave) as refused:
        tapering.move_to_next_phase(by=alex, plan=plan, version=1)

    assert refused.value.current.version == 2
    assert TaperingPhase.objects.filter(started_at__isnull=False).count() == 1


def test_editing_keeps_started_phases_and_refuses_removing_them(alex, maya):
    plan = tapering.create_plan(client=maya, by=alex, start=START)
    plan = tapering.move_to_next_phase(by=alex, plan=plan, version=1)
    weekly = tapering.phases_of(plan)[0]
    rows = [
        {"id": weekly.pk, "kind": "weekly", "label": "", "planned_start": START},
        {"kind": "custom", "label": "Every three weeks", "planned_start": START + dt.timedelta(40)},
    ]

    saved = tapering.save_phases(by=alex, plan=plan, version=2, phases=rows)

    assert phase_kinds(saved) == ["weekly", "custom"]
    assert tapering.phases_of(saved)[0].started_at == weekly.started_at
    assert tapering.phases_of(saved)[1].name == "Every three weeks"
    with pytest.raises(tapering.TaperingError):
        tapering.save_phases(by=alex, plan=saved, version=3, phases=rows[1:])
    assert TaperingPhase.objects.get(pk=weekly.pk).plan_id == plan.pk


def test_phases_out_of_date_order_are_refused(alex, maya):
    plan = tapering.create_plan(client=maya, by=alex, start=START)
    rows = [
        {"kind": "weekly", "planned_start": START},
        {"kind": "monthly", "planned_start": START - dt.timedelta(days=1)},
    ]
    with pytest.raises(tapering.TaperingError):
        tapering.save_phases(by=alex, plan=plan, version=1, phases=rows)
    assert tapering.plan_of(maya).version == 1


def test_the_suggestion_reads_measures_goals_and_practice_from_the_record(alex, maya):
    phq9(alex, maya, PRE_18, days_ago(120))
    phq9(alex, maya, POST_9, days_ago(10))
    rate(make_goal(maya), 0)
    for week in range(4):
        checkin(maya, days_ago(7 * week + 1))

    suggestion = tapering.suggestion_for(maya, viewer=alex)

    assert suggestion.step_down is True
    view = tapering.suggestion_view(suggestion)
    assert view.headline == "The data supports stepping down."
    assert [r.text for r in view.reasons] == [
        "Safety: no risk flag in the last 4 weeks, and none open.",
        "Measures: no reliable deterioration on any measure in the last 6 weeks (1 completed).",
        "Goals: the active goal is at or above its expected level.",
        "Practice: some practice in each of the last 4 weeks.",
    ]


def test_the_suggestion_names_the_deteriorated_measure_and_the_missing_weeks(alex, maya):
    phq9(alex, maya, POST_9, days_ago(120))
    phq9(alex, maya, PRE_18, days_ago(10))
    rate(make_goal(maya), -1)
    make_goal(maya, "unrated")
    PauseFactory(client=maya, emotion="", intensity_before=5, shared=True, created_at=days_ago(2))

    view = tapering.suggestion_view(tapering.suggestion_for(maya, viewer=alex))

    assert view.step_down is False
    assert view.headline == "Not now: a measure reliably got worse, and that comes first."
    assert [r.text for r in view.reasons] == [
        "Safety: no risk flag in the last 4 weeks, and none open.",
        "Measures: reliable deterioration in the last 6 weeks on PHQ-9.",
        "Goals: 1 of 2 below the expected level, 1 not rated yet.",
        "Practice: practice in 1 of the last 4 weeks.",
    ]


def test_practice_the_client_did_not_share_does_not_count_for_the_clinician(alex, maya):
    for week in range(4):
        PauseFactory(
            client=maya,
            emotion="",
            intensity_before=5,
            shared=False,
            created_at=days_ago(7 * week + 1),
        )

    for_alex = tapering.suggestion_for(maya, viewer=alex).reasons[3]
    for_maya = tapering.suggestion_for(maya, viewer=maya.user).reasons[3]

    assert (for_alex.met, for_maya.met) == (False, True)


def test_the_first_step_down_is_the_start_of_the_first_phase_after_weekly(alex, maya):
    plan = tapering.create_plan(client=maya, by=alex, start=START)
    plan = tapering.move_to_next_phase(by=alex, plan=plan, version=1)
    assert tapering.stepped_down_on(tapering.phases_of(plan), dt.UTC) is None

    plan = tapering.move_to_next_phase(by=alex, plan=plan, version=2)

    assert tapering.stepped_down_on(tapering.phases_of(plan), dt.UTC) == (
        timezone.now().astimezone(dt.UTC).date()
    )


LOW_1 = (0, 0, 0, 0, 0, 0, 1, 0, 0)  # PHQ-9 total 1
NEAR_17 = (2, 2, 2, 2, 2, 2, 3, 2, 0)  # PHQ-9 total 17


def measures_reason(client, viewer):
    view = tapering.suggestion_view(tapering.suggestion_for(client, viewer=viewer))
    return view.reasons[1].met, view.reasons[1].text


def test_a_relapse_to_the_intake_score_in_the_window_holds_the_step_down(alex, maya):
    phq9(alex, maya, PRE_18, days_ago(120))
    phq9(alex, maya, LOW_1, days_ago(60))
    phq9(alex, maya, PRE_18, days_ago(10))

    assert measures_reason(maya, alex) == (
        False,
        "Measures: reliable deterioration in the last 6 weeks on PHQ-9.",
    )


def test_a_score_steady_since_before_the_window_is_stable_though_worse_than_intake(alex, maya):
    phq9(alex, maya, LOW_1, days_ago(120))
    phq9(alex, maya, PRE_18, days_ago(60))
    phq9(alex, maya, NEAR_17, days_ago(10))

    assert measures_reason(maya, alex) == (
        True,
        "Measures: no reliable deterioration on any measure in the last 6 weeks (1 completed).",
    )


def test_back_in_weekly_sessions_there_is_no_step_down_until_the_next_one(alex, maya):
    plan = tapering.create_plan(client=maya, by=alex, start=START)
    for version in (1, 2):
        plan = tapering.move_to_next_phase(by=alex, plan=plan, version=version)
    weekly = TaperingPhaseFactory(
        plan=plan, position=9, kind="weekly", planned_start=START, started_at=timezone.now()
    )
    plan = tapering.plan_of(maya)
    assert tapering.stepped_down_on(tapering.phases_of(plan), dt.UTC) is None

    TaperingPhaseFactory(
        plan=plan,
        position=10,
        kind="monthly",
        planned_start=START,
        started_at=weekly.started_at + dt.timedelta(days=3),
    )
    plan = tapering.plan_of(maya)
    assert tapering.stepped_down_on(tapering.phases_of(plan), dt.UTC) == (
        (weekly.started_at + dt.timedelta(days=3)).astimezone(dt.UTC).date()
    )
