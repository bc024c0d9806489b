"""Encrypt the name a clinician types for a custom tapering phase (free text, DESIGN.md §3).

The column becomes text, then existing values are encrypted in place with raw SQL (the model
field would try to decrypt them); reversing decrypts them again.
"""

from django.db import migrations

import securebase.core.crypto


def _convert(schema_editor, transform):
    connection = schema_editor.connection
    qn = connection.ops.quote_name
    table, column = qn("maintain_taperingphase"), qn("label")
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
    dependencies = [("maintain", "0001_tapering_maintenance_discharge")]

    operations = [
        migrations.AlterField(
            model_name="taperingphase",
            name="label",
            field=securebase.core.crypto.EncryptedTextField(blank=True, verbose_name="name it"),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
