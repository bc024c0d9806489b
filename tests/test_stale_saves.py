"""Every versioned record, saved from the web (and the API where it has one), the same way.

(a) The same person sending the same edit twice from the same version (a double-submitted form)
succeeds both times, and the record is written and audited once. (b) Someone else saving from the
old version is refused: the page keeps what they typed and shows the version saved now, with the
form moved on to it (the API answers 409).
"""

import datetime as dt
from dataclasses import dataclass

import pytest

from securebase.audit.models import AuditEvent
from securebase.care import domain as care
from securebase.maintain import maintenance, tapering
from securebase.plan.checkins import domain as checkins
from securebase.safety.plan import domain as safety
from securebase.understand.history import domain as history
from tests.clock import FROZEN_NOW
from tests.factories import bearer, create_goal, goal_form, ladder_form

# A Monday about ten weeks before the frozen moment, as a tapering plan would start.
START = (FROZEN_NOW - dt.timedelta(days=74)).date()


@dataclass
class Edit:
    """One edit of one record: where each side posts, what they post, and how to read it."""

    object_type: str
    url: str  # where the first person edits
    other_url: str  # where the other person edits (their own page for the same record)
    data: dict  # the first person's edit, from version ``version``
    other: dict  # the other person's edit, from the same version
    typed: str  # a piece of what the other person typed
    saved: str  # a piece of what the first person saved
    record: object
    version: int = 1


def _tapering(maya, alex, **_):
    plan = tapering.create_plan(client=maya, by=alex, start=START)
    weekly = tapering.phases_of(plan)[0]

    def phases(label):
        return {
            "version": "1",
            "phases-TOTAL_FORMS": "2",
            "phases-INITIAL_FORMS": "1",
            "phases-0-id": str(weekly.pk),
            "phases-0-kind": "weekly",
            "phases-0-planned_start": START.isoformat(),
            "phases-1-kind": "custom",
            "phases-1-label": label,
            "phases-1-planned_start": (START + dt.timedelta(40)).isoformat(),
        }

    url = f"/clients/{maya.pk}/tapering/edit/"
    return Edit(
        "tapering_plan", url, url, phases("Every three weeks"), phases("Monthly walks"),
        typed="Monthly walks", saved="Every three weeks", record=plan,
    )  # fmt: skip


def _maintenance(maya, alex, **_):
    plan = maintenance.get_or_create_plan(client=maya, by=alex)
    return Edit(
        "maintenance_plan", "/home/maintenance-plan/edit/",
        f"/clients/{maya.pk}/maintenance-plan/edit/",
        {"version": "1", "warning_signs": "Not sleeping"},
        {"version": "1", "what_helps": "Long walks"},
        typed="Long walks", saved="Not sleeping", record=plan,
    )  # fmt: skip


def _goal(maya, alex, **_):
    goal = create_goal(maya, alex)
    return Edit(
        "goal", f"/home/goals/{goal.pk}/edit/", f"/clients/{maya.pk}/goals/{goal.pk}/edit/",
        goal_form(version="1", title="Maya's own words"),
        goal_form(version="1", title="Alex's rewording"),
        typed="Alex&#x27;s rewording", saved="Maya&#x27;s own words", record=goal,
    )  # fmt: skip


def _schedule(maya, alex, **_):
    schedule = checkins.set_schedule(
        maya, by=alex, cadence="daily", weekdays=[], times=["19:00"], remind=True,
        active=True, version=0,
    )  # fmt: skip
    form = {"version": "1", "cadence": "daily", "remind": "on", "active": "on"}
    return Edit(
        "checkin_schedule", "/home/check-in/schedule/",
        f"/clients/{maya.pk}/check-ins/schedule/",
        {**form, "time_1": "07:45"},
        {**form, "time_1": "21:10", "safety_question": "every"},
        typed='value="21:10"', saved="07:45", record=schedule,
    )  # fmt: skip


def _safety_plan(maya, alex, **_):
    plan = safety.get_or_create_plan(client=maya, by=maya.user)
    return Edit(
        "safety_plan", "/home/safety-plan/edit/", f"/clients/{maya.pk}/safety-plan/edit/",
        {"version": "1", "warning_signs": "Not sleeping"},
        {"version": "1", "coping": "A slow walk"},
        typed="A slow walk", saved="Not sleeping", record=plan,
    )  # fmt: skip


