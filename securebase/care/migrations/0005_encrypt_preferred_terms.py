"""Encrypt the client's own words for people and feelings (``Client.preferred_terms``).

They are the client's free text ("my person", "Mam"), so they are encrypted at rest like every
other free text (DESIGN.md section 3). The column becomes text (PostgreSQL casts jsonb to its JSON
text), then each value is encrypted in place with raw SQL; reversing decrypts it again first.
"""

from django.db import migrations

import securebase.core.crypto


def _convert(schema_editor, transform):
    connection = schema_editor.connection
    qn = connection.ops.quote_name
    table, column = qn("care_client"), qn("preferred_terms")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {qn('id')}, {column} FROM {table}")  # noqa: S608
        for pk, value in cursor.fetchall():
            if value:
                cursor.execute(
                    f"UPDATE {table} SET {column} = %s WHERE {qn('id')} = %s",  # noqa: S608
                    [transform(value), pk],
                )


def encrypt_existing(apps, schema_editor):
    _convert(schema_editor, securebase.core.crypto.encrypt)


def decrypt_existing(apps, schema_editor):
    _convert(schema_editor, securebase.core.crypto.decrypt)


class Migration(migrations.Migration):
    dependencies = [("care", "0004_client_programme_paused_at")]

    operations = [
        migrations.AlterField(
            model_name="client",
            name="preferred_terms",
            field=securebase.core.crypto.EncryptedJSONField(blank=True, default=dict),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
