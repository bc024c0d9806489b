"""What the demo practice shows: loaded once for this module (``demo_practice``), as `make demo`
loads it, and loading it again adds nothing."""

import datetime as dt
import json
from statistics import mean

import pytest
from django.apps import apps
from django.utils import timezone

from securebase.care import demo
from securebase.care.models import Client
from securebase.maintain.tapering import current_phase, phases_of
from securebase.measures import definitions
from securebase.measures.change import reliable_change
from securebase.measures.models import Score
from securebase.plan.checkins import rules as schedule
from securebase.plan.models import (
    Checkin,
    CheckinSchedule,
    Goal,
    GoalStep,
    SessionTopic,
    TherapySession,
)
from securebase.practise.models import (
    CoregulationNote,
    CoregulationSession,
    Reframe,
    Request,
    Ritual,
)
from securebase.safety.models import Alert
from securebase.safety.plan.domain import content_of

pytestmark = pytest.mark.django_db


def _rows_per_model():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith("securebase.")
    }


def test_loading_the_demo_again_adds_nothing_anywhere(demo_practice):
    before = _rows_per_model()
    assert all(
        before[m] for m in ("plan.Checkin", "plan.Goal", "plan.TherapySession", "measures.Score")
    )

    demo.load()

    assert _rows_per_model() == before


def test_demo_has_a_client_tapering_and_one_discharged_with_self_check_ins(demo_practice):
    maya = Client.objects.with_email(None, "maya@demo.test").get()
    priya = Client.objects.with_email(None, "priya@demo.test").get()
    assert current_phase(phases_of(maya.tapering_plan)).kind == "fortnightly"
    assert priya.status == Client.Status.DISCHARGED
    assert priya.checkin_schedule.active
    assert content_of(maya.safety_plan)["people"][0]["name"] == "Dara (friend)"
    casey = Client.objects.with_email(None, "casey@demo.test").get()
    (alert,) = Alert.objects.filter(client=casey, acknowledged_at__isnull=True)
    assert alert.kind == Alert.Kind.RISK_CHECKIN


def test_demo_practice_is_loaded_once_including_the_couples_session(demo_practice):
    with_accounts = Client.objects.filter(user__isnull=False).count()
    assert Ritual.objects.count() == 2 * with_accounts
    assert Reframe.objects.count() == with_accounts
    assert all(r.how_it_went and r.done_at for r in Request.objects.all())
    session = CoregulationSession.objects.get()  # Jordan and Casey both have accounts
    assert {n.client_id for n in CoregulationNote.objects.filter(session=session)} == {
        session.client_id,
        session.partner_id,
    }


def _client(email):
    return Client.objects.with_email(None, email).get()


def _mean_between(client, newest_days_ago, oldest_days_ago):
    now = timezone.now()
    rows = Checkin.objects.filter(
        client=client,
        due_at__gt=now - dt.timedelta(days=oldest_days_ago),
        due_at__lte=now - dt.timedelta(days=newest_days_ago),
    )
    return mean((c.mood + c.closeness + c.felt_security) / 3 for c in rows)


def _first_check_in_month(client):
    first = Checkin.objects.filter(client=client).order_by("due_at").first().due_at
    rows = Checkin.objects.filter(client=client, due_at__lt=first + dt.timedelta(days=30))
    return mean((c.mood + c.closeness + c.felt_security) / 3 for c in rows)


def test_maya_improves_jordan_plateaus_and_ana_falls_in_the_last_weeks(demo_practice):
    maya, jordan, ana = (_client(f"{n}@demo.test") for n in ("maya", "jordan", "ana"))

    assert _mean_between(maya, 0, 30) > _first_check_in_month(maya) + 2

    assert _mean_between(jordan, 0, 35) == pytest.approx(_mean_between(jordan, 70, 105), abs=0.75)

    assert _mean_between(ana, 0, 14) < _mean_between(ana, 35, 63) - 1.5


