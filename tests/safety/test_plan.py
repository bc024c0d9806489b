"""The safety plan domain: built together, refused when stale, every version kept, audited."""

import json

import pytest
from django.db import connection
from django.http import Http404

from securebase.audit.models import AuditEvent
from securebase.core.versioning import StaleSave
from securebase.safety.models import SafetyPlan, SafetyPlanVersion
from securebase.safety.plan import domain

CONTENT = {
    "warning_signs": ["Not sleeping", "  ", "Cancelling plans"],
    "people": [{"name": "Dara", "contact": "07700 900123"}, {"name": "", "contact": ""}],
}


def _plan(maya, by):
    return domain.get_or_create_plan(client=maya, by=by)


def test_a_new_plan_starts_empty_at_version_one_with_its_first_snapshot(maya):
    plan = _plan(maya, maya.user)

    assert (plan.version, domain.is_empty(domain.content_of(plan))) == (1, True)
    assert list(SafetyPlanVersion.objects.values_list("version", flat=True)) == [1]
    assert _plan(maya, maya.user).pk == plan.pk


def test_saving_trims_blank_items_and_claims_the_next_version(maya):
    plan = _plan(maya, maya.user)

    saved = domain.save_plan(by=maya.user, plan=plan, version=1, content=CONTENT)

    content = domain.content_of(saved)
    assert saved.version == 2
    assert content["warning_signs"] == ["Not sleeping", "Cancelling plans"]
    assert content["people"] == [{"name": "Dara", "contact": "07700 900123"}]
    assert content["reasons_for_living"] == []


def test_a_stale_save_is_refused_and_the_other_persons_version_is_kept(maya, alex):
    plan = _plan(maya, maya.user)
    domain.save_plan(by=alex, plan=plan, version=1, content={"coping": ["A walk"]})

    with pytest.raises(StaleSave) as refused:
        domain.save_plan(by=maya.user, plan=plan, version=1, content={"coping": ["Music"]})

    assert refused.value.current.version == 2
    assert domain.content_of(SafetyPlan.objects.get())["coping"] == ["A walk"]


def test_every_saved_version_is_kept_as_a_snapshot(maya, alex):
    plan = _plan(maya, maya.user)
    domain.save_plan(by=alex, plan=plan, version=1, content={"coping": ["A walk"]})
    domain.save_plan(by=maya.user, plan=plan, version=2, content={"coping": ["Music"]})

    versions = list(domain.versions_of(plan).values_list("version", "saved_by"))
    _version, second = domain.get_version(plan, 2)

    assert versions == [(3, maya.user.pk), (2, alex.pk), (1, maya.user.pk)]
    assert second["coping"] == ["A walk"]


def test_the_plan_text_is_encrypted_at_rest(maya):
    plan = _plan(maya, maya.user)
    domain.save_plan(by=maya.user, plan=plan, version=1, content={"coping": ["Secret walk"]})

    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM safety_safetyplan")
        stored = cursor.fetchone()[0]

    assert "Secret walk" not in stored


def test_writes_are_audited_with_section_names_but_no_text(maya):
    plan = _plan(maya, maya.user)
    domain.save_plan(by=maya.user, plan=plan, version=1, content={"coping": ["Secret walk"]})

    event = AuditEvent.objects.filter(object_type="safety_plan", action="update").get()

    assert event.detail == {"version": 2, "filled": ["coping"]}
    assert "Secret walk" not in json.dumps(event.detail)


def test_content_that_does_not_fit_is_refused_naming_the_section(maya):
    plan = _plan(maya, maya.user)

    with pytest.raises(domain.PlanError) as refused:
        domain.save_plan(by=maya.user, plan=plan, version=1, content={"coping": ["x" * 501]})

    assert refused.value.section == "coping"
    assert SafetyPlan.objects.get().version == 1


def test_the_client_and_the_care_team_may_edit_and_nobody_else(maya, alex, sam, priya):
    assert domain.client_for_plan(maya.user, maya.pk) == maya
    assert domain.client_for_plan(alex, maya.pk) == maya
    for outsider in (sam, priya.user):
        with pytest.raises(Http404):
            domain.client_for_plan(outsider, maya.pk)
    with pytest.raises(Http404):
        domain.client_for_plan(alex, "not-a-uuid")
