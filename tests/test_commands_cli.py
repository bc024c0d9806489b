"""The `securebase` command line, run in a subprocess against scratch SQLite databases."""

import hashlib
import json
import re
import sqlite3
import stat
import uuid
from datetime import datetime, timedelta

import psycopg
import pytest
from cryptography.fernet import Fernet, InvalidToken

from securebase.care.demo import CLIENTS

pytest.register_assert_rewrite("tests.cli")

from tests import cli  # noqa: E402
from tests.cli import Site, assert_same_data, snapshot  # noqa: E402

pytestmark = pytest.mark.subprocess

STAFF = ("alex@demo.test", "sam@demo.test", "admin@demo.test")


@pytest.fixture
def demo(tmp_path_factory, tmp_path) -> Site:
    """A scratch copy of a migrated database with the demo loaded (local mode, DEBUG=1)."""
    return cli.clone_sqlite(cli.sqlite_template(tmp_path_factory, "demo"), tmp_path / "site")


@pytest.fixture
def migrated(tmp_path_factory, tmp_path) -> Site:
    """A scratch copy of a migrated, empty database (local mode, DEBUG=1)."""
    return cli.clone_sqlite(cli.sqlite_template(tmp_path_factory, "migrated"), tmp_path / "site")


def production(tmp_path, **env) -> Site:
    """Production mode: DEBUG=0, secrets only from the environment, a database not made yet."""
    var_dir = tmp_path / "var"
    var_dir.mkdir(parents=True)
    values = {
        "DEBUG": "0",
        "SECRET_KEY": cli.secret_key(),
        "FIELD_ENCRYPTION_KEYS": cli.fernet_key(),
        "AUDIT_KEYS": cli.raw_key(),
        "AUDIT_SIGNING_KEY": cli.raw_key(),
        "ALLOWED_HOSTS": "securebase.example.org",
        "SECUREBASE_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **env,
    }
    return Site("sqlite", var_dir, cli.clean_env(**values))


# --- Production settings --------------------------------------------------------------------------


def test_deployment_checks_pass_with_production_settings(tmp_path):
    site = production(tmp_path / "good")
    weak = production(tmp_path / "weak", SECRET_KEY="short")
    good, bad = cli.run_all(
        [
            (s, ("check", "--deploy", "--fail-level", "WARNING"), {"check": False})
            for s in (site, weak)
        ]
    )
    assert good.returncode == 0, cli.describe(good)
    assert "System check identified no issues" in good.stdout
    # The checks are not vacuous: a weak key fails them.
    assert bad.returncode != 0, cli.describe(bad)
    assert "security.W009" in bad.stderr
    # Production mode never writes secrets of its own.
    assert list(site.var_dir.iterdir()) == []


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "AUDIT_KEYS", "AUDIT_SIGNING_KEY"]
)
def test_production_mode_refuses_to_run_without_a_secret(tmp_path, missing):
    unset = production(tmp_path, **{missing: None})
    empty = unset.using(**{missing: "  "})
    results = cli.run_all(
        [
            (unset, ("check",), {"check": False}),
            (unset, ("migrate", "--no-input"), {"check": False}),
            (empty, ("demo-data",), {"check": False}),
        ]
    )
    for done in results:
        assert done.returncode != 0, cli.describe(done)
        # One line saying what to do, no traceback.
        assert done.stderr == (
            f"securebase: {missing} is not set: set DEBUG=1 for local use, or SECRET_KEY, "
            "FIELD_ENCRYPTION_KEYS, AUDIT_KEYS and AUDIT_SIGNING_KEY for production "
            "(see .env.example).\n"
        ), cli.describe(done)
        assert done.stdout == ""
    # Nothing was created: no database, and no generated secret in production mode.
    assert not (tmp_path / "db.sqlite3").exists()
    assert list(unset.var_dir.iterdir()) == []


def test_local_mode_serves_the_production_error_pages_never_a_traceback(migrated):
    """DEBUG=1 is local use, not Django's debug mode: an unknown page and a crash look as they do
    in production, with the Content-Security-Policy, and show no traceback or URL list."""
    result = migrated.shell(
        "from django.conf import settings\n"
        "from django.test import Client\n"
        "browser = Client(HTTP_HOST='127.0.0.1', raise_request_exception=False)\n"
        "missing = browser.get('/no-such-page/')\n"
        "result = [settings.LOCAL, settings.DEBUG, missing.status_code,\n"
        "          'Content-Security-Policy' in missing.headers,\n"
        "          'URLconf' in missing.content.decode()]"
    )
    assert result == [True, False, 404, True, False]


