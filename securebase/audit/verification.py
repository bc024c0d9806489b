"""Checking the audit log: its seals, its signed checkpoints, and the witness outside the database.

:func:`verify` stops at the first problem and names it. It catches, for someone who can write to
the database but holds neither the audit keys nor the witness directory:
- an event changed, inserted, reordered or deleted in the middle of a chain (seals and links);
- events deleted at the end of a chain, up to the newest checkpoint (the checkpoint pins the head);
- checkpoints deleted, changed or forged (the witness holds each one's digest, and each is signed);
- a wiped log (the witness says there were checkpoints).
Events newer than the newest checkpoint can still be cut unseen; checkpoints come at least every
AUDIT_CHECKPOINT_MINUTES while there is activity, which bounds that window.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from securebase.audit import keys, witness
from securebase.audit.checkpoints import erasure_fields, restore_fields
from securebase.audit.hashing import GENESIS, checkpoint_fields, digest, event_fields, event_seal
from securebase.audit.models import AuditChainHead, AuditCheckpoint, AuditEvent


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
    witnessed: int = 0

    @property
    def ok(self) -> bool:
        return self.problem is None


class _Broken(Exception):
    def __init__(self, where: str, message: str):
        super().__init__(where, message)
        self.problem = Problem(where, message)


@dataclass
class _Tally:
    events: int = 0
    chains: int = 0
    checkpoints: int = 0
    witnessed: int = 0

    def result(self, problem: Problem | None = None) -> VerifyResult:
        return VerifyResult(self.events, self.chains, self.checkpoints, problem, self.witnessed)


def verify(witness_file: Path | None = None) -> VerifyResult:
    """Walk the checkpoints, compare them with the witness, then walk every chain."""
    sealing = keys.configured()
    tally = _Tally()
    try:
        in_database = _checkpoints(sealing, tally)
        _compare_with_witness(sealing, in_database, witness_file, tally)
        pinned = _pinned_heads()
        witnessed = _witnessed_events(witness_file)
        seen = _chains(sealing, pinned, witnessed, tally)
        _no_witnessed_event_missing(witnessed)
        _no_chain_cut_short(pinned, seen)
        _heads_match(seen)
    except _Broken as broken:
        return tally.result(broken.problem)
    return tally.result()


def _checkpoints(sealing: keys.Keys, tally: _Tally) -> dict[int, AuditCheckpoint]:
    """The database's checkpoints by number, each linked, unchanged and signed by our key."""
    found: dict[int, AuditCheckpoint] = {}
    prev = GENESIS
    for cp in AuditCheckpoint.objects.order_by("seq").iterator():
        tally.checkpoints += 1
        where = f"checkpoint #{cp.seq}"
        if cp.seq != len(found) + 1:
            raise _Broken(where, f"checkpoint #{len(found) + 1} is missing")
        if cp.prev_hash != prev:
            raise _Broken(where, "does not link to the checkpoint before it")
        if digest(checkpoint_fields(cp), cp.prev_hash) != cp.hash:
            raise _Broken(where, "its contents were changed")
        if not keys.signature_valid(sealing, cp.signer, cp.hash, cp.signature):
            raise _Broken(where, "its signature is not one of the audit signing keys")
        found[cp.seq] = cp
        prev = cp.hash
    return found


def _expected_from_witness(sealing: keys.Keys, entries: list[dict], where: str) -> dict[int, dict]:
    """The checkpoints the witness says the database holds, restores applied."""
    expected: dict[int, dict] = {}
    for entry in entries:
        line = f"{where}, line {entry['line']}"
        kind = entry.get("kind")
        if kind == "checkpoint":
            signed = entry.get("hash", "")
        elif kind == "restore":
            fields = restore_fields(entry.get("seq", 0), entry.get("hash", ""), entry.get("at", ""))
            signed = digest(fields, GENESIS)
        elif kind == "erasure":  # a client's data key destroyed: nothing to compare
            signed = digest(erasure_fields(entry.get("subject", ""), entry.get("at", "")), GENESIS)
        else:
            raise _Broken(line, f"unknown kind of entry {kind!r}")
        if not keys.signature_valid(
            sealing, entry.get("signer", ""), signed, entry.get("signature", "")
        ):
            raise _Broken(line, "not signed by an audit signing key: the witness was tampered with")
        if kind == "checkpoint":
            expected[entry["seq"]] = entry
        elif kind == "restore":
            expected = {seq: e for seq, e in expected.items() if seq <= entry["seq"]}
    return expected


