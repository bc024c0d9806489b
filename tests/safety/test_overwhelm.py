"""Overwhelm below the crisis threshold: a moment or pause at 9–10, or felt numb or far
away, is met at once with calm words and an offer of grounding and of breathing without holds;
never the crisis page, never an alert or an email. Risk words still get the support page."""

import datetime as dt
import uuid

import pytest
from django.core import mail

from securebase.practise.models import Pause
from securebase.safety.flags.overwhelm import Overwhelm, assess
from securebase.safety.models import Alert
from securebase.understand.models import Moment
from tests.clock import FROZEN_NOW
from tests.conftest import sign_in
from tests.factories import bearer

pytestmark = pytest.mark.django_db

OFFER = "safety/grounding_offer.html"
INTENSE = "That sounds really intense"
VALIDATION = "It makes sense to feel overwhelmed."
NOTHING_TO_DO = "You don't have to do anything with it right now."
FAR_AWAY = "Feeling numb or far away can be the body's way of protecting you"
RISKY = "Some nights I think about ending my life"
# The moment happened two hours before the frozen now (tests/clock.py).
OCCURRED = FROZEN_NOW - dt.timedelta(hours=2)


def _pause(intensity, **extra):
    data = {
        "emotion": "anxious",
        "intensity_before": str(intensity),
        "next_choice": "tool:breathing",
        "submission_id": str(uuid.uuid4()),
    }
    return {**data, **extra}


def _moment(intensity, **extra):
    data = {
        "kind": "threat",
        "occurred_at": OCCURRED.strftime("%Y-%m-%dT%H:%M"),
        "situation": "He went quiet after dinner",
        "emotion_1": "lonely",
        "intensity_1": str(intensity),
        "submission_id": str(uuid.uuid4()),
    }
    return {**data, **extra}


# --- the rule --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("intensities", "cues", "feelings", "expected"),
    [
        ([8], [], ["anxious"], Overwhelm(intense=False, far_away=False)),
        ([9], [], ["anxious"], Overwhelm(intense=True, far_away=False)),
        ([3, 10], [], [], Overwhelm(intense=True, far_away=False)),
        ([None], ["numb"], [], Overwhelm(intense=False, far_away=True)),
        ([4], ["chest"], ["numb"], Overwhelm(intense=False, far_away=True)),
        ([10], ["numb"], ["sad"], Overwhelm(intense=True, far_away=True)),
    ],
)
def test_overwhelm_is_nine_or_ten_or_feeling_numb_or_far_away(
    intensities, cues, feelings, expected
):
    assert assess(intensities=intensities, body_cues=cues, feelings=feelings) == expected
    assert bool(expected) == (expected.intense or expected.far_away)


# --- the pause -------------------------------------------------------------------------------


def test_a_pause_at_ten_is_met_with_validation_and_grounding_not_the_crisis_page(as_maya, maya):
    response = as_maya.post("/home/pause/", _pause(10))
    pause = Pause.objects.get(client=maya)
    assert response.status_code == 200
    assert response.templates[0].name == OFFER
    assert INTENSE in response.text
    assert VALIDATION in response.text
    assert NOTHING_TO_DO in response.text
    assert 'href="/home/toolkit/grounding/"' in response.text
    assert 'href="/home/toolkit/breathing/?holds=skip"' in response.text
    assert f'href="/home/pause/{pause.pk}/"' in response.text
    assert "tel:" not in response.text
    assert "Thank you for telling us" not in response.text
    assert response["Cache-Control"] == "no-store"


def test_a_pause_at_five_is_saved_as_usual(as_maya, maya):
    response = as_maya.post("/home/pause/", _pause(5))
    pause = Pause.objects.get(client=maya)
    assert response.status_code == 302
    assert response["Location"] == f"/home/pause/{pause.pk}/"


def test_a_pause_feeling_numb_or_far_away_is_met_with_grounding(as_maya, maya):
    response = as_maya.post("/home/pause/", _pause(4, body_cues=["numb"]))
    assert response.templates[0].name == OFFER
    assert FAR_AWAY in response.text
    assert INTENSE not in response.text
    assert VALIDATION not in response.text


def test_the_feeling_numb_counts_as_far_away_too(as_maya, maya):
    response = as_maya.post("/home/pause/", _pause(3, emotion="numb"))
    assert response.templates[0].name == OFFER
    assert FAR_AWAY in response.text


