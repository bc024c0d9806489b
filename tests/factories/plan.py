"""The plan: goals, ratings, check-ins, schedules and sessions as plain rows; a goal made through
the plan domain (version 1, steps, audit event); a fortnight of history for the session brief; and
a caseload of many clients with years of data, bulk-created."""

import datetime as dt
import uuid

import factory
from django.utils import timezone

from securebase.care.models import CareTeamMember, Client
from securebase.measures import domain as measures
from securebase.measures.models import Administration, Assignment, Score
from securebase.plan.goals import domain as goals
from securebase.plan.models import (
    Checkin,
    CheckinReminder,
    CheckinSchedule,
    Goal,
    GoalRating,
    GoalStep,
    SessionTopic,
    TherapySession,
)
from securebase.plan.sessions import domain as sessions
from securebase.practise.models import Homework
from securebase.safety.models import Alert
from tests.clock import FROZEN_NOW
from tests.factories.care import ClientFactory
from tests.factories.practise import (
    AttemptFactory,
    ExperimentFactory,
    JournalEntryFactory,
    LadderFactory,
    LadderStepFactory,
    PauseFactory,
    ToolUseFactory,
)
from tests.factories.understand import MomentFactory

# --- plain rows -----------------------------------------------------------------------------------


class GoalFactory(factory.django.DjangoModelFactory):
    """A goal row (no version snapshot, no audit event: for those, ``create_goal``)."""

    class Meta:
        model = Goal

    client = factory.SubFactory(ClientFactory)
    title = "Ask for a time to talk"
    dimension = Goal.Dimension.RELATIONAL
    weight = 1
    level_minus_2 = "level_minus_2 text"
    level_minus_1 = "level_minus_1 text"
    level_0 = "level_0 text"
    level_plus_1 = "a bit more"
    level_plus_2 = "much more"


class GoalStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoalStep

    goal = factory.SubFactory(GoalFactory)
    text = "Notice the urge to withdraw"


class GoalRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoalRating

    goal = factory.SubFactory(GoalFactory)
    client = factory.SelfAttribute("goal.client")
    level = 0
    rated_at = factory.LazyFunction(timezone.now)


class CheckinFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Checkin

    client = factory.SubFactory(ClientFactory)
    completed_at = factory.LazyFunction(timezone.now)
    mood = 5
    closeness = 5
    felt_security = 5


class CheckinScheduleFactory(factory.django.DjangoModelFactory):
    """A schedule row (no version history: for that, ``plan.checkins.set_schedule``)."""

    class Meta:
        model = CheckinSchedule

    client = factory.SubFactory(ClientFactory)
    cadence = CheckinSchedule.Cadence.DAILY
    times = factory.LazyFunction(lambda: ["19:00"])
    starts_on = factory.LazyFunction(timezone.localdate)


class CheckinReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckinReminder

    client = factory.SubFactory(ClientFactory)
    due_at = factory.LazyFunction(timezone.now)


class TherapySessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TherapySession

    client = factory.SubFactory(ClientFactory)
    held_on = factory.LazyFunction(timezone.localdate)
    attended = True


class SessionTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionTopic

    client = factory.SubFactory(ClientFactory)
    text = factory.Sequence(lambda n: f"topic {n}")


def make_goal(client, title="Ask for a time to talk", weight=1, **extra):
    """A relational goal row with placeholder level texts."""
    return GoalFactory(client=client, title=title, weight=weight, **extra)


def rate(goal, level, at=None):
    """Rate ``goal`` at ``level`` (at ``at``, or now)."""
    return GoalRatingFactory(
        goal=goal, client=goal.client, level=level, rated_at=at or timezone.now()
    )


def checkin(client, at, mood=5, closeness=5, felt_security=5):
    """A check-in completed at ``at``."""
    return CheckinFactory(
        client=client,
        completed_at=at,
        mood=mood,
        closeness=closeness,
        felt_security=felt_security,
    )


# --- a goal through the plan domain ---------------------------------------------------------------

GOAL_LEVELS = {
    "level_minus_2": "I withdraw every time and say nothing",
    "level_minus_1": "I ask once, then withdraw",
    "level_0": "I ask for a time to talk 3 times before March",
    "level_plus_1": "4 or 5 times",
    "level_plus_2": "Every time I notice it",
}
# A goal's dates, some weeks after the frozen moment the tests run at.
TARGET_DATE = FROZEN_NOW.date() + dt.timedelta(days=101)
STEP_DUE = FROZEN_NOW.date() + dt.timedelta(days=51)
GOAL = {
    "title": "Ask for a time to talk instead of withdrawing",
    "why": "I want to stay close without disappearing",
    "dimension": "relational",
    "accountability": "3 times before March",
    "target_date": TARGET_DATE,
    "weight": 1,
    "baseline_level": -1,
    **GOAL_LEVELS,
}
STEPS = [
    {"text": "Notice the urge to withdraw", "who": "client", "due_on": None, "done": False},
    {"text": "Practise the words in session", "who": "together", "due_on": STEP_DUE},
]


def goal_form(**extra) -> dict:
    """The goal form as a browser posts it: ``GOAL`` with the first of ``STEPS``; ``extra``
    overrides any field."""
    data = {name: str(value) for name, value in GOAL.items()}
    data.update({f"step_{n}_who": "client" for n in range(1, 6)})
    data.update(target_date=TARGET_DATE.isoformat(), step_1_text=STEPS[0]["text"])
    return {**data, **extra}


