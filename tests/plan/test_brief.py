"""The session brief's content: what is in the window, only what was shared, in fixed queries."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from securebase.audit.models import AuditEvent
from securebase.measures import domain as measures
from securebase.plan.brief.domain import NotOnCareTeam, build_brief
from securebase.plan.models import Goal
from securebase.plan.sessions import domain as sessions
from securebase.safety.flags import domain as flags
from securebase.understand.models import Moment
from tests.factories import (
    CheckinFactory,
    CheckinScheduleFactory,
    GoalFactory,
    GoalRatingFactory,
    LadderFactory,
    LadderStepFactory,
    MomentFactory,
    lots_of_history,
    one_of_each_entry,
)

LEVELS = {
    f: "x" for f in ("level_minus_2", "level_minus_1", "level_0", "level_plus_1", "level_plus_2")
}


def _ago(days, hours=0):
    return timezone.now() - dt.timedelta(days=days, hours=hours)


def _goal(client, title, weight=1):
    return GoalFactory(
        client=client, title=title, dimension=Goal.Dimension.RELATIONAL, weight=weight, **LEVELS
    )


def _step(client, alex):
    ladder = LadderFactory(client=client, title="Asking for time", created_by=alex)
    return LadderStepFactory(ladder=ladder, position=1, description="Text first", predicted_suds=60)


def _brief(client, viewer, days=14):
    today = sessions.client_today(client)
    return build_brief(client, viewer=viewer, start=today - dt.timedelta(days=days), end=today)


def test_only_shared_entries_reach_the_brief_and_private_ones_are_not_even_counted(alex, maya):
    step = _step(maya, alex)
    one_of_each_entry(maya, shared=True, when=_ago(2), marker="SHARED", step=step)
    one_of_each_entry(maya, shared=False, when=_ago(2), marker="PRIVATE", step=step)

    brief = _brief(maya, alex)

    assert [m.situation for m in brief.moments] == ["SHARED moment"]
    assert [e.belief for e in brief.experiments] == ["SHARED belief"]
    assert [a.shared for a in brief.attempts] == [True]
    assert brief.practice == {"pauses": 1, "tools": 1, "journal": 1}


def test_an_unshared_moment_marked_to_discuss_never_appears_on_the_page(as_alex, alex, maya):
    MomentFactory(
        client=maya,
        occurred_at=_ago(1),
        kind=Moment.Kind.THREAT,
        situation="LEAK he did not call back",
        shared=False,
        to_discuss=True,  # marked while it was shared, then the client made it private
    )
    page = as_alex.get(f"/clients/{maya.pk}/brief/")
    assert page.status_code == 200
    assert "LEAK" not in page.text
    assert "No shared moments marked to discuss." in page.text


def test_entries_outside_the_window_are_left_out(alex, maya):
    one_of_each_entry(maya, shared=True, when=_ago(40), marker="OLD")
    brief = _brief(maya, alex)
    assert brief.experiments == []
    assert brief.practice == {"pauses": 0, "tools": 0, "journal": 0}
    # A moment marked to discuss stays on the brief until it is discussed, however old.
    assert [m.situation for m in brief.moments] == ["OLD moment"]


def test_only_the_care_team_reads_a_brief(sam, maya):
    for outsider in (sam, maya.user):
        with pytest.raises(NotOnCareTeam):
            _brief(maya, outsider)


def test_reading_the_brief_is_audited_without_clinical_text(alex, maya):
    brief = _brief(maya, alex, days=7)
    event = AuditEvent.objects.filter(object_type="session_brief").get()
    assert (event.action, event.object_id) == ("read", str(maya.pk))
    assert event.detail == {
        "start": brief.window.start.isoformat(),
        "end": brief.window.end.isoformat(),
    }


def test_gas_uses_the_latest_rating_of_each_active_goal(alex, maya):
    first, second = _goal(maya, "Ask for time", weight=2), _goal(maya, "Stay in the room")
    retired = _goal(maya, "Old goal")
    retired.active = False
    retired.save()
    GoalRatingFactory(goal=first, client=maya, level=-1, rated_at=_ago(20))
    GoalRatingFactory(goal=first, client=maya, level=1, rated_at=_ago(3))
    GoalRatingFactory(goal=second, client=maya, level=1, rated_at=_ago(30))
    GoalRatingFactory(goal=retired, client=maya, level=-2, rated_at=_ago(2))

    brief = _brief(maya, alex)

    # Kiresuk & Sherman, ρ = 0.3: levels +1 (w 2) and +1 (w 1): 50 + 10·3/√(0.7·5 + 0.3·9) = 62.05
    assert round(brief.gas_t_score, 2) == 62.05
    assert [(g.goal.title, g.latest_level) for g in brief.goals] == [
        ("Ask for time", 1),
        ("Stay in the room", 1),
    ]
    assert [len(g.ratings_in_window) for g in brief.goals] == [1, 0]


def test_measures_show_reliable_change_against_the_previous_and_the_first(alex, maya):
    for when, value in ((_ago(60), 2), (_ago(30), 2), (_ago(2), 0)):
        measures.record_administration(
            by=alex,
            client=maya,
            key="phq9",
            answers={"": {str(n): value for n in range(1, 10)}},
            completed_at=when,
        )
    brief = _brief(maya, alex)
    assert len(brief.measures) == 1
    change = brief.measures[0].subscales[0]
    assert (change.value, change.since_previous, change.since_first) == (
        0,
        "recovered",
        "recovered",
    )
    [summary] = brief.measure_summaries
    assert summary.subscales[0]["first"] == 18
    assert summary.subscales[0]["verdict"]["text"] == "recovered"


def test_open_risk_flags_and_those_raised_in_the_window_are_shown(alex, maya):
    answers = {"": {**{str(n): 0 for n in range(1, 10)}, "9": 2}}
    old = measures.record_administration(
        by=alex, client=maya, key="phq9", answers=answers, completed_at=_ago(60)
    )[0].alert
    seen = measures.record_administration(by=alex, client=maya, key="phq9", answers=answers)[
        0
    ].alert
    flags.acknowledge(seen, by=alex, note="Spoke with the client today.")
    brief = _brief(maya, alex)
    assert {a.pk for a in brief.risk_flags} == {old.pk, seen.pk}
    assert [a.pk for a in brief.open_risk_flags] == [old.pk]


def test_missed_check_ins_follow_the_schedule_in_the_clients_time_zone(alex, maya):
    maya.time_zone = "Europe/London"
    maya.save(update_fields=["time_zone"])
    today = sessions.client_today(maya)
    CheckinScheduleFactory(
        client=maya, cadence="daily", times=["09:00"], starts_on=today - dt.timedelta(days=3)
    )
    brief_before = build_brief(maya, viewer=alex, start=today - dt.timedelta(days=3), end=today)
    slots = brief_before.missed
    assert len(slots) >= 2
    CheckinFactory(
        client=maya, due_at=slots[0], completed_at=slots[0], mood=5, closeness=5, felt_security=5
    )
    brief = build_brief(maya, viewer=alex, start=today - dt.timedelta(days=3), end=today)
    assert brief.missed == slots[1:]
    assert brief.checkin_averages == {"mood": 5.0, "closeness": 5.0, "felt_security": 5.0}
    assert not brief.checkin_chart.empty


def test_the_clients_open_topics_are_on_the_brief_until_discussed(alex, maya):
    topic, _ = sessions.add_topic(maya, by=maya.user, text="My job", submission_id=uuid.uuid4())
    assert [t.text for t in _brief(maya, alex).topics] == ["My job"]
    sessions.mark_topic_discussed(topic, by=alex)
    assert _brief(maya, alex).topics == []


@pytest.mark.parametrize("times", [2, 20])
def test_the_brief_takes_the_same_number_of_queries_at_ten_times_the_data(
    alex, maya, times, django_assert_num_queries
):
    lots_of_history(maya, alex, times)
    alex = type(alex).objects.get(pk=alex.pk)  # no cached roles: count them too
    with django_assert_num_queries(25):
        _brief(maya, alex)