def test_check_in_schedules_are_in_each_clients_own_time_zone_and_language(demo_practice):
    ana = _client("ana@demo.test")
    assert (ana.time_zone, ana.language) == ("Europe/Madrid", "es")
    assert ana.checkin_schedule.cadence == CheckinSchedule.Cadence.CUSTOM
    maya = _client("maya@demo.test")
    assert (maya.time_zone, maya.checkin_schedule.times) == ("Europe/London", ["20:00"])
    first = Checkin.objects.filter(client=maya).order_by("due_at").first()
    assert first.due_at.astimezone(dt.UTC) < timezone.now() - dt.timedelta(days=170)


def test_some_check_ins_were_missed_and_some_filled_in_late(demo_practice):
    now = timezone.now()
    for email in ("maya@demo.test", "jordan@demo.test", "ana@demo.test"):
        client = _client(email)
        plan = client.checkin_schedule
        slots = schedule.Schedule(
            cadence=plan.cadence,
            weekdays=tuple(plan.weekdays),
            times=tuple(plan.times),
            time_zone=client.time_zone,
            starts_on=plan.starts_on,
        )
        answered = Checkin.objects.filter(client=client).values_list("due_at", flat=True)
        missed = schedule.missed(slots, answered, now, since=now - dt.timedelta(days=200))
        late = Checkin.objects.filter(client=client, late=True)
        assert 2 <= len(missed) <= len(answered) // 10, email
        assert late.count() >= 1, email
        assert all(schedule.is_late(c.due_at, c.completed_at) for c in late), email
    assert Checkin.objects.filter(note_shared=True).count() >= 3
    assert Checkin.objects.exclude(note="").filter(note_shared=False).count() >= 2


def test_anas_latest_phq9_is_a_reliable_deterioration_without_any_risk_answer(demo_practice):
    ana = _client("ana@demo.test")
    scores = list(
        Score.objects.filter(client=ana, instrument_key="phq9", subscale="total").order_by(
            "completed_at"
        )
    )
    total = next(s for s in definitions.get("phq9").subscales if s.key == "total")

    change = reliable_change(
        scores[0].value,
        scores[-1].value,
        total.reliable_change,
        better=total.better,
        cutoff=total.cutoff,
    )

    assert change.verdict == "reliably deteriorated"
    assert scores[-1].completed_at > TherapySession.objects.filter(client=ana).first().recorded_at
    assert not Alert.objects.filter(client=ana, administration__instrument_key="phq9").exists()


def test_maya_reaches_her_goals_and_every_goal_has_a_first_version(demo_practice):
    maya = _client("maya@demo.test")
    latest = {
        goal.pk: goal.ratings.order_by("-rated_at").first().level
        for goal in Goal.objects.filter(client=maya)
    }
    assert sorted(latest.values()) == [0, 1, 1]
    assert (
        Goal.objects.filter(client__in=Client.objects.with_email(None, "jordan@demo.test")).count()
        == 2
    )
    for goal in Goal.objects.all():
        version = goal.versions.get()
        snapshot = json.loads(version.snapshot)
        assert (version.version, snapshot["title"], snapshot["level_0"]) == (
            1,
            goal.title,
            goal.level_0,
        )
        assert len(snapshot["steps"]) == goal.steps.count()
    assert GoalStep.objects.filter(done_at__isnull=False).exists()
    assert GoalStep.objects.filter(done_at__isnull=True).exists()


def test_every_demo_client_had_a_session_in_the_last_week_and_some_were_cancelled(demo_practice):
    week_ago = timezone.localdate() - dt.timedelta(days=7)
    for client in Client.objects.all():
        latest = TherapySession.objects.filter(client=client).first()
        assert latest.held_on >= week_ago and latest.attended, client.email
    maya = _client("maya@demo.test")
    assert TherapySession.objects.filter(client=maya).count() == 26
    assert TherapySession.objects.filter(client=maya, attended=False).count() == 2
    open_topics = SessionTopic.objects.filter(client=maya, discussed_at__isnull=True)
    assert open_topics.count() == 2
