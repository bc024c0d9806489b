"""Run `securebase` commands in a separate process against a scratch database.

A :class:`Site` is one scratch installation: a database, a var/ directory and the environment its
commands run with. Migrating and loading the demo takes seconds, so each is done once per test
run into a template that the pytest-xdist workers share, and tests get copies of it (SQLite: the
file; PostgreSQL: ``createdb -T``). Every command pays Django's start-up (most of a second), so independent ones run side by side
(:func:`run_all`) and the database is inspected from the test process with plain SQL
(:func:`snapshot`, :meth:`Site.query`).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import psycopg
import pytest
from cryptography.fernet import Fernet
from filelock import FileLock

BIN = Path(sys.executable).parent
SECUREBASE = str(BIN / "securebase") if (BIN / "securebase").exists() else "securebase"
TIMEOUT = 180

PG_HOST, PG_PORT, PG_USER = "127.0.0.1", "5432", "postgres"
PG_ARGS = ["-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER]

# Only these reach the commands: the test run's own settings (DJANGO_SETTINGS_MODULE=tests.settings,
# DEBUG, the test keys, DATABASE_URL of a PostgreSQL run...) must not leak into them.
PASSED_THROUGH = (
    "PATH",
    "HOME",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TMPDIR",
    "PYTHONPATH",
    "VIRTUAL_ENV",
    "SYSTEMROOT",
)

JSON_MARK = "@@securebase-test-json@@"


def secret_key() -> str:
    return secrets.token_urlsafe(50)


def fernet_key() -> str:
    return Fernet.generate_key().decode()


def raw_key() -> str:
    """An audit key or signing key: 32 random bytes, urlsafe base64."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


# A run under faketime (`make test-faketime`) moves the commands' clock too.
PASSED_THROUGH_PREFIXES = ("FAKETIME", "LD_PRELOAD", "DONT_FAKE_")


def clean_env(**values: str | None) -> dict[str, str]:
    """The commands' environment: ``values`` (None leaves one out) and nothing of the test run's."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name in PASSED_THROUGH or name.startswith(PASSED_THROUGH_PREFIXES)
    }
    env["LOG_LEVEL"] = "WARNING"
    env.update(values)
    return {name: value for name, value in env.items() if value is not None}


def run(
    args,
    *,
    env: dict[str, str],
    check: bool = True,
    input: str | None = None,
    stdin=None,
) -> subprocess.CompletedProcess:
    """Run ``securebase ARGS``; with ``check``, fail the test (showing its output) unless it exits 0."""
    result = subprocess.run(
        [SECUREBASE, *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        input=input,
        stdin=stdin if input is None else None,
        timeout=TIMEOUT,
        check=False,
    )
    if check and result.returncode != 0:
        pytest.fail(describe(result), pytrace=False)
    return result


def run_all(calls) -> list[subprocess.CompletedProcess]:
    """Run independent commands side by side: ``calls`` are ``(site, args, options)`` triples."""
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = [pool.submit(site.run, *args, **options) for site, args, options in calls]
        return [future.result() for future in futures]


def describe(result: subprocess.CompletedProcess) -> str:
    return (
        f"`{' '.join(result.args)}` exited {result.returncode}\n"
        f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    )


@dataclass
class Site:
    """One scratch Secure Base: its database, its var/ directory and its environment."""

    vendor: str  # "sqlite" or "postgresql"
    var_dir: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def database_url(self) -> str:
        return self.env["DATABASE_URL"]

    @property
    def sqlite_path(self) -> Path:
        assert self.vendor == "sqlite"
        return Path(self.database_url.removeprefix("sqlite:///"))

    @property
    def pg_name(self) -> str:
        assert self.vendor == "postgresql"
        return self.database_url.rsplit("/", 1)[1]

    def using(self, **env: str | None) -> Site:
        """The same site run with other environment variables (None removes one)."""
        changed = {**self.env, **env}
        return replace(self, env={k: v for k, v in changed.items() if v is not None})

    def run(self, *args, check: bool = True, input: str | None = None, stdin=None):
        return run(args, env=self.env, check=check, input=input, stdin=stdin)

    def shell(self, code: str):
        """Run Python in `securebase shell`; the code sets ``result``, which comes back as JSON."""
        script = f"import json\n{code}\nprint({JSON_MARK!r} + json.dumps(result, default=str))"
        done = self.run("shell", "--verbosity", "0", "--command", script)
        for line in done.stdout.splitlines():
            if line.startswith(JSON_MARK):
                return json.loads(line.removeprefix(JSON_MARK))
        pytest.fail(f"no result printed\n{describe(done)}", pytrace=False)

    @contextmanager
    def connect(self):
        """A plain DB-API connection to the site's database, from the test process (autocommit)."""
        if self.vendor == "sqlite":
            with closing(sqlite3.connect(self.sqlite_path, isolation_level=None)) as db:
                yield db
        else:
            with psycopg.connect(self.database_url, autocommit=True) as db:
                yield db

    def query(self, sql: str, params=()) -> list[tuple]:
        """Rows of one SQL query (placeholders: ``?``, whatever the database)."""
        if self.vendor == "postgresql":
            sql = sql.replace("?", "%s")
        with self.connect() as db:
            cursor = db.execute(sql, params)
            return [tuple(row) for row in cursor.fetchall()] if cursor.description else []


