import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def pg_environment() -> dict:
    db = settings.DATABASES["default"]
    env = {**os.environ}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                     ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):
        if db.get(key):
            env[var] = str(db[key])
    return env


class Command(BaseCommand):
    help = (
        "Write a consistent online backup of the database to PATH: SQLite through its backup "
        "API, PostgreSQL through pg_dump (custom format). The app may keep running."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        target = Path(path).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        vendor = connection.vendor
        if vendor == "sqlite":
            source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
            partial = target.with_suffix(target.suffix + ".partial")
            destination = sqlite3.connect(partial)
            try:
                source.backup(destination)
            finally:
                destination.close()
                source.close()
            partial.replace(target)
        elif vendor == "postgresql":
            if shutil.which("pg_dump") is None:
                raise CommandError("pg_dump is not installed (Debian: apt-get install postgresql-client).")
            result = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "--file", str(target)],
                env=pg_environment(), capture_output=True, text=True, check=False,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            raise CommandError(f"Backups of {vendor} databases are not supported.")
        target.chmod(0o600)
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target}"))
