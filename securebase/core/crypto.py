"""Encryption at rest for free text written by clients and clinicians.

Values are Fernet tokens (AES-128-CBC with HMAC-SHA256). Two kinds of key:
- the practice keys, a MultiFernet built from ``settings.FIELD_ENCRYPTION_KEYS``: the first key
  encrypts, every key decrypts, so a new key can be put first and `securebase rotate-keys`
  re-encrypts the old rows;
- each client's own data key (``core.DataKey``), itself stored wrapped by the practice keys. A row
  that belongs to a client (its model's ``data_subject`` path leads to one) is encrypted under that
  client's key, as ``s1:<client id>:<token>``. Erasure destroys the key, and every such value
  reads as empty from then on: the rows and the audit chain stay, the words are gone.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import migrations, models
from django.dispatch import receiver
from django.utils import timezone


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


SUBJECT_PREFIX = "s1:"


class SubjectKeyMissing(ImproperlyConfigured):
    """A value names a data key that is not in the database (not destroyed: absent)."""


class _SubjectKeys:
    """The unwrapped data keys this process has used, each kept DATA_KEY_CACHE_SECONDS.

    Ids are the subjects' UUIDs, never reused, so a cached key is never another subject's. A key
    created in a transaction that rolls back stays cached harmlessly: its subject rolled back too.
    """

    def __init__(self):
        self._keys: dict[uuid.UUID, tuple[float, Fernet | None]] = {}
        self._lock = threading.Lock()

    def get(self, subject: uuid.UUID) -> Fernet | None:
        """The subject's key; None once destroyed. Raises SubjectKeyMissing if there is none."""
        now = time.monotonic()
        cached = self._keys.get(subject)
        if cached is not None and now - cached[0] < settings.DATA_KEY_CACHE_SECONDS:
            return cached[1]
        from securebase.core.models import DataKey  # noqa: PLC0415 - models import this module

        row = DataKey.objects.filter(pk=subject).values_list("wrapped", flat=True).first()
        if row is None:
            raise SubjectKeyMissing(f"No data key for {subject}.")
        key = Fernet(decrypt(row).encode("ascii")) if row else None
        self.put(subject, key)
        return key

    def put(self, subject: uuid.UUID, key: Fernet | None) -> None:
        with self._lock:
            self._keys[subject] = (time.monotonic(), key)

    def clear(self, **_) -> None:
        with self._lock:
            self._keys.clear()


subject_keys = _SubjectKeys()


@receiver(setting_changed)
def _keys_changed(*, setting, **_):
    if setting in ("FIELD_ENCRYPTION_KEYS", "DATA_KEY_CACHE_SECONDS"):
        subject_keys.clear()


def create_subject_key(subject: uuid.UUID) -> None:
    """Give a new data subject (a new client) its own key, wrapped by the practice keys."""
    from securebase.core.models import DataKey  # noqa: PLC0415 - models import this module

    material = Fernet.generate_key()
    DataKey.objects.create(pk=subject, wrapped=encrypt(material.decode("ascii")))
    subject_keys.put(subject, Fernet(material))


def destroy_subject_key(subject: uuid.UUID) -> bool:
    """Crypto-shred: forget the subject's key for good. True if it existed and was live."""
    from securebase.core.models import DataKey  # noqa: PLC0415 - models import this module

    destroyed = DataKey.objects.filter(pk=subject, destroyed_at__isnull=True).update(
        wrapped="", destroyed_at=timezone.now()
    )
    subject_keys.put(subject, None)
    return destroyed == 1


def subject_of(instance) -> uuid.UUID | None:
    """The data subject a row belongs to, along its model's ``data_subject`` path (``client``,
    ``history__client``, ``pk`` for the client itself); None for rows of no one (a user's name)."""
    path = getattr(type(instance), "data_subject", "client")
    if not path:
        return None
    *hops, last = path.split("__")
    target = instance
    for hop in hops:
        target = getattr(target, hop, None)
        if target is None:
            return None
    value = target.pk if last == "pk" else getattr(target, f"{last}_id", None)
    return value if isinstance(value, uuid.UUID) else None


def encrypt_for(subject: uuid.UUID, plaintext: str) -> str:
    key = subject_keys.get(subject)
    if key is None:
        raise ImproperlyConfigured(f"The data of {subject} was erased; it cannot be written to.")
    return f"{SUBJECT_PREFIX}{subject.hex}:{key.encrypt(plaintext.encode('utf-8')).decode('ascii')}"


def is_subject_token(token: str) -> bool:
    return token.startswith(SUBJECT_PREFIX)


def reveal(token: str) -> str:
    """The plain text of a stored value of either kind ("" when its subject was erased)."""
    if not is_subject_token(token):
        return decrypt(token)
    subject, _, inner = token[len(SUBJECT_PREFIX) :].partition(":")
    key = subject_keys.get(uuid.UUID(hex=subject))
    if key is None:
        return ""
    try:
        return key.decrypt(inner.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured(f"A value of {subject} does not match its data key.") from exc


class _Sealed(str):
    """A value already encrypted by ``pre_save`` (under its subject's key): stored as it is."""


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
        return reveal(value)

    def pre_save(self, model_instance, add):
        """Encrypt under the row's data subject's key when it has one (the practice keys else)."""
        value = super().pre_save(model_instance, add)
        subject = subject_of(model_instance)
        plain = self.plain_text(value)
        if subject is None or not plain:
            return value
        try:
            return _Sealed(encrypt_for(subject, plain))
        except SubjectKeyMissing:  # a subject from before data keys: the practice keys
            return value

    def plain_text(self, value) -> str | None:
        return value

    def get_prep_value(self, value):
        if isinstance(value, _Sealed):
            return str(value)
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

    def plain_text(self, value) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    def get_prep_value(self, value):
        if isinstance(value, _Sealed):
            return str(value)
        if value is None:
            return None
        return encrypt(self.plain_text(value))

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj), ensure_ascii=False, sort_keys=True)

    def _empty(self):
        return self.get_default() if self.has_default() else None

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "securebase.core.crypto.EncryptedJSONField", args, kwargs


def subject_path(model) -> str | None:
    """The ORM lookup from a model's rows to their data subject (None: the rows are no one's)."""
    if getattr(model, "data_subject", "client") == "client" and not any(
        f.name == "client" for f in model._meta.concrete_fields
    ):
        return None
    return getattr(model, "data_subject", "client") or None


def reseal(token: str, subject: uuid.UUID | None) -> str:
    """A stored value moved to the newest key: under its subject's data key when it has a live
    one, else under the newest practice key (a subject's value stays as it is)."""
    if is_subject_token(token):
        return token
    if subject is not None:
        try:
            return encrypt_for(subject, decrypt(token))
        except ImproperlyConfigured:
            pass  # no key yet, or erased: the practice keys
    return rotate(token)


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
