"""Writing the audit log.

Every read, write and export of client data calls :func:`record` inside the same transaction as
the work it describes. No clinical text goes in: only who, what, which record, when and from where.
Each event is sealed under the current audit key (``keys.py``); ``checkpoints.py`` pins the chains
and ``verification.py`` checks them.
"""

from __future__ import annotations

from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from securebase.audit import checkpoints, keys, witness
from securebase.audit.hashing import GENESIS, event_fields, event_seal
from securebase.audit.models import AuditChainHead, AuditEvent
from securebase.core.addresses import client_address
from securebase.core.errors import RecordRestricted

Action = AuditEvent.Action
RESTRICTED_ACTIONS = (Action.CREATE, Action.UPDATE, Action.DELETE)


def request_origin(request) -> dict:
    """Where a request came from, for the audit trail (behind a proxy: the address it passed on)."""
    if request is None:
        return {"ip": None, "via": "cli"}
    via = "api" if request.path.startswith("/api/") else "web"
    return {"ip": client_address(request), "via": via}


# Which practice a person belongs to is care's knowledge, and care builds on audit, not the
# reverse: care tells the log at start-up (``CareConfig.ready``).
_practice_of = {"resolve": lambda actor: None}


def resolve_practices_with(resolve) -> None:
    """Have events about a person without a client carry that person's practice."""
    _practice_of["resolve"] = resolve


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
    """Append one event to its chain. Call inside the transaction of the work it records.

    A write to a restricted record is refused here, where every write passes, and its transaction
    rolls back (only lifting the restriction, or erasure, still writes).
    """
    if (
        action in RESTRICTED_ACTIONS
        and getattr(client, "restricted_at", None) is not None
        and object_type not in ("restriction", "erasure")
    ):
        raise RecordRestricted(
            _("This record is restricted: it is kept, but nothing new can be saved to it.")
        )
    if client is not None and practice_id is None:
        practice_id = client.practice_id
    elif practice_id is None and getattr(actor, "pk", None):
        practice_id = _practice_of["resolve"](actor)  # so the practice's admins see it
    chain = chain_for(client=client, practice_id=practice_id, actor=actor)
    origin = request_origin(request)
    actor_pk = getattr(actor, "pk", None)
    sealing = keys.configured()
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
            key_id=sealing.current_mac_id,
            prev_hash=head.hash,
        )
        event.hash = event_seal(
            event_fields(event), event.prev_hash, sealing.mac_keys[sealing.current_mac_id]
        )
        event.save(force_insert=True)
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
        transaction.on_commit(
            partial(witness.append_event, event.chain, event.seq, event.hash), robust=True
        )
        transaction.on_commit(checkpoints.checkpoint_if_due)
    checkpoints.checkpoint_at_exit()
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