def _ladder(maya, alex, as_maya, **_):
    as_maya.post("/home/ladders/new/", ladder_form())
    ladder = maya.ladders.get()
    return Edit(
        "ladder", f"/home/ladders/{ladder.pk}/edit/",
        f"/clients/{maya.pk}/ladders/{ladder.pk}/edit/",
        {**ladder_form(title="Renamed by Maya"), "version": "1"},
        {**ladder_form(title="Renamed by Alex"), "version": "1"},
        typed="Renamed by Alex", saved="Renamed by Maya", record=ladder,
    )  # fmt: skip


def _client_record(maya, alex, sam, **_):
    care.add_to_care_team(by=alex, client=maya, clinician=sam)
    form = {
        "name": maya.name, "email": maya.email, "language": maya.language,
        "country": maya.country or "GB", "referral_reason": maya.referral_reason, "version": "1",
    }  # fmt: skip
    url = f"/clients/{maya.pk}/edit/"
    return Edit(
        "client", url, url, {**form, "preferred_name": "May"}, {**form, "preferred_name": "Mai"},
        typed='value="Mai"', saved="May", record=maya,
    )  # fmt: skip


def _history(maya, alex, **_):
    found = history.get_or_create_map(client=maya, by=maya.user)
    return Edit(
        "history_narrative", "/home/history/edit/", f"/clients/{maya.pk}/history/edit/",
        {"version": "1", "narrative": "Mum left when I was seven."},
        {"version": "1", "narrative": "Dad worked abroad."},
        typed="Dad worked abroad.", saved="Mum left when I was seven.", record=found,
    )  # fmt: skip


EXPERIMENT = {"belief_before": "80", "prediction": "They will be annoyed", "shared": "on"}


def _experiment(maya, as_maya, **_):
    as_maya.post(
        "/home/experiments/new/",
        {**EXPERIMENT, "belief": "If I ask, I am a burden", "submission_id": "1" * 32},
    )
    experiment = maya.experiments.get()
    url = f"/home/experiments/{experiment.pk}/"
    return Edit(
        "experiment", url, url,
        {**EXPERIMENT, "version": "1", "belief": "Asking makes me a burden"},
        {**EXPERIMENT, "version": "1", "belief": "Asking might be fine"},
        typed="Asking might be fine", saved="Asking makes me a burden", record=experiment,
    )  # fmt: skip


MOMENT = {
    "kind": "threat", "occurred_at": f"{FROZEN_NOW:%Y-%m-%d}T21:15", "emotion_1": "lonely",
    "intensity_1": "7", "safety_before": "6", "safety_after": "3",
}  # fmt: skip


def _moment(maya, as_maya, **_):
    as_maya.post(
        "/home/moments/new/",
        {**MOMENT, "situation": "He went quiet", "submission_id": "2" * 32},
    )
    moment = maya.moments.get()
    url = f"/home/moments/{moment.pk}/"
    return Edit(
        "moment", url, url,
        {**MOMENT, "version": "1", "situation": "He went quiet after dinner"},
        {**MOMENT, "version": "1", "situation": "He looked at his phone"},
        typed="He looked at his phone", saved="He went quiet after dinner", record=moment,
    )  # fmt: skip


# Which signed-in person makes the first edit and which the other, per kind. A client's own
# experiments and moments are edited by them alone: their "someone else" is another device.
KINDS = {
    "tapering plan": (_tapering, "as_alex", "as_alex_elsewhere"),
    "maintenance plan": (_maintenance, "as_maya", "as_alex"),
    "goal": (_goal, "as_maya", "as_alex"),
    "check-in schedule": (_schedule, "as_maya", "as_alex"),
    "safety plan": (_safety_plan, "as_maya", "as_alex"),
    "ladder": (_ladder, "as_maya", "as_alex"),
    "client record": (_client_record, "as_alex", "as_sam"),
    "history map": (_history, "as_maya", "as_alex"),
    "experiment": (_experiment, "as_maya", "as_maya"),
    "moment": (_moment, "as_maya", "as_maya"),
}


@pytest.fixture
def as_alex_elsewhere(as_sam, alex, sam, maya):
    """Only the care team edits the tapering plan: the other person is Sam, added to it."""
    care.add_to_care_team(by=alex, client=maya, clinician=sam)
    return as_sam


