"""Measure histories for the demo practice: invented, plausible courses of therapy."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from securebase.care.models import Client
from securebase.measures import definitions, domain
from securebase.measures.models import Administration


def answers_for(definition: definitions.Definition, levels: dict[str, float]) -> dict[str, int]:
    """Raw answers whose keyed item values average ``levels[subscale]`` (spread, not flat).

    Reverse-keyed items are turned back, so the scorer's reversal recovers the intended level.
    """
    answers: dict[str, int] = {}
    for sub in definition.subscales:
        if sub.key not in levels:
            continue
        level = levels[sub.key]
        items = [n for n in sub.items if str(n) not in answers]
        # Alternate just below and above the level so the mean is right and items differ.
        wanted = round(level * len(items))
        low = int(level)
        highs = wanted - low * len(items)
        for index, number in enumerate(items):
            scale = definition.scale_of(number)
            keyed = low + (1 if index < highs else 0)
            keyed = max(scale.min, min(scale.max, keyed))
            raw = scale.reverse(keyed) if definition.item(number).reverse else keyed
            answers[str(number)] = int(raw)
    for risk in definition.risk_items:
        # Demo courses never include a risk answer: move its weight to a neighbouring item.
        scale = definition.scale_of(risk.item)
        extra = answers.get(str(risk.item), scale.min) - scale.min
        answers[str(risk.item)] = scale.min
        for number in sorted(answers, key=int):
            if extra <= 0:
                break
            item = definition.item(int(number))
            if int(number) == risk.item or item.reverse:
                continue
            room = definition.scale_of(int(number)).max - answers[number]
            step = min(room, extra)
            answers[number] += step
            extra -= step
    return answers


# (instrument, weeks before today, levels per subscale, target) for each demo client's email.
COURSES = {
    "maya@demo.test": [
        ("phq9", 12, {"total": 16 / 9}, ""),
        ("phq9", 8, {"total": 13 / 9}, ""),
        ("phq9", 4, {"total": 9 / 9}, ""),
        ("phq9", 1, {"total": 7 / 9}, ""),
        ("gad7", 12, {"total": 14 / 7}, ""),
        ("gad7", 6, {"total": 10 / 7}, ""),
        ("gad7", 1, {"total": 7 / 7}, ""),
        ("ecr-r", 12, {"anxiety": 5.6, "avoidance": 2.6}, ""),
        ("ecr-r", 1, {"anxiety": 4.5, "avoidance": 2.4}, ""),
        ("ecr-rs", 11, {"anxiety": 6.0, "avoidance": 2.2}, "partner"),
        ("ecr-rs", 11, {"anxiety": 4.7, "avoidance": 4.5}, "mother"),
        ("ecr-rs", 2, {"anxiety": 4.7, "avoidance": 2.0}, "partner"),
        ("ecr-rs", 2, {"anxiety": 4.0, "avoidance": 4.0}, "mother"),
    ],
    "jordan@demo.test": [
        ("ecr-r", 10, {"anxiety": 5.2, "avoidance": 3.0}, ""),
        ("ecr-r", 2, {"anxiety": 4.6, "avoidance": 2.9}, ""),
        ("phq9", 10, {"total": 11 / 9}, ""),
        ("phq9", 2, {"total": 8 / 9}, ""),
    ],
    "priya@demo.test": [
        ("phq9", 9, {"total": 19 / 9}, ""),
        ("phq9", 5, {"total": 15 / 9}, ""),
        ("phq9", 1, {"total": 12 / 9}, ""),
        ("ecr-r", 9, {"anxiety": 3.0, "avoidance": 5.6}, ""),
        ("ecr-r", 1, {"anxiety": 3.1, "avoidance": 4.7}, ""),
    ],
    "ana@demo.test": [
        ("gad7", 6, {"total": 15 / 7}, ""),
        ("gad7", 2, {"total": 12 / 7}, ""),
        ("ecr-r", 6, {"anxiety": 5.9, "avoidance": 4.8}, ""),
    ],
}


def load_histories(practice, clinicians_by_email) -> None:
    """Give each demo client a measure history unless they already have one (idempotent)."""
    now = timezone.now()
    registry = definitions.registry()
    for email, course in COURSES.items():
        client = Client.objects.with_email(practice, email).first()
        if client is None or Administration.objects.filter(client=client).exists():
            continue
        clinician = client.care_team.select_related("clinician").first().clinician
        grouped: dict[tuple[str, int], dict[str, dict]] = {}
        for key, weeks, levels, target in course:
            if key not in registry:
                continue
            definition = registry[key]
            grouped.setdefault((key, weeks), {})[target] = answers_for(definition, levels)
        for (key, weeks), answers in sorted(grouped.items(), key=lambda kv: -kv[0][1]):
            domain.record_administration(
                by=clinician,
                client=client,
                key=key,
                answers=answers,
                completed_at=now - timedelta(weeks=weeks),
            )
