import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from securebase.core.management.commands.backup import pg_environment


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
        if not yes:
            answer = input("This replaces every record in the database with the backup. "
                           "Type 'restore' to go on: ")
            if answer.strip() != "restore":
                raise CommandError("Nothing was changed.")
        vendor = connection.vendor
        connections.close_all()
        if vendor == "sqlite":
            with sqlite3.connect(source) as check:
                if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    raise CommandError(f"{source} is not an intact SQLite backup.")
            backup = sqlite3.connect(source)
            destination = sqlite3.connect(settings.DATABASES["default"]["NAME"])
            try:
                backup.backup(destination)
            finally:
                destination.close()
                backup.close()
        elif vendor == "postgresql":
            if shutil.which("pg_restore") is None:
                raise CommandError("pg_restore is not installed (Debian: apt-get install postgresql-client).")
            result = subprocess.run(
                ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                 "--exit-on-error", "--dbname", pg_environment()["PGDATABASE"], str(source)],
                env=pg_environment(), capture_output=True, text=True, check=False,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
        else:
            raise CommandError(f"Restoring {vendor} databases is not supported.")
        self.stdout.write(self.style.SUCCESS(f"Database restored from {source}"))
