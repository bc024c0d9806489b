"""Encrypt people's names on their accounts (``User.name``), like clients' names (issue 16).

The column becomes text, then existing values are encrypted in place; reversing decrypts them
again. Lists of people are sorted in Python.
"""

from django.db import migrations

import securebase.core.crypto


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="name",
            field=securebase.core.crypto.EncryptedTextField(
                blank=True, max_length=150, verbose_name="name"
            ),
        ),
        securebase.core.crypto.encrypt_in_place("accounts_user", "name"),
    ]
