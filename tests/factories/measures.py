"""Measures: administrations, scores, alerts and assignments as plain rows, and a PHQ-9 recorded
through the measures domain (which scores it and raises any risk flag)."""

import factory
from django.utils import timezone

from securebase.measures import domain as measures
from securebase.measures.models import Administration, Assignment, Score
from securebase.safety.models import Alert
from tests.factories.care import ClientFactory

# PHQ-9 18 → 9, item 9 answered 0 both times (no risk answer).
PRE_18 = (2, 2, 2, 2, 2, 2, 3, 3, 0)
POST_9 = (1, 1, 1, 1, 1, 1, 2, 1, 0)


def phq9(by, client, total_answers, at):
    """A PHQ-9 from paper: ``total_answers`` are the nine item answers (0–3)."""
    answers = {"": {str(n): v for n, v in enumerate(total_answers, start=1)}}
    measures.record_administration(
        by=by, client=client, key="phq9", answers=answers, completed_at=at
    )


class AdministrationFactory(factory.django.DjangoModelFactory):
    """A completed administration row, without scores (see ``ScoreFactory``); with
    ``in_progress=True`` one started and not yet completed."""

    class Meta:
        model = Administration

    class Params:
        in_progress = factory.Trait(status=Administration.Status.IN_PROGRESS, completed_at=None)

    client = factory.SubFactory(ClientFactory)
    instrument_key = "phq9"
    instrument_version = "1"
    status = Administration.Status.COMPLETED
    completed_at = factory.LazyFunction(timezone.now)


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    administration = factory.SubFactory(AdministrationFactory)
    client = factory.SelfAttribute("administration.client")
    instrument_key = factory.SelfAttribute("administration.instrument_key")
    subscale = "total"
    value = 0
    completed_at = factory.SelfAttribute("administration.completed_at")


class AlertFactory(factory.django.DjangoModelFactory):
    """An alert row, stored without the audit event and email of ``safety.flags.raise_flag``
    (for that, ``raise_flag``)."""

    class Meta:
        model = Alert

    client = factory.SubFactory(ClientFactory)
    kind = Alert.Kind.RISK_CHECKIN
    source_type = "checkin"


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    client = factory.SubFactory(ClientFactory)
    instrument_key = "phq9"
    schedule = Assignment.Schedule.ONCE
    next_due = factory.LazyFunction(timezone.localdate)
