"""Erasure after the retention period (crypto-shredding) and restriction of processing."""

import datetime as dt
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client as Client_
from django.urls import reverse

from securebase.audit.checkpoints import erased_subjects
from securebase.audit.verification import verify
from securebase.care import policy
from securebase.care.erasure import domain as erasure
from securebase.care.models import Client
from securebase.core import crypto
from securebase.core.errors import NotAllowed, RecordRestricted
from securebase.core.models import DataKey
from securebase.core.signals import database_restored
from securebase.practise.journal.domain import create_entry, write_entry
from securebase.practise.models import JournalEntry
from tests import factories
from tests.conftest import sign_in
from tests.factories.api import bearer
from tests.factories.maintain import discharged

WORDS = "I was sure she was leaving me, like my mother did"
RETENTION = dt.timedelta(days=366 * 8 + 1)


@pytest.fixture
def kim(practice):
    """A second practice admin, to confirm what robin asks."""
    return factories.make_admin(practice, "kim@example.org")


@pytest.fixture
def written(maya):
    """A journal entry in Maya's own words, written through the domain (so it is audited)."""
    return create_entry(maya, by=maya.user, values={"text": WORDS, "shared": True})


def _raw(model, pk, column) -> str:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        key = model._meta.pk.get_db_prep_value(pk, connection)
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [key])  # noqa: S608
        return cursor.fetchone()[0]


def _due(maya, alex, clock):
    discharged(maya, alex)
    clock.shift(RETENTION)


def test_a_clients_words_are_stored_under_their_own_key(maya, written):
    raw = _raw(JournalEntry, written.pk, "text")
    assert raw.startswith(f"s1:{maya.pk.hex}:")
    assert WORDS not in raw
    assert crypto.reveal(raw) == WORDS
    assert DataKey.objects.get(pk=maya.pk).wrapped  # wrapped by the practice keys


def test_erasure_after_retention_makes_the_words_unreadable_and_keeps_the_chain(
    alex, maya, robin, kim, written, clock
):
    _due(maya, alex, clock)
    erasure.request_erasure(by=robin, client_id=maya.pk)
    with pytest.raises(NotAllowed):  # the one who asked cannot confirm
        erasure.confirm_erasure(by=robin, client_id=maya.pk)
    erasure.confirm_erasure(by=kim, client_id=maya.pk)

    crypto.subject_keys.clear()  # as a fresh process would read it
    assert JournalEntry.objects.get(pk=written.pk).text == ""
    raw = _raw(JournalEntry, written.pk, "text")
    assert raw.startswith(f"s1:{maya.pk.hex}:")  # the row is still there, its words are not
    key = DataKey.objects.get(pk=maya.pk)
    assert key.wrapped == "" and key.destroyed_at is not None
    erased = Client.objects.get(pk=maya.pk)
    assert erased.name == "" and erased.email == "" and erased.email_index == ""
    assert str(erased) == "Erased client"
    maya.user.refresh_from_db()
    assert not maya.user.is_active and "maya" not in maya.user.email
    assert not Client.objects.visible_to(alex).filter(pk=maya.pk).exists()
    assert not Client.objects.visible_to(maya.user).exists()

    assert verify().ok  # the audit chain still verifies
    assert erased_subjects() == [str(maya.pk)]  # and the witness outside the database knows


def test_erasure_is_refused_before_the_retention_period_ends(alex, maya, robin, written, clock):
    with pytest.raises(erasure.ErasureRefused, match="discharged"):
        erasure.request_erasure(by=robin, client_id=maya.pk)
    discharged(maya, alex)
    clock.shift(RETENTION - dt.timedelta(days=30))
    with pytest.raises(erasure.ErasureRefused, match="kept until"):
        erasure.request_erasure(by=robin, client_id=maya.pk)
    assert JournalEntry.objects.get(pk=written.pk).text == WORDS


def test_only_the_practices_admins_may_erase(alex, maya, written, clock):
    _due(maya, alex, clock)
    with pytest.raises(Exception) as refused:
        erasure.request_erasure(by=alex, client_id=maya.pk)
    assert refused.type.__name__ == "Http404"


def test_restoring_a_backup_from_before_the_erasure_erases_again(
    alex, maya, robin, kim, written, clock
):
    _due(maya, alex, clock)
    before = DataKey.objects.get(pk=maya.pk).wrapped
    erasure.request_erasure(by=robin, client_id=maya.pk)
    erasure.confirm_erasure(by=kim, client_id=maya.pk)
    # The restored database is the backup's: the key is back and the record is not erased.
    DataKey.objects.filter(pk=maya.pk).update(wrapped=before, destroyed_at=None)
    Client.objects.filter(pk=maya.pk).update(erased_at=None)
    crypto.subject_keys.clear()
    assert JournalEntry.objects.get(pk=written.pk).text == WORDS

    database_restored.send(sender=None)  # what `securebase restore` sends

    crypto.subject_keys.clear()
    assert JournalEntry.objects.get(pk=written.pk).text == ""
    assert DataKey.objects.get(pk=maya.pk).wrapped == ""
    assert Client.objects.get(pk=maya.pk).erased_at is not None


