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


def private_file(path: Path) -> None:
    """Create ``path`` empty and readable by its owner only, before any data goes in."""
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


class Command(OperationalCommand):
    help = (
        "Write a consistent online backup of the database to PATH: SQLite through its backup "
        "API, PostgreSQL through pg_dump (custom format). The app may keep running."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        target = Path(path).resolve()
        if target.is_dir():
            raise CommandError(f"{target} is a directory; give the backup file's path.")
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written next to the target and renamed at the end: a failed backup never replaces a
        # good one, and a half-written file never carries the target's name.
        partial = target.with_name(target.name + ".partial")
        vendor = connection.vendor
        try:
            private_file(partial)
            if vendor == "sqlite":
                self._sqlite(partial)
            elif vendor == "postgresql":
                self._postgresql(partial)
            else:
                raise CommandError(f"Backups of {vendor} databases are not supported.")
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
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
