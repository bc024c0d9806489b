"""Writing, checkpointing and verifying the audit log.

Every read, write and export of client data calls :func:`record` inside the same transaction as
the work it describes. No clinical text goes in: only who, what, which record, when and from where.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from securebase.audit.hashing import GENESIS, event_hash
from securebase.audit.models import AuditChainHead, AuditCheckpoint, AuditEvent

logger = logging.getLogger("securebase.audit")

Action = AuditEvent.Action


def _clean_ip(raw: str | None) -> str | None:
    if not raw:
        return None
    try:
        return ipaddress.ip_address(raw.strip()).compressed
    except ValueError:
        return None


def request_origin(request) -> dict:
    """Where a request came from, for the audit trail (behind a proxy, REMOTE_ADDR is set by it)."""
    if request is None:
        return {"ip": None, "via": "cli"}
    via = "api" if request.path.startswith("/api/") else "web"
    return {"ip": _clean_ip(request.META.get("REMOTE_ADDR")), "via": via}


def _fields(event: AuditEvent) -> dict:
    at = event.at.astimezone(UTC).isoformat(timespec="microseconds")
    return {
        "chain": event.chain,
        "seq": event.seq,
        "at": at,
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "client_id": str(event.client_id) if event.client_id else None,
        "practice_id": event.practice_id,
        "ip": event.ip,
        "via": event.via,
        "detail": event.detail,
    }


def chain_for(*, client=None, practice_id=None, actor=None) -> str:
    """Events about a client chain per client; other events chain per actor, so no chain is hot."""
    if client is not None:
        return f"client:{client.pk}"
    if actor is not None and getattr(actor, "pk", None):
        return f"user:{actor.pk}"
    if practice_id is not None:
        return f"practice:{practice_id}"
    return "system"


def record(
    *,
    actor,
    action: str,
    object_type: str,
    object_id: object = "",
    client=None,
    practice_id: int | None = None,
    request=None,
    detail: dict | None = None,
) -> AuditEvent:
    """Append one event to its chain. Call inside the transaction of the work it records."""
    if client is not None and practice_id is None:
        practice_id = client.practice_id
    elif practice_id is None and getattr(actor, "pk", None):
        from securebase.care.policy import practice_id_of  # care builds on audit, not reverse

        practice_id = practice_id_of(actor)  # so the practice's admins see it
    chain = chain_for(client=client, practice_id=practice_id, actor=actor)
    origin = request_origin(request)
    actor_pk = getattr(actor, "pk", None)
    with transaction.atomic():
        head = _lock_head(chain)
        event = AuditEvent(
            chain=chain,
            seq=head.seq + 1,
            at=timezone.now(),
            actor_id=actor_pk,
            actor_label=getattr(actor, "email", "") if actor_pk else "",
            action=action,
            object_type=object_type,
            object_id=str(object_id or ""),
            client_id=client.pk if client is not None else None,
            practice_id=practice_id,
            ip=origin["ip"],
            via=origin["via"],
            detail=detail or {},
            prev_hash=head.hash,
        )
        event.hash = event_hash(_fields(event), event.prev_hash)
        event.save(force_insert=True)
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
        transaction.on_commit(checkpoint_if_due)
    return event


def record_retry(*, actor, object_type: str, saved, client, request=None) -> AuditEvent:
    """A save sent again (a double submit, a retried PUT) answered with the record it already
    saved: audited as a read of that record, never as a second write."""
    return record(
        actor=actor,
        action=Action.READ,
        object_type=object_type,
        object_id=saved.pk,
        client=client,
        request=request,
        detail={"version": saved.version, "retry": True},
    )


def record_list(
    *, actor, object_type: str, client, count: int, of=None, request=None, **detail
) -> AuditEvent:
    """A list of a client's records was read: how many (never which). ``of`` is the record the
    list belongs to (a goal's ratings, a step's attempts); the client when left out."""
    return record(
        actor=actor,
        action=Action.LIST,
        object_type=object_type,
        object_id=(of if of is not None else client).pk,
        client=client,
        request=request,
        detail={"count": count, **detail},
    )


def record_read(*, actor, object_type: str, obj, client, request=None) -> AuditEvent:
    """One of a client's records was read."""
    return record(
        actor=actor,
        action=Action.READ,
        object_type=object_type,
        object_id=obj.pk,
        client=client,
        request=request,
    )


def checkpoint_if_due() -> None:
    """Write a checkpoint when the newest is older than AUDIT_CHECKPOINT_MINUTES.

    Checked at most once a minute per process (a cache flag), after the event's transaction has
    committed, so it never holds up the request's own write.
    """
    if not cache.add("securebase:audit:checkpoint-checked", 1, timeout=60):
        return
    interval = settings.AUDIT_CHECKPOINT_MINUTES * 60
    newest = AuditCheckpoint.objects.order_by("-seq").values_list("at", flat=True).first()
    if newest is not None and (timezone.now() - newest).total_seconds() < interval:
        return
    try:
        checkpoint()
    except (IntegrityError, DatabaseError):
        logger.warning("audit checkpoint skipped: another process is writing one")


