"""Changing what is shared at any time, for past entries too, one kind of entry at a time."""

import pytest
from django.utils import timezone

from securebase.audit.models import AuditEvent
from securebase.care.choice import domain as choice
from securebase.care.models import Client
from securebase.practise.models import JournalEntry
from securebase.safety.models import Alert
from tests.conftest import sign_in
from tests.factories import (
    AlertFactory,
    CheckinFactory,
    JournalEntryFactory,
    MomentFactory,
    PauseFactory,
    PersonFactory,
)


def _journal(client, text, shared):
    return JournalEntryFactory(client=client, text=text, shared=shared)


def _moment(client, situation, shared):
    return MomentFactory(
        client=client, occurred_at=timezone.now(), kind="threat", situation=situation, shared=shared
    )


def _rows(client):
    return {r.kind.key: (r.shared, r.private) for r in choice.sharing_summary(client)}


def test_the_summary_counts_shared_and_private_entries_of_each_kind(maya, priya):
    _journal(maya, "one", True)
    _journal(maya, "two", False)
    _journal(priya, "not hers", True)
    PauseFactory(client=maya, emotion="sad", intensity_before=5)
    PersonFactory(client=maya, name="Ana", circle="inner", shared=True)
    CheckinFactory(client=maya, mood=5, closeness=5, felt_security=5, note="a note")
    CheckinFactory(client=maya, mood=5, closeness=5, felt_security=5)  # no note
    rows = _rows(maya)
    assert list(rows) == [kind.key for kind in choice.SHARING_KINDS]
    assert rows["journal"] == (1, 1)
    assert rows["pauses"] == (0, 1)
    assert rows["people"] == (1, 0)
    assert rows["checkin_notes"] == (0, 1)
    assert rows["moments"] == (0, 0)


def test_making_past_entries_private_hides_them_from_the_care_team_at_once(alex, maya, as_maya):
    as_alex = sign_in(alex)
    _journal(maya, "Walked by the sea and felt calmer", True)
    _moment(maya, "My sister did not call back", True)
    assert "Walked by the sea" in as_alex.get(f"/clients/{maya.pk}/journal/").content.decode()
    assert "did not call back" in as_alex.get(f"/clients/{maya.pk}/moments/").content.decode()

    for kind in ("journal", "moments"):
        response = as_maya.post("/home/sharing/past/", {"kind": kind, "shared": "0"})
        assert (response.status_code, response["Location"]) == (302, "/home/sharing/")

    assert "Walked by the sea" not in as_alex.get(f"/clients/{maya.pk}/journal/").content.decode()
    assert "did not call back" not in as_alex.get(f"/clients/{maya.pk}/moments/").content.decode()
    assert _rows(maya)["journal"] == (0, 1)


def test_sharing_all_past_entries_shows_them_to_the_care_team(alex, maya, as_maya):
    _journal(maya, "Asked for a hug and got one", False)
    as_maya.post("/home/sharing/past/", {"kind": "journal", "shared": "1"})
    page = sign_in(alex).get(f"/clients/{maya.pk}/journal/").content.decode()
    assert "Asked for a hug and got one" in page


def test_only_the_clients_own_entries_change(maya, priya):
    _journal(priya, "Priya's", True)
    assert choice.set_sharing_of_past_entries(maya, by=maya.user, kind="journal", shared=False) == 0
    assert JournalEntry.objects.get(client=priya).shared is True


def test_the_change_is_audited_with_counts_only(maya):
    _journal(maya, "secret words", True)
    _journal(maya, "more secret words", True)
    changed = choice.set_sharing_of_past_entries(maya, by=maya.user, kind="journal", shared=False)
    assert changed == 2
    event = AuditEvent.objects.get(object_type="sharing", action="update")
    assert event.detail == {"kind": "journal", "shared": False, "count": 2}


def test_check_in_notes_change_through_their_note_flag(maya):
    checkin = CheckinFactory(
        client=maya, mood=5, closeness=5, felt_security=5, note="a note", note_shared=True
    )
    choice.set_sharing_of_past_entries(maya, by=maya.user, kind="checkin_notes", shared=False)
    checkin.refresh_from_db()
    assert checkin.note_shared is False


def test_a_risk_alert_follows_its_entry_into_privacy(maya):
    entry = _journal(maya, "words", True)
    alert = AlertFactory(
        client=maya, kind=Alert.Kind.RISK_WORDS, source_type="journal", source_id=entry.pk
    )
    choice.set_sharing_of_past_entries(maya, by=maya.user, kind="journal", shared=False)
    alert.refresh_from_db()
    assert alert.source_shared is False


def test_the_default_for_new_entries_changes_on_the_sharing_page(maya, as_maya):
    response = as_maya.post("/home/sharing/default/", {"shares_by_default": "1"})
    assert response.status_code == 302
    assert Client.objects.get(pk=maya.pk).shares_by_default is True
    event = AuditEvent.objects.filter(object_type="client_preferences").latest("seq")
    assert event.detail == {"shares_by_default": True}


def test_an_unknown_kind_changes_nothing(maya, as_maya):
    _journal(maya, "x", True)
    response = as_maya.post("/home/sharing/past/", {"kind": "goals", "shared": "0"})
    assert response.status_code == 302
    assert JournalEntry.objects.get(client=maya).shared is True
    with pytest.raises(KeyError):
        choice.set_sharing_of_past_entries(maya, by=maya.user, kind="goals", shared=False)


def test_nobody_else_can_change_what_a_client_shares(alex, maya):
    with pytest.raises(choice.NotAllowed):
        choice.set_sharing_of_past_entries(maya, by=alex, kind="journal", shared=True)
    with pytest.raises(choice.NotAllowed):
        choice.set_sharing_default(maya, by=alex, shares_by_default=True)


def test_a_clinician_gets_404_on_the_sharing_pages(as_alex):
    assert as_alex.get("/home/sharing/").status_code == 404
    assert (
        as_alex.post("/home/sharing/past/", {"kind": "journal", "shared": "1"}).status_code == 404
    )
    assert as_alex.post("/home/sharing/default/", {"shares_by_default": "1"}).status_code == 404


def test_the_sharing_page_lists_every_kind_and_links_from_home(maya, as_maya):
    _journal(maya, "x", True)
    page = as_maya.get("/home/sharing/").content.decode()
    for kind in choice.SHARING_KINDS:
        assert str(kind.label) in page
    assert "Make all past entries private" in page
    assert 'href="/home/sharing/"' in as_maya.get("/home/").content.decode()


@pytest.mark.parametrize("entries", [1, 6])
def test_the_sharing_page_costs_the_same_queries_however_much_there_is(
    maya, as_maya, entries, django_assert_num_queries
):
    for n in range(entries):
        _journal(maya, f"entry {n}", n % 2 == 0)
        _moment(maya, f"moment {n}", n % 2 == 1)
    with django_assert_num_queries(21):
        assert as_maya.get("/home/sharing/").status_code == 200