def test_a_new_sqlite_database_and_its_wal_are_readable_by_their_owner_only(tmp_path):
    site = cli.sqlite_site(tmp_path / "site")
    site.run("migrate", "--no-input", "--verbosity", "0")
    site.run("shell", "-c", "from securebase.care.models import Practice; Practice.objects.count()")

    files = [p for p in site.sqlite_path.parent.iterdir() if p.name.startswith("db.sqlite3")]
    assert {p.name for p in files} >= {"db.sqlite3"}
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in files} == {p.name: 0o600 for p in files}


# --- demo-data ------------------------------------------------------------------------------------


def totp_secrets(output: str) -> dict[str, str]:
    return dict(re.findall(r"^\s*(\S+@demo\.test)\s.*TOTP secret ([A-Z2-7]{16,})$", output, re.M))


def test_demo_data_is_idempotent_and_prints_the_logins(migrated):
    first = migrated.run("demo-data")
    after_first = snapshot(migrated)
    second = migrated.run("demo-data")
    assert_same_data(snapshot(migrated), after_first)  # the second run changed nothing at all

    counted = migrated.shell(
        "from securebase.accounts.models import User\n"
        "from securebase.care.models import Client\n"
        "result = [User.objects.count(), Client.objects.count()]"
    )
    assert counted == [8, 6]  # three staff and five clients with accounts; six clients

    for output in (first.stdout, second.stdout):
        assert "Demo Practice is ready." in output
        assert "demo-harbour-2026" in output
        for email in STAFF:
            assert re.search(rf"^\s*{re.escape(email)}\s", output, re.M), output
    secrets = totp_secrets(first.stdout)
    assert sorted(secrets) == sorted(STAFF), first.stdout
    assert totp_secrets(second.stdout) == secrets  # the same enrolment, not a new one


# --- token ----------------------------------------------------------------------------------------


def test_token_create_prints_one_token_stored_only_as_a_hash(demo):
    created, unknown, too_long = cli.run_all(
        [
            (demo, ("token", "create", "alex@demo.test", "--scope", "read", "--days", "5"), {}),
            (demo, ("token", "create", "nobody@demo.test"), {"check": False}),
            (demo, ("token", "create", "sam@demo.test", "--days", "400"), {"check": False}),
        ]
    )
    lines = created.stdout.splitlines()
    assert len(lines) == 1, created.stdout
    secret = lines[0]
    assert re.fullmatch(r"sb_[A-Za-z0-9_-]{40,}", secret), secret

    rows = demo.query(
        "SELECT t.token_hash, t.scope, t.created_at, t.expires_at, t.revoked_at "
        "FROM accounts_apitoken t JOIN accounts_user u ON u.id = t.user_id WHERE u.email = ?",
        ("alex@demo.test",),
    )
    assert len(rows) == 1
    token_hash, scope, created_at, expires_at, revoked_at = rows[0]
    assert token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert scope == "read"
    assert revoked_at is None
    lifetime = datetime.fromisoformat(expires_at) - datetime.fromisoformat(created_at)
    assert abs(lifetime - timedelta(days=5)) < timedelta(minutes=1)
    assert secret not in json.dumps(snapshot(demo)), "the secret itself is stored nowhere"

    assert unknown.returncode != 0
    assert "No active account for nobody@demo.test" in unknown.stderr
    assert unknown.stdout == ""
    assert too_long.returncode != 0
    assert "days must be between 1 and 366" in too_long.stderr
    assert too_long.stdout == ""
    assert cli.count(demo, "accounts_apitoken") == 1


# --- audit ----------------------------------------------------------------------------------------


def test_audit_verify_names_an_altered_event(demo):
    done = demo.run("audit", "verify")
    assert "audit log intact" in done.stdout

    with demo.connect() as db:
        event_id, action = db.execute(
            "SELECT id, action FROM audit_auditevent ORDER BY id LIMIT 1 OFFSET 2"
        ).fetchone()
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("UPDATE audit_auditevent SET action = 'read' WHERE id = ?", (event_id,))
        db.execute("DROP TRIGGER audit_auditevent_no_update")
        forged = "export" if action != "export" else "read"
        db.execute("UPDATE audit_auditevent SET action = ? WHERE id = ?", (forged, event_id))

    done = demo.run("audit", "verify", check=False)
    assert done.returncode == 1, cli.describe(done)
    assert f"event id={event_id} " in done.stderr, cli.describe(done)
    assert "contents were changed" in done.stderr


