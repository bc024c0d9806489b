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
    answer_created,
    body_with_sharing,
    fields_from,
    own_client,
    required_idempotency_key,
)
from securebase.api.schemas import EmotionIn, EmotionOut, RiskOut, answers
from securebase.care import policy
from securebase.practise.journal import domain
from securebase.practise.models import JournalEntry
from securebase.safety.flags import support

router = Router(tags=["journal"])


class JournalEmotionIn(EmotionIn):
    pass


class JournalEmotionOut(EmotionOut):
    pass


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
    client = own_client(request, client_id, _("Only the client writes their own journal."))
    key = required_idempotency_key(idempotency_key)
    return answer_created(
        domain.write_entry(
            client,
            by=request.user,
            data=body_with_sharing(payload, client),
            submission_id=key,
            request=request,
        ),
        lambda entry: {**_out(entry), **support.answer_risk_fields(client, entry)},
    )


class JournalSearchIn(Input):
    model_config = ConfigDict(extra="forbid")

    q: str = Field(max_length=200, description="words to find in the text and feelings")


def _entries(request, client_id: UUID, page: Page, query: str) -> list[dict]:
    client = policy.get_client_for_user(request.user, client_id)
    entries = page.rows(request, domain.JOURNAL_LIMIT, domain.entries_for, client, query=query)
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
