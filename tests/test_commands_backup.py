"""`securebase backup` and `securebase restore`, run as commands against SQLite and PostgreSQL."""

import sqlite3
import stat
import subprocess
from contextlib import closing

import pytest

from tests import cli

pytestmark = pytest.mark.subprocess

# Work done after the backup, which the restore must undo: a new client (with its encrypted
# referral and its audit event), a renamed practice and one more audit event.
CHANGE_DATA = """
from securebase.accounts.models import User
from securebase.audit.log import Action, record
from securebase.care import domain
from securebase.care.models import Practice
practice = Practice.objects.get(name="Demo Practice")
alex = User.objects.get(email="alex@demo.test")
domain.create_client(by=alex, practice=practice, data={
    "name": "Written After Backup", "email": "after@demo.test",
    "referral_reason": "Added after the backup was taken."})
practice.name = "Renamed After Backup"
practice.save(update_fields=["name"])
record(actor=alex, action=Action.SECURITY, object_type="test", detail={"event": "after_backup"})
result = None
"""

# A restored database must take new writes (primary keys and sequences restored too).
WRITE_AFTER_RESTORE = """
from securebase.accounts.models import User
from securebase.audit.log import Action, record
from securebase.care import domain
from securebase.care.models import Practice
practice = Practice.objects.get(name="Demo Practice")
alex = User.objects.get(email="alex@demo.test")
domain.create_client(by=alex, practice=practice, data={"name": "After Restore"})
result = record(actor=alex, action=Action.SECURITY, object_type="test").pk
"""


@pytest.fixture(scope="module")
def postgres_template(tmp_path_factory):
    """A PostgreSQL database with the demo loaded, copied by each test (createdb --template)."""
    cli.require_postgres()
    root = tmp_path_factory.mktemp("pg-template")
    with cli.postgres_database() as url:
        template = cli.postgres_site(root, url)
        template.run("migrate", "--no-input", "--verbosity", "0")
        template.run("demo-data")
        yield template


@pytest.fixture(params=["sqlite", "postgresql"])
def site(request, tmp_path_factory, tmp_path):
    """A scratch Secure Base with the demo loaded, on each database."""
    if request.param == "sqlite":
        yield cli.clone_sqlite(cli.sqlite_template(tmp_path_factory, "demo"), tmp_path / "site")
        return
    template = request.getfixturevalue("postgres_template")
    with cli.postgres_database(template=template.pg_name) as url:
        site = cli.postgres_site(tmp_path / "site", url)
        cli.copy_var_dir(template.var_dir, site.var_dir)
        yield site


def assert_same_data(actual: dict, expected: dict) -> None:
    """Compare two snapshots table by table, so a failure names the table that differs."""
    assert actual["vendor"] == expected["vendor"]
    assert sorted(actual["tables"]) == sorted(expected["tables"])
    for table, contents in expected["tables"].items():
        assert actual["tables"][table] == contents, f"table {table} differs"
    assert {k: v for k, v in actual.items() if k != "tables"} == {
        k: v for k, v in expected.items() if k != "tables"
    }


def test_restore_brings_back_exactly_the_backed_up_data(site, tmp_path):
    backup = tmp_path / "backups" / "securebase.backup"
    before = cli.snapshot(site)
    assert before["tables"]["care_client"]["rows"], "the demo should have clients"

    done = site.run("backup", backup)
    assert f"Backup written to {backup}" in done.stdout
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600, "backups hold client data: owner only"
    assert [p.name for p in backup.parent.iterdir()] == [backup.name], "no partial file is left"

    site.shell(CHANGE_DATA)
    changed = cli.snapshot(site)
    assert "after@demo.test" in str(changed["tables"]["care_client"]["rows"])
    assert "Renamed After Backup" in str(changed["tables"]["care_practice"]["rows"])
    events = before["tables"]["audit_auditevent"]["rows"]
    assert len(changed["tables"]["audit_auditevent"]["rows"]) == len(events) + 2

    done = site.run("restore", backup, "--yes")
    assert f"Database restored from {backup}" in done.stdout
    assert_same_data(cli.snapshot(site), before)

    site.shell(WRITE_AFTER_RESTORE)
    verified = site.run("audit", "verify")
    assert "audit log intact" in verified.stdout


def test_backup_restores_into_a_new_empty_database(site, tmp_path):
    """Disaster recovery: the backup is all there is, restored into a database made for it."""
    backup = tmp_path / "securebase.backup"
    site.run("backup", backup)
    before = cli.snapshot(site)

    if site.vendor == "sqlite":
        fresh = site.using(DATABASE_URL=f"sqlite:///{tmp_path / 'new' / 'db.sqlite3'}")
        fresh.run("restore", backup, "--yes")
        assert_same_data(cli.snapshot(fresh), before)
        fresh.run("audit", "verify")
    else:
        with cli.postgres_database() as url:
            fresh = site.using(DATABASE_URL=url)
            fresh.run("restore", backup, "--yes")
            assert_same_data(cli.snapshot(fresh), before)
            fresh.run("audit", "verify")


def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(site, tmp_path):
    # A good backup exists, and the database has changed since: any restore would show.
    backup = tmp_path / "good.backup"
    site.run("backup", backup)
    site.shell(CHANGE_DATA)
    before = cli.snapshot(site)

    text = tmp_path / "notes.txt"
    text.write_text("These are my notes, not a backup.\n")
    empty = tmp_path / "empty.sqlite3"
    empty.touch()  # SQLite would read this as a valid, empty database
    foreign = tmp_path / "other-app.sqlite3"
    with closing(sqlite3.connect(foreign)) as db:
        db.execute("CREATE TABLE notes (body TEXT)")
        db.commit()
    for bad in (text, empty, foreign):
        done = site.run("restore", bad, "--yes", check=False)
        assert done.returncode != 0, cli.describe(done)
        assert f"{bad} is not a Secure Base backup" in done.stderr, cli.describe(done)
        assert "Traceback" not in done.stderr, cli.describe(done)

    missing = tmp_path / "missing.backup"
    done = site.run("restore", missing, "--yes", check=False)
    assert done.returncode != 0, cli.describe(done)
    assert f"No backup at {missing}" in done.stderr, cli.describe(done)
    assert "Traceback" not in done.stderr, cli.describe(done)

    # Without --yes it asks first; anything but "restore" (or no answer at all) changes nothing.
    for answer in ({"input": "no\n"}, {"stdin": subprocess.DEVNULL}):
        done = site.run("restore", backup, check=False, **answer)
        assert done.returncode != 0, cli.describe(done)
        assert "Nothing was changed" in done.stderr, cli.describe(done)
        assert "Traceback" not in done.stderr, cli.describe(done)

    assert_same_data(cli.snapshot(site), before)
