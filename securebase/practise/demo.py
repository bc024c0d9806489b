"""Demo practice between sessions: a ladder being climbed, pauses, breathing, an experiment,
journal entries, homework for this week, a clinician's reflection, soothing rituals, a reframing
record, a request with how it went, and a co-regulation session for the demo couple when both
partners have accounts. Invented content.

Written through the domain functions, by the person who would write it: the client logs their
practice; the clinician sets up the ladder, reflects and assigns homework. Dates are set after.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from securebase.care.demo import COUPLE, backdate
from securebase.care.models import Client
from securebase.practise.experiments import domain as experiments
from securebase.practise.homework import domain as homework
from securebase.practise.ladder import domain as ladders
from securebase.practise.models import (
    CoregulationSession,
    Ladder,
    Pause,
    Reframe,
    Request,
    Ritual,
    ToolUse,
)
from securebase.practise.pause import domain as pauses
from securebase.practise.reflections import domain as reflections
from securebase.practise.scripts import domain as scripts
from securebase.practise.toolkit import domain as toolkit
from securebase.understand.models import Person

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
        _load_ladder(client, clinician, now)
        _load_pauses(client, now)
        experiment, _ = experiments.create_experiment(
            client,
            by=client.user,
            data={
                "shared": True,
                "belief": "If I say what I need, people will think I am too much",
                "belief_before": 80,
                "prediction": "They will go quiet or change the subject",
                "plan": "Ask Dara to call on Sunday because I am having a hard week",
                "safety_behaviours": "Apologising three times; making it sound like a joke",
                "outcome": "Dara called and said she was glad I asked",
                "belief_after": 45,
                "learned": "Asking plainly did not push her away",
            },
        )
        backdate(experiment, created_at=now - timedelta(weeks=2), done_at=now - timedelta(weeks=1))
        ladder_step = Ladder.objects.get(client=client).steps.get(position=2)
        for data in (
            {"kind": "ladder_step", "target": str(ladder_step.pk)},
            {"kind": "pause", "schedule": "daily"},
        ):
            days = 3 if data["kind"] == "ladder_step" else 5
            homework.assign(
                client,
                by=clinician,
                data={**data, "due_on": timezone.localdate() + timedelta(days=days)},
            )


def _load_ladder(client, clinician, now) -> None:
    """The clinician sets up the ladder with the client, who has climbed its first two steps;
    the clinician reflected on last week's attempt, which came with a journal entry."""
    ladder, _ = ladders.create_ladder(
        client,
        by=clinician,
        data={
            "title": "Letting people close",
            "climb_peak": 40,
            "climb_attempts": 2,
            "steps": [{"description": text, "predicted_suds": suds} for text, suds in LADDER_STEPS],
        },
    )
    backdate(ladder, created_at=now - timedelta(weeks=9))
    steps = list(ladder.steps.order_by("position"))
    for index, weeks, before, peak, after in ATTEMPTS:
        data = {
            "attempted_at": now - timedelta(weeks=weeks),
            "suds_before": before,
            "suds_peak": peak,
            "suds_after": after,
            "shared": True,
            "notes": "Noticed the urge to check again, and let it pass.",
        }
        if weeks == 1:
            data["journal"] = {
                "text": "Harder than I expected, but nothing bad happened.",
                "emotions": [
                    {"name": "anxious", "intensity": 5},
                    {"name": "proud", "intensity": 6},
                ],
            }
        attempt, _ = ladders.record_attempt(steps[index], by=client.user, data=data)
        if weeks == 1:
            reflection = reflections.leave_reflection(
                by=clinician,
                entry_type="attempt",
                entry_id=attempt.pk,
                text="You stayed with the feeling instead of following up. That is the "
                "practice, whatever the reply was.",
            )
            backdate(reflection, created_at=now - timedelta(days=5))


def _load_pauses(client, now) -> None:
    """Three pauses, each followed by two minutes of box breathing."""
    for days, emotion, before, after in [
        (20, "anxious", 8, 5),
        (12, "rejected", 7, 4),
        (3, "lonely", 6, 3),
    ]:
        when = now - timedelta(days=days)
        pause, _ = pauses.log_pause(
            client,
            by=client.user,
            data={
                "body_cues": ["chest"],
                "emotion": emotion,
                "intensity_before": before,
                "next_step": "Breathe for two minutes, then decide",
                "shared": True,
            },
        )
        pauses.rate_again(pause, by=client.user, intensity_after=after)
        backdate(pause, created_at=when, rated_again_at=when + timedelta(minutes=2))
        use, _ = toolkit.log_tool_use(
            client,
            by=client.user,
            data={
                "tool": "breathing",
                "detail": {"pattern": "box", "minutes": 2},
                "intensity_before": before,
                "intensity_after": after,
                "shared": True,
            },
        )
        backdate(use, created_at=when)


