"""Idempotent creation: a retried submission returns the first result and creates nothing.

The caller generates a UUID (a hidden form field, or the ``Idempotency-Key`` header on the API).
The key is stored per person in the same transaction as the record it created.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, models, transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from securebase.core.errors import InputError
from securebase.core.models import SubmissionKey

M = TypeVar("M", bound=models.Model)


class SubmissionKeyReused(InputError):
    """The same key came back with a different submission: refuse rather than guess."""


def parse_key(raw: object) -> uuid.UUID | None:
    if raw is None or raw == "":
        return None
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return None


def key_used(user, key: uuid.UUID) -> bool:
    """Whether this person already sent a submission with this key (a retry, if the same)."""
    return SubmissionKey.objects.filter(user=user, key=key).exists()


def body_fingerprint(body: dict) -> str:
    """A keyed fingerprint of a submission, to tell a retry from a different submission.

    Keyed (HMAC-SHA256 with the server's secret), not a bare hash: the body holds the client's
    words, and a bare hash of a short text could be confirmed by guessing without the keys.
    """
    canonical = json.dumps(body, sort_keys=True, default=str, separators=(",", ":"))
    return salted_hmac("securebase.idempotency", canonical, algorithm="sha256").hexdigest()


def create_once(
    *,
    user,
    key: uuid.UUID | None,
    kind: str,
    body: dict,
    model: type[M],
    create: Callable[[], M],
) -> tuple[M, bool]:
    """Run ``create`` once per (person, key); return (record, created).

    A repeat with the same body returns the first record; the same key with a different body or for
    another kind of record raises SubmissionKeyReused. Keys are looked up per person only, so another
    person's key can never return someone else's record. Without a key, ``create`` simply runs in
    one transaction.
    """
    if key is None:
        with transaction.atomic():
            return create(), True
    fingerprint = body_fingerprint(body)
    for _attempt in range(2):
        existing = SubmissionKey.objects.filter(user=user, key=key).first()
        if existing is not None:
            if existing.kind != kind or existing.body_hash != fingerprint:
                raise SubmissionKeyReused(
                    _("This submission id was already used for a different submission.")
                )
            return model._default_manager.get(pk=existing.object_pk), False
        try:
            with transaction.atomic():
                record = create()
                SubmissionKey.objects.create(
                    user=user, key=key, kind=kind, body_hash=fingerprint, object_pk=str(record.pk)
                )
                return record, True
        except IntegrityError:
            # Another request with the same key won the race; read its result.
            if not key_used(user, key):
                raise
    raise RuntimeError("unreachable")  # pragma: no cover
