"""Encrypt the emotion word of pauses and reframes: a client's own word is free text.

The column becomes text, then existing plain values are encrypted in place with raw SQL (the
model field would try to decrypt them). Reversing decrypts them again.
"""

from django.db import migrations

import securebase.core.crypto

TABLES = ["practise_pause", "practise_reframe"]


def _convert(schema_editor, transform):
    connection = schema_editor.connection
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT {qn('id')}, {qn('emotion')} FROM {qn(table)}")  # noqa: S608
            for pk, value in cursor.fetchall():
                if value:
                    cursor.execute(
                        f"UPDATE {qn(table)} SET {qn('emotion')} = %s WHERE {qn('id')} = %s",  # noqa: S608
                        [transform(value), pk],
                    )


def encrypt_existing(apps, schema_editor):
    _convert(schema_editor, securebase.core.crypto.encrypt)


def decrypt_existing(apps, schema_editor):
    _convert(schema_editor, securebase.core.crypto.decrypt)


class Migration(migrations.Migration):
    dependencies = [("practise", "0002_coregulation")]

    operations = [
        migrations.AlterField(
            model_name="pause",
            name="emotion",
            field=securebase.core.crypto.EncryptedTextField(),
        ),
        migrations.AlterField(
            model_name="reframe",
            name="emotion",
            field=securebase.core.crypto.EncryptedTextField(),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
