"""The client's own words for people (preferred terms) are encrypted at rest."""

import importlib
import types

import pytest
from django.db import connection

from securebase.care.models import Client

pytestmark = pytest.mark.django_db

migration = importlib.import_module("securebase.care.migrations.0005_encrypt_preferred_terms")


def _raw(client):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT preferred_terms FROM care_client WHERE id = %s",
            [client.pk.hex if connection.vendor == "sqlite" else client.pk],
        )
        return cursor.fetchone()[0]


def test_the_clients_words_are_not_stored_in_plain_text(maya):
    maya.preferred_terms = {"partner": "my person", "mother": "Mam"}
    maya.save(update_fields=["preferred_terms"])
    raw = _raw(maya)
    assert "my person" not in raw and "Mam" not in raw
    assert Client.objects.get(pk=maya.pk).preferred_terms == {
        "mother": "Mam",
        "partner": "my person",
    }


def test_the_migration_encrypts_existing_words_and_can_undo_it(maya):
    editor = types.SimpleNamespace(connection=connection)
    maya.preferred_terms = {"partner": "my person"}
    maya.save(update_fields=["preferred_terms"])
    migration.decrypt_existing(None, editor)  # as the rows were before the migration
    assert '"partner": "my person"' in _raw(maya)
    migration.encrypt_existing(None, editor)
    assert "my person" not in _raw(maya)
    assert Client.objects.get(pk=maya.pk).preferred_terms == {"partner": "my person"}
