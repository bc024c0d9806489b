"""Demo plan and track: about six months of check-ins, goals with reviews, and sessions.

Three invented courses of therapy, all relative to today so the demo always looks current:

- Maya (Alex) checks in every evening and improves steadily; her goals reach 0 and +1.
- Jordan (Alex, couple work with Casey) checks in weekly: a gain in the first two months, then a
  plateau; his goals stay at −1 and 0.
- Ana (Sam, in Spanish, Madrid time) checks in three evenings a week and was doing a little better
  until the last four weeks: her check-ins fall, she misses more of them, and her PHQ-9 rises by a
  reliable amount (no risk answers: the risk demo belongs elsewhere).

Every demo client gets weekly sessions (a couple cancelled), the last a few days ago, so the
session brief's "since last session" window has something in it. Values are deterministic: each
check-in's wobble comes from a generator seeded by the client and the slot's distance from today.

Written through the domain functions, by the person who would write it: the client checks in and
adds topics; the lead clinician sets goals with them, rates them and records sessions. Dates in
the past are set after each call (``care.demo.backdate``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import timezone

from securebase.care import domain as care
from securebase.care.demo import backdate
from securebase.care.models import Client
from securebase.measures import definitions
from securebase.measures import domain as measures
from securebase.measures.demo import answers_for
from securebase.plan.checkins import domain as checkins
from securebase.plan.checkins import rules as slots_of
from securebase.plan.goals import domain as goals
from securebase.plan.models import GAS_LEVELS, LEVEL_FIELDS, CheckinSchedule, Goal, TherapySession
from securebase.plan.sessions import domain as sessions

DAYS = 182  # about six months of check-ins
PLAN_FIELDS = ("title", "why", "dimension", "accountability", "weight", "baseline_level")


def _clamp(value: float) -> int:
    return max(0, min(10, round(value)))


def _between(start: float, end: float, progress: float) -> float:
    return start + (end - start) * max(0.0, min(1.0, progress))


def _maya(days_ago: float) -> tuple[float, float, float]:
    """A steady climb: mood, closeness and felt security all rise over the six months."""
    p = (DAYS - days_ago) / DAYS
    return _between(3.5, 7.2, p), _between(4.0, 7.0, p), _between(2.5, 6.8, p)


def _jordan(days_ago: float) -> tuple[float, float, float]:
    """Better over the first eight weeks, then flat: a plateau."""
    p = (DAYS - days_ago) / 56
    return _between(4.0, 5.5, p), _between(3.5, 5.0, p), _between(4.0, 5.0, p)


def _ana(days_ago: float) -> tuple[float, float, float]:
    """Slowly better for five months, then a fall over the last four weeks."""
    if days_ago >= 28:
        p = (DAYS - days_ago) / (DAYS - 28)
        return _between(4.5, 6.2, p), _between(4.0, 5.8, p), _between(4.0, 5.8, p)
    q = (28 - days_ago) / 28
    return _between(6.2, 3.0, q), _between(5.8, 3.2, q), _between(5.8, 2.8, q)


@dataclass(frozen=True)
class GoalPlan:
    title: str
    why: str
    dimension: str
    accountability: str
    weight: int
    baseline_level: int
    levels: tuple[str, str, str, str, str]  # −2 … +2
    steps: tuple[tuple[str, str, int, bool], ...]  # text, who, due in days from today, done
    ratings: tuple[int, ...]  # at each review, oldest first
    target_in_days: int = 42


@dataclass(frozen=True)
class Story:
    time_zone: str
    cadence: str
    weekdays: tuple[int, ...]
    time: str
    trend: Callable[[float], tuple[float, float, float]]
    wobble: tuple[int, ...]  # added to every rating, cycled by slot (0 = no noise)
    noise: bool  # a further −1/0/+1 from the seeded generator
    missed: frozenset[int]  # slots (0 = most recent) left unanswered
    late: frozenset[int]  # slots filled in the next day
    skills: tuple[str, ...]  # drawn from per check-in ("" = nothing today)
    notes: dict[int, tuple[str, bool]]  # slot → (note, shared with the team)
    goals: tuple[GoalPlan, ...]
    reviews_weeks_ago: tuple[int, ...]
    rating_notes: dict[int, str] = field(default_factory=dict)  # first goal: review → note
    # (instrument, days before today, total score): around the measures demo's course.
    measures: tuple[tuple[str, int, int], ...] = ()
    topics: tuple[tuple[str, int, bool], ...] = ()  # text, days ago, discussed at last session


STORIES: dict[str, Story] = {
    "maya@demo.test": Story(
        time_zone="Europe/London",
        cadence=CheckinSchedule.Cadence.DAILY,
        weekdays=(),
        time="20:00",
        trend=_maya,
        wobble=(0,),
        noise=True,
        missed=frozenset({3, 17, 30, 31, 58, 90, 121, 150, 165}),
        late=frozenset({9, 44, 101}),
        skills=("pause", "pause", "breathing", "ritual", "request", "journal", "", ""),
        notes={
            1: ("Sol was late home and I didn't text him five times. Made tea instead.", True),
            12: (
                "Told Dara I felt left out. She hadn't noticed and said sorry. Felt lighter.",
                True,
            ),
            60: ("Couldn't settle tonight. Checked my phone a lot.", False),
            150: ("Bad day. Everyone feels far away.", False),
        },
        goals=(
            GoalPlan(
                title="When Sol goes quiet, I wait before sending another message",
                why="I don't want my worry to run the relationship. I want Sol to feel I trust him.",
                dimension=Goal.Dimension.BEHAVIOURAL,
                accountability="In my check-in notes, the evenings I send one message and wait",
                weight=3,
                baseline_level=-2,
                levels=(
                    "I send several messages and call if there's no reply within the hour",
                    "I send a second message most times, but sometimes I manage to wait",
                    "Most evenings I send one message and wait until Sol answers",
                    "I wait without checking my phone every few minutes",
                    "I can leave my phone in another room and enjoy my evening",
                ),
                steps=(
                    ("Write down what I fear when Sol doesn't answer", "client", -150, True),
                    ("Practise the pause before a second message", "client", -120, True),
                    ("Go through one quiet evening step by step in session", "together", -90, True),
                    ("Tell Sol about the plan so he knows why I'm doing it", "client", 21, False),
                ),
                ratings=(-2, -1, -1, 0, 0, 1),
            ),
            GoalPlan(
                title="Tell the people I'm close to what I need instead of hoping they notice",
                why="I end up resentful and then feel I'm too much. I'd rather ask and risk a no.",
                dimension=Goal.Dimension.RELATIONAL,
                accountability="Once a week I ask Dara, Sol or Mum for something and note how it went",
                weight=2,
                baseline_level=-1,
                levels=(
                    "I don't ask at all and go quiet when I'm hurt",
                    "I ask now and then, mostly by hinting",
                    "About once a week I ask someone plainly for something I need",
                    "I ask when I need to, including Mum",
                    "Asking feels ordinary, even when the answer is no",
                ),
                steps=(
                    ("Make a list of small things I could ask for", "client", -140, True),
                    ("Rehearse asking Mum in session", "together", -60, True),
                    ("Ask Sol for an evening without phones", "client", 14, False),
                ),
                ratings=(-1, -1, 0, 0, 1, 1),
            ),
            GoalPlan(
                title="Feel calmer in myself in the evenings",
                why="Evenings are when the old fear comes back. I want them to be mine again.",
                dimension=Goal.Dimension.EMOTIONAL,
                accountability="Felt security 6 or more in most evening check-ins",
                weight=1,
                baseline_level=-1,
                levels=(
                    "Most evenings I feel on edge and can't settle",
                    "Some calm evenings, but most are restless",
                    "About half my evenings feel calm",
                    "Most evenings feel calm",
                    "Calm evenings are the usual, even when Sol is away",
                ),
                steps=(
                    (
                        "Try the tea-at-the-window ritual three evenings a week",
                        "client",
                        -100,
                        True,
                    ),
                    ("Look at my check-in trend together each month", "together", 28, False),
                ),
                ratings=(-1, -1, -1, 0, 0, 0),
                target_in_days=70,
            ),
        ),
        reviews_weeks_ago=(21, 17, 13, 9, 5, 1),
        rating_notes={5: "Waited all evening on Thursday and it was fine."},
        measures=(("phq9", 168, 18), ("gad7", 168, 15)),
        topics=(
            ("How I felt after Mum's visit, even though it went well", 9, True),
            ("Sol's work trip next month: I'm already dreading it", 2, False),
            ("Whether I'm ready to meet less often", 1, False),
        ),
    ),
    "jordan@demo.test": Story(
        time_zone="Europe/London",
        cadence=CheckinSchedule.Cadence.WEEKLY,
        weekdays=(6,),
        time="19:00",
        trend=_jordan,
        wobble=(0, 1, 0, -1, 0, 1, -1, 0),
        noise=False,
        missed=frozenset({7, 19}),
        late=frozenset({2}),
        skills=("pause", "breathing", "other", ""),
        notes={
            1: ("Same argument about the washing-up. We did stop before it got loud.", True),
            9: ("Tired. Casey went quiet and I followed her round the flat again.", False),
        },
        goals=(
            GoalPlan(
                title="When Casey goes quiet, I give her twenty minutes instead of following her",
                why="I want our son to see us argue and come back together, not chase each other.",
                dimension=Goal.Dimension.BEHAVIOURAL,
                accountability="In my weekly check-in, the times I stepped away and came back",
                weight=2,
                baseline_level=-1,
                levels=(
                    "I follow Casey from room to room until she answers",
                    "I follow her most times, but now and then I stop myself",
                    "Usually I step away for twenty minutes and then come back",
                    "I step away and can say calmly when I'd like to talk",
                    "We both take breaks and come back without it being a fight",
                ),
                steps=(
                    ("Agree a signal with Casey for 'I need a break'", "together", -140, True),
                    ("Go for a walk round the block instead of following", "client", -100, True),
                    ("Practise coming back with one calm sentence", "client", 14, False),
                ),
                ratings=(-1, 0, 0, 0, 0, 0),
            ),
            GoalPlan(
                title="Say what I feel underneath the anger: usually that I'm scared of losing her",
                why="Casey only sees the anger. If she knew I was scared it might land differently.",
                dimension=Goal.Dimension.EMOTIONAL,
                accountability="In session, I can name the fear at least once when we go over a row",
                weight=1,
                baseline_level=-1,
                levels=(
                    "I can't find anything under the anger",
                    "Afterwards, in session, I can sometimes name the fear",
                    "I can name it to Casey after a row has calmed down",
                    "I can name it during a row",
                    "I say it before it turns into a row",
                ),
                steps=(
                    ("Notice where the fear shows up in my body", "client", -120, True),
                    ("Try a soft start-up in a couple session", "together", 7, False),
                ),
                ratings=(-1, -1, -1, -1, -1, -1),
                target_in_days=56,
            ),
        ),
        reviews_weeks_ago=(21, 17, 13, 9, 5, 1),
        rating_notes={5: "Still stepping away, but the coming back is hard."},
        measures=(("phq9", 168, 10),),
    ),
    "ana@demo.test": Story(
        time_zone="Europe/Madrid",
        cadence=CheckinSchedule.Cadence.CUSTOM,
        weekdays=(0, 2, 4),
        time="21:30",
        trend=_ana,
        wobble=(0,),
        noise=True,
        missed=frozenset({1, 4, 6, 25, 50}),
        late=frozenset({2, 33}),
        skills=("breathing", "grounding", "request", "", ""),
        notes={
            0: ("Mamá está enferma y no puedo ir a verla hasta el mes que viene.", True),
            3: ("Otra noche sin dormir bien.", False),
            40: ("Cena con compañeros del trabajo. Me costó, pero fui.", True),
        },
        goals=(
            GoalPlan(
                title="Llamar a alguien cuando me siento sola, en vez de encerrarme",
                why="Cuando me encierro todo se hace más grande. Quiero sentir que tengo gente aquí.",
                dimension=Goal.Dimension.RELATIONAL,
                accountability="Una llamada o un audio a la semana, y lo apunto en el check-in",
                weight=2,
                baseline_level=-1,
                levels=(
                    "Paso semanas sin hablar con nadie de aquí",
                    "Hablo con alguien de vez en cuando, casi siempre porque me escriben",
                    "Llamo o mando un audio a alguien una vez a la semana",
                    "Llamo cuando lo necesito, también los días malos",
                    "Tengo dos o tres personas aquí a las que llamo sin pensarlo",
                ),
                steps=(
                    ("Apuntar a quién puedo llamar y cuándo", "client", -150, True),
                    ("Llamar a Lucía los domingos", "client", -120, True),
                    ("Revisar juntas qué pasa justo antes de encerrarme", "together", 14, False),
                ),
                ratings=(-1, -1, 0, 0, 0, -1),
            ),
            GoalPlan(
                title="Decirle a Marc cuándo necesito que estemos juntos, sin enfadarme primero",
                why="Me enfado y él se aleja. Quiero pedírselo antes de llegar a eso.",
                dimension=Goal.Dimension.BEHAVIOURAL,
                accountability="Se lo pido con calma al menos una vez cada dos semanas",
                weight=1,
                baseline_level=-1,
                levels=(
                    "No se lo pido y acabo enfadada",
                    "Se lo pido solo cuando ya estoy enfadada",
                    "Se lo pido con calma una vez cada dos semanas",
                    "Se lo pido con calma cuando lo necesito",
                    "Lo hablamos los dos sin que yo tenga que pedirlo",
                ),
                steps=(
                    ("Ensayar cómo pedirlo en sesión", "together", -90, True),
                    ("Proponer a Marc una noche fija a la semana", "client", 10, False),
                ),
                ratings=(-1, -1, -1, 0, 0, -1),
            ),
        ),
        reviews_weeks_ago=(22, 18, 14, 10, 6, 1),
        rating_notes={5: "Semanas difíciles desde que su madre enfermó."},
        # PHQ-9 from 8 to 15: a rise of 7 (reliable: 6 or more) and across the cutoff of 10. The
        # latest comes two days ago, after her last session, so the session brief shows it.
        measures=(
            ("phq9", 168, 8),
            ("phq9", 126, 7),
            ("phq9", 84, 6),
            ("phq9", 42, 8),
            ("phq9", 14, 11),
            ("phq9", 2, 15),
        ),
        topics=(("Cómo estar lejos cuando mamá está enferma", 1, False),),
    ),
}
# (email, weeks, every n weeks, days since the last session, cancelled sessions counted back).
SESSIONS = [
    ("maya@demo.test", 26, 1, 3, (6, 15)),
    ("jordan@demo.test", 26, 1, 5, (10, 19)),
    ("casey@demo.test", 26, 1, 5, (10, 19)),
    ("priya@demo.test", 10, 1, 2, (5,)),
    ("leo@demo.test", 12, 2, 6, ()),
    ("ana@demo.test", 26, 1, 4, (2, 13)),
]
OTHER_ZONE = "Europe/London"  # the demo practice's clients without a story of their own
SESSION_HOUR = dt.time(18, 0)  # sessions are recorded at the end of the working day


def load(practice) -> None:
    """Give the demo clients plans, check-ins and sessions unless they have some (idempotent)."""
    now = timezone.now()
    clients = {c.email: c for c in Client.objects.filter(practice=practice)}
    for email, story in STORIES.items():
        client = clients.get(email)
        if client is None or _has_plan(client):
            continue
        lead = _lead(client)
        _set_up_client(client, story.time_zone, now - dt.timedelta(days=DAYS + 7))
        _load_checkins(client, story, now)
        _load_goals(client, story, lead, now)
        _load_measures(client, story, lead, now)
        _load_topics(client, story, now)
    for email, weeks, every, last_days_ago, cancelled in SESSIONS:
        client = clients.get(email)
        if client is None or TherapySession.objects.filter(client=client).exists():
            continue
        if email not in STORIES:
            started = now - dt.timedelta(days=last_days_ago + 7 * weeks + 7)
            _set_up_client(client, OTHER_ZONE, started)
        _load_sessions(client, _lead(client), now, weeks, every, last_days_ago, cancelled)


def _has_plan(client) -> bool:
    return (
        CheckinSchedule.objects.filter(client=client).exists()
        or Goal.objects.filter(client=client).exists()
    )


def _lead(client):
    return client.care_team.select_related("clinician").first().clinician


def _local_day(now: dt.datetime, zone: str, days_ago: int) -> dt.date:
    return (now.astimezone(ZoneInfo(zone)) - dt.timedelta(days=days_ago)).date()


def _set_up_client(client, zone: str, started: dt.datetime) -> None:
    """The client's time zone, and a start in the practice that fits the history."""
    care.set_preferences(
        client=client,
        by=client.user or _lead(client),  # a client without an account: set at intake
        shares_by_default=client.shares_by_default,
        language=client.language,
        pacing=client.pacing,
        terms=client.preferred_terms,
        in_session_only=client.in_session_only,
        time_zone=zone,
    )
    if client.created_at > started:
        backdate(client, created_at=started)


