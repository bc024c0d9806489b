"""Private identifiers (issue 16): people's names are encrypted at rest, so lists of them are
sorted in Python, never by the database."""

from types import SimpleNamespace

import pytest
from django.db import connection

from securebase.care import domain
from securebase.core import crypto
from securebase.care.forms import CareTeamAddForm, PartnerForm
from tests import factories

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
