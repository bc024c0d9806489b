"""Pure sealing rules of the audit log; no Django imports, so verification is easy to test.

An event is sealed with an HMAC-SHA256 over its fields and the seal of the event before it in its
chain, under a key that lives outside the database. A checkpoint is a plain SHA-256 digest over its
fields and the digest before it, which the signing key then signs.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC

GENESIS = "0" * 64


def _canonical(fields: dict, prev_hash: str) -> bytes:
    payload = {**fields, "prev_hash": prev_hash}
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode("utf-8")


def event_seal(fields: dict, prev_hash: str, key: bytes) -> str:
    return hmac.new(key, _canonical(fields, prev_hash), hashlib.sha256).hexdigest()


def digest(fields: dict, prev_hash: str) -> str:
    return hashlib.sha256(_canonical(fields, prev_hash)).hexdigest()


def event_fields(event) -> dict:
    """What an event's seal covers: everything but its id and the seals themselves."""
    return {
        "chain": event.chain,
        "seq": event.seq,
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
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
        "key_id": event.key_id,
    }


def checkpoint_fields(checkpoint) -> dict:
    """What a checkpoint's digest covers: its number, time, the chain heads it pins and signer."""
    return {
        "seq": checkpoint.seq,
        "at": checkpoint.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "heads": checkpoint.heads,
        "signer": checkpoint.signer,
    }
