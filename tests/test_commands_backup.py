"""`securebase backup` and `securebase restore`, run as commands against SQLite and PostgreSQL."""

import os
import sqlite3
import stat
import subprocess
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.cli")

from tests import cli  # noqa: E402
from tests.cli import assert_same_data, snapshot  # noqa: E402

pytestmark = pytest.mark.subprocess

# Work done after the backup, which the restore must undo: a new client (with its encrypted
# referral and its audit event), a renamed practice, one more audit event, and a table that a
# later version of the app might have added.
CHANGE_DATA = """
from django.db import connection
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
result = record(actor=alex, action=Action.SECURITY, object_type="test").pk
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE later_feature (id integer PRIMARY KEY, note text)")
    cursor.execute("INSERT INTO later_feature VALUES (1, 'made after the backup')")
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


@pytest.fixture
def empty_database(site, tmp_path):
    """Disaster recovery: a new machine with copies of the keys and the audit witness, and a
    database that is still empty."""
    var_dir = tmp_path / "new" / "var"
    cli.copy_var_dir(site.var_dir, var_dir)
    moved = replace(site, var_dir=var_dir).using(SECUREBASE_VAR_DIR=str(var_dir))
    if site.vendor == "sqlite":
        yield moved.using(DATABASE_URL=f"sqlite:///{tmp_path / 'new' / 'db.sqlite3'}")
        return
    with cli.postgres_database() as url:
        yield moved.using(DATABASE_URL=url)


def test_restore_brings_back_exactly_the_backed_up_data(site, empty_database, tmp_path):
    backup = tmp_path / "backups" / "securebase.backup"
    before = snapshot(site)
    assert len(before["tables"]["care_client"]["rows"]) == 6, "the demo has six clients"

    done = site.run("backup", backup)
    assert f"Backup written to {backup}" in done.stdout
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600, "backups hold client data: owner only"
    assert [p.name for p in backup.parent.iterdir()] == [backup.name], "no partial file is left"
    assert_same_data(snapshot(site), before)  # an online backup changes nothing

    event_id = site.shell(CHANGE_DATA)
    changed = snapshot(site)
    # The new client's address is encrypted (issue 16): the seventh row is what shows it landed.
    assert len(changed["tables"]["care_client"]["rows"]) == 7
    assert "Renamed After Backup" in str(changed["tables"]["care_practice"]["rows"])
    assert f'[{event_id}, "user:' in str(changed["tables"]["audit_auditevent"]["rows"])
    assert "later_feature" in changed["tables"]

    done = site.run("restore", backup, "--yes")
    assert f"Database restored from {backup}" in done.stdout
    assert_same_data(snapshot(site), before)

    # Disaster recovery: the backup is all there is, restored into a database made for it.
    empty_database.run("restore", backup, "--yes")
    assert_same_data(snapshot(empty_database), before)

    # Both restored databases hold an intact audit log, and take new writes.
    verified, _written = cli.run_all(
        [(empty_database, ("audit", "verify"), {}), (site, ("shell", "-c", CHANGE_DATA), {})]
    )
    assert "audit log intact" in verified.stdout
    assert site.query("SELECT count(*) FROM care_client") == [(7,)]  # the new client is in
    assert "audit log intact" in site.run("audit", "verify").stdout


def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(site, tmp_path):
    # A good backup exists, and the database has changed since: any restore would show.
    backup = tmp_path / "good.backup"
    site.run("backup", backup)
    site.shell(CHANGE_DATA)
    before = snapshot(site)

    text = tmp_path / "notes.txt"
    text.write_text("These are my notes, not a backup.\n")
    empty = tmp_path / "empty.sqlite3"
    empty.touch()  # SQLite would open this as a valid, empty database
    foreign = tmp_path / "other-app.sqlite3"
    with closing(sqlite3.connect(foreign)) as db:
        db.execute("CREATE TABLE notes (body TEXT)")
        db.commit()
    missing = tmp_path / "missing.backup"
    bad_files = (text, empty, foreign)

    results = cli.run_all(
        [(site, ("restore", bad, "--yes"), {"check": False}) for bad in bad_files]
        + [(site, ("restore", missing, "--yes"), {"check": False})]
        # Without --yes it asks first: anything but "restore", or no answer at all, stops it.
        + [(site, ("restore", backup), {"check": False, "input": "no\n"})]
        + [(site, ("restore", backup), {"check": False, "stdin": subprocess.DEVNULL})]
    )
    expected = [f"{bad} is not a Secure Base backup" for bad in bad_files]
    expected += [f"No backup at {missing}", "Nothing was changed", "Nothing was changed"]
    for done, message in zip(results, expected, strict=True):
        assert done.returncode != 0, cli.describe(done)
        assert message in done.stderr, cli.describe(done)
        assert "Traceback" not in done.stderr, cli.describe(done)

    assert_same_data(snapshot(site), before)


def test_backup_never_overwrites_by_surprise_never_follows_a_link_and_never_replaces_a_device(
    site, tmp_path
):
    earlier = tmp_path / "earlier.backup"
    earlier.write_text("yesterday's backup\n")
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("not yours to replace\n")
    link = tmp_path / "link.backup"
    link.symlink_to(elsewhere)
    device_link = tmp_path / "null.backup"
    device_link.symlink_to("/dev/null")
    fifo = tmp_path / "fifo.backup"
    os.mkfifo(fifo)
    folder = tmp_path / "folder"
    folder.mkdir()

    refused = cli.run_all(
        [
            (site, ("backup", path, *extra), {"check": False})
            for path, extra in (
                (earlier, ()),
                (link, ("--force",)),
                (device_link, ("--force",)),
                (fifo, ("--force",)),
                (folder, ("--force",)),
            )
        ]
    )
    reasons = (
        "already exists; add --force to replace it",
        "is a symbolic link",
        "is a symbolic link",
        "exists and is not a regular file",
        "exists and is not a regular file",
    )
    for done, reason in zip(refused, reasons, strict=True):
        assert done.returncode != 0, cli.describe(done)
        assert reason in done.stderr and "Nothing was written" in done.stderr, cli.describe(done)
        assert "Traceback" not in done.stderr, cli.describe(done)
    assert earlier.read_text() == "yesterday's backup\n"
    assert elsewhere.read_text() == "not yours to replace\n" and link.is_symlink()
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode) and device_link.is_symlink()
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")) == []

    done = site.run("backup", earlier, "--force")
    assert f"Backup written to {earlier}" in done.stdout
    assert stat.S_IMODE(earlier.stat().st_mode) == 0o600
    assert earlier.read_bytes() != b"yesterday's backup\n"


# A discharged demo client is erased by two admins (retention 0 years), after the backup.
ERASE = """
from securebase.accounts.models import User
from securebase.care.erasure import domain as erasure
from securebase.care.models import Client, Practice
from tests.factories.care import make_admin
practice = Practice.objects.get(name="Demo Practice")
kim = make_admin(practice, "kim@demo.test")
robin = User.objects.get(email="admin@demo.test")
client = Client.objects.exclude(referral_reason="").order_by("created_at").first()
words = client.referral_reason
Client.objects.filter(pk=client.pk).update(status=Client.Status.DISCHARGED)
erasure.request_erasure(by=robin, client_id=client.pk)
erasure.confirm_erasure(by=kim, client_id=client.pk)
result = [str(client.pk), words]
"""

READ_BACK = """
from securebase.care.models import Client
client = Client.objects.get(pk="{pk}")
result = [client.referral_reason, client.erased_at is not None]
"""


def test_restoring_a_backup_from_before_an_erasure_erases_again(site, tmp_path):
    backup = tmp_path / "securebase.backup"
    site.run("backup", backup)
    erasing = site.using(RECORD_RETENTION_YEARS="0", PYTHONPATH=str(Path.cwd()))
    pk, words = erasing.shell(ERASE)
    assert words  # the record had words before
    assert site.shell(READ_BACK.format(pk=pk)) == ["", True]

    site.run("restore", backup, "--yes")

    # The backup held the client's key and words; the witness said they were erased.
    assert site.shell(READ_BACK.format(pk=pk)) == ["", True]
    assert site.run("audit", "verify").returncode == 0
