"""Risk flags raised from what the client enters, and what the client sees in the same response.

Every flow: a risky entry raises exactly one flag and answers with the support page (crisis lines
and the safety plan); a negated one ("I would never hurt myself") raises nothing; a resent form
raises nothing new; a private entry's flag says where it came from, never the words.
"""

import uuid

import pytest

from securebase.audit.models import AuditEvent
from securebase.plan.checkins import domain as checkins
from securebase.plan.models import Checkin
from securebase.practise.ladder import domain as ladder_domain
from securebase.practise.models import Attempt, Experiment, JournalEntry, Pause
from securebase.safety.flags import domain as flags
from securebase.safety.flags import support
from securebase.safety.models import Alert
from securebase.safety.plan import domain as plans
from securebase.understand.models import Moment
from tests.factories import bearer

pytestmark = pytest.mark.django_db

RISKY = "Some nights I think about ending my life"
NEGATED = "I would never hurt myself"
PLAN_LINE = "Walk the dog round the block"
TOLD = "Your care team has been told and will be in touch."
PRIVATE = (
    "This entry stays private. Your care team has been told that something you wrote raised "
    "concern — not what you wrote."
)


@pytest.fixture
def with_plan(maya, alex):
    plan = plans.get_or_create_plan(client=maya, by=alex)
    plans.save_plan(by=alex, plan=plan, version=plan.version, content={"coping": [PLAN_LINE]})


def _step(maya):
    ladder, _created = ladder_domain.create_ladder(
        maya,
        by=maya.user,
        data={"title": "Small steps", "steps": [{"description": "Ask", "predicted_suds": 40}]},
    )
    return ladder.steps.get()


# Each flow: the URL of the create form, the form data around the text, the model, the source.
FLOWS = {
    "moment": (
        lambda maya: "/home/moments/new/",
        lambda text: {
            "kind": "threat",
            "occurred_at": "2026-11-20T21:15",
            "situation": text,
            "emotion_1": "lonely",
            "intensity_1": "7",
        },
        Moment,
        "moment",
    ),
    "journal": (
        lambda maya: "/home/journal/new/",
        lambda text: {"text": text, "emotion_1": "lonely", "intensity_1": "7"},
        JournalEntry,
        "journal",
    ),
    "pause": (
        lambda maya: "/home/pause/",
        lambda text: {"emotion": "anxious", "intensity_before": "8", "own_next_step": text},
        Pause,
        "pause",
    ),
    "experiment": (
        lambda maya: "/home/experiments/new/",
        lambda text: {"belief": text, "belief_before": "80"},
        Experiment,
        "experiment",
    ),
    "attempt": (
        lambda maya: f"/home/ladder-steps/{_step(maya).pk}/attempt/",
        lambda text: {
            "attempted_at": "2026-11-20T21:15",
            "suds_before": "30",
            "suds_peak": "35",
            "suds_after": "10",
            "notes": text,
        },
        Attempt,
        "attempt",
    ),
}


def _form(flow, text, *, shared):
    data = {**FLOWS[flow][1](text), "submission_id": str(uuid.uuid4())}
    if shared:
        data["shared"] = "on"
    return data


@pytest.mark.parametrize("shared", [True, False], ids=["shared", "private"])
@pytest.mark.parametrize("flow", list(FLOWS))
def test_a_risky_entry_raises_one_flag_and_answers_with_the_support_page(
    flow, shared, as_maya, maya, with_plan
):
    url, _data, model, source = FLOWS[flow]
    response = as_maya.post(url(maya), _form(flow, RISKY, shared=shared))
    entry = model.objects.get(client=maya)
    alert = Alert.objects.get(client=maya)
    assert response.status_code == 200
    assert response.templates[0].name == "safety/support.html"
    assert (alert.kind, alert.source_type, alert.source_id, alert.source_shared) == (
        Alert.Kind.RISK_WORDS,
        source,
        entry.pk,
        shared,
    )
    assert 'href="tel:999"' in response.text
    assert PLAN_LINE in response.text
    assert TOLD in response.text
    assert (PRIVATE in response.text) is not shared


@pytest.mark.parametrize("flow", list(FLOWS))
def test_a_negated_entry_raises_no_flag_and_saves_as_usual(flow, as_maya, maya):
    url, _data, model, _source = FLOWS[flow]
    response = as_maya.post(url(maya), _form(flow, NEGATED, shared=True))
    assert response.status_code == 302
    assert model.objects.filter(client=maya).count() == 1
    assert not Alert.objects.exists()


