"""What the browser journey through maintenance found: each fix, pinned with the test client."""

import datetime as dt

from django.utils import timezone

from securebase.maintain import discharge as discharge_domain
from securebase.maintain import tapering
from securebase.maintain.models import MaintenancePlan
from tests.factories import POST_9, PRE_18, days_ago, phq9


def _edit_data(plan, *, extra_row=None) -> dict:
    """The edit form as the browser sends it: every phase kept, with one more row if given."""
    phases = tapering.phases_of(plan)
    rows = [
        {"id": p.pk, "kind": p.kind, "label": p.label, "planned_start": p.planned_start.isoformat()}
        for p in phases
    ]
    if extra_row is not None:
        rows.append(extra_row)
    data = {
        "version": plan.version,
        "phases-TOTAL_FORMS": len(rows),
        "phases-INITIAL_FORMS": len(phases),
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"phases-{n}-{key}"] = value
    return data


def test_keeping_every_phase_and_adding_one_saves_them_all_in_order(as_alex, alex, maya):
    start = timezone.localdate()
    plan = tapering.create_plan(client=maya, by=alex, start=start)
    data = _edit_data(
        plan,
        extra_row={
            "kind": "custom",
            "label": "A phone call",
            "planned_start": (start + dt.timedelta(days=300)).isoformat(),
        },
    )

    response = as_alex.post(f"/clients/{maya.pk}/tapering/edit/", data)

    assert response.status_code == 302
    assert [p.name for p in tapering.phases_of(tapering.plan_of(maya))] == [
        "Weekly sessions",
        "Sessions every two weeks",
        "Monthly sessions",
        "Booster session",
        "A phone call",
    ]
    assert [p.position for p in tapering.phases_of(tapering.plan_of(maya))] == [0, 1, 2, 3, 4]


def test_a_refused_phase_edit_answers_400_and_keeps_what_was_typed(as_alex, alex, maya):
    start = timezone.localdate()
    plan = tapering.create_plan(client=maya, by=alex, start=start)
    data = _edit_data(
        plan,
        extra_row={"kind": "custom", "planned_start": (start + dt.timedelta(300)).isoformat()},
    )

    response = as_alex.post(f"/clients/{maya.pk}/tapering/edit/", data)

    assert response.status_code == 400
    assert "Phase 5: name the phase." in response.text
    assert tapering.plan_of(maya).version == 1
    assert len(tapering.phases_of(tapering.plan_of(maya))) == 4


def test_a_phase_that_has_started_offers_no_delete_box(as_alex, alex, maya):
    plan = tapering.create_plan(client=maya, by=alex, start=timezone.localdate())
    tapering.move_to_next_phase(by=alex, plan=plan, version=1)

    page = as_alex.get(f"/clients/{maya.pk}/tapering/edit/")

    assert page.status_code == 200
    assert "phases-0-DELETE" not in page.text
    assert 'name="phases-1-DELETE"' in page.text
    assert page.text.count("This phase has started, so it stays in the plan.") == 1


def test_a_refused_maintenance_plan_save_answers_400_and_keeps_what_was_typed(as_maya, maya):
    as_maya.get("/home/maintenance-plan/")

    response = as_maya.post(
        "/home/maintenance-plan/edit/",
        {"version": 1, "what_helps": "Walks", "warning_signs": "x" * 5001},
    )

    assert response.status_code == 400
    assert "Walks" in response.text
    assert MaintenancePlan.objects.get(client=maya).what_helps == ""


def test_the_discharge_summarys_scrolling_table_can_be_reached_by_keyboard(as_maya, alex, maya):
    phq9(alex, maya, PRE_18, days_ago(120))
    phq9(alex, maya, POST_9, days_ago(10))
    discharge_domain.discharge(client=maya, by=alex, note="", share_note=False)

    page = as_maya.get("/home/discharge-summary/")

    assert page.status_code == 200
    assert (
        '<div class="table-wrap" tabindex="0" role="region" aria-labelledby="d-measures-h">'
        in page.text
    )
    assert '<h2 id="d-measures-h">' in page.text
