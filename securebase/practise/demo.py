"""Demo practice between sessions: a ladder being climbed, pauses, breathing, an experiment,
journal entries, homework for this week, a clinician's reflection, soothing rituals, a reframing
record, a request with how it went, and a co-regulation session for the demo couple when both
partners have accounts. Invented content."""

from __future__ import annotations

import json
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from securebase.practise.models import (
    Attempt,
    CoregulationNote,
    CoregulationSession,
    Experiment,
    Homework,
    JournalEntry,
    Ladder,
    LadderStep,
    Pause,
    Reflection,
    Reframe,
    Request,
    Ritual,
    ToolUse,
)

LADDER_STEPS = [
    ("Send a message and wait for the reply without following up", 35),
    ('Say "I missed you today" without making a joke of it', 50),
    ("Ask for a hug when I feel low instead of waiting to be noticed", 65),
    ("Tell Sol about the move when I was seven", 85),
]
# (step index, weeks ago, before, peak, after)
ATTEMPTS = [
    (0, 8, 40, 70, 30),
    (0, 6, 35, 45, 20),
    (0, 4, 30, 35, 15),
    (1, 3, 45, 65, 30),
    (1, 1, 40, 50, 25),
]


# (name, steps, when it helps, uses as (days ago, intensity before, after))
RITUALS = [
    (
        "Tea at the window",
        "Boil the kettle\nHold the warm cup with both hands\nWatch the street for five minutes",
        "When the house feels too quiet in the evening",
        [(9, 6, 4), (4, 5, 3)],
    ),
    (
        "Walk round the block",
        "Phone stays at home\nCount ten things that are green\nNotice my feet on the ground",
        "When I want to send another message",
        [(6, 7, 4)],
    ),
]
COREGULATION_EXERCISE = "hand-on-heart"


def load(practice) -> None:
    """Give the demo clients practice records unless they have some (idempotent)."""
    from securebase.care.models import Client

    now = timezone.now()
    clients = list(Client.objects.filter(practice=practice, user__isnull=False))
    for client in clients:
        _load_rituals(client, now)
        _load_reframe(client, now)
        _load_request(client, now)
    _load_coregulation(practice, now)
    for client in clients:
        if (
            Pause.objects.filter(client=client).exists()
            or Ladder.objects.filter(client=client).exists()
        ):
            continue
        clinician = client.care_team.select_related("clinician").first().clinician
        ladder = Ladder.objects.create(
            client=client,
            title="Letting people close",
            climb_peak=40,
            climb_attempts=2,
            created_by=clinician,
            created_at=now - timedelta(weeks=9),
        )
        steps = [
            LadderStep.objects.create(
                ladder=ladder, position=n, description=text, predicted_suds=suds
            )
            for n, (text, suds) in enumerate(LADDER_STEPS, start=1)
        ]
        for index, weeks, before, peak, after in ATTEMPTS:
            attempt = Attempt.objects.create(
                client=client,
                step=steps[index],
                attempted_at=now - timedelta(weeks=weeks),
                suds_before=before,
                suds_peak=peak,
                suds_after=after,
                shared=True,
                notes="Noticed the urge to check again, and let it pass.",
            )
            if weeks == 1:
                JournalEntry.objects.create(
                    client=client,
                    attempt=attempt,
                    shared=True,
                    written_at=attempt.attempted_at,
                    text="Harder than I expected, but nothing bad happened.",
                    emotions_json=json.dumps(
                        [{"name": "anxious", "intensity": 5}, {"name": "proud", "intensity": 6}]
                    ),
                )
                Reflection.objects.create(
                    client=client,
                    entry_type="attempt",
                    entry_id=attempt.pk,
                    author=clinician,
                    created_at=now - timedelta(days=5),
                    text="You stayed with the feeling instead of following up. That is the "
                    "practice, whatever the reply was.",
                )
        for days, emotion, before, after in [
            (20, "anxious", 8, 5),
            (12, "rejected", 7, 4),
            (3, "lonely", 6, 3),
        ]:
            Pause.objects.create(
                client=client,
                created_at=now - timedelta(days=days),
                body_cues=["chest"],
                emotion=emotion,
                intensity_before=before,
                next_step="Breathe for two minutes, then decide",
                intensity_after=after,
                shared=True,
            )
            ToolUse.objects.create(
                client=client,
                tool="breathing",
                created_at=now - timedelta(days=days),
                detail={"pattern": "box", "minutes": 2},
                intensity_before=before,
                intensity_after=after,
                shared=True,
            )
        Experiment.objects.create(
            client=client,
            created_at=now - timedelta(weeks=2),
            shared=True,
            belief="If I say what I need, people will think I am too much",
            belief_before=80,
            prediction="They will go quiet or change the subject",
            plan="Ask Dara to call on Sunday because I am having a hard week",
            safety_behaviours="Apologising three times; making it sound like a joke",
            outcome="Dara called and said she was glad I asked",
            belief_after=45,
            learned="Asking plainly did not push her away",
            done_at=now - timedelta(weeks=1),
        )
        Homework.objects.create(
            client=client,
            kind="ladder_step",
            target=str(steps[1].pk),
            due_on=timezone.localdate() + timedelta(days=3),
            assigned_by=clinician,
        )
        Homework.objects.create(
            client=client,
            kind="pause",
            due_on=timezone.localdate() + timedelta(days=5),
            schedule="daily",
            assigned_by=clinician,
        )


