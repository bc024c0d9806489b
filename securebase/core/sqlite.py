"""A SQLite database holds everything the app knows: its files are readable by their owner only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

SUFFIXES = ("", "-wal", "-shm", "-journal")


def make_private(sender, connection, **kwargs) -> None:
    """On each new connection (Django's ``connection_created``): the database file and its WAL,
    shared-memory and journal files get mode 0600. SQLite gives the WAL and journal files it
    creates later the database file's own mode, so they stay private too."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        return
    for suffix in SUFFIXES:
        path = Path(name + suffix)
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            continue
        if stat.S_ISREG(mode) and stat.S_IMODE(mode) & 0o077:
            os.chmod(path, 0o600)
