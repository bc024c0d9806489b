import pytest

from securebase.care import demo as care_demo
from securebase.care.models import Client
from securebase.practise.models import (
    CoregulationNote,
    CoregulationSession,
    Reframe,
    Request,
    Ritual,
    ToolUse,
)

pytestmark = pytest.mark.django_db


def _counts():
    return [
        m.objects.count()
        for m in (Ritual, Reframe, Request, CoregulationSession, CoregulationNote, ToolUse)
    ]


def test_demo_practice_is_loaded_once_including_the_couples_session():
    care_demo.load()
    with_accounts = Client.objects.filter(user__isnull=False).count()
    assert Ritual.objects.count() == 2 * with_accounts
    assert Reframe.objects.count() == with_accounts
    assert all(r.how_it_went and r.done_at for r in Request.objects.all())
    session = CoregulationSession.objects.get()  # Jordan and Casey both have accounts
    assert {n.client_id for n in CoregulationNote.objects.filter(session=session)} == {
        session.client_id,
        session.partner_id,
    }
    before = _counts()
    care_demo.load()
    assert _counts() == before