def test_audit_checkpoint_reveals_deleted_newest_events(demo):
    done = demo.run("audit", "checkpoint")
    assert re.match(r"checkpoint #\d+ [0-9a-f]{64} covers \d+ chains", done.stdout), done.stdout

    with demo.connect() as db:
        chain, seq = db.execute(
            "SELECT chain, MAX(seq) FROM audit_auditevent GROUP BY chain ORDER BY 2 DESC, 1 LIMIT 1"
        ).fetchone()
        assert seq >= 2
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("DELETE FROM audit_auditevent WHERE chain = ?", (chain,))
        db.execute("DROP TRIGGER audit_auditevent_no_delete")
        db.execute("DELETE FROM audit_auditevent WHERE chain = ? AND seq = ?", (chain, seq))
        # The intruder also rewinds the chain's head: only the checkpoint still knows.
        (previous,) = db.execute(
            "SELECT hash FROM audit_auditevent WHERE chain = ? AND seq = ?", (chain, seq - 1)
        ).fetchone()
        db.execute(
            "UPDATE audit_auditchainhead SET seq = ?, hash = ? WHERE chain = ?",
            (seq - 1, previous, chain),
        )

    done = demo.run("audit", "verify", check=False)
    assert done.returncode == 1, cli.describe(done)
    assert f"chain {chain}" in done.stderr, cli.describe(done)
    assert "events were deleted" in done.stderr


@pytest.fixture
def app_role():
    """A plain PostgreSQL login role for the app, dropped afterwards."""
    cli.require_postgres()
    role = f"securebase_app_{uuid.uuid4().hex[:8]}"
    cli.pg("psql", *cli.PG_ARGS, "-d", "postgres", "-qc", f"CREATE ROLE {role} LOGIN")
    yield role
    cli.pg("psql", *cli.PG_ARGS, "-d", "postgres", "-qc", f"DROP ROLE {role}")


def test_on_postgresql_the_apps_role_appends_to_the_audit_log_but_cannot_change_it(
    tmp_path, app_role
):
    with cli.postgres_database() as owner_url:
        owner = cli.postgres_site(tmp_path / "site", owner_url)
        owner.run("migrate", "--no-input", "--verbosity", "0")
        done = owner.run("audit", "grant-app-role", app_role)
        assert "on the audit tables it may only read and append" in done.stdout
        refused = owner.run("audit", "grant-app-role", cli.PG_USER, check=False)
        assert refused.returncode != 0
        assert "is a superuser" in refused.stderr

        app_url = owner_url.replace(f"{cli.PG_USER}@", f"{app_role}@")
        app = owner.using(DATABASE_URL=app_url)
        password = "correct horse battery staple 42\n"
        app.run("create-admin", "admin@example.org", "--practice", "Harbour", input=password * 2)
        assert "audit log intact" in app.run("audit", "verify").stdout
        with psycopg.connect(app_url, autocommit=True) as db:
            for table in ("audit_auditevent", "audit_auditcheckpoint"):
                for statement in (
                    f"UPDATE {table} SET at = at",
                    f"DELETE FROM {table}",
                    f"TRUNCATE {table}",
                    f"ALTER TABLE {table} DISABLE TRIGGER USER",
                ):
                    with pytest.raises(psycopg.errors.InsufficientPrivilege):
                        db.execute(statement)
        assert app.query("SELECT count(*) FROM audit_auditevent")[0][0] >= 1


# --- rotate-keys ----------------------------------------------------------------------------------

READ_REFERRALS = (
    "import json\n"
    "from securebase.care.models import Client\n"
    "print(json.dumps({c.email: c.referral_reason for c in Client.objects.all()}))"
)


def _opener(site, key: str):
    """Opens a stored value with one practice key alone, as the app would: a client's words
    through that client's data key, itself stored wrapped by the practice key."""
    wrapped = {
        str(pk).replace("-", ""): w for pk, w in site.query("SELECT id, wrapped FROM core_datakey")
    }

    def open_value(token: str) -> str:
        if not token.startswith("s1:"):
            return Fernet(key).decrypt(token.encode()).decode()
        _prefix, subject, inner = token.split(":", 2)
        data_key = Fernet(Fernet(key).decrypt(wrapped[subject].encode()))
        return data_key.decrypt(inner.encode()).decode()

    return open_value


