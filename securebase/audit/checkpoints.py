"""Checkpoints: signed pins of the chains' heads, kept in the database and in the witness.

A checkpoint lists the head (seq, seal) of every chain that moved since the checkpoint before it,
links to that one by its digest, and is signed with the Ed25519 signing key. It is written to the
witness (``witness.py``) inside its own transaction, so a checkpoint the database holds is one the
witness holds too. While there is activity one is written at least every AUDIT_CHECKPOINT_MINUTES
(after an event commits, by whichever process wrote it: a web or API request, the task worker, a
command), and a process that wrote events writes a last one when it exits.
"""

from __future__ import annotations

import atexit
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from securebase.audit import keys, witness
from securebase.audit.hashing import GENESIS, checkpoint_fields, digest
from securebase.audit.models import AuditChainHead, AuditCheckpoint

logger = logging.getLogger("securebase.audit")

DUE_FLAG = "securebase:audit:checkpoint-checked"


def checkpoint() -> AuditCheckpoint:
    """Pin the heads of the chains that moved since the last checkpoint, sign, and witness it."""
    sealing = keys.configured()
    with transaction.atomic():
        last = AuditCheckpoint.objects.select_for_update().order_by("-seq").first()
        moved = list(
            AuditChainHead.objects.select_for_update()
            .filter(seq__gt=F("checkpointed_seq"))
            .order_by("chain")
        )
        cp = AuditCheckpoint(
            seq=(last.seq + 1) if last else 1,
            at=timezone.now(),
            heads={head.chain: [head.seq, head.hash] for head in moved},
            prev_hash=last.hash if last else GENESIS,
            signer=sealing.signer_id,
        )
        cp.hash = digest(checkpoint_fields(cp), cp.prev_hash)
        cp.signature = keys.sign(sealing, cp.hash)
        cp.save(force_insert=True)
        for head in moved:
            head.checkpointed_seq = head.seq
        AuditChainHead.objects.bulk_update(moved, ["checkpointed_seq"])
        witness.append(witness_entry(cp))
    witness.prune_events(pinned_by=cp.at)
    logger.info("audit checkpoint %s %s (%d chains moved)", cp.seq, cp.hash, len(moved))
    return cp


def witness_entry(cp: AuditCheckpoint) -> dict:
    return {
        "kind": "checkpoint",
        "seq": cp.seq,
        "at": checkpoint_fields(cp)["at"],
        "hash": cp.hash,
        "signer": cp.signer,
        "signature": cp.signature,
    }


def restore_fields(to_seq: int, to_hash: str, at: str) -> dict:
    return {"kind": "restore", "seq": to_seq, "hash": to_hash, "at": at}


def record_restore() -> dict:
    """After a backup is restored: tell the witness that the log now ends at the backup's newest
    checkpoint, so the checkpoints after it are expected to be gone, not reported as tampering."""
    sealing = keys.configured()
    last = AuditCheckpoint.objects.order_by("-seq").first()
    fields = restore_fields(
        last.seq if last else 0, last.hash if last else GENESIS, timezone.now().isoformat()
    )
    entry_digest = digest(fields, GENESIS)
    entry = {**fields, "signer": sealing.signer_id, "signature": keys.sign(sealing, entry_digest)}
    witness.set_aside_events()
    witness.append(entry)
    return entry


def erasure_fields(subject: str, at: str) -> dict:
    return {"kind": "erasure", "subject": subject, "at": at}


def record_erasure(subject) -> dict:
    """Tell the witness that this data subject's key was destroyed, so that restoring a backup
    from before can destroy it again (``erased_subjects``)."""
    sealing = keys.configured()
    fields = erasure_fields(str(subject), timezone.now().isoformat())
    entry = {
        **fields,
        "signer": sealing.signer_id,
        "signature": keys.sign(sealing, digest(fields, GENESIS)),
    }
    witness.append(entry)
    return entry


def erased_subjects(witness_file=None) -> list[str]:
    """The subjects whose erasure the witness records under a valid signature, oldest first."""
    sealing = keys.configured()
    subjects = []
    for entry in witness.read(witness_file) or []:
        if entry.get("kind") != "erasure":
            continue
        fields = erasure_fields(entry.get("subject", ""), entry.get("at", ""))
        signed = digest(fields, GENESIS)
        if keys.signature_valid(
            sealing, entry.get("signer", ""), signed, entry.get("signature", "")
        ):
            subjects.append(fields["subject"])
    return subjects


def moved_since_last() -> bool:
    return AuditChainHead.objects.filter(seq__gt=F("checkpointed_seq")).exists()


def checkpoint_if_due() -> None:
    """Write a checkpoint when chains moved and the newest is older than the interval.

    Checked at most once a minute (a cache flag, shared by the processes through Redis), after the
    event's transaction has committed, so it never holds up the request's own write.
    """
    if not cache.add(DUE_FLAG, 1, timeout=60):
        return
    interval = settings.AUDIT_CHECKPOINT_MINUTES * 60
    newest = AuditCheckpoint.objects.order_by("-seq").values_list("at", flat=True).first()
    if newest is not None and (timezone.now() - newest).total_seconds() < interval:
        return
    _checkpoint_quietly()


def _checkpoint_quietly() -> None:
    try:
        if moved_since_last():
            checkpoint()
    except (IntegrityError, DatabaseError):
        logger.warning("audit checkpoint skipped: another process is writing one")
    except OSError:
        logger.exception("audit checkpoint not written: the witness directory is not writable")


_exit_hook = {"registered": False}


def checkpoint_at_exit() -> None:
    """Make this process write a last checkpoint when it exits (once registered, a no-op)."""
    if _exit_hook["registered"] or not settings.AUDIT_CHECKPOINT_ON_EXIT:
        return
    _exit_hook["registered"] = True
    atexit.register(_checkpoint_quietly)