def _compare_with_witness(
    sealing: keys.Keys,
    in_database: dict[int, AuditCheckpoint],
    witness_file: Path | None,
    tally: _Tally,
) -> None:
    target = witness_file or witness.path()
    try:
        entries = witness.read(target)
    except witness.WitnessUnreadable as exc:
        raise _Broken("witness", str(exc)) from exc
    if entries is None:
        if in_database:
            raise _Broken(
                "witness",
                f"{target} does not exist but the database holds {len(in_database)} "
                "checkpoints: the witness was removed, or AUDIT_WITNESS_DIR points elsewhere",
            )
        return
    expected = _expected_from_witness(sealing, entries, str(target))
    tally.witnessed = len(expected)
    if expected and not in_database:
        newest = expected[max(expected)]
        raise _Broken(
            "audit log",
            f"the database holds no checkpoints but the witness recorded {len(expected)} "
            f"(the newest, #{newest['seq']}, on {newest['at']}): the log was wiped",
        )
    for seq, entry in sorted(expected.items()):
        cp = in_database.get(seq)
        if cp is None:
            raise _Broken(
                f"checkpoint #{seq}",
                f"the witness recorded it on {entry['at']} but the database no longer holds it: "
                "events were deleted",
            )
        if cp.hash != entry["hash"]:
            raise _Broken(f"checkpoint #{seq}", "differs from the witness: the log was rewritten")
    unwitnessed = sorted(set(in_database) - set(expected))
    if unwitnessed:
        raise _Broken(
            f"checkpoint #{unwitnessed[0]}",
            f"is not in the witness {target}: the witness was cut short or replaced",
        )


def _pinned_heads() -> dict[str, tuple[int, str, int]]:
    """Each chain's newest pinned head: (seq, seal, checkpoint number)."""
    pinned: dict[str, tuple[int, str, int]] = {}
    for cp in AuditCheckpoint.objects.order_by("seq").iterator():
        for chain, (seq, seal) in cp.heads.items():
            pinned[chain] = (seq, seal, cp.seq)
    return pinned


def _witnessed_events(witness_file: Path | None) -> dict[tuple[str, int], str]:
    folder = witness_file.parent if witness_file else None
    try:
        return witness.read_events(folder)
    except (witness.WitnessUnreadable, ValueError, TypeError) as exc:
        raise _Broken("witness", f"an event segment is unreadable: {exc}") from exc


def _no_witnessed_event_missing(witnessed: dict[tuple[str, int], str]) -> None:
    """Events the witness saw commit that the walk did not find (it removes those it found)."""
    if witnessed:
        chain, seq = min(witnessed)
        more = f" and {len(witnessed) - 1} more" if len(witnessed) > 1 else ""
        raise _Broken(
            f"chain {chain}, event #{seq}{more}",
            "the witness saw it committed but the database no longer holds it: events were deleted",
        )


def _chains(sealing, pinned, witnessed, tally: _Tally) -> dict[str, tuple[int, str]]:
    """Walk every chain in order; return each chain's last (seq, seal). Each event the witness
    saw is checked and taken out of ``witnessed``."""
    seen: dict[str, tuple[int, str]] = {}
    current: str | None = None
    expected_seq, expected_prev = 1, GENESIS
    for event in AuditEvent.objects.order_by("chain", "seq").iterator(chunk_size=2000):
        if event.chain != current:
            current, expected_seq, expected_prev = event.chain, 1, GENESIS
            tally.chains += 1
        tally.events += 1
        where = f"event id={event.pk} ({event.chain} #{event.seq})"
        if event.seq != expected_seq:
            what = "missing or reordered" if event.seq > expected_seq else "duplicated"
            raise _Broken(where, f"expected #{expected_seq}: an event is {what}")
        if event.prev_hash != expected_prev:
            raise _Broken(where, "does not link to the event before it")
        key = sealing.mac_keys.get(event.key_id)
        if key is None:
            raise _Broken(where, f"sealed with key {event.key_id!r}, which is not in AUDIT_KEYS")
        if event_seal(event_fields(event), event.prev_hash, key) != event.hash:
            raise _Broken(where, "its contents were changed")
        pin = pinned.get(event.chain)
        if pin is not None and pin[0] == event.seq and pin[1] != event.hash:
            raise _Broken(where, f"differs from checkpoint #{pin[2]}: the chain was rewritten")
        seen_seal = witnessed.pop((event.chain, event.seq), None)
        if seen_seal is not None and seen_seal != event.hash:
            raise _Broken(where, "differs from what the witness saw: the chain was rewritten")
        expected_seq, expected_prev = event.seq + 1, event.hash
        seen[event.chain] = (event.seq, event.hash)
    return seen


def _no_chain_cut_short(pinned, seen) -> None:
    for chain, (seq, _seal, by) in sorted(pinned.items()):
        last = seen.get(chain, (0, GENESIS))[0]
        if last < seq:
            raise _Broken(
                f"chain {chain}",
                f"ends at #{last} but checkpoint #{by} saw #{seq}: events were deleted",
            )


def _heads_match(seen) -> None:
    for head in AuditChainHead.objects.order_by("chain"):
        last = seen.get(head.chain, (0, GENESIS))
        if head.seq != last[0] or head.hash != last[1]:
            raise _Broken(
                f"chain {head.chain}", f"ends at #{last[0]} but its head says #{head.seq}"
            )