def test_words_written_before_data_keys_are_blanked_by_erasure(
    alex, maya, robin, kim, written, clock
):
    legacy = crypto.encrypt(WORDS)  # under the practice keys, as rows from before data keys are
    JournalEntry.objects.filter(pk=written.pk).update(text=WORDS)
    assert _raw(JournalEntry, written.pk, "text") != legacy  # a bulk update: the practice keys
    _due(maya, alex, clock)
    erasure.request_erasure(by=robin, client_id=maya.pk)
    erasure.confirm_erasure(by=kim, client_id=maya.pk)
    assert _raw(JournalEntry, written.pk, "text") == ""


def test_the_admin_erases_on_the_erasure_page_with_a_second_admin(
    alex, maya, robin, kim, written, clock
):
    _due(maya, alex, clock)
    page = sign_in(robin).get(reverse("erasure"))
    assert page.status_code == 200
    assert str(maya.pk)[:8] in page.text and "Maya" not in page.text  # no names for the admin
    assert "May be erased" in page.text
    ask = reverse("erasure_step", args=[maya.pk, "request"])
    assert sign_in(robin).post(ask, follow=True).status_code == 200
    confirm = reverse("erasure_step", args=[maya.pk, "confirm"])
    refused = sign_in(robin).post(confirm, follow=True)
    assert "A second person must confirm" in refused.text
    done = sign_in(kim).post(confirm, follow=True)
    assert "cannot be read again" in done.text
    assert Client.objects.get(pk=maya.pk).erased_at is not None


def test_the_erase_command_needs_two_admins(alex, maya, robin, kim, written, clock, capsys):
    _due(maya, alex, clock)
    call_command("erase", str(maya.pk), "--after-retention", "--by", robin.email)
    with pytest.raises(CommandError, match="second person"):
        call_command("erase", str(maya.pk), "--after-retention", "--by", robin.email)
    call_command("erase", str(maya.pk), "--after-retention", "--by", kim.email)
    assert "Erased" in capsys.readouterr().out
    assert Client.objects.get(pk=maya.pk).erased_at is not None


def test_a_restricted_record_is_kept_but_nothing_new_is_saved(alex, maya, written):
    erasure.restrict(by=alex, client=maya)
    maya.refresh_from_db()
    assert maya.programme_paused_at is not None  # no reminder, nothing due
    with pytest.raises(RecordRestricted):
        write_entry(maya, by=maya.user, data={"text": "more"})
    assert JournalEntry.objects.filter(client=maya).count() == 1
    assert JournalEntry.objects.get(pk=written.pk).text == WORDS  # still readable
    headers = {**bearer(maya.user, "write"), "Idempotency-Key": str(uuid.uuid4())}
    refused = Client_().post(
        f"/api/v1/clients/{maya.pk}/journal",
        {"text": "more"},
        content_type="application/json",
        headers=headers,
    )
    assert refused.status_code == 403
    assert "restricted" in refused.json()["detail"]
    typed = {"text": "more", "emotion_1": "lonely", "intensity_1": "7"}
    page = sign_in(maya.user).post(
        reverse("journal_new"), {**typed, "submission_id": str(uuid.uuid4())}
    )
    assert page.status_code == 403 and "nothing new can be saved" in page.text
    erasure.lift_restriction(by=alex, client=maya)
    maya.refresh_from_db()
    write_entry(maya, by=maya.user, data={"text": "more"})
    assert JournalEntry.objects.filter(client=maya).count() == 2


def test_the_erased_record_is_gone_from_the_policy(alex, maya, robin, kim, written, clock):
    _due(maya, alex, clock)
    erasure.request_erasure(by=robin, client_id=maya.pk)
    erasure.confirm_erasure(by=kim, client_id=maya.pk)
    assert not policy.filter_clients(Client.objects.all(), alex).exists()


def test_the_restrict_command_restricts_and_lifts(maya, robin, capsys):
    call_command("restrict", str(maya.pk), "--by", robin.email)
    assert Client.objects.get(pk=maya.pk).restricted_at is not None
    call_command("restrict", str(maya.pk), "--by", robin.email, "--lift")
    assert Client.objects.get(pk=maya.pk).restricted_at is None
    assert "lifted" in capsys.readouterr().out


def test_the_client_and_the_care_team_see_that_a_record_is_restricted(alex, maya, as_alex):
    erasure.restrict(by=alex, client=maya)
    notice = "nothing new can be saved to it until the restriction is lifted"
    assert notice in sign_in(maya.user).get(reverse("client_home")).text
    assert notice in as_alex.get(reverse("client_detail", args=[maya.pk])).text
