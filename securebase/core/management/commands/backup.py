import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection

from securebase.core.commands import OperationalCommand
from securebase.core.files import FileRefused, write_private


def pg_environment() -> dict:
    db = settings.DATABASES["default"]
    env = {**os.environ}
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    # TLS settings from DATABASE_URL (?sslmode=require...) apply to pg_dump/pg_restore too.
    options = db.get("OPTIONS") or {}
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if options.get(key):
            env[f"PG{key.upper()}"] = str(options[key])
    return env


class Command(OperationalCommand):
    help = (
        "Write a consistent online backup of the database to PATH: SQLite through its backup "
        "API, PostgreSQL through pg_dump (custom format). The app may keep running."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--force", action="store_true", help="Replace PATH if it is an earlier backup."
        )

    def handle(self, *args, path, force, **options):
        target = Path(path).absolute()  # not resolved: a symlink at PATH is refused, not followed
        vendor = connection.vendor
        if vendor == "sqlite":
            write = self._sqlite
        elif vendor == "postgresql":
            write = self._postgresql
        else:
            raise CommandError(f"Backups of {vendor} databases are not supported.")
        # Written next to the target and renamed at the end: a failed backup never replaces a
        # good one, and a half-written file never carries the target's name.
        try:
            write_private(target, write, force=force)
        except FileRefused as exc:
            raise CommandError(f"{exc}. Nothing was written.") from None
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target}"))

    def _sqlite(self, partial: Path) -> None:
        name = Path(settings.DATABASES["default"]["NAME"]).resolve()
        if not name.is_file():
            raise CommandError(f"There is no database at {name}.")
        try:
            with (
                closing(sqlite3.connect(name, timeout=20)) as source,
                closing(sqlite3.connect(partial)) as destination,
            ):
                source.backup(destination)
                # One self-contained file: the live database runs in WAL mode, its backup not.
                destination.execute("PRAGMA journal_mode=DELETE")
                if destination.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    raise CommandError("The backup did not pass SQLite's integrity check.")
        except sqlite3.Error as exc:
            raise CommandError(f"SQLite backup failed: {exc}") from exc

    def _postgresql(self, partial: Path) -> None:
        if shutil.which("pg_dump") is None:
            raise CommandError(
                "pg_dump is not installed (Debian: apt-get install postgresql-client)."
            )
        result = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(partial)],
            env=pg_environment(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
