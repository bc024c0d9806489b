"""How often the check-in asks the safety question: the clinician's choice per client, seen by the
client, every check-in by default."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest

from securebase.audit.models import AuditEvent
from securebase.plan.checkins import domain as checkins
from securebase.plan.models import Checkin, CheckinSchedule
from securebase.safety.models import Alert
from tests.clock import FROZEN_NOW
from tests.factories import bearer

RATINGS = {"mood": 6, "closeness": 4, "felt_security": 5}
FORM = {"mood": "7", "closeness": "5", "felt_security": "6", "skill": "breathing"}
SCHEDULE = {"cadence": "daily", "time_1": "19:00", "remind": "on", "active": "on"}
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


def _ask(client, by, how, *, version=0):
    """The clinician's choice, saved through the schedule like the page does."""
    return checkins.set_schedule(
        client, by=by, cadence="daily", weekdays=[], times=["19:00"], remind=True, active=True,
        version=version, safety_question=how,
    )  # fmt: skip


def _check_in(client, **data):
    found, _created = checkins.record_checkin(client, by=client.user, data={**RATINGS, **data})
    return found


def _post(web, **extra):
    return web.post("/home/check-in/", {**FORM, "submission_id": str(uuid.uuid4()), **extra})


def _in_los_angeles(client):
    client.time_zone = "America/Los_Angeles"
    client.save()


# --- the default: today's behaviour --------------------------------------------------------------


def test_without_a_schedule_every_check_in_asks_the_safety_question(maya):
    _check_in(maya, safety=0)

    assert checkins.safety_question_of(maya) == "every"
    assert checkins.asks_safety(maya) is True


def test_a_schedule_the_client_sets_asks_at_every_check_in(maya):
    saved = checkins.set_schedule(
        maya, by=maya.user, cadence="daily", weekdays=[], times=["19:00"], remind=True,
        active=True, version=0,
    )  # fmt: skip
    _check_in(maya, safety=0)

    assert saved.safety_question == CheckinSchedule.SafetyQuestion.EVERY
    assert checkins.asks_safety(maya) is True


def test_without_a_schedule_the_form_still_requires_the_answer(as_maya, maya):
    response = _post(as_maya)

    assert response.status_code == 400
    assert not Checkin.objects.exists()


# --- once a day, once a week ---------------------------------------------------------------------


def test_once_a_day_asks_again_only_after_midnight_where_the_client_lives(clock, alex, maya):
    _in_los_angeles(maya)
    _ask(maya, alex, "daily")
    assert checkins.asks_safety(maya) is True
    _check_in(maya, safety=0)
    local_midnight = dt.datetime.combine(
        FROZEN_NOW.astimezone(LOS_ANGELES).date() + dt.timedelta(days=1),
        dt.time(0),
        tzinfo=LOS_ANGELES,
    )
    utc_midnight = dt.datetime.combine(
        FROZEN_NOW.date() + dt.timedelta(days=1), dt.time(0), tzinfo=dt.UTC
    )

    clock.move_to(utc_midnight + dt.timedelta(minutes=1))
    after_utc_midnight = checkins.asks_safety(maya)
    clock.move_to(local_midnight - dt.timedelta(minutes=1))
    before_local_midnight = checkins.asks_safety(maya)
    clock.move_to(local_midnight + dt.timedelta(minutes=1))
    after_local_midnight = checkins.asks_safety(maya)

    assert (after_utc_midnight, before_local_midnight, after_local_midnight) == (
        False,
        False,
        True,
    )


def test_once_a_day_a_check_in_without_an_answer_does_not_count(alex, maya):
    _ask(maya, alex, "daily")

    _check_in(maya)  # sent without the question, as an API client may

    assert checkins.asks_safety(maya) is True


def test_once_a_week_asks_again_seven_days_after_the_last_answer(clock, alex, maya):
    _ask(maya, alex, "weekly")
    _check_in(maya, safety=0)

    clock.shift(dt.timedelta(days=6, hours=23))
    within_the_week = checkins.asks_safety(maya)
    clock.shift(dt.timedelta(hours=1, minutes=1))
    a_week_on = checkins.asks_safety(maya)

    assert (within_the_week, a_week_on) == (False, True)


def test_a_check_in_when_the_question_is_not_asked_is_saved_without_an_answer(as_maya, alex, maya):
    _ask(maya, alex, "daily")
    assert _post(as_maya, safety="0").status_code == 302

    page = as_maya.get("/home/check-in/").content.decode()
    response = _post(as_maya)

    assert 'name="safety"' not in page
    assert "Your clinician asks the safety question once a day." in page
    assert response.status_code == 302
    assert list(Checkin.objects.order_by("completed_at").values_list("safety", flat=True)) == [
        0,
        None,
    ]


def test_the_question_is_worded_since_the_last_answer_when_not_asked_every_time(
    as_maya, alex, maya
):
    _ask(maya, alex, "weekly")

    page = as_maya.get("/home/check-in/").content.decode()

    assert "Since you last answered this question, have you had thoughts" in page
    assert 'name="safety"' in page


