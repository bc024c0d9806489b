"""The support pages: the one shown at once after a risk flag, and the footer's "Support now"."""

import uuid

import pytest
from django.test import Client as BrowserClient

from securebase.audit.models import AuditEvent
from securebase.safety.models import SafetyPlan
from securebase.safety.plan import domain as plans

pytestmark = pytest.mark.django_db

PLAN_LINE = "Call my sister Ada"


def _plan(maya, by):
    plan = plans.get_or_create_plan(client=maya, by=by)
    return plans.save_plan(
        by=by, plan=plan, version=plan.version, content={"reasons_for_living": [PLAN_LINE]}
    )


def test_anyone_gets_general_guidance_and_crisis_lines_from_the_footer():
    response = BrowserClient().get("/support/")
    assert response.status_code == 200
    assert "call your local emergency number" in response.text
    assert 'href="tel:999"' in response.text
    assert "Your safety plan" not in response.text


def test_a_signed_in_client_sees_their_own_safety_plan_on_the_footer_page(as_maya, maya, alex):
    plan = _plan(maya, alex)
    response = as_maya.get("/support/")
    assert response.status_code == 200
    assert PLAN_LINE in response.text and 'href="tel:999"' in response.text
    assert "Your care team has been told" not in response.text
    read = AuditEvent.objects.filter(object_type="safety_plan", action="read").get()
    assert (read.object_id, read.detail["for"]) == (str(plan.pk), "support")


def test_a_client_without_a_plan_is_offered_to_build_it_and_nothing_is_created(as_maya, maya):
    response = as_maya.get("/support/")
    assert "Your safety plan is still empty." in response.text
    assert 'href="/home/safety-plan/"' in response.text
    assert not SafetyPlan.objects.exists()


def test_a_clinician_gets_the_general_page_without_anyones_plan(as_alex, maya, alex):
    _plan(maya, alex)
    response = as_alex.get("/support/")
    assert response.status_code == 200
    assert PLAN_LINE not in response.text


def test_the_country_can_be_changed_on_the_page_and_is_remembered(as_maya):
    assert 'href="tel:112"' in as_maya.get("/support/", {"country": "IE"}).text
    assert 'href="tel:112"' in as_maya.get("/support/").text


def test_the_page_after_a_flag_is_calm_and_offers_a_way_on(as_maya, maya, alex):
    _plan(maya, alex)
    response = as_maya.post(
        "/home/check-in/",
        {
            "mood": "3",
            "closeness": "3",
            "felt_security": "2",
            "safety": "1",
            "submission_id": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.text
    assert "Thank you for telling us" in html
    assert html.index('href="tel:999"') < html.index(PLAN_LINE)  # crisis lines first
    assert 'class="button" href="/home/"' in html
