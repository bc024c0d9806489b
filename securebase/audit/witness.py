"""The witness: what the audit log held, kept outside the database.

Two kinds of file in ``AUDIT_WITNESS_DIR`` (a directory of mode 0700; files of mode 0600, opened for
appending only):
- ``checkpoints.jsonl``: every checkpoint (its number, digest and signature), synced to disk before
  the checkpoint's transaction commits. With ``AUDIT_WITNESS_SYSLOG`` each line also goes to
  syslog, so a copy leaves the machine.
- ``events-YYYYMMDDHH.jsonl``: each event's chain, number and seal, appended as it commits, so the
  events newer than the newest checkpoint are witnessed too. A segment is removed once a
  checkpoint has pinned everything in it.

Someone who can write to the database cannot reach these files, so ``securebase audit verify``
finds what they cut, rewrote or wiped. A restore of an older backup is written here too (a
"restore" line; the event segments of the lost history move to ``before-restore-…/``), so that
what was lost with it is expected rather than reported as tampering.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

FILE_NAME = "checkpoints.jsonl"
SEGMENT = "events-%Y%m%d%H.jsonl"
SEGMENT_GLOB = "events-*.jsonl"
APPEND = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW

logger = logging.getLogger("securebase.audit.witness")


class WitnessUnreadable(Exception):
    """The witness file exists but is not a regular file of JSON lines."""


def path() -> Path:
    return Path(settings.AUDIT_WITNESS_DIR) / FILE_NAME


def _directory() -> Path:
    directory = Path(settings.AUDIT_WITNESS_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def _append_line(target: Path, entry: dict, *, sync: bool) -> str:
    line = json.dumps(entry, sort_keys=True, separators=(",", ":")) + "\n"
    descriptor = os.open(target, APPEND, 0o600)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise WitnessUnreadable(f"{target} is not a regular file")
        os.write(descriptor, line.encode("utf-8"))
        if sync:
            os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return line


def append(entry: dict) -> None:
    """Add one checkpoint or restore line and sync it to disk (and to syslog when configured)."""
    line = _append_line(_directory() / FILE_NAME, entry, sync=True)
    if settings.AUDIT_WITNESS_SYSLOG:
        _to_syslog(line.strip())


def append_event(chain: str, seq: int, seal: str) -> None:
    """Witness one committed event (run after its transaction commits)."""
    segment = _directory() / timezone.now().astimezone(UTC).strftime(SEGMENT)
    _append_line(segment, {"chain": chain, "seq": seq, "seal": seal}, sync=False)


def _segment_hour(segment: Path) -> datetime | None:
    try:
        return datetime.strptime(segment.name, SEGMENT).replace(tzinfo=UTC)
    except ValueError:
        return None


def prune_events(pinned_by: datetime) -> None:
    """Remove the event segments that a checkpoint written at ``pinned_by`` covers entirely
    (an hour of slack for events that committed while it was being written)."""
    directory = Path(settings.AUDIT_WITNESS_DIR)
    cutoff = pinned_by.astimezone(UTC) - timedelta(hours=2)
    for segment in directory.glob(SEGMENT_GLOB):
        hour = _segment_hour(segment)
        if hour is not None and hour < cutoff:
            segment.unlink(missing_ok=True)


def set_aside_events() -> Path | None:
    """After a restore: move the event segments of the lost history into a folder of their own."""
    directory = Path(settings.AUDIT_WITNESS_DIR)
    segments = sorted(directory.glob(SEGMENT_GLOB))
    if not segments:
        return None
    aside = directory / f"before-restore-{timezone.now().astimezone(UTC):%Y%m%dT%H%M%S%f}"
    aside.mkdir(mode=0o700)
    for segment in segments:
        segment.rename(aside / segment.name)
    return aside


def read_events(directory: Path | None = None) -> dict[tuple[str, int], str]:
    """Every witnessed event still in a segment: (chain, seq) -> seal."""
    folder = directory or Path(settings.AUDIT_WITNESS_DIR)
    events: dict[tuple[str, int], str] = {}
    for segment in sorted(folder.glob(SEGMENT_GLOB)):
        for entry in _read_lines(segment):
            events[(str(entry.get("chain")), int(entry.get("seq", 0)))] = str(entry.get("seal"))
    return events


def read(at: Path | None = None) -> list[dict] | None:
    """Every checkpoint, restore or erasure line, oldest first; None when there is no such file at all."""
    target = at or path()
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(mode):
        raise WitnessUnreadable(f"{target} is not a regular file")
    return _read_lines(target)


def _read_lines(target: Path) -> list[dict]:
    if not stat.S_ISREG(target.lstat().st_mode):
        raise WitnessUnreadable(f"{target} is not a regular file")
    entries = []
    with target.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as exc:
                raise WitnessUnreadable(f"{target}, line {number}: not JSON") from exc
            if not isinstance(entry, dict):
                raise WitnessUnreadable(f"{target}, line {number}: not a JSON object")
            entries.append({**entry, "line": number})
    return entries


def _to_syslog(line: str) -> None:
    target = settings.AUDIT_WITNESS_SYSLOG
    if target.startswith("/"):
        address: str | tuple[str, int] = target
    else:
        host, _, port = target.rpartition(":")
        address = (host or target, int(port) if port.isdigit() else 514)
    handler = logging.handlers.SysLogHandler(
        address=address, facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV
    )
    try:
        handler.emit(logging.makeLogRecord({"msg": f"securebase-audit-witness {line}"}))
    finally:
        handler.close()