# --- safety overrides convenience ----------------------------------------------------------------


def test_a_yes_sent_while_the_question_is_not_due_still_raises_a_flag(as_maya, alex, maya):
    _ask(maya, alex, "weekly")
    _check_in(maya, safety=0)

    response = _post(as_maya, safety="2")  # a form opened before the first answer was sent

    assert response.status_code == 200  # the support page, at once
    assert Checkin.objects.order_by("-completed_at").first().safety == 2
    assert Alert.objects.filter(client=maya, kind=Alert.Kind.RISK_CHECKIN).count() == 1


def test_a_yes_sent_through_the_api_while_not_due_still_raises_a_flag(client, alex, maya):
    _ask(maya, alex, "daily")
    _check_in(maya, safety=0)

    response = client.post(
        f"/api/v1/clients/{maya.pk}/checkins",
        {**RATINGS, "safety": 1},
        content_type="application/json",
        headers={**bearer(maya.user, "write"), "Idempotency-Key": str(uuid.uuid4())},
    )

    assert (response.status_code, response.json()["safety"], response.json()["risk"]) == (
        201,
        1,
        True,
    )


# --- who sees it, who sets it --------------------------------------------------------------------


def test_the_client_sees_the_frequency_but_cannot_change_it(as_maya, alex, maya):
    _ask(maya, alex, "weekly")

    page = as_maya.get("/home/check-in/schedule/").content.decode()
    response = as_maya.post(
        "/home/check-in/schedule/", {**SCHEDULE, "safety_question": "every", "version": "1"}
    )

    assert "Your clinician asks the safety question once a week." in page
    assert 'name="safety_question"' not in page
    assert response.status_code == 302
    assert CheckinSchedule.objects.get(client=maya).safety_question == "weekly"


def test_only_the_care_team_chooses_the_frequency(maya):
    with pytest.raises(checkins.NotAllowed):
        _ask(maya, maya.user, "weekly")


def test_the_clinician_changes_the_frequency_and_it_is_audited(as_alex, alex, maya):
    _ask(maya, alex, "every")
    url = f"/clients/{maya.pk}/check-ins/schedule/"
    page = as_alex.get(url).content.decode()

    response = as_alex.post(url, {**SCHEDULE, "safety_question": "daily", "version": "1"})

    assert 'name="safety_question" value="every"' in page
    assert response.status_code == 302
    assert CheckinSchedule.objects.get(client=maya).safety_question == "daily"
    event = AuditEvent.objects.filter(object_type="checkin_schedule", action="update").get()
    assert (event.actor_id, event.detail["safety_question"]) == (alex.pk, "daily")
    team_page = as_alex.get(f"/clients/{maya.pk}/check-ins/").content.decode()
    assert "The safety question: Once a day." in team_page


def test_a_stale_frequency_change_is_refused_and_keeps_the_choice(as_alex, alex, maya):
    _ask(maya, alex, "every")
    _ask(maya, alex, "weekly", version=1)

    response = as_alex.post(
        f"/clients/{maya.pk}/check-ins/schedule/",
        {**SCHEDULE, "safety_question": "daily", "version": "1"},
    )
    html = response.content.decode()

    assert response.status_code == 400
    assert "safety question: Once a week" in html
    assert 'value="daily" id="id_safety_question_1" checked' in html
    assert CheckinSchedule.objects.get(client=maya).safety_question == "weekly"


def test_an_unknown_frequency_names_the_field(alex, maya):
    with pytest.raises(checkins.CheckinError) as error:
        _ask(maya, alex, "hourly")

    assert error.value.field == "safety_question"


# --- the API -------------------------------------------------------------------------------------


def test_the_api_says_whether_the_next_check_in_asks_the_safety_question(client, alex, maya):
    _ask(maya, alex, "daily")
    url = f"/api/v1/clients/{maya.pk}/checkins/next"
    before = client.get(url, headers=bearer(maya.user)).json()
    _check_in(maya, safety=0)

    after = client.get(url, headers=bearer(alex)).json()

    assert set(before) == {
        "due_at", "next_slot", "safety_question", "asks_safety", "safety_question_text",
        "safety_frequency_text",
    }  # fmt: skip
    assert (before["safety_question"], before["asks_safety"]) == ("daily", True)
    assert (after["safety_question"], after["asks_safety"]) == ("daily", False)
    assert after["safety_frequency_text"] == "Your clinician asks the safety question once a day."


def test_the_api_default_is_every_check_in(client, maya):
    found = client.get(f"/api/v1/clients/{maya.pk}/checkins/next", headers=bearer(maya.user))

    assert (found.json()["safety_question"], found.json()["asks_safety"]) == ("every", True)


def test_the_wrong_people_get_404_from_the_next_check_in(client, sam, priya, maya):
    url = f"/api/v1/clients/{maya.pk}/checkins/next"

    assert client.get(url, headers=bearer(sam)).status_code == 404
    assert client.get(url, headers=bearer(priya.user)).status_code == 404