def create_goal(client, by, **extra):
    """``GOAL`` (``extra`` overriding its fields) with ``STEPS``, made by ``by`` through
    ``plan.goals.create_goal``: version 1, its snapshot and audit event."""
    goal, _created = goals.create_goal(client, by=by, data={**GOAL, **extra}, steps=STEPS)
    return goal


# --- the session brief ----------------------------------------------------------------------------


def one_of_each_entry(client, *, shared, when, marker="", step=None):
    """One of every client-authored entry the brief reads, shared or private (an attempt only
    with a ladder ``step``); their free text starts with ``marker``."""
    MomentFactory(
        client=client,
        occurred_at=when,
        kind="threat",
        situation=f"{marker} moment",
        shared=shared,
        to_discuss=True,
    )
    PauseFactory(
        client=client, emotion="anxious", intensity_before=6, shared=shared, created_at=when
    )
    ToolUseFactory(client=client, tool="breathing", shared=shared, created_at=when)
    JournalEntryFactory(client=client, text=f"{marker} journal", shared=shared, written_at=when)
    ExperimentFactory(
        client=client,
        belief=f"{marker} belief",
        belief_before=80,
        shared=shared,
        created_at=when,
    )
    if step is not None:
        AttemptFactory(
            client=client,
            step=step,
            attempted_at=when,
            suds_before=30,
            suds_peak=50,
            suds_after=20,
            shared=shared,
        )


def lots_of_history(client, clinician, times):
    """``times`` rounds over the last ten days of shared and private entries, check-ins, goal
    ratings, session topics and PHQ-9s (the client must have an account: it adds the topics)."""
    ladder = LadderFactory(client=client, title="Asking for time", created_by=clinician)
    step = LadderStepFactory(ladder=ladder, position=1, description="Text first", predicted_suds=60)
    goal = GoalFactory(
        client=client,
        title="Goal",
        weight=1,
        level_minus_2="x",
        level_minus_1="x",
        level_0="x",
        level_plus_1="x",
        level_plus_2="x",
    )
    CheckinSchedule.objects.get_or_create(client=client, defaults={"times": ["09:00"]})
    for i in range(times):
        when = timezone.now() - dt.timedelta(days=1 + i % 10, hours=i % 7)
        one_of_each_entry(client, shared=True, when=when, marker=f"S{i}", step=step)
        one_of_each_entry(client, shared=False, when=when, marker=f"P{i}", step=step)
        CheckinFactory(client=client, completed_at=when, mood=i % 11, closeness=5, felt_security=6)
        GoalRatingFactory(goal=goal, client=client, level=i % 5 - 2, rated_at=when)
        sessions.add_topic(client, by=client.user, text=f"t{i}", submission_id=uuid.uuid4())
        measures.record_administration(
            by=clinician,
            client=client,
            key="phq9",
            answers={"": {str(n): i % 4 for n in range(1, 10)}},
            completed_at=when,
        )


# --- a big caseload -------------------------------------------------------------------------------


def bulk_caseload(clinician, clients: int, weeks: int, *, now=None):
    """``clients`` clients on the clinician's care team, each with ``weeks`` of weekly check-ins
    and sessions up to ``now`` (default: now), four-weekly PHQ-9 and GAD-7, goals rated monthly,
    homework, measures assigned and a daily check-in schedule. Made with bulk_create so the big
    case stays fast."""
    now = now or timezone.now()
    practice = clinician.memberships.get().practice
    start = now - dt.timedelta(weeks=weeks)
    made = Client.objects.bulk_create(
        Client(practice=practice, name=f"Bulk {n:02d}", email=f"bulk{n}@example.org")
        for n in range(clients)
    )
    CareTeamMember.objects.bulk_create(
        CareTeamMember(client=c, clinician=clinician, role=CareTeamMember.Role.LEAD) for c in made
    )
    CheckinSchedule.objects.bulk_create(
        CheckinSchedule(client=c, cadence="daily", times=["09:00"], starts_on=start.date())
        for c in made
    )
    checkins, therapy, administrations, scores, homework, assignments = [], [], [], [], [], []
    for i, client in enumerate(made):
        quiet_weeks = i % 2  # every other client has not checked in for a week
        for week in range(weeks - quiet_weeks):
            at = start + dt.timedelta(weeks=week)
            checkins.append(
                Checkin(
                    client=client, due_at=at, completed_at=at, mood=6, closeness=5, felt_security=5
                )
            )
            therapy.append(TherapySession(client=client, held_on=at.date(), attended=week % 9 != 0))
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
        today = timezone.localdate(now)
        homework.append(Homework(client=client, kind="pause", due_on=today + dt.timedelta(i % 5)))
        homework.append(Homework(client=client, kind="tool", due_on=today, schedule="daily"))
        assignments += [
            Assignment(client=client, instrument_key=k, schedule="monthly", next_due=today)
            for k in ("phq9", "gad7")
        ]
    Checkin.objects.bulk_create(checkins)
    TherapySession.objects.bulk_create(therapy)
    Homework.objects.bulk_create(homework)
    Assignment.objects.bulk_create(assignments)
    Administration.objects.bulk_create(administrations)
    Score.objects.bulk_create(scores)
    Alert.objects.bulk_create(
        Alert(client=c, kind=Alert.Kind.RISK_ITEM, acknowledged_at=None if n % 4 else now)
        for n, c in enumerate(made)
    )
    made_goals = Goal.objects.bulk_create(
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
        for g in made_goals
        for month in range(weeks // 4)
    )
    return made
