"""Safety plan pages: the client's own and the care team's; 404 to everyone else."""

import pytest
from django.urls import reverse

from securebase.audit.models import AuditEvent
from securebase.safety.models import SafetyPlan
from securebase.safety.plan import domain

MINE = reverse("my_safety_plan")
MINE_EDIT = reverse("my_safety_plan_edit")


def _theirs(maya, edit=False):
    return reverse("client_safety_plan_edit" if edit else "client_safety_plan", args=[maya.pk])


def _form(version, **sections):
    data = {"version": str(version)}
    for key, value in sections.items():
        data[key] = value
    return data


def test_the_client_sees_crisis_lines_first_and_what_each_empty_step_is_for(as_maya, settings):
    settings.CRISIS_DEFAULT_COUNTRY = "GB"

    response = as_maya.get(MINE)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="tel:116123"' in html
    assert html.index("If you need help now") < html.index("Signs that a hard time is building")
    assert "Build" not in html and "This plan is still empty" in html
    assert "securebase/offline.js" in html


def test_the_client_can_choose_another_country_and_it_is_remembered(as_maya):
    first = as_maya.get(MINE, {"country": "US"})
    later = as_maya.get(MINE)

    assert 'href="tel:988"' in first.content.decode()
    assert 'href="tel:988"' in later.content.decode()


def test_the_client_saves_sections_and_sees_them_with_phone_links(as_maya, maya):
    response = as_maya.post(
        MINE_EDIT,
        _form(
            1,
            warning_signs="Not sleeping\nCancelling plans\n",
            **{"people-0-name": "Dara", "people-0-contact": "07700 900123"},
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == MINE
    page = as_maya.get(MINE).content.decode()
    assert "Cancelling plans" in page
    assert 'href="tel:07700900123"' in page
    assert domain.content_of(SafetyPlan.objects.get(client=maya))["warning_signs"] == [
        "Not sleeping",
        "Cancelling plans",
    ]


def test_the_clinician_on_the_care_team_reads_and_edits_the_same_plan(as_alex, maya):
    page = as_alex.get(_theirs(maya))
    saved = as_alex.post(_theirs(maya, edit=True), _form(1, coping="A walk"))

    assert page.status_code == 200
    assert "Build this plan with the client in session" in page.content.decode()
    assert saved["Location"] == _theirs(maya)
    assert domain.content_of(SafetyPlan.objects.get(client=maya))["coping"] == ["A walk"]
    assert "securebase/offline.js" not in page.content.decode()


@pytest.mark.parametrize("who", ["as_sam", "as_priya", "as_robin"])
def test_anyone_else_gets_404_for_the_clients_plan(request, who, maya):
    web = request.getfixturevalue(who)

    assert web.get(_theirs(maya)).status_code == 404
    assert web.post(_theirs(maya, edit=True), _form(1, coping="x")).status_code == 404
    assert not SafetyPlan.objects.filter(client=maya).exists()


def test_a_clinician_has_no_own_plan(as_alex):
    assert as_alex.get(MINE).status_code == 404


def test_bad_input_keeps_everything_typed(as_maya):
    response = as_maya.post(MINE_EDIT, _form(1, coping="x" * 501, reasons_for_living="My niece"))

    html = response.content.decode()
    assert response.status_code == 400
    assert "My niece" in html
    assert "Keep each line under 500 characters." in html


def test_a_double_submitted_save_redirects_both_times_and_writes_one_version(as_maya, maya):
    data = _form(1, warning_signs="Not sleeping")

    first = as_maya.post(MINE_EDIT, data)
    again = as_maya.post(MINE_EDIT, data)

    assert (first.status_code, again.status_code) == (302, 302)
    assert again["Location"] == MINE
    assert SafetyPlan.objects.get(client=maya).version == 2
    assert SafetyPlan.objects.get(client=maya).versions.count() == 2


def test_a_stale_save_is_refused_showing_both_versions(as_maya, alex, maya):
    plan = domain.get_or_create_plan(client=maya, by=alex)
    domain.save_plan(by=alex, plan=plan, version=1, content={"coping": ["Alex's walk"]})

    response = as_maya.post(MINE_EDIT, _form(1, coping="Maya's music"))

    html = response.content.decode()
    assert response.status_code == 400
    assert "Someone else saved the safety plan" in html
    assert "Alex&#x27;s walk" in html and "Maya&#x27;s music" in html
    assert response.context["form"]["version"].value() == "2"
    assert domain.content_of(SafetyPlan.objects.get())["coping"] == ["Alex's walk"]


def test_reads_are_audited(as_maya, maya):
    as_maya.get(MINE)

    assert list(
        AuditEvent.objects.filter(object_type="safety_plan")
        .order_by("seq")
        .values_list("action", flat=True)
    ) == ["create", "read"]