def _load_checkins(client, story: Story, now: dt.datetime) -> None:
    """The client set up the schedule six months ago and has answered most slots since."""
    starts_on = _local_day(now, story.time_zone, DAYS)
    record = checkins.set_schedule(
        client,
        by=client.user,
        cadence=story.cadence,
        weekdays=list(story.weekdays),
        times=[story.time],
        remind=True,
        active=True,
        version=0,
    )
    backdate(record, starts_on=starts_on, updated_at=now - dt.timedelta(days=DAYS))
    plan = slots_of.Schedule(
        cadence=story.cadence,
        weekdays=story.weekdays,
        times=(story.time,),
        time_zone=story.time_zone,
        starts_on=starts_on,
    )
    start = dt.datetime.combine(starts_on, dt.time.min, tzinfo=ZoneInfo(story.time_zone))
    # Slots at least two hours old; the newest may still be open, never missed yet.
    found = slots_of.slots(plan, start, now - dt.timedelta(hours=2))
    for k, due in enumerate(reversed(found)):  # k = 0 is the most recent slot
        if k in story.missed:
            continue
        rng = random.Random(f"{client.email}:{k}")  # noqa: S311 (demo values, not secrets)
        days_ago = (now - due).total_seconds() / 86400
        wobble = story.wobble[k % len(story.wobble)]
        ratings = [
            _clamp(value + wobble + (rng.choice((-1, 0, 0, 1)) if story.noise else 0))
            for value in story.trend(days_ago)
        ]
        if k in story.late:
            completed = due + dt.timedelta(hours=17, minutes=rng.randint(0, 50))
        else:
            completed = due + dt.timedelta(minutes=rng.randint(2, 95))
        completed = min(completed, now - dt.timedelta(minutes=5))
        note, shared = story.notes.get(k, ("", False))
        # The slot is named, as when a client fills in a missed check-in, so the domain checks it
        # against the schedule and marks it late from ``now`` (the moment it was answered).
        checkins.record_checkin(
            client,
            by=client.user,
            data={
                "due_at": due,
                "mood": ratings[0],
                "closeness": ratings[1],
                "felt_security": ratings[2],
                "skill": rng.choice(story.skills),
                "note": note,
                "note_shared": shared,
            },
            now=completed,
        )


