"""Files the command line reads and writes, handled so a wrong path cannot do harm.

Reading: only a regular file (never a device, a FIFO or a directory), never more than a limit,
and JSON nested no deeper than a limit. Writing: never through a symlink, never over a device or
any other file that is not a regular one, never over an existing file unless asked, and
atomically, with mode 0600 from the first byte.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path


class FileRefused(Exception):
    """A one-line reason why a path was not read or written."""


def read_regular(name: str, *, limit: int) -> bytes:
    """The bytes of file ``name`` (``-``: standard input), refusing what is not a regular file or
    is larger than ``limit`` bytes."""
    if name == "-":
        data = sys.stdin.buffer.read(limit + 1)
    else:
        try:
            # Non-blocking, so that opening a FIFO does not wait for a writer.
            descriptor = os.open(name, os.O_RDONLY | os.O_NONBLOCK)
        except OSError as exc:
            raise FileRefused(f"cannot read {name}: {exc.strerror}") from None
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.close(descriptor)
            raise FileRefused(f"{name} is not a regular file")
        with os.fdopen(descriptor, "rb") as handle:
            data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileRefused(f"{name} is larger than {limit // 1_000_000} MB")
    return data


def json_depth_within(text: str, limit: int) -> bool:
    """Whether no array or object in ``text`` is nested more than ``limit`` deep (checked before
    parsing, which would otherwise recurse as deep as the file)."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return False
        elif char in "]}":
            depth -= 1
    return True


def load_json(name: str, *, limit: int, max_depth: int) -> object:
    """A JSON file read with :func:`read_regular`, nested at most ``max_depth`` deep."""
    try:
        text = read_regular(name, limit=limit).decode("utf-8")
    except UnicodeDecodeError:
        raise FileRefused(f"{name} is not UTF-8 text") from None
    if not json_depth_within(text, max_depth):
        raise FileRefused(f"{name} is nested more than {max_depth} levels deep")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileRefused(
            f"{name} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None


def write_private(target: Path, write: Callable[[Path], None], *, force: bool) -> None:
    """Have ``write`` fill a new private file, then put it at ``target`` in one step.

    ``target`` itself is never followed if it is a symlink, never replaced if it is not a regular
    file, and replaced when it is one only with ``force``. The new file is made next to it with
    mode 0600, synced, renamed over ``target``, and the directory synced.
    """
    try:
        existing = target.lstat()
    except FileNotFoundError:
        existing = None
    if existing is not None:
        if stat.S_ISLNK(existing.st_mode):
            raise FileRefused(f"{target} is a symbolic link; give the real path")
        if not stat.S_ISREG(existing.st_mode):
            raise FileRefused(f"{target} exists and is not a regular file")
        if not force:
            raise FileRefused(f"{target} already exists; add --force to replace it")
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    descriptor, partial_name = tempfile.mkstemp(
        dir=parent, prefix=f".{target.name}.", suffix=".partial"
    )
    partial = Path(partial_name)
    try:
        os.close(descriptor)  # mkstemp made it with mode 0600 and O_EXCL
        write(partial)
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
        directory = os.open(parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    finally:
        partial.unlink(missing_ok=True)
