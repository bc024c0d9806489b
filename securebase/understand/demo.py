"""Demo content for the Understand area: people, three months of moments, history maps.

Written through the domain functions, by the person who would write it: the client maps their
people and logs their moments; the lead clinician writes the history map with them.

Invented people and events; any resemblance to real persons is accidental.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from securebase.care.demo import backdate
from securebase.care.models import Client
from securebase.understand.history import domain as history_domain
from securebase.understand.models import HistoryMap, Person
from securebase.understand.moments import domain as moments
from securebase.understand.people import domain as people

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
    """The client puts someone on their map, rated twelve weeks ago and again last week."""

    def scores(values):
        keys = ("reassurance", "criticism", "withdrawal", "reliability")
        return dict(zip(keys, values, strict=True))

    person, _ = people.add_person(
        client=client,
        by=client.user,
        data={"name": name, "term": term, "circle": circle, "shared": True},
        ratings=scores(first),
    )
    backdate(person.ratings.get(), rated_at=now - timedelta(weeks=12))
    people.rate_person(
        person=person, by=client.user, ratings=scores(latest), rated_at=now - timedelta(weeks=1)
    )
    return person


def load(practice) -> None:
    """Add people and moments to each demo client that has none yet (idempotent)."""
    now = timezone.now()
    for email, people_of in PEOPLE.items():
        client = Client.objects.with_email(practice, email).first()
        if client is None or Person.objects.filter(client=client).exists():
            continue
        persons = [_person(client, *spec, now) for spec in people_of]
        rng = random.Random(email)  # noqa: S311 (the same demo every time; not security)
        for week in range(12, 0, -1):
            # Early weeks bring more threat moments; later ones more connection and pausing.
            pool = THREATS * 2 + CONNECTIONS if week > 6 else THREATS + CONNECTIONS * 2
            for _ in range(rng.choice([1, 1, 2])):
                spec = rng.choice(pool)
                kind, situation, trigger, meaning, evidence, responses, outcome, emotions, b, a = (
                    spec
                )
                # Drawn in this order so the seeded demo stays the same moments as before.
                occurred_at = now - timedelta(weeks=week, hours=rng.randint(0, 120))
                person = rng.choice(persons[:2])
                shared = rng.random() < 0.7
                moments.log_moment(
                    client,
                    by=client.user,
                    data={
                        "kind": kind,
                        "occurred_at": occurred_at,
                        "person": person,
                        "situation": situation,
                        "trigger": trigger,
                        "felt_meaning": meaning,
                        "evidence": evidence,
                        "responses": responses,
                        "outcome": outcome,
                        "safety_before": b,
                        "safety_after": a,
                        "emotions": [{"name": n, "intensity": i} for n, i in emotions],
                        "body_cues": ["chest", "stomach"] if kind == "threat" else ["warm"],
                        "shared": shared,
                    },
                )
        _history(client)


def _history(client) -> None:
    """The map the lead clinician and the client wrote together: the story, three points on the
    timeline and one relational script, each saved from the version before."""
    if HistoryMap.objects.filter(client=client).exists():
        return
    lead = client.care_team.select_related("clinician").first().clinician
    history = history_domain.get_or_create_map(client=client, by=lead)
    history_domain.save_narrative(
        by=lead,
        history=history,
        version=history.version,
        narrative=(
            "Growing up, closeness often came with uncertainty: love was real but not always "
            "there when it was needed. Watching carefully for signs of distance made sense then; "
            "it kept things predictable. Now that vigilance sometimes fires when people are "
            "simply busy, and we are practising noticing it and checking it out."
        ),
    )
    events = [
        history_domain.add_event(by=lead, history=history, version=history.version, data=data)
        for data in (
            {
                "kind": "caregiver",
                "age_from": 0,
                "age_to": 18,
                "title": "Main caregiver worked long shifts",
                "description": "Warm when home, often tired or away.",
                "own_words": '"Mum was there, but not always there."',
            },
            {
                "kind": "move",
                "age_from": 7,
                "when_text": "about 7",
                "title": "Moved cities; left grandmother behind",
                "description": "Lost the person who was always available.",
            },
            {
                "kind": "relationship",
                "age_from": 19,
                "age_to": 24,
                "title": "First long relationship ended suddenly",
                "description": "Partner left without much explanation.",
            },
        )
    ]
    history_domain.add_script(
        by=lead,
        history=history,
        version=history.version,
        data={
            "when": "someone goes quiet",
            "expect": "they are about to leave",
            "so_i": "chase reassurance or withdraw first",
        },
        learned_in=events[:2],
    )
