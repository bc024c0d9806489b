import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from securebase.core.management.commands.backup import pg_environment

SQLITE_MAGIC = b"SQLite format 3\x00"
# Tables every Secure Base database has: a file without them is not one of our backups.
REQUIRED_TABLES = ("django_migrations", "audit_auditevent", "care_client")


class Command(BaseCommand):
    help = (
        "Replace the database with the backup at PATH (made by `securebase backup`). "
        "Stop the app first: everything written since the backup is lost."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, path, yes, **options):
        source = Path(path).resolve()
        if not source.exists():
            raise CommandError(f"No backup at {source}.")
        if not source.is_file():
            raise CommandError(f"{source} is not a file.")
        vendor = connection.vendor
        # Check the file before asking, and before touching the database: a wrong file must
        # never replace the data.
        if vendor == "sqlite":
            self._check_sqlite(source)
        elif vendor == "postgresql":
            self._check_postgresql(source)
        else:
            raise CommandError(f"Restoring {vendor} databases is not supported.")
        if not yes:
            try:
                answer = input(
                    "This replaces every record in the database with the backup. "
                    "Type 'restore' to go on: "
                )
            except EOFError:
                answer = ""
            if answer.strip() != "restore":
                raise CommandError("Nothing was changed.")
        connections.close_all()
        if vendor == "sqlite":
            self._restore_sqlite(source)
        else:
            self._restore_postgresql(source)
        self.stdout.write(self.style.SUCCESS(f"Database restored from {source}"))

    # --- SQLite -------------------------------------------------------------------------------

    @staticmethod
    def _not_a_backup(source: Path, why: str) -> CommandError:
        return CommandError(
            f"{source} is not a Secure Base backup for this database ({why}). Nothing was changed."
        )

    def _check_sqlite(self, source: Path) -> None:
        with source.open("rb") as file:
            if file.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                raise self._not_a_backup(source, "not an SQLite database file")
        try:
            with closing(sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)) as check:
                if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    raise self._not_a_backup(source, "it fails SQLite's integrity check")
                tables = {
                    row[0]
                    for row in check.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                }
        except sqlite3.Error as exc:
            raise self._not_a_backup(source, f"SQLite cannot read it: {exc}") from exc
        missing = [t for t in REQUIRED_TABLES if t not in tables]
        if missing:
            raise self._not_a_backup(source, f"it has no {', '.join(missing)} table")

    def _restore_sqlite(self, source: Path) -> None:
        name = Path(settings.DATABASES["default"]["NAME"]).resolve()
        name.parent.mkdir(parents=True, exist_ok=True)
        try:
            with (
                closing(sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)) as backup,
                closing(sqlite3.connect(name, timeout=20)) as destination,
            ):
                backup.backup(destination)
        except sqlite3.Error as exc:
            raise CommandError(f"Restoring {source} failed: {exc}") from exc

    # --- PostgreSQL ---------------------------------------------------------------------------

    def _check_postgresql(self, source: Path) -> None:
        if shutil.which("pg_restore") is None:
            raise CommandError(
                "pg_restore is not installed (Debian: apt-get install postgresql-client)."
            )
        result = subprocess.run(
            ["pg_restore", "--list", str(source)],
            env=pg_environment(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            why = result.stderr.strip().removeprefix("pg_restore: error: ") or "unreadable"
            raise self._not_a_backup(source, why)
        tables = {
            parts[5]
            for line in result.stdout.splitlines()
            if not line.startswith(";") and len(parts := line.split()) > 5 and parts[3] == "TABLE"
        }
        missing = [t for t in REQUIRED_TABLES if t not in tables]
        if missing:
            raise self._not_a_backup(source, f"it has no {', '.join(missing)} table")

    def _restore_postgresql(self, source: Path) -> None:
        env = pg_environment()
        result = subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                env["PGDATABASE"],
                str(source),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed (nothing was changed): {result.stderr.strip()}")
