"""The client's own words for people (preferred terms) are encrypted at rest."""

import pytest
from django.db import connection

from securebase.care.models import Client

pytestmark = pytest.mark.django_db


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