def debug_env(var_dir: Path, database_url: str) -> dict[str, str]:
    """Local mode: secrets are generated once under ``var_dir``."""
    return clean_env(DEBUG="1", SECUREBASE_VAR_DIR=str(var_dir), DATABASE_URL=database_url)


def copy_var_dir(source: Path, target: Path) -> None:
    """The keys and the audit witness go with the database they belong to."""
    target.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        if item.is_file():
            shutil.copy2(item, target / item.name)
        elif item.is_dir():
            shutil.copytree(item, target / item.name, dirs_exist_ok=True)


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy a (WAL-mode) SQLite database consistently, through SQLite's backup API."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def sqlite_site(root: Path) -> Site:
    root.mkdir(parents=True, exist_ok=True)
    var_dir = root / "var"
    var_dir.mkdir(exist_ok=True)
    return Site("sqlite", var_dir, debug_env(var_dir, f"sqlite:///{root / 'db.sqlite3'}"))


_templates: dict[str, tuple[Site, str]] = {}


def shared_root(tmp_path_factory) -> Path:
    """A directory every pytest-xdist worker of this test run shares (the run's own otherwise)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def sqlite_template(tmp_path_factory, kind: str) -> Site:
    """A SQLite site built once per test run: "migrated" (empty) or "demo" (demo data)."""
    return _sqlite_template(tmp_path_factory, kind)[0]


def demo_data_output(tmp_path_factory) -> str:
    """What `securebase demo-data` printed when it built the "demo" template."""
    return _sqlite_template(tmp_path_factory, "demo")[1]


def _sqlite_template(tmp_path_factory, kind: str) -> tuple[Site, str]:
    """Built by the first worker that needs it (the others wait on its lock), then read only."""
    if kind not in ("migrated", "demo"):
        raise ValueError(kind)
    if kind not in _templates:
        root = shared_root(tmp_path_factory) / f"securebase-template-{kind}"
        output_file = root / "output.txt"
        with FileLock(f"{root}.lock"):
            if output_file.exists():
                site = sqlite_site(root)
            elif kind == "migrated":
                site = sqlite_site(root)
                site.run("migrate", "--no-input", "--verbosity", "0")
                output_file.write_text("", encoding="utf-8")
            else:
                site = clone_sqlite(sqlite_template(tmp_path_factory, "migrated"), root)
                output_file.write_text(site.run("demo-data").stdout, encoding="utf-8")
        _templates[kind] = (site, output_file.read_text(encoding="utf-8"))
    return _templates[kind]


def clone_sqlite(template: Site, root: Path) -> Site:
    site = sqlite_site(root)
    copy_var_dir(template.var_dir, site.var_dir)
    copy_sqlite(template.sqlite_path, site.sqlite_path)
    return site


# --- PostgreSQL -----------------------------------------------------------------------------------


def postgres_reachable() -> bool:
    if shutil.which("pg_isready") is None:
        return False
    done = subprocess.run(
        ["pg_isready", "-q", "-h", PG_HOST, "-p", PG_PORT], check=False, timeout=30
    )
    return done.returncode == 0


def require_postgres() -> None:
    """Skip without PostgreSQL, except in CI (CI=true), where it is required."""
    if postgres_reachable():
        return
    message = f"PostgreSQL is not reachable on {PG_HOST}:{PG_PORT}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}, and CI=true requires it", pytrace=False)
    pytest.skip(message)


def pg(*args: str) -> None:
    done = subprocess.run([*args], capture_output=True, text=True, check=False, timeout=TIMEOUT)
    if done.returncode != 0:
        pytest.fail(describe(done), pytrace=False)


@contextmanager
def postgres_database(template: str | None = None):
    """A uniquely named scratch database (optionally a copy of ``template``), dropped afterwards."""
    name = f"securebase_cli_{uuid.uuid4().hex[:12]}"
    pg("createdb", *PG_ARGS, *(["--template", template] if template else []), name)
    try:
        yield f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        pg("dropdb", *PG_ARGS, "--if-exists", "--force", name)


def postgres_site(root: Path, database_url: str) -> Site:
    var_dir = root / "var"
    var_dir.mkdir(parents=True, exist_ok=True)
    return Site("postgresql", var_dir, debug_env(var_dir, database_url))


# --- Snapshots ------------------------------------------------------------------------------------


def _cell(value):
    if isinstance(value, bytes | bytearray | memoryview):
        return "bytes:" + bytes(value).hex()
    if isinstance(value, dict | list):
        return "json:" + json.dumps(value, sort_keys=True)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return f"{type(value).__name__}:{value}"


def _rows(db, sql: str) -> list:
    return [[_cell(v) for v in row] for row in db.execute(sql).fetchall()]


def snapshot(site: Site) -> dict:
    """Every row of every table (sorted: order on disk does not matter), the schema with its
    triggers, and the sequences. Equal snapshots mean the databases hold the same data."""
    with site.connect() as db:
        if site.vendor == "sqlite":
            tables = [
                r[0] for r in _rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'")
            ]
            extra = {
                "schema": _rows(
                    db, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
                )
            }
        else:
            tables = [
                r[0]
                for r in _rows(
                    db,
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
                )
            ]
            extra = {
                "columns": _rows(
                    db,
                    "SELECT table_name, column_name, data_type, is_nullable, column_default "
                    "FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2",
                ),
                "constraints": _rows(
                    db,
                    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                    "FROM pg_constraint WHERE connamespace = 'public'::regnamespace "
                    "ORDER BY 1, 2",
                ),
                # Names only: PostgreSQL may deparse a restored index's predicate differently.
                "indexes": _rows(
                    db,
                    "SELECT tablename, indexname FROM pg_indexes "
                    "WHERE schemaname = 'public' ORDER BY 1, 2",
                ),
                "triggers": _rows(
                    db,
                    "SELECT event_object_table, trigger_name, event_manipulation, action_timing, "
                    "action_statement FROM information_schema.triggers ORDER BY 1, 2, 3",
                ),
                "sequences": _rows(
                    db,
                    "SELECT sequencename, last_value FROM pg_sequences "
                    "WHERE schemaname = 'public' ORDER BY 1",
                ),
            }
        data = {}
        for table in sorted(tables):
            cursor = db.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (names from the catalog)
            columns = [getattr(c, "name", None) or c[0] for c in cursor.description]
            rows = sorted(json.dumps([_cell(v) for v in row]) for row in cursor.fetchall())
            data[table] = {"columns": columns, "rows": rows}
    return {"vendor": site.vendor, "tables": data, **extra}


def assert_same_data(actual: dict, expected: dict) -> None:
    """Compare two snapshots table by table, so a failure names the table that differs."""
    assert actual["vendor"] == expected["vendor"]
    assert sorted(actual["tables"]) == sorted(expected["tables"])
    for table, contents in expected["tables"].items():
        assert actual["tables"][table] == contents, f"table {table} differs"
    for key in expected:
        assert actual[key] == expected[key], f"{key} differ"


def count(site: Site, table: str) -> int:
    return site.query(f'SELECT COUNT(*) FROM "{table}"')[0][0]  # noqa: S608 (names from tests)