@pytest.mark.parametrize("flow", list(FLOWS))
def test_a_resent_risky_entry_shows_the_support_page_again_and_raises_nothing_new(
    flow, as_maya, maya
):
    url, _data, model, _source = FLOWS[flow]
    data = _form(flow, RISKY, shared=False)
    target = url(maya)
    first, again = as_maya.post(target, data), as_maya.post(target, data)
    assert (first.status_code, again.status_code) == (200, 200)
    assert PRIVATE in again.text
    assert model.objects.filter(client=maya).count() == 1
    assert Alert.objects.count() == 1


@pytest.mark.parametrize("flow", list(FLOWS))
def test_a_private_entrys_words_reach_neither_the_alert_nor_the_audit_log(
    flow, as_maya, as_alex, maya
):
    url, _data, model, _source = FLOWS[flow]
    as_maya.post(url(maya), _form(flow, RISKY, shared=False))
    alert = Alert.objects.get()
    assert alert.source_shared is False
    assert "ending" not in str(alert.detail)
    assert not [e for e in AuditEvent.objects.all() if "ending" in str(e.detail)]
    for page in (f"/clients/{maya.pk}/measures/", f"/api/v1/clients/{maya.pk}/moments"):
        assert "ending my life" not in as_alex.get(page).text


def test_the_care_team_never_reads_a_private_moment_that_raised_a_flag(
    client, as_maya, as_alex, alex, maya
):
    as_maya.post("/home/moments/new/", _form("moment", RISKY, shared=False))
    assert "ending my life" not in as_alex.get(f"/clients/{maya.pk}/moments/").text
    api = client.get(f"/api/v1/clients/{maya.pk}/moments", headers=bearer(alex))
    assert (api.status_code, api.json()) == (200, [])


# --- edits ----------------------------------------------------------------------------------------


def test_editing_a_moment_into_risk_words_raises_one_flag_and_shows_support(as_maya, maya):
    as_maya.post("/home/moments/new/", _form("moment", "A quiet evening", shared=True))
    moment = Moment.objects.get()
    edit = {**FLOWS["moment"][1](RISKY), "version": "1", "shared": "on"}
    response = as_maya.post(f"/home/moments/{moment.pk}/", edit)
    assert response.status_code == 200 and TOLD in response.text
    again = as_maya.post(f"/home/moments/{moment.pk}/", {**edit, "version": "2"})
    assert again.status_code == 200
    alert = Alert.objects.get()
    assert (alert.source_type, alert.source_id) == ("moment", moment.pk)


def test_an_edit_without_risk_words_saves_as_usual_even_after_an_earlier_flag(as_maya, maya):
    as_maya.post("/home/moments/new/", _form("moment", RISKY, shared=False))
    moment = Moment.objects.get()
    calm = {**FLOWS["moment"][1]("A quiet evening"), "version": "1"}
    response = as_maya.post(f"/home/moments/{moment.pk}/", calm)
    assert response.status_code == 302
    assert Alert.objects.count() == 1


def test_editing_an_experiment_into_risk_words_raises_one_flag(as_maya, maya):
    as_maya.post("/home/experiments/new/", _form("experiment", "They will leave", shared=False))
    experiment = Experiment.objects.get()
    edit = {"belief": "They will leave", "belief_before": "80", "learned": RISKY, "version": "1"}
    response = as_maya.post(f"/home/experiments/{experiment.pk}/", edit)
    assert response.status_code == 200 and PRIVATE in response.text
    alert = Alert.objects.get()
    assert (alert.source_type, alert.source_id, alert.source_shared) == (
        "experiment",
        experiment.pk,
        False,
    )


def test_risk_words_in_a_journal_entry_written_with_an_attempt_flag_the_attempt_once(as_maya, maya):
    url = FLOWS["attempt"][0](maya)
    data = {**_form("attempt", "Hard but fine", shared=False), "journal_text": RISKY}
    response = as_maya.post(url, data)
    attempt = Attempt.objects.get()
    assert response.status_code == 200
    assert list(Alert.objects.values_list("source_type", "source_id")) == [("attempt", attempt.pk)]


# --- the check-in ---------------------------------------------------------------------------------

