"""Encrypt clients' names and preferred names at rest, like the other free text (issue 16).

They identify a person in therapy, so a copy of the database must not show them. The database can
no longer order by them: the default ordering by name and the (practice, name) index go, and lists
are sorted in Python. The columns become text, then existing values are encrypted in place;
reversing decrypts them again.
"""

from django.db import migrations

import securebase.core.crypto


class Migration(migrations.Migration):
    dependencies = [("care", "0001_squashed_0007_client_updated_by")]

    operations = [
        migrations.AlterModelOptions(name="client", options={}),
        migrations.RemoveIndex(model_name="client", name="client_practice_name"),
        migrations.AlterField(
            model_name="client",
            name="name",
            field=securebase.core.crypto.EncryptedTextField(
                max_length=150, verbose_name="full name"
            ),
        ),
        migrations.AlterField(
            model_name="client",
            name="preferred_name",
            field=securebase.core.crypto.EncryptedTextField(
                blank=True, max_length=80, verbose_name="preferred name"
            ),
        ),
        securebase.core.crypto.encrypt_in_place("care_client", "name", "preferred_name"),
    ]
