"""The API kit every router uses: the strict input base, the Idempotency-Key header, one way
to page through lists, and the shared steps of an answer (a record's fields, the check that only
the client themself may do something).

The other shared rules live where they act once for every route: the write scope in the token
check (``auth.py``), and the answers to bad input, unknown ids and stale saves in the exception
handlers of ``api.py``. Routers raise the domain's errors and let those handlers answer.
"""

from __future__ import annotations

import functools
import types
import unicodedata
from datetime import date, datetime
from typing import Annotated, Union, get_args, get_origin
from uuid import UUID

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict, Field, ValidationInfo, create_model, field_validator

from securebase.care import policy
from securebase.core.idempotency import parse_key

# Dates a record may carry: nothing before this year, nothing this many years ahead of today.
EARLIEST_YEAR = 2000
LATEST_YEARS_AHEAD = 5
# Tab, line feed and carriage return are text; every other control character is not.
ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def _bad_character(text: str) -> str | None:
    for char in text:
        if char in ALLOWED_CONTROLS:
            continue
        if unicodedata.category(char) in ("Cc", "Cs"):
            return f"U+{ord(char):04X}"
    return None


def _text_problem(value: object) -> str | None:
    """The first control character anywhere in ``value`` (strings inside lists and objects too)."""
    if isinstance(value, str):
        return _bad_character(value)
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        return None
    for item in items:
        found = _text_problem(item)
        if found:
            return found
    return None


