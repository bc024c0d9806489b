"""The feelings journal in the JSON API: the same policy and domain as the web pages."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from securebase.api.common import (
    Input,
    Page,
    RequiredIdempotencyKey,
    fields_from,
    only_the_client,
    required_idempotency_key,
)
from securebase.api.schemas import RiskOut, answers
from securebase.care import policy
from securebase.practise.journal import domain
from securebase.practise.models import JournalEntry
from securebase.safety.flags import support

router = Router(tags=["journal"])


class JournalEmotionIn(Input):
    model_config = ConfigDict(extra="forbid", strict=True)

    name: str = Field(min_length=1, max_length=40)
    intensity: int = Field(ge=0, le=10)


class JournalEmotionOut(Schema):
    name: str
    intensity: int


class JournalEntryIn(Input):
    model_config = ConfigDict(extra="forbid")

    written_at: datetime | None = None
    text: str = Field(min_length=1, max_length=10000)
    emotions: list[JournalEmotionIn] = Field(default_factory=list, max_length=10)
    shared: bool | None = Field(None, description="default: the client's sharing preference")


class JournalEntryOut(Schema):
    id: UUID
    client_id: UUID
    written_at: datetime
    text: str
    emotions: list[JournalEmotionOut]
    shared: bool
    attempt_id: UUID | None


class JournalEntryCreatedOut(JournalEntryOut, RiskOut):
    pass


def _out(entry: JournalEntry) -> dict:
    return fields_from(entry, JournalEntryOut, emotions=domain.emotions_of(entry))


@router.post(
    "/clients/{client_id}/journal",
    response=answers(JournalEntryCreatedOut, 403, 404, 422, created=True),
    summary="Write a journal entry (the client themself; write scope)",
)
def create_entry(
    request,
    client_id: UUID,
    payload: JournalEntryIn,
    idempotency_key: RequiredIdempotencyKey = None,
):
    """Send an ``Idempotency-Key`` header (a UUID): a replay answers 200 with the same entry.

    Risk language in it answers ``risk: true`` with the client's ``crisis_resources``."""
    client = policy.get_client_for_user(request.user, client_id)
    only_the_client(request.user, client, _("Only the client writes their own journal."))
    key = required_idempotency_key(idempotency_key)
    data = payload.dict()
    if data["shared"] is None:
        data["shared"] = client.shares_by_default
    entry, created = domain.write_entry(
        client, by=request.user, data=data, submission_id=key, request=request
    )
    risk = support.risk_fields(client, support.risk_raised(entry))
    return (201 if created else 200), {**_out(entry), **risk}


class JournalSearchIn(Input):
    model_config = ConfigDict(extra="forbid")

    q: str = Field(max_length=200, description="words to find in the text and feelings")


def _entries(request, client_id: UUID, page: Page, query: str) -> list[dict]:
    client = policy.get_client_for_user(request.user, client_id)
    entries = domain.entries_for(
        request.user,
        client,
        query=query,
        **page.bounds(domain.JOURNAL_LIMIT, request),
        request=request,
    )
    return [_out(e) for e in entries]


@router.get(
    "/clients/{client_id}/journal",
    response=answers(list[JournalEntryOut], 404),
    summary="Journal entries the caller may see (a clinician: the shared ones)",
)
def list_entries(
    request, client_id: UUID, page: Query[Page.up_to(domain.JOURNAL_LIMIT)], q: str = ""
):
    """Newest first. ``q`` (kept for older apps) puts the searched words in the URL, where proxies
    and server logs keep them: search with ``POST …/journal/search`` instead."""
    return _entries(request, client_id, page, q)


@router.post(
    "/clients/{client_id}/journal/search",
    response=answers(list[JournalEntryOut], 404, 422),
    summary="Search the journal entries the caller may see; the words travel in the body",
)
def search_entries(
    request,
    client_id: UUID,
    payload: JournalSearchIn,
    page: Query[Page.up_to(domain.JOURNAL_LIMIT)],
):
    """The entries whose text or feelings hold ``q``, newest first (read scope is enough)."""
    return _entries(request, client_id, page, payload.q)
