"""What every API router shares: the Idempotency-Key rule and the one error shape."""

from __future__ import annotations

from uuid import UUID

from django.utils.translation import gettext as _
from ninja.errors import HttpError

from securebase.core.idempotency import parse_key


def optional_idempotency_key(raw: str | None) -> UUID | None:
    """The request's ``Idempotency-Key`` as a UUID, None when absent, 422 when malformed."""
    key = parse_key(raw)
    if raw and key is None:
        raise HttpError(422, _("The Idempotency-Key header must be a UUID."))
    return key


def required_idempotency_key(raw: str | None) -> UUID:
    """The request's ``Idempotency-Key`` as a UUID, or a 422 saying what to send."""
    key = optional_idempotency_key(raw)
    if key is None:
        raise HttpError(
            422, _("Send an Idempotency-Key header (a UUID) so a retry cannot record twice.")
        )
    return key