def _load_goals(client, story: Story, lead, now: dt.datetime) -> None:
    """The lead clinician sets the goals with the client and rates them at each review."""
    zone = ZoneInfo(story.time_zone)
    today = _local_day(now, story.time_zone, 0)
    created = now - dt.timedelta(weeks=max(story.reviews_weeks_ago) + 2)
    for plan in story.goals:
        goal, _ = goals.create_goal(
            client,
            by=lead,
            data={
                **{name: getattr(plan, name) for name in PLAN_FIELDS},
                "target_date": today + dt.timedelta(days=plan.target_in_days),
                **{
                    LEVEL_FIELDS[level]: text
                    for level, text in zip(GAS_LEVELS, plan.levels, strict=True)
                },
            },
            steps=[
                {
                    "text": text,
                    "who": who,
                    "due_on": today + dt.timedelta(days=due_in),
                    "done": done,
                }
                for text, who, due_in, done in plan.steps
            ],
        )
        backdate(goal, created_at=created, updated_at=created)
        backdate(goal.versions.get(), saved_at=created)
        for step, (_text, _who, due_in, done) in zip(
            goal.steps.order_by("position"), plan.steps, strict=True
        ):
            if done:
                day = today + dt.timedelta(days=due_in - 2)
                backdate(step, done_at=dt.datetime.combine(day, SESSION_HOUR, tzinfo=zone))
        notes = story.rating_notes if plan is story.goals[0] else {}
        for index, (weeks, level) in enumerate(
            zip(story.reviews_weeks_ago, plan.ratings, strict=True)
        ):
            rating, _ = goals.rate_goal(goal, by=lead, level=level, note=notes.get(index, ""))
            backdate(rating, rated_at=now - dt.timedelta(weeks=weeks))


