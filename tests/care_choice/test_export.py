"""The client downloads their own record as JSON: every kind of entry, decrypted, theirs only."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from securebase.audit.models import AuditEvent
from securebase.care import export
from securebase.maintain import discharge
from securebase.safety.models import SafetyPlan
from securebase.understand.models import (
    HistoryEvent,
    HistoryMap,
    Script,
)
from tests.clock import FROZEN_NOW
from tests.factories import (
    AdministrationFactory,
    AttemptFactory,
    CheckinFactory,
    CheckinScheduleFactory,
    ExperimentFactory,
    GoalFactory,
    GoalRatingFactory,
    GoalStepFactory,
    HomeworkFactory,
    JournalEntryFactory,
    LadderFactory,
    LadderStepFactory,
    MaintenancePlanFactory,
    MomentFactory,
    PauseFactory,
    PersonFactory,
    PersonRatingFactory,
    ReframeFactory,
    ReminderSettingsFactory,
    RequestEntryFactory,
    RitualFactory,
    ScoreFactory,
    SessionTopicFactory,
    TaperingPhaseFactory,
    TaperingPlanFactory,
    TherapySessionFactory,
    ToolUseFactory,
)

KINDS = (
    "moments",
    "pauses",
    "tool_uses",
    "rituals",
    "reframes",
    "requests",
    "ladders",
    "experiments",
    "journal",
    "homework",
    "checkins",
    "goals",
    "measures",
    "people",
    "sessions",
    "topics",
)

SESSION_DAY = FROZEN_NOW.date() - dt.timedelta(days=50)


def _record_of(client, clinician, word: str, extra: int = 0) -> None:
    """One entry of every kind (``extra`` more of the repeatable ones), marked with ``word``."""
    now = timezone.now()
    person = PersonFactory(client=client, name=f"{word} person", circle="inner")
    PersonRatingFactory(person=person, reassurance=3, criticism=1, withdrawal=0, reliability=4)
    ladder = LadderFactory(client=client, title=f"{word} ladder", created_by=clinician)
    step = LadderStepFactory(
        ladder=ladder, position=1, description=f"{word} step", predicted_suds=50
    )
    goal = GoalFactory(
        client=client, title=f"{word} goal", dimension="relational",
        level_minus_2="a", level_minus_1="b", level_0="c", level_plus_1="d", level_plus_2="e",
    )  # fmt: skip
    GoalStepFactory(goal=goal, text=f"{word} goal step")
    GoalRatingFactory(goal=goal, client=client, level=1, note=f"{word} rating note")
    administration = AdministrationFactory(
        client=client, instrument_key="phq9", instrument_version="1",
        status="completed", answers_json='{"": {"1": 2}}', completed_at=now,
    )  # fmt: skip
    ScoreFactory(
        administration=administration, client=client, instrument_key="phq9",
        subscale="total", value=7, completed_at=now,
    )  # fmt: skip
    history = HistoryMap.objects.create(client=client, narrative=f"{word} narrative")
    event = HistoryEvent.objects.create(history=history, kind="move", title=f"{word} move")
    script = Script.objects.create(
        history=history, when=f"{word} when", expect="to be left", so_i="hold on"
    )
    script.learned_in.add(event)
    SafetyPlan.objects.create(
        client=client, content=json.dumps({"warning_signs": [f"{word} warning sign"]})
    )
    ReminderSettingsFactory(client=client)
    CheckinScheduleFactory(client=client, times=["19:00"])
    for n in range(1 + extra):
        MomentFactory(
            client=client, occurred_at=now, kind="threat", situation=f"{word} moment {n}",
            emotions_json='[{"name": "lonely", "intensity": 7}]', person=person,
        )  # fmt: skip
        PauseFactory(client=client, emotion=f"{word} pause", intensity_before=6)
        ToolUseFactory(client=client, tool="breathing", notes=f"{word} tool use")
        RitualFactory(client=client, name=f"{word} ritual")
        ReframeFactory(
            client=client, situation=f"{word} reframe", automatic_thought="t", emotion="e",
            intensity_before=5,
        )  # fmt: skip
        RequestEntryFactory(client=client, i_ask=f"{word} request")
        AttemptFactory(
            client=client, step=step, suds_before=40, suds_peak=60, suds_after=30,
            notes=f"{word} attempt",
        )  # fmt: skip
        ExperimentFactory(client=client, belief=f"{word} belief", belief_before=80)
        JournalEntryFactory(client=client, text=f"{word} journal", shared=False)
        HomeworkFactory(client=client, kind="pause", due_on=now.date(), note=f"{word} hw")
        CheckinFactory(
            client=client, mood=5, closeness=6, felt_security=7, note=f"{word} checkin note"
        )
        TherapySessionFactory(client=client, held_on=SESSION_DAY + dt.timedelta(days=n))
        SessionTopicFactory(client=client, text=f"{word} topic")


def _download(web):
    response = web.get("/home/export/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="secure-base-my-record-'
    )
    return json.loads(response.content)


def test_the_export_holds_an_entry_of_every_kind_decrypted(alex, maya, as_maya):
    _record_of(maya, alex, "Maya")
    data = _download(as_maya)
    assert data["format"] == "securebase.client-export/1"
    for kind in KINDS:
        assert len(data[kind]) == 1, kind
    assert data["profile"]["name"] == "Maya Okafor"
    assert data["profile"]["care_team"] == ["Alex Morgan"]
    assert data["preferences"]["checkin_schedule"]["times"] == ["19:00"]
    assert data["moments"][0]["situation"] == "Maya moment 0"
    assert data["moments"][0]["emotions"] == [{"name": "lonely", "intensity": 7}]
    assert data["journal"][0]["text"] == "Maya journal"
    assert data["ladders"][0]["steps"][0]["attempts"][0]["notes"] == "Maya attempt"
    assert data["goals"][0]["steps"][0]["text"] == "Maya goal step"
    assert data["goals"][0]["ratings"][0]["note"] == "Maya rating note"
    assert data["measures"][0]["answers"] == {"": {"1": 2}}
    assert data["measures"][0]["scores"][0]["value"] == 7
    assert data["history_map"]["narrative"] == "Maya narrative"
    assert data["history_map"]["scripts"][0]["learned_in"] == [
        data["history_map"]["events"][0]["id"]
    ]
    assert data["people"][0]["ratings"][0]["reliability"] == 4
    assert data["safety_plan"]["content"] == {"warning_signs": ["Maya warning sign"]}
    assert data["sessions"] == [{"date": SESSION_DAY.isoformat(), "attended": True}]
    assert data["checkins"][0]["note"] == "Maya checkin note"


def test_another_clients_data_never_appears(alex, sam, maya, priya, as_maya):
    _record_of(maya, alex, "Maya")
    _record_of(priya, sam, "PRIYA-SECRET")
    raw = as_maya.get("/home/export/download/").content.decode()
    assert "PRIYA-SECRET" not in raw
    assert "Priya" not in raw
    assert str(priya.pk) not in raw


def test_clinicians_notes_and_staff_accounts_are_not_in_it(alex, maya, as_maya):
    _record_of(maya, alex, "Maya")
    raw = as_maya.get("/home/export/download/").content.decode()
    assert "Low mood after a move." not in raw  # the referral reason, written by the care team
    assert "referral_reason" not in raw
    assert "created_by" not in raw and "assigned_by" not in raw


def test_the_export_is_audited_with_counts_only(alex, maya, as_maya):
    _record_of(maya, alex, "Maya")
    as_maya.get("/home/export/download/")
    event = AuditEvent.objects.get(action="export", object_type="client_record")
    assert event.client_id == maya.pk
    assert event.detail["counts"]["journal"] == 1
    assert "Maya journal" not in json.dumps(event.detail)


def test_a_clinician_cannot_use_the_export(as_alex, maya):
    assert as_alex.get("/home/export/").status_code == 404
    assert as_alex.get("/home/export/download/").status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_export_page_explains_what_is_in_the_file(as_maya):
    page = as_maya.get("/home/export/").content.decode()
    assert "What is in the file" in page
    assert 'href="/home/export/download/"' in page
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.parametrize("extra", [0, 4])
def test_the_export_costs_the_same_queries_however_much_there_is(
    alex, maya, extra, django_assert_num_queries
):
    _record_of(maya, alex, "Maya", extra=extra)
    with django_assert_num_queries(40):
        export.export_json(maya, by=maya.user)


def test_the_export_holds_the_maintenance_plan_tapering_plan_and_discharge_summary(alex, maya):
    MaintenancePlanFactory(client=maya, what_helps="Swimming twice a week")
    plan = TaperingPlanFactory(client=maya)
    TaperingPhaseFactory(plan=plan, position=0, kind="weekly", planned_start=FROZEN_NOW.date())
    discharge.discharge(client=maya, by=alex, note="Private clinician note", share_note=False)
    data = json.loads(export.export_json(maya, by=maya.user))
    assert data["maintenance_plan"]["what_helps"] == "Swimming twice a week"
    assert [p["kind"] for p in data["tapering_plan"]] == ["weekly"]
    (summary,) = data["discharges"]
    assert summary["summary"]["note"] == ""  # the clinician's unshared note stays out
