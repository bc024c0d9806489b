"""Identifying values (email addresses) that the app looks up without storing them readable.

An email is normalised on the way in (:func:`normalise_email`: Unicode compatibility forms folded,
case folded, spaces stripped), so ``Maya@…``, ``maya@…`` and ``ｍａｙａ@…`` are one address. Where
it is stored encrypted, a *blind index* beside it (:func:`blind_index`: HMAC-SHA256 of the normalised
value) is what queries compare. Its key is derived (HKDF-SHA256) from each key in
``FIELD_ENCRYPTION_KEYS``, so it lives in the settings, never in the database: a copy of the
database cannot be searched for a guessed address. New indexes use the first key; lookups try
every key (:func:`blind_indexes`), so putting a new key first breaks no lookup, and
`securebase rotate-keys` rewrites the indexes with it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import unicodedata
from functools import cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django import forms
from django.apps import apps
from django.conf import settings

INDEX_INFO = b"securebase blind index v1"


def normalise_email(value: str | None) -> str:
    """The one spelling of an address: NFKC, case-folded, without surrounding spaces."""
    return unicodedata.normalize("NFKC", (value or "").strip()).casefold().strip()


@cache
def _index_keys(keys: tuple[str, ...]) -> tuple[bytes, ...]:
    return tuple(
        HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INDEX_INFO).derive(
            base64.urlsafe_b64decode(key.encode("ascii"))
        )
        for key in keys
    )


def _index(key: bytes, value: str) -> str:
    return hmac.new(key, normalise_email(value).encode("utf-8"), hashlib.sha256).hexdigest()


def blind_index(value: str) -> str:
    """The index stored beside an encrypted address (the newest key's)."""
    return _index(_index_keys(tuple(settings.FIELD_ENCRYPTION_KEYS))[0], value)


def blind_indexes(value: str) -> list[str]:
    """The address's index under every key, newest first: what a lookup matches."""
    return [_index(key, value) for key in _index_keys(tuple(settings.FIELD_ENCRYPTION_KEYS))]


class NormalisedEmailField(forms.EmailField):
    """An email form field that normalises before it validates, so a fullwidth or upper-case
    spelling is checked, and kept, as the one address it is."""

    def to_python(self, value):
        return normalise_email(super().to_python(value))


def indexed_fields():
    """(model, {index field: field it indexes}) for every model keeping blind indexes (its
    ``BLIND_INDEXES``), for `securebase rotate-keys` to rewrite them under the newest key."""
    for model in apps.get_models():
        pairs = getattr(model, "BLIND_INDEXES", None)
        if pairs:
            yield model, pairs
