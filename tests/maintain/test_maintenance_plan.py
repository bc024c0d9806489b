"""The maintenance plan (maintain.maintenance): written together, stale saves refused."""

import pytest

from securebase.audit.models import AuditEvent
from securebase.core.versioning import StaleSave
from securebase.maintain import maintenance
from securebase.maintain.models import MaintenancePlan, MaintenancePlanVersion
from tests.factories import attempt, days_ago, make_ladder


def test_the_plan_starts_empty_at_version_one(alex, maya):
    plan = maintenance.get_or_create_plan(client=maya, by=alex)

    assert (plan.version, maintenance.is_empty(maintenance.content_of(plan))) == (1, True)
    assert MaintenancePlanVersion.objects.filter(plan=plan).count() == 1


def test_the_client_and_the_clinician_both_save_and_every_version_is_kept(alex, maya):
    plan = maintenance.get_or_create_plan(client=maya, by=alex)
    maintenance.save_plan(by=maya.user, plan=plan, version=1, content={"what_helps": "Walks"})
    saved = maintenance.save_plan(
        by=alex, plan=plan, version=2, content={"what_helps": "Walks\nCalling Sol"}
    )

    assert saved.version == 3
    assert MaintenancePlan.objects.get().what_helps == "Walks\nCalling Sol"
    assert list(MaintenancePlanVersion.objects.values_list("version", flat=True)) == [3, 2, 1]
    event = AuditEvent.objects.filter(object_type="maintenance_plan").order_by("-seq").first()
    assert event.detail == {"version": 3, "filled": ["what_helps"]}


def test_a_stale_save_is_refused_with_the_current_version(alex, maya):
    plan = maintenance.get_or_create_plan(client=maya, by=alex)
    maintenance.save_plan(by=alex, plan=plan, version=1, content={"warning_signs": "Not sleeping"})

    with pytest.raises(StaleSave) as refused:
        maintenance.save_plan(by=maya.user, plan=plan, version=1, content={"warning_signs": "x"})

    assert refused.value.current.warning_signs == "Not sleeping"
    assert MaintenancePlan.objects.get().version == 2


def test_next_steps_are_suggested_from_unclimbed_ladder_steps(alex, maya):
    _ladder, (first, second) = make_ladder(maya, alex, steps=2)
    attempt(first, 20, days_ago(3), shared=True)
    attempt(first, 30, days_ago(2), shared=True)

    assert maintenance.ladder_next_steps(maya, viewer=alex) == ["step 1"]
    assert second.description == "step 1"
