"""Demo practice between sessions: a ladder being climbed, pauses, breathing, an experiment,
journal entries, homework for this week and a clinician's reflection. Invented content."""

from __future__ import annotations

import json
from datetime import timedelta

from django.utils import timezone

from securebase.practise.models import (
    Attempt,
    Experiment,
    Homework,
    JournalEntry,
    Ladder,
    LadderStep,
    Pause,
    Reflection,
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


def load(practice) -> None:
    """Give the demo clients practice records unless they have some (idempotent)."""
    from securebase.care.models import Client

    now = timezone.now()
    for client in Client.objects.filter(practice=practice, user__isnull=False):
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
