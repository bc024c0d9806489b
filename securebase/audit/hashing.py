"""Pure hashing rules of the audit chain; no Django imports, so verification is easy to test."""

from __future__ import annotations

import hashlib
import json

GENESIS = "0" * 64


def event_hash(fields: dict, prev_hash: str) -> str:
    payload = json.dumps(
        {**fields, "prev_hash": prev_hash}, sort_keys=True, separators=(",", ":"), default=str
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
