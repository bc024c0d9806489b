"""Safety overrides convenience: with a risk flag, stepping down and discharge say "not now".

The client's data otherwise supports stepping down (stable measures, goals met, practice every
week); a risk flag from today turns the suggestion into "not now" on the page and in the API, and
moving on or discharging needs an override note, kept and audited.
"""

import datetime as dt

import pytest

from securebase.audit.models import AuditEvent
from securebase.care.models import Client
from securebase.maintain import tapering
from securebase.maintain.models import Discharge, TaperingPhase
from securebase.safety.flags.domain import acknowledge
from securebase.safety.models import Alert
from tests.factories import (
    POST_9,
    PRE_18,
    AlertFactory,
    bearer,
    checkin,
    days_ago,
    make_goal,
    phq9,
    rate,
)

NOTE = "Reviewed the flag with her today; the safety plan is current and she chose this step."


@pytest.fixture
def ready(alex, maya):
    """Maya's data supports stepping down, and her plan is in its weekly phase."""
    phq9(alex, maya, PRE_18, days_ago(120))
    phq9(alex, maya, POST_9, days_ago(10))
    rate(make_goal(maya), 0)
    for week in range(4):
        checkin(maya, days_ago(7 * week + 1))
    plan = tapering.create_plan(client=maya, by=alex, start=days_ago(30).date())
    tapering.move_to_next_phase(by=alex, plan=plan, version=1)
    assert tapering.suggestion_for(maya, viewer=alex).step_down is True
    return tapering.plan_of(maya)


def risk_flag_today(maya) -> Alert:
    return AlertFactory(client=maya, kind=Alert.Kind.RISK_WORDS, source_type="journal")


def test_a_risk_flag_from_today_says_not_now_on_the_page_and_in_the_api(
    as_alex, client, alex, maya, ready
):
    risk_flag_today(maya)

    page = as_alex.get(f"/clients/{maya.pk}/tapering/")
    assert page.status_code == 200
    assert "Not now: safety comes first." in page.text
    assert "The data supports stepping down." not in page.text
    assert "Safety: a risk flag is still open. It comes before any step down." in page.text
    assert "Override: why move on now" in page.text

    body = client.get(f"/api/v1/clients/{maya.pk}/tapering", headers=bearer(alex)).json()
    suggestion = body["suggestion"]
    assert (suggestion["step_down"], suggestion["not_now"]) == (False, True)
    assert suggestion["text"] == "Not now: safety comes first."
    assert suggestion["reasons"][0]["code"] == "safety"
    assert suggestion["reasons"][0]["met"] is False


def test_an_acknowledged_flag_still_holds_for_four_weeks_then_the_data_speaks(
    clock, alex, maya, ready
):
    acknowledge(risk_flag_today(maya), by=alex, note="Called her, she is safe tonight.")
    view = tapering.suggestion_view(tapering.suggestion_for(maya, viewer=alex))
    assert view.not_now
    assert view.reasons[0].text == "Safety: a risk flag in the last 4 weeks. Stepping down waits."

    clock.shift(dt.timedelta(weeks=4, days=1))
    for week in range(4):
        checkin(maya, days_ago(7 * week + 1))
    assert tapering.suggestion_for(maya, viewer=alex).step_down is True


def test_a_reliable_deterioration_says_not_now_too(alex, maya, ready):
    phq9(alex, maya, PRE_18, days_ago(1))

    view = tapering.suggestion_view(tapering.suggestion_for(maya, viewer=alex))

    assert view.not_now
    assert view.headline == "Not now: a measure reliably got worse, and that comes first."


def test_moving_on_under_a_hold_asks_for_an_override_note_and_keeps_it(as_alex, maya, ready):
    risk_flag_today(maya)
    url = f"/clients/{maya.pk}/tapering/next/"

    refused = as_alex.post(url, {"version": ready.version, "override_note": "  "})

    assert refused.status_code == 422
    assert "Safety says not now. To go ahead anyway, write why in the override note." in (
        refused.text
    )
    assert tapering.current_phase(tapering.phases_of(ready)).kind == "weekly"

    moved = as_alex.post(url, {"version": ready.version, "override_note": NOTE})

    assert moved.status_code == 302
    started = TaperingPhase.objects.get(plan=ready, kind="fortnightly")
    assert started.started_at is not None
    assert started.override_note == NOTE
    event = AuditEvent.objects.filter(object_type="tapering_plan").latest("seq")
    assert event.detail["event"] == "next_phase"
    assert event.detail["safety_override"] is True
    assert NOTE not in str(event.detail)


def test_a_long_override_note_comes_back_with_what_was_typed(as_alex, maya, ready):
    risk_flag_today(maya)
    long_note = "Weighed it carefully. " * 120

    response = as_alex.post(
        f"/clients/{maya.pk}/tapering/next/", {"version": ready.version, "override_note": long_note}
    )

    assert response.status_code == 422
    assert long_note.strip() in response.text
    assert tapering.current_phase(tapering.phases_of(ready)).kind == "weekly"


def test_discharge_under_a_hold_warns_and_needs_an_override_note(as_alex, maya, ready):
    risk_flag_today(maya)
    url = f"/clients/{maya.pk}/discharge/"

    page = as_alex.get(url)
    assert "Not now: safety comes first." in page.text
    assert "Override: why discharge now" in page.text

    refused = as_alex.post(url, {"note": "Closing.", "confirm": "on"})
    assert refused.status_code == 400
    assert "Safety says not now. To go ahead anyway, write why in the override note." in (
        refused.text
    )
    assert "Closing." in refused.text
    maya.refresh_from_db()
    assert maya.status != Client.Status.DISCHARGED

    done = as_alex.post(url, {"note": "Closing.", "confirm": "on", "override_note": NOTE})
    assert done.status_code == 302
    record = Discharge.objects.get(client=maya)
    assert record.override_note == NOTE
    event = AuditEvent.objects.filter(object_type="discharge").latest("seq")
    assert event.detail["safety_override"] is True


def test_without_a_hold_no_override_is_asked_for(as_alex, maya, ready):
    page = as_alex.get(f"/clients/{maya.pk}/tapering/")
    assert "Override: why move on now" not in page.text
    assert as_alex.post(
        f"/clients/{maya.pk}/tapering/next/", {"version": ready.version}
    ).status_code == (302)


def test_starting_weekly_sessions_never_needs_an_override(alex, maya):
    """A hold is about spacing sessions out: starting the first, weekly phase goes ahead."""
    risk_flag_today(maya)
    plan = tapering.create_plan(client=maya, by=alex, start=days_ago(0).date())

    saved = tapering.move_to_next_phase(by=alex, plan=plan, version=plan.version)

    started = tapering.current_phase(tapering.phases_of(saved))
    assert (started.kind, started.override_note) == ("weekly", "")