CHECKIN = {"mood": "4", "closeness": "5", "felt_security": "3", "skill": ""}


def _checkin(web, **extra):
    return web.post("/home/check-in/", {**CHECKIN, "submission_id": str(uuid.uuid4()), **extra})


def test_the_check_in_asks_the_safety_question_and_says_what_a_yes_does(as_maya):
    html = as_maya.get("/home/check-in/").text
    assert (
        "Since your last check-in, have you had thoughts of harming yourself or of not wanting "
        "to be alive?"
    ) in html
    for value in ("0", "1", "2"):
        assert f'name="safety" value="{value}"' in html
    assert "If you answer yes, you will see your safety plan and crisis lines" in html


def test_the_safety_question_must_be_answered_on_the_form(as_maya, maya):
    response = as_maya.post(
        "/home/check-in/", {**CHECKIN, "note": "Keep me", "submission_id": str(uuid.uuid4())}
    )
    assert response.status_code == 400
    assert "Keep me" in response.text
    assert not Checkin.objects.exists()


def test_a_no_to_the_safety_question_raises_nothing(as_maya, maya):
    response = _checkin(as_maya, safety="0")
    assert response.status_code == 302
    assert Checkin.objects.get().safety == 0
    assert not Alert.objects.exists()


@pytest.mark.parametrize("answer", [1, 2])
def test_a_yes_to_the_safety_question_raises_a_flag_and_shows_the_plan_at_once(
    answer, as_maya, maya, with_plan
):
    response = _checkin(as_maya, safety=str(answer))
    checkin = Checkin.objects.get()
    alert = Alert.objects.get()
    assert (alert.kind, alert.source_type, alert.source_id, alert.source_shared) == (
        Alert.Kind.RISK_CHECKIN,
        "checkin",
        checkin.pk,
        True,
    )
    assert alert.detail == {"answer": answer}
    assert response.status_code == 200
    assert 'href="tel:999"' in response.text and PLAN_LINE in response.text
    assert TOLD in response.text and PRIVATE not in response.text


def test_a_resent_yes_raises_one_flag(as_maya, maya):
    data = {**CHECKIN, "safety": "2", "submission_id": str(uuid.uuid4())}
    assert as_maya.post("/home/check-in/", data).status_code == 200
    assert as_maya.post("/home/check-in/", data).status_code == 200
    assert (Checkin.objects.count(), Alert.objects.count()) == (1, 1)


def test_risk_words_in_a_private_check_in_note_raise_a_flag_that_keeps_the_note_private(
    as_maya, as_alex, maya
):
    response = _checkin(as_maya, safety="0", note=RISKY)
    checkin = Checkin.objects.get()
    alert = Alert.objects.get()
    assert (alert.kind, alert.source_id, alert.source_shared) == (
        Alert.Kind.RISK_WORDS,
        checkin.pk,
        False,
    )
    assert response.status_code == 200 and PRIVATE in response.text
    assert "ending my life" not in as_alex.get(f"/clients/{maya.pk}/check-ins/").text


def test_a_check_in_without_the_safety_question_raises_nothing(maya):
    found, _created = checkins.record_checkin(
        maya, by=maya.user, data={"mood": 5, "closeness": 5, "felt_security": 5}
    )
    assert found.safety is None
    assert not Alert.objects.exists()


# --- what stays true on a replay ------------------------------------------------------------------


def test_raised_for_answers_for_the_entry_and_only_for_risk_kinds(maya):
    entry = uuid.uuid4()
    assert support.raised_for(entry) is False
    flags.raise_flag(maya, kind=Alert.Kind.BOOSTER, source_type="checkin", source_id=entry)
    assert support.raised_for(entry) is False
    flags.raise_flag(maya, kind=Alert.Kind.RISK_WORDS, source_type="checkin", source_id=entry)
    assert support.raised_for(entry) is True


# --- the API --------------------------------------------------------------------------------------


def _api(client, user, path, body, key=None):
    headers = {**bearer(user, "write"), "Idempotency-Key": key or str(uuid.uuid4())}
    return client.post(f"/api/v1{path}", body, content_type="application/json", headers=headers)


