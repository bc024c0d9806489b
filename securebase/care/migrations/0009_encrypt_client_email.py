"""Clients' email addresses are encrypted, with a blind index to look them up (issue 16).

Each existing address is normalised (securebase.core.identifiers.normalise_email) and its index
(HMAC-SHA256 under a key derived from FIELD_ENCRYPTION_KEYS, never stored) written beside it; then
the addresses, and the copies kept on invitations, are encrypted in place. Reversing decrypts them
(the normalised spelling stays).
"""

from django.db import migrations, models

import securebase.core.crypto
from securebase.core.identifiers import blind_index, normalise_email


def index_existing(apps, schema_editor):
    connection = schema_editor.connection
    qn = connection.ops.quote_name
    table, pk, email = qn("care_client"), qn("id"), qn("email")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk}, {email} FROM {table}")  # noqa: S608
        for key, value in cursor.fetchall():
            address = normalise_email(value)
            cursor.execute(
                f"UPDATE {table} SET {email} = %s, {qn('email_index')} = %s WHERE {pk} = %s",  # noqa: S608
                [address, blind_index(address) if address else "", key],
            )


class Migration(migrations.Migration):
    dependencies = [("care", "0008_encrypt_names")]

    operations = [
        migrations.AddField(
            model_name="client",
            name="email_index",
            field=models.CharField(db_index=True, default="", editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="client",
            name="email",
            field=securebase.core.crypto.EncryptedTextField(max_length=254, verbose_name="email"),
        ),
        migrations.AlterField(
            model_name="invitation",
            name="email",
            field=securebase.core.crypto.EncryptedTextField(max_length=254),
        ),
        migrations.RunPython(index_existing, migrations.RunPython.noop),
        securebase.core.crypto.encrypt_in_place("care_client", "email"),
        securebase.core.crypto.encrypt_in_place("care_invitation", "email"),
    ]
