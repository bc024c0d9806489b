"""Opening an entry to edit or use it, and the clinician's homework list, are audited reads."""

import pytest

from securebase.audit.models import AuditEvent
from tests.conftest import sign_in
from tests.factories import LadderFactory, RitualFactory

pytestmark = pytest.mark.django_db


def test_opening_a_ritual_or_a_ladder_to_edit_and_the_clinicians_homework_list_are_audited(
    alex, maya
):
    ritual = RitualFactory(client=maya, name="Tea and a blanket")
    ladder = LadderFactory(client=maya, title="Small tests")
    client = sign_in(maya.user)
    client.get(f"/home/toolkit/rituals/{ritual.pk}/")
    client.get(f"/home/toolkit/rituals/{ritual.pk}/use/")
    client.get(f"/home/ladders/{ladder.pk}/edit/")
    sign_in(alex).get(f"/clients/{maya.pk}/homework/")
    seen = set(
        AuditEvent.objects.filter(client_id=maya.pk, action__in=["read", "list"]).values_list(
            "object_type", flat=True
        )
    )
    assert {"ritual", "ladder", "homework"} <= seen
