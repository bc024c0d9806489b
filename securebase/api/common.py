"""The API kit every router uses: the Idempotency-Key header and one way to page through lists.

The other shared rules live where they act once for every route: the write scope in the token
check (``auth.py``), and the answers to bad input, unknown ids and stale saves in the exception
handlers of ``api.py``. Routers raise the domain's errors and let those handlers answer.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Header, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict, Field

from securebase.core.idempotency import parse_key

# Declare it as a parameter of every creating endpoint: ``idempotency_key: IdempotencyKey = None``.
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="A UUID you generate per submission; a retry with it returns the first result.",
    ),
]


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


class Page(Schema):
    """``?offset=&limit=`` on a list. ``limit`` defaults to, and never exceeds, the list's cap:
    the same number of rows the web page shows (the ``*_LIMIT`` constant of its domain module)."""

    model_config = ConfigDict(extra="forbid")

    offset: int = Field(0, ge=0, description="how many rows to skip (newest or first rows first)")
    limit: int | None = Field(
        None, ge=1, description="how many rows at most; the list's cap when left out or larger"
    )

    def bounds(self, cap: int) -> dict:
        """``offset`` and ``limit`` for the domain's list function, ``limit`` at most ``cap``."""
        return {"offset": self.offset, "limit": min(self.limit or cap, cap)}