def _scalar(annotation) -> type | None:
    """``int``, ``float``, ``bool`` … for a field declared as one (optional or constrained)."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        kinds = [a for a in get_args(annotation) if a is not type(None)]
        return _scalar(kinds[0]) if len(kinds) == 1 else None
    return annotation if isinstance(annotation, type) else None


class Input(Schema):
    """The base of every request body: strict where JSON can be strict. (A query's values are all
    text: a query schema may use it only for text and dates, as the progress period does.)

    - No control character (NUL included) in any text: 422 naming the field, on every database
      (PostgreSQL cannot store NUL, SQLite would).
    - Numbers are JSON numbers and booleans JSON booleans: ``"50"`` is not 50, ``1`` is not true,
      and 5.5 is not a whole number.
    - Date-times carry a time zone, and dates are plausible: from 2000 to five years ahead.
    """

    @field_validator("*", mode="before")
    @classmethod
    def _strict_json(cls, value, info: ValidationInfo):
        found = _text_problem(value)
        if found:
            raise ValueError(_("Control characters are not allowed (found %s).") % found)
        kind = _scalar(cls.model_fields[info.field_name].annotation)
        if value is None or kind is None:
            return value
        if kind is bool and not isinstance(value, bool):
            raise ValueError(_("Must be true or false."))
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValueError(_("Must be a whole number, not text or a fraction."))
        if kind is float and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise ValueError(_("Must be a number, not text."))
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _plausible_time(cls, value, info: ValidationInfo):
        if isinstance(value, datetime) and value.tzinfo is None:
            raise ValueError(_("Add a time zone, e.g. 2026-03-01T18:30:00+01:00 or …Z for UTC."))
        if isinstance(value, date):
            latest = timezone.now().year + LATEST_YEARS_AHEAD
            if not EARLIEST_YEAR <= value.year <= latest:
                raise ValueError(
                    _("Must be a date between %(first)s and %(last)s.")
                    % {"first": EARLIEST_YEAR, "last": latest}
                )
        return value


# Declare one of these as a parameter of every creating endpoint, ``= None``: the first where a
# retry is recognised when the key is sent, the second where the key must be sent.
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="A UUID you generate per submission; a retry with it returns the first result.",
    ),
]
# The key is checked in the view (to answer with a sentence, not a bare "field required"); the
# OpenAPI document marks the header required where its description starts with this
# (``api._finish_openapi``).
REQUIRED_IN_OPENAPI = "Required: "
RequiredIdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description=REQUIRED_IN_OPENAPI + "a UUID you generate per submission; a retry with it "
        "returns the first result instead of recording twice.",
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


# A cursor is the signed place where the next page starts: opaque to a client, and a forged or
# damaged one is refused rather than read.
CURSOR_SALT = "securebase.api.cursor"
NEXT_PAGE = "_securebase_next_page"


class Page(Schema):
    """``?limit=&cursor=`` (or ``offset``) on a list. ``limit`` defaults to, and never exceeds, the
    list's cap: the same number of rows the web page shows (the ``*_LIMIT`` constant of its domain
    module). A full page answers with ``Link: <…?cursor=…>; rel="next"``."""

    model_config = ConfigDict(extra="forbid")

    offset: int = Field(0, ge=0, description="how many rows to skip (newest or first rows first)")
    limit: int | None = Field(
        None, ge=1, description="how many rows at most; the list's cap when left out or larger"
    )
    cursor: str | None = Field(
        None,
        description='where the next page starts: from the previous page\'s `Link: <…>; rel="next"` '
        "header (it wins over `offset`). Lists are newest first: a row added meanwhile may show "
        "again at the top of the next page; none is skipped.",
    )

    @classmethod
    @functools.cache
    def up_to(cls, cap: int) -> type[Page]:
        """This query for a list whose cap is ``cap``, which the API document then states."""
        return create_model(
            f"PageUpTo{cap}",
            __base__=cls,
            limit=(
                int | None,
                Field(
                    None, ge=1, description=f"how many rows at most: {cap} when left out or larger"
                ),
            ),
        )

    def bounds(self, cap: int, request=None) -> dict:
        """``offset`` and ``limit`` for the domain's list function, ``limit`` at most ``cap``.
        With ``request``, a full page links to the next one (``next_page_link``)."""
        offset = self.offset if self.cursor is None else _read_cursor(self.cursor)
        limit = min(self.limit or cap, cap)
        if request is not None:
            setattr(request, NEXT_PAGE, (offset + limit, limit))
        return {"offset": offset, "limit": limit}

    def rows(self, request, cap: int, read, *owner, **filters):
        """This page of a domain list: ``read(request.user, *owner, **filters)`` asked for at most
        ``cap`` rows from this page's offset (the domain's list functions all take these)."""
        return read(request.user, *owner, **filters, **self.bounds(cap, request), request=request)


def _read_cursor(raw: str) -> int:
    try:
        offset = signing.loads(raw, salt=CURSOR_SALT)["o"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        offset = None
    if not isinstance(offset, int) or offset < 0:
        raise HttpError(422, _("This cursor was not given out by this API: start without one."))
    return offset


def next_page_link(request, rows) -> str | None:
    """``<…?cursor=…>; rel="next"`` when this answer filled its page (there may be more)."""
    found = getattr(request, NEXT_PAGE, None)
    if found is None or not isinstance(rows, list) or len(rows) < found[1]:
        return None
    query = request.GET.copy()
    query.pop("offset", None)
    query["cursor"] = signing.dumps({"o": found[0]}, salt=CURSOR_SALT, compress=True)
    return f'<{request.path}?{query.urlencode()}>; rel="next"'


def answer_created(made: tuple, out):
    """The answer to a create sent with its required ``Idempotency-Key``: ``made`` is the
    domain's ``(record, created)``; 201 with ``out(record)`` when it was made now, 200 with what
    the first request with this key made (a replay records nothing)."""
    record, created = made
    return (201 if created else 200), out(record)


def only_the_client(user, client, refusal: str) -> None:
    """403 with ``refusal`` unless ``user`` is ``client`` themself (their care team is refused)."""
    if policy.client_record_of(user) != client:
        raise HttpError(403, refusal)


def own_client(request, client_id: UUID, refusal: str):
    """The client ``client_id`` when the caller is that client themself: 404 to whoever may not see
    them, 403 with ``refusal`` to their care team."""
    client = policy.get_client_for_user(request.user, client_id)
    only_the_client(request.user, client, refusal)
    return client


def body_with_sharing(payload: Schema, client) -> dict:
    """The request body as a dict; ``shared`` left out (null) is the client's sharing preference."""
    data = payload.dict()
    if data["shared"] is None:
        data["shared"] = client.shares_by_default
    return data


def fields_from(record, schema: type[Schema], **given) -> dict:
    """The answer ``schema`` describes, read from ``record``'s attributes of the same names;
    ``given`` holds the fields that are not such an attribute."""
    return {
        name: given[name] if name in given else getattr(record, name)
        for name in schema.model_fields
    }