def _load_rituals(client, now) -> None:
    if Ritual.objects.filter(client=client).exists():
        return
    for name, steps, when, uses in RITUALS:
        ritual = Ritual.objects.create(
            client=client,
            created_at=now - timedelta(weeks=5),
            name=name,
            steps=steps,
            when_it_helps=when,
            shared=True,
        )
        for days, before, after in uses:
            ToolUse.objects.create(
                client=client,
                tool=ToolUse.Tool.RITUAL,
                ritual=ritual,
                created_at=now - timedelta(days=days),
                intensity_before=before,
                intensity_after=after,
                shared=True,
            )


def _load_reframe(client, now) -> None:
    if Reframe.objects.filter(client=client).exists():
        return
    reframe = Reframe.objects.create(
        client=client,
        created_at=now - timedelta(days=10),
        shared=True,
        situation="A friend cancelled our dinner an hour before",
        automatic_thought="She does not really want to see me",
        emotion="rejected",
        intensity_before=7,
        evidence_for="She cancelled last month too",
        evidence_against="She explained her child is ill and suggested another date herself",
        balanced_thought="Plans change for reasons that have nothing to do with me",
        intensity_after=4,
    )
    ToolUse.objects.create(
        client=client,
        tool=ToolUse.Tool.REFRAME,
        detail={"reframe": str(reframe.pk)},
        created_at=reframe.created_at,
        intensity_before=reframe.intensity_before,
        intensity_after=reframe.intensity_after,
        shared=True,
    )


def _load_request(client, now) -> None:
    if Request.objects.filter(client=client).exists():
        return
    from securebase.understand.models import Person

    person = Person.objects.filter(client=client, archived=False).order_by("created_at").first()
    done_at = now - timedelta(days=6)
    req = Request.objects.create(
        client=client,
        person=person,
        created_at=now - timedelta(days=9),
        shared=True,
        what_happened="Plans for the weekend were made without asking me",
        i_feel="Left out, and a little invisible",
        i_need="To be part of deciding how we spend our time",
        i_ask="Can we talk about weekend plans together on Thursday evenings?",
        if_not="I will say what I would like to do, and make my own plan for part of the day",
        how_it_went="I said it once, calmly. They agreed to Thursdays and apologised.",
        done_at=done_at,
    )
    ToolUse.objects.create(
        client=client,
        tool=ToolUse.Tool.REQUEST,
        detail={"request": str(req.pk)},
        created_at=done_at,
        shared=True,
    )


def _load_coregulation(practice, now) -> None:
    """A shared session with a private note each, only when both partners have accounts."""
    from securebase.care.demo import COUPLE
    from securebase.care.models import Client

    couple = [Client.objects.filter(practice=practice, email=e).first() for e in COUPLE]
    if any(c is None or c.user_id is None for c in couple):
        return
    first, second = couple
    if first.partner_id != second.pk:
        return
    pair = Q(client=first, partner=second) | Q(client=second, partner=first)
    if CoregulationSession.objects.filter(pair).exists():
        return
    session = CoregulationSession.objects.create(
        client=first,
        partner=second,
        exercise=COREGULATION_EXERCISE,
        started_by=first,
        started_at=now - timedelta(days=4),
    )
    for person, text, before, after, shared in [
        (first, "Slowing down together helped me stop pushing for an answer.", 7, 4, True),
        (second, "I wanted to leave the room at first, then it got easier.", 8, 5, False),
    ]:
        note = CoregulationNote.objects.create(
            session=session,
            client=person,
            created_at=session.started_at,
            text=text,
            intensity_before=before,
            intensity_after=after,
            shared=shared,
        )
        ToolUse.objects.create(
            client=person,
            tool=ToolUse.Tool.COREGULATION,
            detail={"session": str(session.pk)},
            created_at=session.started_at,
            intensity_before=note.intensity_before,
            intensity_after=note.intensity_after,
            shared=note.shared,
        )