API_FLOWS = {
    "checkin": (
        lambda maya: f"/clients/{maya.pk}/checkins",
        lambda text: {"mood": 5, "closeness": 5, "felt_security": 5, "note": text},
    ),
    "moment": (
        lambda maya: f"/clients/{maya.pk}/moments",
        lambda text: {"occurred_at": "2026-11-20T21:15:00Z", "kind": "threat", "situation": text},
    ),
    "journal": (lambda maya: f"/clients/{maya.pk}/journal", lambda text: {"text": text}),
    "pause": (
        lambda maya: f"/clients/{maya.pk}/pauses",
        lambda text: {"emotion": "anxious", "intensity_before": 7, "next_step": text},
    ),
    "experiment": (
        lambda maya: f"/clients/{maya.pk}/experiments",
        lambda text: {"belief": text, "belief_before": 70},
    ),
    "attempt": (
        lambda maya: f"/ladder-steps/{_step(maya).pk}/attempts",
        lambda text: {"suds_before": 30, "suds_peak": 40, "suds_after": 10, "notes": text},
    ),
}


@pytest.mark.parametrize("flow", list(API_FLOWS))
def test_an_api_create_answers_risk_and_the_crisis_lines_and_a_replay_answers_the_same(
    flow, client, maya
):
    path, body = API_FLOWS[flow]
    target, key = path(maya), str(uuid.uuid4())
    first = _api(client, maya.user, target, body(RISKY), key=key)
    again = _api(client, maya.user, target, body(RISKY), key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    found = first.json()
    assert found["risk"] is True
    assert found["crisis_resources"]["country"] == "GB"
    assert "999" in [r["phone"] for r in found["crisis_resources"]["resources"]]
    assert (again.json()["risk"], again.json()["crisis_resources"]) == (
        True,
        found["crisis_resources"],
    )
    assert Alert.objects.count() == 1


@pytest.mark.parametrize("flow", list(API_FLOWS))
def test_an_api_create_without_risk_answers_risk_false(flow, client, maya):
    path, body = API_FLOWS[flow]
    found = _api(client, maya.user, path(maya), body(NEGATED)).json()
    assert (found["risk"], found["crisis_resources"]) == (False, None)
    assert not Alert.objects.exists()


@pytest.mark.parametrize(("answer", "risk"), [(None, False), (0, False), (1, True), (2, True)])
def test_the_api_check_in_takes_the_safety_answer(answer, risk, client, maya):
    body = {"mood": 5, "closeness": 5, "felt_security": 5}
    if answer is not None:
        body["safety"] = answer
    found = _api(client, maya.user, f"/clients/{maya.pk}/checkins", body).json()
    assert (found["safety"], found["risk"]) == (answer, risk)
    assert Alert.objects.filter(kind=Alert.Kind.RISK_CHECKIN).count() == int(risk)


def test_the_api_refuses_a_safety_answer_out_of_range(client, maya):
    body = {"mood": 5, "closeness": 5, "felt_security": 5, "safety": 3}
    assert _api(client, maya.user, f"/clients/{maya.pk}/checkins", body).status_code == 422
    assert not Checkin.objects.exists()


# --- risk worded without the obvious words ---------------------------------------------------------

# A preparatory act in everyday words: none of "die", "kill", "suicide" or "cut".
PLAIN = "I've been saving my tablets in a drawer for when I'm ready."


def test_a_journal_entry_in_plain_words_is_flagged_on_the_web_and_the_care_team_sees_why(
    as_maya, as_alex, maya
):
    response = as_maya.post(FLOWS["journal"][0](maya), _form("journal", PLAIN, shared=False))
    assert response.templates[0].name == "safety/support.html"  # at once
    alert = Alert.objects.get(client=maya, kind=Alert.Kind.RISK_WORDS)
    assert "preparatory" in {r["category"] for r in alert.detail["reasons"]}

    page = as_alex.get(f"/alerts/{alert.pk}/")
    assert page.status_code == 200
    assert "Why: Getting ready: saving pills, buying the means, goodbye letters" in page.text
    assert "tablets" not in page.text  # a private entry: never the words


def test_a_journal_entry_in_plain_words_is_flagged_through_the_api(client, alex, maya):
    found = _api(client, maya.user, f"/clients/{maya.pk}/journal", {"text": PLAIN}).json()
    assert found["risk"] is True

    (listed,) = client.get("/api/v1/alerts", headers=bearer(alex)).json()
    assert "preparatory" in {r["category"] for r in listed["reasons"]}
    assert {r["layer"] for r in listed["reasons"]} <= {"lexicon", "semantic"}