def _lock_head(chain: str) -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(chain=chain, seq=0, hash=GENESIS)
    except IntegrityError:
        pass  # created by a concurrent writer; lock theirs below
    return AuditChainHead.objects.select_for_update().get(chain=chain)


def checkpoint() -> AuditCheckpoint:
    """Record every chain's head in the checkpoint chain, so a truncated chain is detected."""
    with transaction.atomic():
        last = AuditCheckpoint.objects.select_for_update().order_by("-seq").first()
        heads = {h.chain: [h.seq, h.hash] for h in AuditChainHead.objects.order_by("chain")}
        cp = AuditCheckpoint(
            seq=(last.seq + 1) if last else 1,
            at=timezone.now(),
            heads=heads,
            prev_hash=last.hash if last else GENESIS,
        )
        cp.hash = event_hash(_checkpoint_fields(cp), cp.prev_hash)
        cp.save(force_insert=True)
    logger.info("audit checkpoint %s %s (%d chains)", cp.seq, cp.hash, len(heads))
    return cp


def _checkpoint_fields(cp: AuditCheckpoint) -> dict:
    return {
        "seq": cp.seq,
        "at": cp.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "heads": cp.heads,
    }


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class VerifyResult:
    events: int
    chains: int
    checkpoints: int
    problem: Problem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify() -> VerifyResult:
    """Walk the checkpoints and every chain; stop at the first broken link and name it.

    The newest checkpoint pins each chain's (seq, hash) at that moment: since every hash depends on
    all before it, a chain rewritten or cut short before the checkpoint no longer matches.
    """
    checkpoints = 0
    prev = GENESIS
    pinned: dict[str, tuple[int, str]] = {}
    pinned_by = ""
    for cp in AuditCheckpoint.objects.order_by("seq").iterator():
        checkpoints += 1
        where = f"checkpoint #{cp.seq}"
        if cp.seq != checkpoints or cp.prev_hash != prev:
            return VerifyResult(0, 0, checkpoints, Problem(where, "a checkpoint is missing"))
        if event_hash(_checkpoint_fields(cp), cp.prev_hash) != cp.hash:
            return VerifyResult(0, 0, checkpoints, Problem(where, "its contents were changed"))
        prev = cp.hash
        pinned = {chain: (seq, digest) for chain, (seq, digest) in cp.heads.items()}
        pinned_by = where

    events = chains = 0
    seen_chains: dict[str, tuple[int, str]] = {}
    current: str | None = None
    expected_seq, expected_prev = 1, GENESIS
    for event in AuditEvent.objects.order_by("chain", "seq").iterator(chunk_size=2000):
        if event.chain != current:
            current, expected_seq, expected_prev = event.chain, 1, GENESIS
            chains += 1
        events += 1
        where = f"event id={event.pk} ({event.chain} #{event.seq})"
        if event.seq != expected_seq:
            what = "missing or reordered" if event.seq > expected_seq else "duplicated"
            problem = Problem(where, f"expected #{expected_seq}: an event is {what}")
            return VerifyResult(events, chains, checkpoints, problem)
        if event.prev_hash != expected_prev:
            problem = Problem(where, "does not link to the event before it")
            return VerifyResult(events, chains, checkpoints, problem)
        if event_hash(_fields(event), event.prev_hash) != event.hash:
            problem = Problem(where, "its contents were changed")
            return VerifyResult(events, chains, checkpoints, problem)
        pin = pinned.get(event.chain)
        if pin is not None and pin[0] == event.seq and pin[1] != event.hash:
            problem = Problem(where, f"differs from {pinned_by}: the chain was rewritten")
            return VerifyResult(events, chains, checkpoints, problem)
        expected_seq, expected_prev = event.seq + 1, event.hash
        seen_chains[event.chain] = (event.seq, event.hash)

    for chain, (seq, _digest) in sorted(pinned.items()):
        last = seen_chains.get(chain, (0, GENESIS))[0]
        if last < seq:
            problem = Problem(
                f"chain {chain}", f"ends at #{last} but {pinned_by} saw #{seq}: events were deleted"
            )
            return VerifyResult(events, chains, checkpoints, problem)
    for head in AuditChainHead.objects.order_by("chain"):
        last = seen_chains.get(head.chain, (0, GENESIS))
        if head.seq != last[0] or head.hash != last[1]:
            problem = Problem(
                f"chain {head.chain}", f"ends at #{last[0]} but its head says #{head.seq}"
            )
            return VerifyResult(events, chains, checkpoints, problem)
    return VerifyResult(events, chains, checkpoints, None)