def _arrange(request, kind):
    build, first, other = KINDS[kind]
    cast = {name: request.getfixturevalue(name) for name in ("maya", "alex", "sam", "as_maya")}
    edit = build(**cast)
    return edit, request.getfixturevalue(first), request.getfixturevalue(other)


def _writes(edit: Edit) -> int:
    return AuditEvent.objects.filter(object_type=edit.object_type).exclude(action="read").count()


def _version(edit: Edit) -> int:
    edit.record.refresh_from_db()
    return edit.record.version


@pytest.mark.parametrize("kind", KINDS)
def test_the_same_edit_sent_twice_by_the_same_person_is_saved_once(request, db, kind):
    edit, first, _other = _arrange(request, kind)
    before = _writes(edit)

    once = first.post(edit.url, edit.data)
    twice = first.post(edit.url, edit.data)

    assert (once.status_code, twice.status_code) == (302, 302)
    assert twice["Location"] == once["Location"]
    assert _version(edit) == 2
    assert _writes(edit) == before + 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_save_from_an_old_version_is_refused_keeping_what_was_typed(request, db, kind):
    edit, first, other = _arrange(request, kind)
    first.post(edit.url, edit.data)
    before = _writes(edit)

    refused = other.post(edit.other_url, edit.other)

    assert refused.status_code in (200, 400)
    assert edit.typed in refused.text  # what they typed, kept
    assert edit.saved in refused.text  # the version saved now, beside it
    assert 'class="card notice stale-version"' in refused.text
    assert refused.context["form"]["version"].value() == "2"  # a second save goes through
    assert (_version(edit), _writes(edit)) == (2, before)


# --- the API: the records it lets people replace ------------------------------------------------


def _api_tapering(maya, alex):
    plan = tapering.create_plan(client=maya, by=alex, start=START)
    phases = [{"kind": "weekly", "planned_start": START.isoformat()}]
    body = {
        "version": 1,
        "phases": [
            *phases,
            {"kind": "monthly", "planned_start": (START + dt.timedelta(weeks=8)).isoformat()},
        ],
    }
    url = f"/api/v1/clients/{maya.pk}/tapering"
    return "tapering_plan", url, plan, body, {"version": 1, "phases": phases}


def _api_goal(maya, alex):
    goal = create_goal(maya, alex)
    levels = {"-2": "Withdraw", "-1": "Ask once", "0": "Ask 3 times", "1": "Ask 4", "2": "Ask all"}
    body = {"title": "Maya's words", "dimension": "relational", "levels": levels, "version": 1}
    return "goal", f"/api/v1/goals/{goal.pk}", goal, body, {**body, "title": "Alex's words"}


def _api_safety_plan(maya, alex):
    plan = safety.get_or_create_plan(client=maya, by=maya.user)
    body = {"version": 1, "sections": {"warning_signs": ["Not sleeping"]}}
    other = {"version": 1, "sections": {"coping": ["A slow walk"]}}
    return "safety_plan", f"/api/v1/clients/{maya.pk}/safety-plan", plan, body, other


# The first writer and the other one: the tapering plan is the care team's alone.
API_KINDS = {
    "tapering plan": (_api_tapering, "alex", "sam"),
    "goal": (_api_goal, "maya", "alex"),
    "safety plan": (_api_safety_plan, "maya", "alex"),
}


def _user(person):
    return getattr(person, "user", person)  # a client's sign-in, or a clinician


@pytest.mark.parametrize("kind", API_KINDS)
def test_the_api_saves_a_retried_put_once_and_answers_409_to_an_old_version(
    client, alex, sam, maya, kind
):
    build, first, other = API_KINDS[kind]
    care.add_to_care_team(by=alex, client=maya, clinician=sam)
    object_type, url, record, body, theirs = build(maya, alex)
    people = {"alex": alex, "sam": sam, "maya": maya}

    def put(who, payload):
        headers = bearer(_user(people[who]), "write")
        return client.put(url, payload, content_type="application/json", headers=headers)

    before = AuditEvent.objects.filter(object_type=object_type).exclude(action="read").count()
    once, twice = put(first, body), put(first, body)
    refused = put(other, theirs)

    assert (once.status_code, twice.status_code) == (200, 200)
    assert once.json() == twice.json()
    assert refused.status_code == 409
    assert "version 2" in refused.json()["detail"]
    record.refresh_from_db()
    assert record.version == 2
    written = AuditEvent.objects.filter(object_type=object_type).exclude(action="read").count()
    assert written == before + 1