def _load_rituals(client, now) -> None:
    if Ritual.objects.filter(client=client).exists():
        return
    for name, steps, when, uses in RITUALS:
        ritual, _ = toolkit.add_ritual(
            client,
            by=client.user,
            data={"name": name, "steps": steps, "when_it_helps": when, "shared": True},
        )
        backdate(ritual, created_at=now - timedelta(weeks=5))
        for days, before, after in uses:
            use, _ = toolkit.log_tool_use(
                client,
                by=client.user,
                data={
                    "tool": ToolUse.Tool.RITUAL,
                    "ritual": ritual,
                    "intensity_before": before,
                    "intensity_after": after,
                    "shared": True,
                },
            )
            backdate(use, created_at=now - timedelta(days=days))


def _use_of(client, tool: str, key: str, record) -> ToolUse:
    """The tool use a domain function logged beside ``record`` (for "what helped")."""
    return ToolUse.objects.get(client=client, tool=tool, **{f"detail__{key}": str(record.pk)})


def _load_reframe(client, now) -> None:
    if Reframe.objects.filter(client=client).exists():
        return
    reframe, _ = toolkit.log_reframe(
        client,
        by=client.user,
        data={
            "shared": True,
            "situation": "A friend cancelled our dinner an hour before",
            "automatic_thought": "She does not really want to see me",
            "emotion": "rejected",
            "intensity_before": 7,
            "evidence_for": "She cancelled last month too",
            "evidence_against": "She explained her child is ill and suggested another date herself",
            "balanced_thought": "Plans change for reasons that have nothing to do with me",
            "intensity_after": 4,
        },
    )
    when = now - timedelta(days=10)
    backdate(reframe, created_at=when)
    backdate(_use_of(client, ToolUse.Tool.REFRAME, "reframe", reframe), created_at=when)


def _load_request(client, now) -> None:
    if Request.objects.filter(client=client).exists():
        return
    person = Person.objects.filter(client=client, archived=False).order_by("created_at").first()
    req, _ = toolkit.plan_request(
        client,
        by=client.user,
        data={
            "shared": True,
            "what_happened": "Plans for the weekend were made without asking me",
            "i_feel": "Left out, and a little invisible",
            "i_need": "To be part of deciding how we spend our time",
            "i_ask": "Can we talk about weekend plans together on Thursday evenings?",
            "if_not": "I will say what I would like to do, and make my own plan for part of the "
            "day",
        },
    )
    toolkit.record_how_it_went(
        req,
        by=client.user,
        how_it_went="I said it once, calmly. They agreed to Thursdays and apologised.",
    )
    done_at = now - timedelta(days=6)
    # The request builder does not ask who it is for yet; the demo names the first person on the
    # client's map, as it always has.
    backdate(req, person=person, created_at=now - timedelta(days=9), done_at=done_at)
    backdate(_use_of(client, ToolUse.Tool.REQUEST, "request", req), created_at=done_at)


def _load_coregulation(practice, now) -> None:
    """A shared session with a private note each, only when both partners have accounts."""
    couple = [Client.objects.with_email(practice, e).first() for e in COUPLE]
    if any(c is None or c.user_id is None for c in couple):
        return
    first, second = couple
    if first.partner_id != second.pk:
        return
    pair = Q(client=first, partner=second) | Q(client=second, partner=first)
    if CoregulationSession.objects.filter(pair).exists():
        return
    session, _ = scripts.start_session(first, by=first.user, exercise=COREGULATION_EXERCISE)
    started_at = now - timedelta(days=4)
    backdate(session, started_at=started_at)
    for person, text, before, after, shared in [
        (first, "Slowing down together helped me stop pushing for an answer.", 7, 4, True),
        (second, "I wanted to leave the room at first, then it got easier.", 8, 5, False),
    ]:
        note, _ = scripts.save_note(
            session,
            person,
            by=person.user,
            data={
                "notes": text,
                "intensity_before": before,
                "intensity_after": after,
                "shared": shared,
            },
        )
        backdate(note, created_at=started_at)
        use = _use_of(person, ToolUse.Tool.COREGULATION, "session", session)
        backdate(use, created_at=started_at)