def test_a_resent_pause_at_ten_is_met_with_grounding_again_and_saved_once(as_maya, maya):
    data = _pause(10)
    as_maya.post("/home/pause/", data)
    again = as_maya.post("/home/pause/", data)
    assert again.templates[0].name == OFFER
    assert Pause.objects.filter(client=maya).count() == 1


def test_overwhelm_raises_no_alert_and_sends_no_email(as_maya, maya):
    as_maya.post("/home/pause/", _pause(10, body_cues=["numb"], shared="on"))
    as_maya.post("/home/moments/new/", _moment(9, shared="on"))
    assert Alert.objects.filter(client=maya).count() == 0
    assert mail.outbox == []


def test_the_client_is_told_who_will_see_it(as_maya, maya):
    shared = as_maya.post("/home/pause/", _pause(10, shared="on"))
    private = as_maya.post("/home/pause/", _pause(10))
    assert "your care team will see it before your next session" in shared.text
    assert "It stays private to you." in private.text


def test_risk_words_at_ten_still_get_the_support_page(as_maya, maya):
    response = as_maya.post("/home/pause/", _pause(10, body_cues=["numb"], own_next_step=RISKY))
    assert response.templates[0].name == "safety/support.html"
    assert INTENSE not in response.text
    assert Alert.objects.filter(client=maya).count() == 1


# --- the moment ------------------------------------------------------------------------------


def test_a_moment_at_nine_is_met_with_validation_and_grounding(as_maya, maya):
    response = as_maya.post("/home/moments/new/", _moment(9))
    moment = Moment.objects.get(client=maya)
    assert response.status_code == 200
    assert response.templates[0].name == OFFER
    assert INTENSE in response.text
    assert VALIDATION in response.text
    assert 'href="/home/toolkit/grounding/"' in response.text
    assert f'href="/home/moments/{moment.pk}/"' in response.text
    assert 'data-clear-draft="moment-new"' in response.text
    assert "tel:" not in response.text


def test_a_moment_at_five_is_saved_as_usual(as_maya, maya):
    response = as_maya.post("/home/moments/new/", _moment(5))
    assert response.status_code == 302


def test_a_moment_felt_far_away_is_met_with_grounding(as_maya, maya):
    response = as_maya.post("/home/moments/new/", _moment(5, body_cues=["numb"]))
    assert response.templates[0].name == OFFER
    assert FAR_AWAY in response.text


def test_a_moment_with_risk_words_at_nine_still_gets_the_support_page(as_maya, maya):
    response = as_maya.post("/home/moments/new/", _moment(9, situation=RISKY))
    assert response.templates[0].name == "safety/support.html"
    assert Alert.objects.filter(client=maya).count() == 1


def test_the_offer_is_served_in_the_clients_language(maya):
    maya.user.language = "es"
    maya.user.save(update_fields=["language"])
    response = sign_in(maya.user).post("/home/pause/", _pause(10))
    assert response.templates[0].name == OFFER
    assert '<html lang="es"' in response.text


# --- the API: a phone app gets the same answer --------------------------------------------------


def _api_post(client, maya, path, body):
    headers = {**bearer(maya.user, "write"), "Idempotency-Key": str(uuid.uuid4())}
    return client.post(
        f"/api/v1/clients/{maya.pk}/{path}", body, content_type="application/json", headers=headers
    )


@pytest.mark.parametrize(
    ("body", "grounding", "risk"),
    [
        ({"emotion": "anxious", "intensity_before": 10}, True, False),
        ({"emotion": "anxious", "intensity_before": 5}, False, False),
        ({"emotion": "numb", "intensity_before": 4}, True, False),
        ({"emotion": "anxious", "intensity_before": 10, "next_step": "I want to die"}, False, True),
    ],
    ids=["ten", "five", "numb", "risk-words-win"],
)
def test_the_pause_api_says_when_to_offer_grounding(client, maya, body, grounding, risk):
    response = _api_post(client, maya, "pauses", body)
    assert response.status_code == 201, response.content
    found = response.json()
    assert (found["grounding"], found["risk"]) == (grounding, risk)
    assert Alert.objects.filter(client=maya).count() == int(risk)


def test_the_moment_api_says_when_to_offer_grounding(client, maya):
    body = {
        "occurred_at": OCCURRED.isoformat(),
        "kind": "threat",
        "situation": "A long day",
        "emotions": [{"name": "lonely", "intensity": 9}],
    }
    response = _api_post(client, maya, "moments", body)
    assert response.status_code == 201, response.content
    assert response.json()["grounding"] is True
