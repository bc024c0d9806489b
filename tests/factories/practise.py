"""Practice: ladders, steps and attempts, the toolkit and journal entries, homework, as plain rows;
and the form a client fills in to make a ladder."""

import uuid

import factory
from django.utils import timezone

from securebase.practise.models import (
    Attempt,
    Experiment,
    Homework,
    JournalEntry,
    Ladder,
    LadderStep,
    Pause,
    Reframe,
    ReminderSettings,
    Request,
    Ritual,
    ToolUse,
)
from tests.factories.care import ClientFactory


class LadderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ladder

    client = factory.SubFactory(ClientFactory)
    title = "Waiting for replies"


class LadderStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LadderStep

    ladder = factory.SubFactory(LadderFactory)
    position = factory.Sequence(lambda n: n)
    description = factory.LazyAttribute(lambda o: f"step {o.position}")
    predicted_suds = 50


class AttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attempt

    step = factory.SubFactory(LadderStepFactory)
    client = factory.SelfAttribute("step.ladder.client")
    attempted_at = factory.LazyFunction(timezone.now)
    suds_before = 30
    suds_peak = 40
    suds_after = 10


class PauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pause

    client = factory.SubFactory(ClientFactory)
    emotion = "anxious"
    intensity_before = 6


class ToolUseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ToolUse

    client = factory.SubFactory(ClientFactory)
    tool = ToolUse.Tool.BREATHING


class RitualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ritual

    client = factory.SubFactory(ClientFactory)
    name = "Tea on the balcony"


class ReframeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reframe

    client = factory.SubFactory(ClientFactory)
    situation = "No reply all evening"
    automatic_thought = "They are pulling away"
    emotion = "sad"
    intensity_before = 7


class RequestEntryFactory(factory.django.DjangoModelFactory):
    """A request-and-boundary entry (``practise.models.Request``)."""

    class Meta:
        model = Request

    client = factory.SubFactory(ClientFactory)
    i_ask = "Can we talk tonight?"


class ExperimentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Experiment

    client = factory.SubFactory(ClientFactory)
    belief = "If I ask, they will leave"
    belief_before = 80


class JournalEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JournalEntry

    client = factory.SubFactory(ClientFactory)
    text = "Felt left out when the plans changed"
    written_at = factory.LazyFunction(timezone.now)


class HomeworkFactory(factory.django.DjangoModelFactory):
    """A homework row, without the audit event of ``practise.homework.assign``."""

    class Meta:
        model = Homework

    client = factory.SubFactory(ClientFactory)
    kind = Homework.Kind.PAUSE
    due_on = factory.LazyFunction(timezone.localdate)


class ReminderSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReminderSettings

    client = factory.SubFactory(ClientFactory)


def make_ladder(client, by, *, steps=2, climb_peak=40, climb_attempts=2):
    """A ladder titled "Waiting for replies" with ``steps`` steps (positions 0…), each predicted
    at 50: answers (ladder, [steps])."""
    ladder = LadderFactory(
        client=client,
        title="Waiting for replies",
        climb_peak=climb_peak,
        climb_attempts=climb_attempts,
        created_by=by,
    )
    made = [
        LadderStepFactory(ladder=ladder, position=n, description=f"step {n}", predicted_suds=50)
        for n in range(steps)
    ]
    return ladder, made


def attempt(step, peak, at, *, shared=False):
    """An attempt at ``step`` made (and entered) at ``at``, peaking at ``peak``."""
    return AttemptFactory(
        client=step.ladder.client,
        step=step,
        attempted_at=at,
        created_at=at,
        suds_before=30,
        suds_peak=peak,
        suds_after=10,
        shared=shared,
    )


def ladder_form(**extra):
    """The new-ladder form as posted, two steps, a fresh submission id; ``extra`` overrides."""
    data = {
        "title": "Small tests of security",
        "climb_peak": "40",
        "climb_attempts": "2",
        "step_1_description": "Send a text and wait for the reply",
        "step_1_predicted": "50",
        "step_2_description": "Talk about a painful memory",
        "step_2_predicted": "85",
        "submission_id": str(uuid.uuid4()),
    }
    data.update(extra)
    return data
