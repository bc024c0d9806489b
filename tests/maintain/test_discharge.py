"""Discharge (maintain.discharge): the summary from data, the record, and the client's version."""

import pytest
from django.utils import translation

from securebase.audit.models import AuditEvent
from securebase.care.models import Client
from securebase.maintain import discharge
from securebase.maintain.discharge import for_display
from securebase.plan.checkins.domain import skill_label
from securebase.practise.models import ToolUse
from tests.factories import (
    POST_9,
    PRE_18,
    CheckinFactory,
    TherapySessionFactory,
    ToolUseFactory,
    days_ago,
    make_goal,
    phq9,
    rate,
)


def test_the_summary_holds_measures_goals_what_helped_and_sessions(alex, maya):
    phq9(alex, maya, PRE_18, days_ago(120))
    phq9(alex, maya, POST_9, days_ago(10))
    goal = make_goal(maya, weight=1)
    rate(goal, 1)
    ToolUseFactory(
        client=maya, tool="breathing", intensity_before=7, intensity_after=3, shared=True
    )
    ToolUseFactory(client=maya, tool="grounding", shared=False)
    CheckinFactory(client=maya, mood=5, closeness=5, felt_security=5, skill="pause")
    TherapySessionFactory(client=maya, held_on=days_ago(14).date())
    TherapySessionFactory(client=maya, held_on=days_ago(7).date(), attended=False)

    summary = discharge.build_summary(maya, viewer=alex)

    (phq,) = summary["measures"]
    assert (phq["instrument"], phq["first"], phq["latest"]) == ("PHQ-9", 18, 9)
    assert phq["verdict"] == "recovered"
    assert summary["goals"] == [{"title": goal.title, "level": 1, "level_text": goal.level_text(1)}]
    assert summary["gas"]["goals_counted"] == 1
    assert summary["tools"] == [
        {"code": "breathing", "label": "Paced breathing", "uses": 1, "mean_drop": 4.0}
    ]
    assert summary["skills"] == [{"code": "pause", "label": "The pause", "count": 1}]
    assert summary["sessions"] == {"attended": 1, "dates": [days_ago(14).date().isoformat()]}


def test_discharging_sets_the_status_keeps_the_summary_and_is_audited(alex, maya):
    made = discharge.discharge(client=maya, by=alex, note="Ready.", share_note=False)

    maya.refresh_from_db()
    assert maya.status == Client.Status.DISCHARGED
    assert discharge.summary_of(made)["sessions"]["attended"] == 0
    events = AuditEvent.objects.filter(client_id=maya.pk).order_by("-seq")[:2]
    assert [(e.object_type, e.action, e.detail) for e in events] == [
        ("discharge", "create", {"note": True, "note_shared": False, "safety_override": False}),
        ("client", "update", {"status": "discharged"}),
    ]
    with pytest.raises(discharge.DischargeError):
        discharge.discharge(client=maya, by=alex)


def test_the_client_sees_the_note_only_when_shared(alex, maya, priya, sam):
    private = discharge.discharge(client=maya, by=alex, note="Clinician only.")
    shared = discharge.discharge(client=priya, by=sam, note="Well done.", share_note=True)

    assert discharge.client_version(private)["note"] == ""
    assert discharge.client_version(shared)["note"] == "Well done."


def test_the_stored_summary_is_worded_in_the_readers_language():
    stored = {
        "tools": [{"code": "breathing", "label": "Paced breathing", "uses": 3, "mean_drop": 2.0}],
        "skills": [{"code": "pause", "label": "The pause", "count": 4}],
        "measures": [],
    }
    with translation.override("es"):
        shown = for_display(stored)
        assert shown["tools"][0]["label"] == str(dict(ToolUse.Tool.choices)["breathing"])
        assert shown["skills"][0]["label"] == skill_label("pause")
        assert shown["skills"][0]["label"] != "The pause"
