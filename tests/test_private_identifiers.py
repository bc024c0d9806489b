"""Private identifiers (issue 16): people's names and clients' email addresses are encrypted at
rest, so lists of people are sorted in Python and an address is found by its blind index; every
spelling of an address is the one address."""

import hashlib
import io
import uuid
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import Client as BrowserClient

from securebase.accounts.adapter import AccountAdapter
from securebase.care import domain
from securebase.care.forms import CareTeamAddForm, PartnerForm
from securebase.care.models import Client
from securebase.core import crypto
from securebase.core.identifiers import blind_index, normalise_email
from tests import factories
from tests.factories import bearer

pytestmark = pytest.mark.django_db


def _raw(table: str, columns: str, pk) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {table} WHERE id = %s",  # noqa: S608
            [pk.hex if connection.vendor == "sqlite" and hasattr(pk, "hex") else pk],
        )
        return cursor.fetchone()


def test_client_and_user_names_are_not_stored_in_plain_text(alex, maya):
    domain.update_client(
        by=alex, client=maya, data={"preferred_name": "Mayita"}, version=maya.version
    )
    name, preferred = _raw("care_client", "name, preferred_name", maya.pk)
    assert "Maya" not in name and "Mayita" not in preferred
    (user_name,) = _raw("accounts_user", "name", alex.pk)
    assert "Alex" not in user_name
    maya.refresh_from_db()
    alex.refresh_from_db()
    assert (maya.name, maya.preferred_name, alex.name) == ("Maya Okafor", "Mayita", "Alex Morgan")


def test_lists_of_people_come_sorted_by_name(practice, alex, sam):
    for name in ("zoe Zed", "Ann Able", "mo Middle"):
        factories.make_client(alex, name=name)
    assert [c.name for c in domain.clients_for(alex)] == ["Ann Able", "mo Middle", "zoe Zed"]

    zed = factories.make_clinician(practice, name="Zed Young")
    abe = factories.make_clinician(practice, name="abe Early")
    client = domain.clients_for(alex)[0]
    team_form = CareTeamAddForm(
        candidates=domain.practice_clinicians(practice, excluding=[alex.pk])
    )
    labels = [label for _value, label in team_form.fields["clinician"].choices][1:]
    assert labels == [abe.display_name, sam.display_name, zed.display_name]

    partners = PartnerForm(candidates=domain.partner_candidates(alex, client))
    labels = [label for _value, label in partners.fields["partner"].choices][1:]
    assert labels == ["mo Middle", "zoe Zed"]

    members = [m.user.display_name for m in domain.members_of(practice)]
    assert members == sorted(members, key=str.casefold)


def test_the_migration_step_encrypts_existing_names_and_reverses(maya):
    pk = maya.pk.hex if connection.vendor == "sqlite" else maya.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE care_client SET name = %s, preferred_name = '' WHERE id = %s", ["Maya Old", pk]
        )
    step = crypto.encrypt_in_place("care_client", "name", "preferred_name")
    editor = SimpleNamespace(connection=connection)
    step.code(None, editor)
    name, preferred = _raw("care_client", "name, preferred_name", maya.pk)
    assert "Maya" not in name and preferred == ""
    maya.refresh_from_db()
    assert maya.name == "Maya Old"
    step.reverse_code(None, editor)
    assert _raw("care_client", "name, preferred_name", maya.pk) == ("Maya Old", "")


# --- Email addresses: encrypted, looked up by a blind index, one spelling --------------------------

SPELLINGS = [
    "MAYA@example.org",
    " Maya@Example.org ",
    "ｍａｙａ@example.org",
    "ｍａｙａ＠ｅｘａｍｐｌｅ.ｏｒｇ",
]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_of_an_address_is_the_one_normalised_address(spelling):
    assert normalise_email(spelling) == "maya@example.org"
    assert blind_index(spelling) == blind_index("maya@example.org")


def test_the_email_is_stored_encrypted_with_a_keyed_index_beside_it(alex, maya, settings):
    email, index = _raw("care_client", "email, email_index", maya.pk)
    assert "maya" not in email and "example" not in email
    assert len(index) == 64 and index != hashlib.sha256(b"maya@example.org").hexdigest()
    assert list(Client.objects.with_email(maya.practice, "MAYA@example.org")) == [maya]
    # A new key put first: the index written under the old one is still found.
    settings.FIELD_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.FIELD_ENCRYPTION_KEYS,
    ]
    assert blind_index("maya@example.org") != index
    assert list(Client.objects.with_email(None, "ｍａｙａ@example.org")) == [maya]


@pytest.mark.parametrize("spelling", ["MAYA@example.org", "ｍａｙａ@example.org"])
def test_a_second_record_of_the_same_client_is_refused_in_any_spelling(alex, maya, spelling):
    data = {"name": "Maya O.", "email": spelling, "language": "en", "country": "GB"}
    with pytest.raises(domain.EmailTaken):
        domain.create_client(by=alex, practice=maya.practice, data=data)
    other = factories.make_client(alex, email="other@example.org")
    with pytest.raises(domain.EmailTaken):
        domain.update_client(by=alex, client=other, data={"email": spelling}, version=other.version)
    assert Client.objects.with_email(None, "maya@example.org").count() == 1


def test_the_new_client_form_refuses_the_same_address_and_normalises_a_new_one(as_alex, maya):
    data = {
        "name": "Maya Again",
        "email": "ｍａｙａ@example.org",
        "language": "en",
        "country": "GB",
        "submission_id": str(uuid.uuid4()),
    }
    response = as_alex.post("/clients/new/", data)
    assert response.status_code == 200
    assert "One of your clients already has this email address." in response.text
    response = as_alex.post(
        "/clients/new/",
        {**data, "email": "ＮＯＯＲ@Example.org", "submission_id": str(uuid.uuid4())},
    )
    assert response.status_code == 302
    (noor,) = Client.objects.with_email(None, "noor@example.org")
    assert noor.email == "noor@example.org"


def test_the_api_refuses_the_same_address_with_422(client, alex, maya):
    body = {"name": "Maya Again", "email": "MAYA@example.org", "country": "GB"}
    response = client.post(
        "/api/v1/clients", body, content_type="application/json", headers=bearer(alex, "write")
    )
    assert response.status_code == 422
    assert "already has this email" in response.json()["detail"]


def test_a_colleagues_client_with_the_address_is_not_revealed(sam, maya):
    data = {"name": "Maya O.", "email": "MAYA@example.org", "language": "en", "country": "GB"}
    client, created = domain.create_client(by=sam, practice=maya.practice, data=data)
    assert created and client.email == "maya@example.org"


def test_sign_in_takes_any_spelling_of_the_address(maya):
    for spelling in ("MAYA@example.org", "ｍａｙａ@example.org"):
        response = BrowserClient().post(
            "/accounts/login/", {"login": spelling, "password": factories.PASSWORD}
        )
        assert response.status_code == 302, spelling
        assert response["Location"] != "/accounts/login/"
    user = factories.make_user("ＳＡＭ@Example.org")
    assert user.email == "sam@example.org"
    assert AccountAdapter().clean_email("Ｓam@example.org") == "sam@example.org"


def test_rotate_keys_rewrites_the_index_so_the_old_key_can_go(alex, maya, settings):
    old_key, new_key = settings.FIELD_ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate-keys", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert list(Client.objects.with_email(None, "Maya@example.org")) == [maya]
