"""The demo shows a client tapering and one discharged with self check-ins (issue 7)."""

import pytest

from securebase.care import demo
from securebase.care.models import Client
from securebase.maintain.models import Discharge, MaintenancePlan, TaperingPlan
from securebase.maintain.tapering import current_phase, phases_of
from securebase.safety.models import Alert, SafetyPlan
from securebase.safety.plan.domain import content_of

pytestmark = pytest.mark.django_db


def _counts():
    return (
        TaperingPlan.objects.count(),
        MaintenancePlan.objects.count(),
        Discharge.objects.count(),
        SafetyPlan.objects.count(),
    )


def test_demo_has_a_client_tapering_and_one_discharged_with_self_check_ins():
    demo.load()
    maya = Client.objects.get(email="maya@demo.test")
    priya = Client.objects.get(email="priya@demo.test")
    assert current_phase(phases_of(maya.tapering_plan)).kind == "fortnightly"
    assert priya.status == Client.Status.DISCHARGED
    assert priya.checkin_schedule.active
    assert content_of(maya.safety_plan)["people"][0]["name"] == "Dara (friend)"
    casey = Client.objects.get(email="casey@demo.test")
    (alert,) = Alert.objects.filter(client=casey, acknowledged_at__isnull=True)
    assert alert.kind == Alert.Kind.RISK_CHECKIN
    before = _counts()
    demo.load()
    assert _counts() == before