def test_rotate_keys_re_encrypts_so_the_old_key_can_go(migrated):
    expected = {email: referral for *_, email, _lang, _account, referral in CLIENTS}
    old_key, new_key = cli.fernet_key(), cli.fernet_key()
    site = migrated.using(
        DEBUG="0",
        SECRET_KEY=cli.secret_key(),
        FIELD_ENCRYPTION_KEYS=old_key,
        AUDIT_KEYS=cli.raw_key(),
        AUDIT_SIGNING_KEY=cli.raw_key(),
        ALLOWED_HOSTS="securebase.example.org",
    )
    site.using(DEBUG="1").run("demo-data")  # demo data is for local mode only
    # Emails are encrypted too: each row's address says which referral it must hold.
    with_old_key = _opener(site, old_key)
    emails = {
        pk: with_old_key(email) for pk, email in site.query("SELECT id, email FROM care_client")
    }
    before = {emails[pk]: v for pk, v in site.query("SELECT id, referral_reason FROM care_client")}
    assert len(before) == 6
    assert all(with_old_key(v) == expected[e] for e, v in before.items())

    done = site.using(FIELD_ENCRYPTION_KEYS=f"{new_key},{old_key}").run("rotate-keys")
    # Each client's words stay under the client's data key; the data keys are re-wrapped.
    assert "core_datakey: 6 client data keys re-wrapped" in done.stdout
    per_table = dict(re.findall(r"^(\w+): (\d+) rows re-encrypted$", done.stdout, re.M))
    assert per_table["accounts_user"] != "0"  # people's names are under the practice keys
    total = sum(int(n) for n in per_table.values())
    assert f"Done: {total} rows re-encrypted" in done.stdout

    with_new_key, old_key_now = _opener(site, new_key), _opener(site, old_key)
    after = {emails[pk]: v for pk, v in site.query("SELECT id, referral_reason FROM care_client")}
    for email, token in after.items():
        assert with_new_key(token) == expected[email]
        with pytest.raises(InvalidToken):
            old_key_now(token)  # the old key no longer opens the client's data key
    for (name,) in site.query("SELECT name FROM accounts_user WHERE name != ''"):
        assert with_new_key(name)
        with pytest.raises(InvalidToken):
            Fernet(old_key).decrypt(name.encode())

    with_new = site.using(FIELD_ENCRYPTION_KEYS=new_key)
    with_old = site.using(FIELD_ENCRYPTION_KEYS=old_key)
    read_new, read_old = cli.run_all(
        [
            (with_new, ("shell", "--verbosity", "0", "--command", READ_REFERRALS), {}),
            (
                with_old,
                ("shell", "--verbosity", "0", "--command", READ_REFERRALS),
                {"check": False},
            ),
        ]
    )
    assert json.loads(read_new.stdout.strip().splitlines()[-1]) == expected
    assert read_old.returncode != 0, cli.describe(read_old)
    assert "could not be decrypted with any key in FIELD_ENCRYPTION_KEYS" in read_old.stderr


# --- Encryption at rest -----------------------------------------------------------------------------


def test_no_clinical_free_text_appears_anywhere_in_the_database_files(demo):
    demo.run("shell", "--verbosity", "0", "--command", "print('touch')")  # leave a -wal behind
    stored = b"".join(
        path.read_bytes()
        for path in demo.sqlite_path.parent.iterdir()
        if path.name.startswith(demo.sqlite_path.name)
    )
    referrals = [referral for *_, referral in CLIENTS]
    assert referrals and all(r.encode() not in stored for r in referrals)
    assert b"pursue-withdraw" not in stored and b"Self-referred" not in stored
    # Names and preferred names are encrypted too (issue 16), every client's. A name of a few
    # letters ("Ana") turns up by chance inside the encrypted text's base64, so the bytes are
    # searched for the longer ones and the columns are checked to hold ciphertext.
    names = [name for _clinician, name, preferred, *_ in CLIENTS for name in (name, preferred)]
    assert len(names) == 2 * len(CLIENTS)
    assert [n for n in names if len(n) >= 6 and n.encode() in stored] == []
    columns = demo.query("SELECT name, preferred_name FROM care_client")
    ciphertext = re.compile(r"(s1:[0-9a-f]{32}:)?gAAAA[\w=-]+")  # under the client's own key
    assert columns and all(ciphertext.fullmatch(v) for row in columns for v in row if v), columns
    # Free text written in the demo: a moment's situation, a clinician's reflection.
    assert b"A friend cancelled our dinner" not in stored
    assert b"You stayed with the feeling" not in stored
    assert b"Demo Practice" in stored  # a practice's name is not: the file really was read
