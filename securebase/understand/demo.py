"""Demo content for the Understand area: people, three months of moments, history maps.

Invented people and events; any resemblance to real persons is accidental.
"""

from __future__ import annotations

import json
import random
from datetime import timedelta

from django.utils import timezone

from securebase.understand.models import (
    HistoryEvent,
    HistoryMap,
    HistoryVersion,
    Moment,
    Person,
    PersonRating,
    Script,
)

PEOPLE = {
    "maya@demo.test": [
        ("Sol", "my partner", "inner", (2, 1, 3, 2), (3, 1, 2, 3)),
        ("Ifeoma", "Mum", "inner", (2, 3, 1, 3), (3, 2, 1, 3)),
        ("Dara", "best friend", "middle", (4, 0, 1, 4), (4, 0, 1, 4)),
        ("Kit", "manager", "outer", (1, 2, 2, 3), (2, 1, 1, 3)),
    ],
    "jordan@demo.test": [
        ("Casey", "my wife", "inner", (2, 2, 3, 3), (3, 1, 2, 3)),
        ("Rosa", "Mamá", "middle", (3, 1, 1, 3), (3, 1, 1, 3)),
        ("Ben", "old friend", "outer", (3, 0, 2, 2), (3, 0, 1, 3)),
    ],
    "priya@demo.test": [
        ("Arjun", "husband", "inner", (2, 1, 1, 4), (3, 1, 1, 4)),
        ("Meena", "sister", "middle", (3, 1, 0, 3), (3, 1, 0, 3)),
        ("team", "colleagues", "outer", (1, 1, 2, 2), (2, 1, 1, 3)),
    ],
    "ana@demo.test": [
        ("Lucía", "mi madre", "inner", (3, 2, 1, 3), (3, 1, 1, 3)),
        ("Marc", "pareja", "inner", (2, 1, 3, 2), (2, 1, 2, 3)),
    ],
}

# (kind, situation, trigger, felt meaning, evidence, responses, outcome, emotions, before, after)
THREATS = [
    (
        "threat",
        "No reply to my message all afternoon",
        "Two blue ticks and nothing",
        "I'm too much; they're pulling away",
        "They were in meetings until six and said so",
        ["checked", "sought_reassurance"],
        "Called twice; later felt embarrassed",
        [("anxious", 8), ("rejected", 6)],
        5,
        3,
    ),
    (
        "threat",
        "Plans changed at the last minute",
        "A text saying they'd be late",
        "I don't matter to them",
        "They apologised and came as soon as they could",
        ["withdrew"],
        "Went quiet all evening; we both felt distant",
        [("hurt", 7), ("lonely", 6)],
        6,
        3,
    ),
    (
        "threat",
        "A friend seemed distracted when we met",
        "She kept looking at her phone",
        "I'm boring to be with",
        "Her child was ill and she was waiting for news",
        ["paused", "asked"],
        "I asked; she explained and thanked me for asking",
        [("anxious", 5), ("relieved", 6)],
        5,
        7,
    ),
]
CONNECTIONS = [
    (
        "connection",
        "Cooked together and laughed about the mess",
        "",
        "",
        "",
        ["enjoyed"],
        "Felt close for the rest of the evening",
        [("close", 7), ("content", 6)],
        7,
        9,
    ),
    (
        "connection",
        "Told them I was worried instead of going quiet",
        "",
        "I might be a burden",
        "They listened and held my hand",
        ["asked", "stayed"],
        "We talked for an hour",
        [("afraid", 4), ("seen", 7)],
        4,
        8,
    ),
]


def _person(client, name, term, circle, first, latest, now):
    person = Person.objects.create(client=client, name=name, term=term, circle=circle, shared=True)
    for when, ratings in ((now - timedelta(weeks=12), first), (now - timedelta(weeks=1), latest)):
        PersonRating.objects.create(
            person=person,
            rated_at=when,
            reassurance=ratings[0],
            criticism=ratings[1],
            withdrawal=ratings[2],
            reliability=ratings[3],
        )
    return person


def load(practice) -> None:
    """Add people and moments to each demo client that has none yet (idempotent)."""
    from securebase.care.models import Client

    now = timezone.now()
    for email, people in PEOPLE.items():
        client = Client.objects.filter(practice=practice, email=email).first()
        if client is None or Person.objects.filter(client=client).exists():
            continue
        persons = [_person(client, *spec, now) for spec in people]
        rng = random.Random(email)  # noqa: S311 (the same demo every time; not security)
        for week in range(12, 0, -1):
            # Early weeks bring more threat moments; later ones more connection and pausing.
            pool = THREATS * 2 + CONNECTIONS if week > 6 else THREATS + CONNECTIONS * 2
            for _ in range(rng.choice([1, 1, 2])):
                spec = rng.choice(pool)
                kind, situation, trigger, meaning, evidence, responses, outcome, emotions, b, a = (
                    spec
                )
                Moment.objects.create(
                    client=client,
                    kind=kind,
                    occurred_at=now - timedelta(weeks=week, hours=rng.randint(0, 120)),
                    person=rng.choice(persons[:2]),
                    situation=situation,
                    trigger=trigger,
                    felt_meaning=meaning,
                    evidence=evidence,
                    responses=responses,
                    outcome=outcome,
                    safety_before=b,
                    safety_after=a,
                    emotions_json=json.dumps([{"name": n, "intensity": i} for n, i in emotions]),
                    body_cues=["chest", "stomach"] if kind == "threat" else ["warm"],
                    shared=rng.random() < 0.7,
                )
        _history(client, now)


def _history(client, now) -> None:
    if HistoryMap.objects.filter(client=client).exists():
        return
    history = HistoryMap.objects.create(
        client=client,
        narrative=(
            "Growing up, closeness often came with uncertainty: love was real but not always "
            "there when it was needed. Watching carefully for signs of distance made sense then; "
            "it kept things predictable. Now that vigilance sometimes fires when people are "
            "simply busy, and we are practising noticing it and checking it out."
        ),
    )
    events = [
        HistoryEvent.objects.create(
            history=history,
            kind="caregiver",
            age_from=0,
            age_to=18,
            title="Main caregiver worked long shifts",
            description="Warm when home, often tired or away.",
            own_words='"Mum was there, but not always there."',
        ),
        HistoryEvent.objects.create(
            history=history,
            kind="move",
            age_from=7,
            when_text="about 7",
            title="Moved cities; left grandmother behind",
            description="Lost the person who was always available.",
        ),
        HistoryEvent.objects.create(
            history=history,
            kind="relationship",
            age_from=19,
            age_to=24,
            title="First long relationship ended suddenly",
            description="Partner left without much explanation.",
        ),
    ]
    script = Script.objects.create(
        history=history,
        when="someone goes quiet",
        expect="they are about to leave",
        so_i="chase reassurance or withdraw first",
    )
    script.learned_in.set(events[:2])
    from securebase.understand.history import domain as history_domain

    HistoryVersion.objects.create(
        history=history, version=1, snapshot=json.dumps(history_domain.snapshot_of(history))
    )
