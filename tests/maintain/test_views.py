"""The maintenance pages: tapering, the maintenance plan and discharge, for each of the cast."""

import uuid

import pytest

from securebase.care.models import Client
from securebase.maintain import tapering
from securebase.maintain.models import Discharge, MaintenancePlan, TaperingPlan
from tests.factories import POST_9, PRE_18, checkin, days_ago, make_goal, phq9, rate

CLINICIAN_PAGES = ("tapering", "maintenance-plan", "discharge", "maintenance-plan/edit")


def test_the_clinician_makes_a_plan_from_the_template_and_moves_on(as_alex, maya):
    response = as_alex.post(f"/clients/{maya.pk}/tapering/start/", {"start": "2026-09-07"})
    assert response.status_code == 302
    plan = TaperingPlan.objects.get(client=maya)

    response = as_alex.post(f"/clients/{maya.pk}/tapering/next/", {"version": plan.version})

    assert response.status_code == 302
    assert tapering.current_phase(tapering.phases_of(tapering.plan_of(maya))).kind == "weekly"
    page = as_alex.get(f"/clients/{maya.pk}/tapering/")
    assert "Move to the next phase: Sessions every two weeks" in page.text


def test_the_tapering_page_shows_the_suggestion_with_its_reasons(as_alex, alex, maya):
    phq9(alex, maya, PRE_18, days_ago(120))
    phq9(alex, maya, POST_9, days_ago(10))
    rate(make_goal(maya), 0)
    for week in range(4):
        checkin(maya, days_ago(7 * week + 1))

    page = as_alex.get(f"/clients/{maya.pk}/tapering/")

    assert page.status_code == 200
    assert "The data supports stepping down." in page.text
    assert "Practice: some practice in each of the last 4 weeks." in page.text


def test_the_clinician_edits_phases_and_a_stale_edit_keeps_what_they_typed(as_alex, alex, maya):
    plan = tapering.create_plan(client=maya, by=alex, start=days_ago(0).date())
    tapering.move_to_next_phase(by=alex, plan=plan, version=1)
    phases = tapering.phases_of(plan)
    data = {
        "version": 1,
        "phases-TOTAL_FORMS": 2,
        "phases-INITIAL_FORMS": 2,
        "phases-0-id": phases[0].pk,
        "phases-0-kind": "weekly",
        "phases-0-planned_start": "2026-09-07",
        "phases-1-kind": "custom",
        "phases-1-label": "Every three weeks",
        "phases-1-planned_start": "2026-10-07",
    }

    stale = as_alex.post(f"/clients/{maya.pk}/tapering/edit/", data)
    data["version"] = 2
    saved = as_alex.post(f"/clients/{maya.pk}/tapering/edit/", data)

    assert stale.status_code == 400
    assert "Someone else changed the tapering plan" in stale.text
    assert 'value="Every three weeks"' in stale.text
    assert saved.status_code == 302
    assert [p.name for p in tapering.phases_of(tapering.plan_of(maya))] == [
        "Weekly sessions",
        "Every three weeks",
    ]


def test_the_client_reads_their_plan_without_controls(as_maya, alex, maya):
    tapering.create_plan(client=maya, by=alex, start=days_ago(0).date())

    page = as_maya.get("/home/tapering/")

    assert page.status_code == 200
    assert "Monthly sessions" in page.text
    assert "tapering/next/" not in page.text
    assert as_maya.get(f"/clients/{maya.pk}/tapering/").status_code == 404


@pytest.mark.parametrize("page", CLINICIAN_PAGES)
def test_a_colleague_and_another_client_get_404(as_sam, as_priya, maya, page):
    assert as_sam.get(f"/clients/{maya.pk}/{page}/").status_code == 404
    assert as_priya.get(f"/clients/{maya.pk}/{page}/").status_code == 404


@pytest.mark.parametrize("page", ("tapering/start", "tapering/next", "tapering/edit", "discharge"))
def test_a_colleague_cannot_post_to_the_care_teams_pages(as_sam, maya, page):
    assert as_sam.post(f"/clients/{maya.pk}/{page}/", {"version": 1}).status_code == 404


def test_unknown_or_malformed_client_ids_get_404(as_alex):
    assert as_alex.get(f"/clients/{uuid.uuid4()}/tapering/").status_code == 404
    assert as_alex.get("/clients/not-a-uuid/discharge/").status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/home/tapering/", "/home/maintenance-plan/", "/home/discharge-summary/"],
)
def test_anonymous_people_are_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_clinician_has_no_home_pages_of_their_own(as_alex):
    assert as_alex.get("/home/tapering/").status_code == 404
    assert as_alex.get("/home/maintenance-plan/").status_code == 404


def test_the_maintenance_plan_is_written_together_and_a_stale_save_shows_both(
    as_alex, as_maya, maya
):
    as_maya.get("/home/maintenance-plan/")
    saved = as_maya.post(
        "/home/maintenance-plan/edit/", {"version": 1, "warning_signs": "Not sleeping"}
    )
    stale = as_alex.post(
        f"/clients/{maya.pk}/maintenance-plan/edit/", {"version": 1, "what_helps": "Walks"}
    )

    assert saved.status_code == 302
    assert stale.status_code == 400
    assert "Someone else saved the maintenance plan" in stale.text
    assert "Not sleeping" in stale.text  # their version, shown
    assert "Walks" in stale.text  # what Alex typed, kept
    assert MaintenancePlan.objects.get().what_helps == ""
    page = as_alex.get(f"/clients/{maya.pk}/maintenance-plan/")
    assert "Not sleeping" in page.text


def test_discharge_sets_the_status_and_the_client_sees_their_summary(as_alex, as_maya, maya):
    form = as_alex.get(f"/clients/{maya.pk}/discharge/")
    assert form.status_code == 200
    assert "Sessions" in form.text

    response = as_alex.post(
        f"/clients/{maya.pk}/discharge/",
        {"note": "Private reflection.", "confirm": "on"},
    )

    assert response.status_code == 302
    maya.refresh_from_db()
    assert maya.status == Client.Status.DISCHARGED
    assert Discharge.objects.get(client=maya).note == "Private reflection."
    mine = as_maya.get("/home/discharge-summary/")
    assert mine.status_code == 200
    assert "Private reflection." not in mine.text
    assert "Private reflection." in as_alex.get(f"/clients/{maya.pk}/discharge/").text


def test_discharge_needs_the_confirmation(as_alex, maya):
    response = as_alex.post(f"/clients/{maya.pk}/discharge/", {"note": "x"})

    assert response.status_code == 400
    maya.refresh_from_db()
    assert maya.status == Client.Status.ACTIVE


def test_a_client_not_discharged_has_no_discharge_summary(as_maya, as_priya, alex, maya):
    assert as_maya.get("/home/discharge-summary/").status_code == 404


def _busy(client, by, weeks):
    for week in range(weeks):
        checkin(client, days_ago(7 * week + 1))
        phq9(by, client, PRE_18 if week % 2 else POST_9, days_ago(7 * week + 2))
        rate(make_goal(client, f"goal {week}"), 0)


@pytest.mark.parametrize("weeks", [1, 8])
def test_the_tapering_page_asks_a_constant_number_of_queries(
    as_alex, alex, maya, weeks, django_assert_num_queries
):
    plan = tapering.create_plan(client=maya, by=alex, start=days_ago(0).date())
    tapering.move_to_next_phase(by=alex, plan=plan, version=1)
    _busy(maya, alex, weeks)

    with django_assert_num_queries(19):
        response = as_alex.get(f"/clients/{maya.pk}/tapering/")

    assert response.status_code == 200
