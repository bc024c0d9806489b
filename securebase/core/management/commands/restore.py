import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, connections

from securebase.core.commands import OperationalCommand
from securebase.core.management.commands.backup import pg_environment
from securebase.core.signals import database_restored

SQLITE_MAGIC = b"SQLite format 3\x00"
# Tables every Secure Base database has: a file without them is not one of our backups.
REQUIRED_TABLES = ("django_migrations", "audit_auditevent", "care_client")


class Command(OperationalCommand):
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
        connections.close_all()
        database_restored.send(sender=self.__class__)
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
        for program in ("pg_restore", "psql"):
            if shutil.which(program) is None:
                raise CommandError(
                    f"{program} is not installed (Debian: apt-get install postgresql-client)."
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
        self.backup_tables = {
            parts[5]
            for line in result.stdout.splitlines()
            if not line.startswith(";")
            and len(parts := line.split()) > 5
            and parts[3] == "TABLE"
            and parts[4] == "public"
        }
        missing = [t for t in REQUIRED_TABLES if t not in self.backup_tables]
        if missing:
            raise self._not_a_backup(source, f"it has no {', '.join(missing)} table")

    def _restore_postgresql(self, source: Path) -> None:
        """Replace the database in one transaction: all of the backup, or nothing changed.

        ``pg_restore --clean`` only drops what the backup holds, so tables made after it (by a
        later migration) are dropped too: the database then matches the backup exactly.
        """
        env = pg_environment()
        qn = connection.ops.quote_name
        later = sorted(set(connection.introspection.table_names()) - self.backup_tables)
        connections.close_all()
        with tempfile.TemporaryDirectory(prefix="securebase-restore-") as work:
            script = Path(work) / "restore.sql"  # the directory is private (mode 0700)
            self._run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--file",
                    str(script),
                    str(source),
                ],
                env,
            )
            drops = "".join(f"DROP TABLE IF EXISTS public.{qn(t)} CASCADE;" for t in later)
            self._run(
                [
                    "psql",
                    "--no-psqlrc",
                    "--quiet",
                    "--single-transaction",
                    "--set",
                    "ON_ERROR_STOP=1",
                    "--dbname",
                    env["PGDATABASE"],
                    "--command",
                    drops or "SELECT 1",
                    "--file",
                    str(script),
                ],
                env,
            )

    @staticmethod
    def _run(command: list[str], env: dict) -> None:
        result = subprocess.run(
            command,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(
                f"{command[0]} failed (nothing was changed): {result.stderr.strip()}"
            )
