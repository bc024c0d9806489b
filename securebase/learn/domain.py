"""Sending library pages and reading them. Each change is one transaction with its audit event."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from securebase.audit.log import Action, record
from securebase.core import idempotency
from securebase.learn import library
from securebase.learn.models import SentPage


def send_page(
    *, by, client, slug: str, note: str = "", submission_id=None, request=None
) -> tuple[SentPage, bool]:
    """A care-team clinician sends a page to the client. Idempotent on ``submission_id``."""
    if slug not in library.SLUGS:
        raise library.UnknownPage(slug)
    note = (note or "").strip()

    def create() -> SentPage:
        sent = SentPage.objects.create(client=client, slug=slug, sent_by=by, note=note)
        record(
            actor=by,
            action=Action.CREATE,
            object_type="sent_page",
            object_id=sent.pk,
            client=client,
            request=request,
            detail={"slug": slug, "with_note": bool(note)},
        )
        return sent

    body = {"client": str(client.pk), "slug": slug, "note": note}
    return idempotency.create_once(
        user=by, key=submission_id, kind="learn.sent_page", body=body, model=SentPage, create=create
    )


def _sent(client, *, by, action: str, request=None) -> list[SentPage]:
    sent = list(SentPage.objects.filter(client=client).select_related("sent_by"))
    record(
        actor=by,
        action=action,
        object_type="sent_pages",
        object_id=client.pk,
        client=client,
        request=request,
        detail={"count": len(sent)},
    )
    return sent


def sent_to_me(client, *, by, request=None) -> list[SentPage]:
    """The pages sent to the client, for their reading list; audited as a list."""
    return _sent(client, by=by, action=Action.LIST, request=request)


def sent_for_care_team(client, *, by, request=None) -> list[SentPage]:
    """The pages sent to the client and whether they opened them, for the care team; audited."""
    return _sent(client, by=by, action=Action.READ, request=request)


def audit_preview(client, *, by, slug: str, request=None) -> None:
    """A clinician looked at a page exactly as this client sees it."""
    _audit_page_read(client, by=by, slug=slug, request=request, preview=True)


def _audit_page_read(client, *, by, slug: str, request=None, **detail) -> None:
    """Audit that the page ``slug`` was read for ``client`` (``detail``: how)."""
    record(
        actor=by,
        action=Action.READ,
        object_type="learn_page",
        object_id=slug,
        client=client,
        request=request,
        detail=detail,
    )


def open_page(*, by, client, slug: str, request=None) -> list[SentPage]:
    """The client opens a page: each unread sending of it is marked read. Newest first."""
    if slug not in library.SLUGS:
        raise library.UnknownPage(slug)
    with transaction.atomic():
        sent = list(
            SentPage.objects.select_for_update(of=("self",))
            .filter(client=client, slug=slug)
            .select_related("sent_by")
            .order_by("-sent_at")
        )
        now = timezone.now()
        for page in sent:
            if page.read_at is not None:
                continue
            page.read_at = now
            page.save(update_fields=["read_at"])
            record(
                actor=by,
                action=Action.UPDATE,
                object_type="sent_page",
                object_id=page.pk,
                client=client,
                request=request,
                detail={"read": True},
            )
        _audit_page_read(client, by=by, slug=slug, request=request)
    return sent
