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
from tests import factories

pytestmark = pytest.mark.django_db


def _counts():
    return [
        m.objects.count()
        for m in (Ritual, Reframe, Request, CoregulationSession, CoregulationNote, ToolUse)
    ]


def test_demo_practice_is_loaded_once_and_skips_coregulation_without_both_accounts():
    care_demo.load()
    with_accounts = Client.objects.filter(user__isnull=False).count()
    assert Ritual.objects.count() == 2 * with_accounts
    assert Reframe.objects.count() == with_accounts
    assert all(r.how_it_went and r.done_at for r in Request.objects.all())
    assert not CoregulationSession.objects.exists()  # casey@demo.test has no account
    before = _counts()
    care_demo.load()
    assert _counts() == before


def test_demo_couple_gets_one_shared_session_when_both_have_accounts():
    care_demo.load()
    casey = Client.objects.get(email=care_demo.COUPLE[1])
    casey.user = factories.make_user(email="casey@demo.test")
    casey.save(update_fields=["user"])
    care_demo.load()
    care_demo.load()
    session = CoregulationSession.objects.get()
    assert {n.client_id for n in CoregulationNote.objects.filter(session=session)} == {
        session.client_id,
        session.partner_id,
    }
