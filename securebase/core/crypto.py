"""Encryption at rest for free text written by clients and clinicians.

Values are Fernet tokens (AES-128-CBC with HMAC-SHA256) under a MultiFernet built from
``settings.FIELD_ENCRYPTION_KEYS``: the first key encrypts, every key decrypts, so a new key can be
put first and `securebase rotate-keys` re-encrypts the old rows.
"""

from __future__ import annotations

import json
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import migrations, models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must list at least one key.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must be comma-separated Fernet keys "
            "(generate one with `securebase generate-key`)."
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A stored value could not be decrypted with any key in FIELD_ENCRYPTION_KEYS. "
            "Was a key removed before `securebase rotate-keys` ran?"
        ) from exc


def rotate(token: str) -> str:
    try:
        return fernet().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A stored value could not be decrypted with any key in FIELD_ENCRYPTION_KEYS; "
            "keep the old key in the list (after the new one) until rotation has finished."
        ) from exc


class EncryptedTextField(models.TextField):
    """A text field stored as a Fernet token; reads give back the plain text.

    The database never sees the plain text, so it cannot be searched or ordered there (sort in
    Python; look up by a blind index, :func:`blind_index`). With ``max_length`` (a name, say) forms
    show a one-line input and check the length of the plain text.
    """

    def formfield(self, **kwargs):
        if self.max_length is not None and self.choices is None:
            kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(**kwargs)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "securebase.core.crypto.EncryptedTextField", args, kwargs


class EncryptedJSONField(EncryptedTextField):
    """A small JSON value (a dict of the client's own words, say) stored as one Fernet token."""

    def from_db_value(self, value, expression, connection):
        text = super().from_db_value(value, expression, connection)
        return json.loads(text) if text else self._empty()

    def to_python(self, value):
        if isinstance(value, str):
            return json.loads(value) if value else self._empty()
        return value

    def get_prep_value(self, value):
        if value is None:
            return None
        return encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True))

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj), ensure_ascii=False, sort_keys=True)

    def _empty(self):
        return self.get_default() if self.has_default() else None

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "securebase.core.crypto.EncryptedJSONField", args, kwargs


def encrypted_fields():
    """Every (model, [field names]) pair holding encrypted text, for key rotation."""
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if names:
            yield model, names


def encrypt_in_place(table: str, *columns: str) -> migrations.RunPython:
    """A migration step that encrypts the existing values of these text columns (and decrypts
    them when reversed). Raw SQL, since the model field would try to decrypt the plain text; empty
    values stay empty. Put it after the AlterField that makes each column an encrypted one."""

    def convert(schema_editor, transform):
        connection = schema_editor.connection
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            for column in columns:
                select = f"SELECT {qn('id')}, {qn(column)} FROM {qn(table)}"  # noqa: S608
                update = f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE {qn('id')} = %s"  # noqa: S608
                cursor.execute(select)
                for pk, value in cursor.fetchall():
                    if value:
                        cursor.execute(update, [transform(value), pk])

    return migrations.RunPython(
        lambda apps, schema_editor: convert(schema_editor, encrypt),
        lambda apps, schema_editor: convert(schema_editor, decrypt),
    )