def _load_measures(client, story: Story, lead, now: dt.datetime) -> None:
    """Administrations before (and, for Ana, after) the measures demo's course."""
    registry = definitions.registry()
    for key, days_ago, total in story.measures:
        if key not in registry:
            continue
        definition = registry[key]
        items = len(definition.subscales[0].items)
        measures.record_administration(
            by=lead,
            client=client,
            key=key,
            answers={"": answers_for(definition, {"total": total / items})},
            completed_at=now - dt.timedelta(days=days_ago),
        )


def _load_topics(client, story: Story, now: dt.datetime) -> None:
    """What the client wanted to talk about; the care team marked one of them discussed."""
    for text, days_ago, discussed in story.topics:
        created = now - dt.timedelta(days=days_ago)
        topic, _ = sessions.add_topic(client, by=client.user, text=text, submission_id=None)
        if discussed:
            sessions.mark_topic_discussed(topic, by=_lead(client))
        backdate(
            topic,
            created_at=created,
            discussed_at=created + dt.timedelta(days=6) if discussed else None,
        )


def _load_sessions(client, lead, now, weeks, every, last_days_ago, cancelled) -> None:
    zone = ZoneInfo(client.time_zone)
    last = _local_day(now, client.time_zone, last_days_ago)
    for index in range(0, weeks, every):
        held_on = last - dt.timedelta(weeks=index)
        session, _ = sessions.record_session(
            client, by=lead, held_on=held_on, attended=index not in cancelled
        )
        backdate(session, recorded_at=dt.datetime.combine(held_on, SESSION_HOUR, tzinfo=zone))
