"""A large generated practice for `securebase bench` (DESIGN.md section 7).

:func:`build` makes one practice: one clinician (with TOTP, so the access policy admits them) and
``clients`` clients, each with ``weeks`` of history — daily check-ins on a schedule, weekly
sessions, four-weekly PHQ-9 and GAD-7 with their scores, two or three goals rated monthly,
moments, people, pauses, tool uses, journal entries (some shared), a ladder with attempts,
experiments, homework and topics for the next session. Everything goes in with ``bulk_create``
and a seeded random generator, so a size always makes the same shape of data; dates are relative
to the moment it runs. The first client has an account (the client pages are read as them).

Only for scratch databases: it writes made-up people into the database it is given.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import secrets
import time
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import transaction
from django.utils import timezone

from securebase.accounts.models import User
from securebase.care.models import CareTeamMember, Client, Membership, Practice
from securebase.measures import definitions, scoring
from securebase.measures.models import Administration, Assignment, Score
from securebase.plan.checkins.domain import SKILL_CODES
from securebase.plan.models import (
    Checkin,
    CheckinSchedule,
    Goal,
    GoalRating,
    GoalVersion,
    SessionTopic,
    TherapySession,
)
from securebase.practise.models import (
    Attempt,
    Experiment,
    Homework,
    JournalEntry,
    Ladder,
    LadderStep,
    Pause,
    ToolUse,
)
from securebase.safety.models import Alert
from securebase.understand.models import Moment, Person, PersonRating
from securebase.understand.vocabulary import BODY_CUES, EMOTIONS, RESPONSES

PRACTICE_PREFIX = "Bench practice"
TIME_ZONE = "Europe/London"
SEED = 6


@dataclass(frozen=True)
class Size:
    name: str
    clients: int
    weeks: int


SMALL = Size("small", clients=4, weeks=8)
LARGE = Size("large", clients=40, weeks=104)


@dataclass
class BenchPractice:
    """What :func:`build` made: the practice, its clinician, its clients and row counts."""

    size: Size
    practice: Practice
    clinician: User
    clients: list[Client]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def focus(self) -> Client:
        """The client whose pages are read: the first one, with an account."""
        return self.clients[0]


def build(size: Size, *, seed: int = SEED, now: dt.datetime | None = None) -> BenchPractice:
    """Make one practice of this size (a new one each call) and return it."""
    started = time.perf_counter()
    now = now or timezone.now()
    rng = random.Random(f"{seed}-{size.clients}-{size.weeks}")  # noqa: S311 (made-up data)
    tag = secrets.token_hex(4)  # several builds may share one database
    with transaction.atomic():
        made = _Builder(size, rng, now, tag).run()
    made.seconds = time.perf_counter() - started
    return made


# --- the generator ---------------------------------------------------------------------------------

_CHECKIN_TIME = dt.time(19, 0)
_CLIENT_NAMES = (
    "Avery", "Blake", "Carmen", "Dara", "Eli", "Farah", "Gus", "Hana", "Idris", "Jun",
    "Kemi", "Luca", "Mina", "Noor", "Oscar", "Pia", "Quinn", "Rosa", "Sami", "Tove",
)  # fmt: skip
_SURNAMES = ("Adler", "Byrne", "Costa", "Dube", "Ekström", "Fofana", "Grant", "Haddad")
_GOALS = (
    ("Ask for time to talk instead of going quiet", Goal.Dimension.RELATIONAL),
    ("Notice the urge to check my phone and pause", Goal.Dimension.BEHAVIOURAL),
    ("Feel steadier when plans change at short notice", Goal.Dimension.EMOTIONAL),
)
_PEOPLE = (("Sam", "my partner", "inner"), ("Mum", "Mum", "middle"), ("Jo", "a friend", "outer"))
_LADDER = (
    "Say that I missed them",
    "Ask how their day was and listen",
    "Tell them one worry",
    "Ask for a hug when I need one",
    "Say no to a plan I do not want",
    "Talk about the argument the next day",
)
_TOOLS = [ToolUse.Tool.BREATHING, ToolUse.Tool.GROUNDING, ToolUse.Tool.REFRAME]
_HOMEWORK = [Homework.Kind.PAUSE, Homework.Kind.JOURNAL, Homework.Kind.READING, Homework.Kind.TOOL]


# Pieces of the short entries whose risk reading `securebase bench` times: everyday journal
# sentences in English and Spanish, a few of them close to risk language.
_WHEN = ("Today", "This morning", "After work", "Tonight", "Hoy", "Esta noche")
_WHAT = (
    "I argued with my partner about money",
    "I felt far from them and closer after we talked",
    "I tried the pause before answering the message",
    "my sister called and we laughed for an hour",
    "I kept thinking nobody would notice if I was gone",
    "the meeting ran late and I missed the bus",
    "me sentí sola pero le escribí a una amiga",
    "quise desaparecer un rato y salí a caminar",
    "noté el pecho apretado cuando llegó el mensaje",
    "practiqué pedir lo que necesito",
)
_AFTER = ("I wrote it down.", "It passed.", "Mañana lo hablamos.", "I went to bed early.", "")


def entries(count: int = 100, *, seed: int = SEED) -> list[str]:
    """``count`` short journal entries of one to three sentences, the same ones each time."""
    rng = random.Random(seed)  # noqa: S311 (made-up data)
    return [
        f"{rng.choice(_WHEN)}, {rng.choice(_WHAT)}. {rng.choice(_AFTER)}".strip()
        for _ in range(count)
    ]


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


class _Builder:
    def __init__(self, size: Size, rng: random.Random, now: dt.datetime, tag: str):
        self.size, self.rng, self.now, self.tag = size, rng, now, tag
        self.zone = ZoneInfo(TIME_ZONE)
        self.today = now.astimezone(self.zone).date()
        self.start = self.today - dt.timedelta(weeks=size.weeks)
        self.rows: dict[type, list] = {}
        self.phq9 = definitions.get("phq9")
        self.gad7 = definitions.get("gad7")

    def add(self, row) -> None:
        self.rows.setdefault(type(row), []).append(row)

    def at(self, day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.zone)

    def random_day(self, week: int) -> dt.date:
        return self.start + dt.timedelta(weeks=week, days=self.rng.randrange(7))

    def run(self) -> BenchPractice:
        practice = Practice.objects.create(name=f"{PRACTICE_PREFIX} {self.size.name} {self.tag}")
        clinician = User.objects.create_user(
            f"clinician-{self.tag}@bench.test", None, name="Bench Clinician"
        )
        Membership.objects.create(practice=practice, user=clinician, role=Membership.Role.CLINICIAN)
        TOTP.activate(clinician, generate_totp_secret())
        focus_user = User.objects.create_user(
            f"client-{self.tag}@bench.test", None, name="Bench Client"
        )
        clients = Client.objects.bulk_create(
            Client(
                practice=practice,
                user=focus_user if n == 0 else None,
                name=f"{_CLIENT_NAMES[n % len(_CLIENT_NAMES)]} "
                f"{_SURNAMES[n // len(_CLIENT_NAMES) % len(_SURNAMES)]} {n:02d}",
                email=f"client{n}-{self.tag}@bench.test",
                referral_reason="Generated for the benchmark.",
                shares_by_default=n % 3 != 2,
                time_zone=TIME_ZONE,
                created_by=clinician,
            )
            for n in range(self.size.clients)
        )
        CareTeamMember.objects.bulk_create(
            CareTeamMember(client=c, clinician=clinician, role=CareTeamMember.Role.LEAD)
            for c in clients
        )
        for n, client in enumerate(clients):
            self.client_history(n, client, clinician)
        counts = self.save()
        return BenchPractice(self.size, practice, clinician, clients, counts)

    def save(self) -> dict[str, int]:
        """Insert parents before children (the order the rows were first added in)."""
        counts = {}
        for model, rows in self.rows.items():
            model.objects.bulk_create(rows, batch_size=500)
            counts[model._meta.label] = len(rows)
        return counts

    # --- one client's history -----------------------------------------------------------------

    def client_history(self, n: int, client: Client, clinician: User) -> None:
        weeks = self.size.weeks
        improving = n % 3 != 0  # a third of the clients get worse, then plateau
        self.checkins(n, client, improving)
        for week in range(weeks):
            self.add(
                TherapySession(
                    client=client,
                    held_on=self.start + dt.timedelta(weeks=week, days=n % 5),
                    attended=self.rng.random() > 0.1,
                    recorded_by=clinician,
                    recorded_at=self.at(self.start + dt.timedelta(weeks=week, days=n % 5), 17),
                )
            )
        self.measures(client, improving)
        self.goals(client, clinician, improving)
        people = self.people(client)
        self.moments(client, people)
        self.practice(client)
        self.ladder(client, clinician)
        self.homework(client, clinician)
        self.topics(client)

    def checkins(self, n: int, client: Client, improving: bool) -> None:
        self.add(
            CheckinSchedule(
                client=client,
                cadence=CheckinSchedule.Cadence.DAILY,
                times=[_CHECKIN_TIME.strftime("%H:%M")],
                starts_on=self.start,
                updated_at=self.at(self.start, 9),
            )
        )
        days = self.size.weeks * 7
        quiet = n % 4 == 1  # every fourth client has not checked in for the last few days
        for day in range(days - (4 if quiet else 0)):
            if self.rng.random() < 0.15:  # missed
                continue
            date = self.start + dt.timedelta(days=day)
            due = dt.datetime.combine(date, _CHECKIN_TIME, tzinfo=self.zone)
            delay = self.rng.choice((0, 5, 20, 45, 90, 180))
            trend = day / days if improving else 0.3 - 0.3 * day / days
            note = self.rng.random() < 0.2
            self.add(
                Checkin(
                    client=client,
                    due_at=due,
                    completed_at=due + dt.timedelta(minutes=delay),
                    late=delay > 60,
                    mood=_clamp(4 + 3 * trend + self.rng.gauss(0, 1.5), 0, 10),
                    closeness=_clamp(4 + 3 * trend + self.rng.gauss(0, 1.5), 0, 10),
                    felt_security=_clamp(3 + 4 * trend + self.rng.gauss(0, 1.5), 0, 10),
                    skill=self.rng.choice(sorted(SKILL_CODES) + ["", ""]),
                    note="A long day; called Sam in the evening." if note else "",
                    note_shared=note and self.rng.random() < 0.5,
                )
            )

    def measures(self, client: Client, improving: bool) -> None:
        months = max(1, self.size.weeks // 4)
        for month in range(months):
            when = self.at(self.start + dt.timedelta(weeks=4 * month, days=1), 10)
            progress = month / months
            for definition, worst in ((self.phq9, 27), (self.gad7, 21)):
                base = 0.65 * worst
                level = base * (1 - 0.6 * progress) if improving else base + 4 * progress
                risk = definition.key == "phq9" and self.rng.random() < 0.05
                answers = self.answers(definition, level + self.rng.gauss(0, 1.5), risk)
                result = scoring.score(definition, answers)
                administration = Administration(
                    client=client,
                    instrument_key=definition.key,
                    instrument_version=definition.version,
                    status=Administration.Status.COMPLETED,
                    answers_json=json.dumps({"": answers}),
                    completed_at=when,
                )
                self.add(administration)
                for key, value in result.scores.items():
                    self.add(
                        Score(
                            administration=administration,
                            client=client,
                            instrument_key=definition.key,
                            subscale=key,
                            value=value,
                            band=result.bands.get(key, ""),
                            completed_at=when,
                        )
                    )
                if risk:
                    self.add(
                        Alert(
                            client=client,
                            kind=Alert.Kind.RISK_ITEM,
                            administration=administration,
                            source_type="administration",
                            source_id=administration.pk,
                            detail={"instrument": definition.key, "items": [9]},
                            acknowledged_at=None if month == months - 1 else when,
                        )
                    )
        for key in ("phq9", "gad7"):
            self.add(
                Assignment(
                    client=client,
                    instrument_key=key,
                    schedule=Assignment.Schedule.MONTHLY,
                    next_due=self.today + dt.timedelta(days=self.rng.randrange(-3, 25)),
                )
            )

    def answers(self, definition, total: float, risk: bool) -> dict[str, int]:
        """Item answers (0–3) adding up to about ``total``; the risk item 9 only when asked."""
        items = definition.item_count
        left = _clamp(total, 0, 3 * items)
        answers = {str(i): 0 for i in range(1, items + 1)}
        order = [i for i in range(1, items + 1) if not (definition.key == "phq9" and i == 9)]
        while left > 0:
            free = [i for i in order if answers[str(i)] < 3]
            if not free:
                break
            answers[str(self.rng.choice(free))] += 1
            left -= 1
        if risk:
            answers["9"] = 1
        return answers

    def goals(self, client: Client, clinician: User, improving: bool) -> None:
        months = max(1, self.size.weeks // 4)
        for g in range(2 + self.rng.randrange(2)):
            title, dimension = _GOALS[g]
            created = self.at(self.start, 11)
            goal = Goal(
                client=client,
                title=title,
                why="So that we stop drifting apart.",
                dimension=dimension,
                accountability="Three times a month.",
                level_minus_2="Not at all",
                level_minus_1="Once a month",
                level_0="Three times a month",
                level_plus_1="Every week",
                level_plus_2="Most days",
                created_by=clinician,
                created_at=created,
                updated_by=clinician,
                updated_at=created,
            )
            self.add(goal)
            self.add(
                GoalVersion(
                    goal=goal,
                    version=1,
                    snapshot=json.dumps({"title": title, "steps": []}),
                    saved_by=clinician,
                    saved_at=created,
                )
            )
            for month in range(months):
                aim = -1 + 2.5 * month / months if improving else -1 + 0.5 * month / months
                self.add(
                    GoalRating(
                        goal=goal,
                        client=client,
                        level=_clamp(aim + self.rng.gauss(0, 0.5), -2, 2),
                        rated_at=self.at(self.start + dt.timedelta(weeks=4 * month, days=2), 15),
                        rated_by=clinician,
                    )
                )

    def people(self, client: Client) -> list[Person]:
        people = []
        for name, term, circle in _PEOPLE:
            person = Person(client=client, name=name, term=term, circle=circle, shared=True)
            self.add(person)
            people.append(person)
            for quarter in range(max(1, self.size.weeks // 13)):
                self.add(
                    PersonRating(
                        person=person,
                        rated_at=self.at(self.start + dt.timedelta(weeks=13 * quarter, days=3)),
                        reassurance=self.rng.randrange(5),
                        criticism=self.rng.randrange(5),
                        withdrawal=self.rng.randrange(5),
                        reliability=self.rng.randrange(5),
                    )
                )
        return people

    def moments(self, client: Client, people: list[Person]) -> None:
        emotions, cues, responses = sorted(EMOTIONS), sorted(BODY_CUES), sorted(RESPONSES)
        for week in range(self.size.weeks):
            for _ in range(2):
                kind = self.rng.choice(list(Moment.Kind))
                shared = self.rng.random() < 0.6
                self.add(
                    Moment(
                        client=client,
                        occurred_at=self.at(self.random_day(week), self.rng.randrange(8, 22)),
                        kind=kind,
                        person=self.rng.choice(people),
                        situation="They were late home and did not text.",
                        trigger="The silence.",
                        body_cues=self.rng.sample(cues, 2),
                        emotions_json=json.dumps(
                            [
                                {"name": e, "intensity": self.rng.randrange(11)}
                                for e in self.rng.sample(emotions, 2)
                            ]
                        ),  # fmt: skip
                        felt_meaning="That I am too much.",
                        evidence="They were stuck in traffic.",
                        responses=self.rng.sample(responses, 2),
                        outcome="We talked later.",
                        safety_before=self.rng.randrange(11),
                        safety_after=self.rng.randrange(11),
                        shared=shared,
                        to_discuss=shared and week >= self.size.weeks - 2,
                    )
                )

    def practice(self, client: Client) -> None:
        emotions = sorted(EMOTIONS)
        for week in range(self.size.weeks):
            shared = self.rng.random() < 0.6
            before = self.rng.randrange(3, 10)
            self.add(
                Pause(
                    client=client,
                    body_cues=self.rng.sample(sorted(BODY_CUES), 2),
                    emotion=self.rng.choice(emotions),
                    intensity_before=before,
                    next_step="Text them that I am upset and will call later.",
                    intensity_after=max(0, before - self.rng.randrange(4)),
                    shared=shared,
                    created_at=self.at(self.random_day(week), 20),
                )
            )
            self.add(
                ToolUse(
                    client=client,
                    tool=self.rng.choice(_TOOLS),
                    detail={"minutes": self.rng.choice((3, 5, 10))},
                    intensity_before=before,
                    intensity_after=max(0, before - self.rng.randrange(5)),
                    shared=shared,
                    created_at=self.at(self.random_day(week), 21),
                )
            )
            written = self.at(self.random_day(week), 22)
            self.add(
                JournalEntry(
                    client=client,
                    written_at=written,
                    created_at=written,
                    text="Felt far from them today, then closer after we talked.",
                    emotions_json=json.dumps([{"name": self.rng.choice(emotions), "intensity": 6}]),
                    shared=self.rng.random() < 0.5,
                )
            )
            if week % 4 == 2:
                created = self.at(self.random_day(week), 18)
                done = week < self.size.weeks - 4
                self.add(
                    Experiment(
                        client=client,
                        belief="If I ask for time, they will leave.",
                        belief_before=80,
                        prediction="They will be annoyed.",
                        plan="Ask on Sunday evening.",
                        outcome="They said yes." if done else "",
                        belief_after=40 if done else None,
                        learned="Asking is allowed." if done else "",
                        done_at=created + dt.timedelta(days=3) if done else None,
                        shared=shared,
                        created_at=created,
                    )
                )

    def ladder(self, client: Client, clinician: User) -> None:
        ladder = Ladder(
            client=client,
            title="Closer, step by step",
            created_by=clinician,
            created_at=self.at(self.start, 11),
        )
        self.add(ladder)
        steps = [
            LadderStep(ladder=ladder, position=p, description=text, predicted_suds=20 + 12 * p)
            for p, text in enumerate(_LADDER)
        ]
        for step in steps:
            self.add(step)
        for week in range(self.size.weeks):
            position = min(len(steps) - 1, week * len(steps) // max(1, self.size.weeks))
            peak = _clamp(steps[position].predicted_suds - 3 * (week % 6), 5, 100)
            when = self.at(self.random_day(week), 16)
            self.add(
                Attempt(
                    client=client,
                    step=steps[position],
                    attempted_at=when,
                    created_at=when,
                    suds_before=peak - 5,
                    suds_peak=peak,
                    suds_after=max(0, peak - 20),
                    notes="Easier than I thought.",
                    shared=self.rng.random() < 0.7,
                )
            )

    def homework(self, client: Client, clinician: User) -> None:
        for week in range(self.size.weeks):
            due = self.start + dt.timedelta(weeks=week, days=6)
            done = week < self.size.weeks - 1 and self.rng.random() < 0.7
            self.add(
                Homework(
                    client=client,
                    kind=self.rng.choice(_HOMEWORK),
                    note="Try it once before next session.",
                    due_on=due,
                    assigned_by=clinician,
                    created_at=self.at(due - dt.timedelta(days=6), 17),
                    done_at=self.at(due, 20) if done else None,
                )
            )
        self.add(
            Homework(
                client=client,
                kind=Homework.Kind.PAUSE,
                due_on=self.today,
                schedule=Homework.Schedule.DAILY,
                assigned_by=clinician,
                created_at=self.at(self.start, 17),
            )
        )

    def topics(self, client: Client) -> None:
        for week in range(0, self.size.weeks, 4):
            created = self.at(self.random_day(week), 19)
            recent = week >= self.size.weeks - 4
            self.add(
                SessionTopic(
                    client=client,
                    text="The argument about the holidays.",
                    created_at=created,
                    discussed_at=None if recent else created + dt.timedelta(days=5),
                )
            )
