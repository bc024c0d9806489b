"""Someone with write access to the database, but without the audit keys or the witness
directory, alters the audit log: every alteration makes `securebase audit verify` exit 1 and say
what is missing or changed. Runs on SQLite in the quick loop and on PostgreSQL in `make test`."""

import base64
import hashlib
import hmac
import io
import json
import os
import socket
import tempfile

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from securebase.audit import checkpoints, keys, log, witness
from securebase.audit.hashing import GENESIS, checkpoint_fields, digest, event_fields
from securebase.audit.models import AuditChainHead, AuditCheckpoint, AuditEvent
from securebase.audit.verification import verify

TABLES = ("audit_auditevent", "audit_auditcheckpoint")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what happens after a commit (the witness line of each event) as in production."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def _newest_checkpoint():
    return AuditCheckpoint.objects.order_by("-seq").first()


@pytest.fixture
def history(alex, maya, committed):
    """Events on Maya's chain (the first one due for a checkpoint after it commits), a
    checkpoint, then two more events after it."""
    for _ in range(3):
        committed(log.record, actor=alex, action="read", object_type="client", client=maya)
    committed(checkpoints.checkpoint)
    for _ in range(2):
        committed(log.record, actor=alex, action="read", object_type="client", client=maya)
    assert verify().ok, verify().problem
    return f"client:{maya.pk}"


def _lift_triggers():
    """What the owner of the database (or of its file) can do."""
    with connection.cursor() as cursor:
        for table in TABLES:
            if connection.vendor == "sqlite":
                for name in ("no_update", "no_delete", "no_replace"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_{name}")
            else:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")


def _problem():
    result = verify()
    assert not result.ok
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify")
    assert exc.value.returncode == 1
    return str(result.problem)


def _plain_sha256(fields, prev_hash):
    """The old, keyless seal an attacker can recompute."""
    payload = json.dumps({**fields, "prev_hash": prev_hash}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def test_the_database_refuses_to_replace_an_event_in_place(history, sam):
    newest = AuditEvent.objects.filter(chain=history).order_by("-seq").first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "INSERT OR REPLACE INTO audit_auditevent (id, chain, seq, at, actor_id, "
                "actor_label, action, object_type, object_id, detail, via, key_id, prev_hash, hash)"
                " SELECT id, chain, seq, at, %s, %s, action, object_type, object_id, detail, via, "
                "key_id, prev_hash, hash FROM audit_auditevent WHERE id = %s",
                [sam.pk, sam.email, newest.pk],
            )
        else:
            cursor.execute(
                "INSERT INTO audit_auditevent SELECT * FROM audit_auditevent WHERE id = %s "
                "ON CONFLICT (id) DO UPDATE SET actor_id = %s, actor_label = %s",
                [newest.pk, sam.pk, sam.email],
            )
    newest.refresh_from_db()
    assert newest.actor_label == "alex@example.org"


def test_reattributing_the_newest_event_with_a_recomputed_hash_is_found(history, sam):
    newest = AuditEvent.objects.filter(chain=history).order_by("-seq").first()
    _lift_triggers()
    newest.actor_id, newest.actor_label = sam.pk, sam.email
    forged = _plain_sha256(event_fields(newest), newest.prev_hash)
    AuditEvent.objects.filter(pk=newest.pk).update(
        actor_id=sam.pk, actor_label=sam.email, hash=forged
    )
    AuditChainHead.objects.filter(chain=history).update(hash=forged)

    assert f"event id={newest.pk} " in _problem()
    assert "its contents were changed" in _problem()


def test_deleting_everything_since_the_last_checkpoint_is_found(history):
    pinned = _newest_checkpoint().heads[history][0]
    _lift_triggers()
    AuditEvent.objects.filter(chain=history, seq__gt=pinned).delete()
    last = AuditEvent.objects.filter(chain=history).order_by("-seq").first()
    AuditChainHead.objects.filter(chain=history).update(seq=last.seq, hash=last.hash)

    problem = _problem()
    assert f"chain {history}, event #{pinned + 1} and 1 more" in problem
    assert "the witness saw it committed" in problem


def test_rewriting_the_whole_history_checkpoints_included_is_found(history, sam):
    _lift_triggers()
    their_key = b"k" * 32
    their_signer = Ed25519PrivateKey.generate()
    AuditCheckpoint.objects.all().delete()
    prev = GENESIS
    for event in AuditEvent.objects.filter(chain=history).order_by("seq"):
        event.actor_id, event.actor_label, event.prev_hash = sam.pk, sam.email, prev
        fields = event_fields(event)
        payload = json.dumps({**fields, "prev_hash": prev}, sort_keys=True, separators=(",", ":"))
        event.hash = hmac.new(their_key, payload.encode(), hashlib.sha256).hexdigest()
        AuditEvent.objects.filter(pk=event.pk).update(
            actor_id=sam.pk, actor_label=sam.email, prev_hash=prev, hash=event.hash
        )
        prev = event.hash
    AuditChainHead.objects.filter(chain=history).update(hash=prev)
    cp = AuditCheckpoint(seq=1, heads={history: [5, prev]}, prev_hash=GENESIS, signer="theirs")
    cp.at = AuditEvent.objects.order_by("-at").first().at
    cp.hash = digest(checkpoint_fields(cp), GENESIS)
    cp.signature = base64.urlsafe_b64encode(their_signer.sign(cp.hash.encode())).decode()
    cp.save()

    assert "checkpoint #1: its signature is not one of the audit signing keys" in _problem()
    AuditCheckpoint.objects.all().delete()
    assert "the database holds no checkpoints but the witness recorded 2" in _problem()


def test_wiping_the_log_is_found(history):
    _lift_triggers()
    AuditEvent.objects.all().delete()
    AuditChainHead.objects.all().delete()
    AuditCheckpoint.objects.all().delete()

    problem = _problem()
    assert "the database holds no checkpoints but the witness recorded 2" in problem
    assert "the log was wiped" in problem
    assert verify().events == 0


def test_a_wiped_log_that_never_had_a_checkpoint_is_found_by_its_witnessed_events(
    alex, maya, committed
):
    cache.add(checkpoints.DUE_FLAG, 1)  # another process checked for a due checkpoint just now
    event = committed(log.record, actor=alex, action="read", object_type="client", client=maya)
    assert not AuditCheckpoint.objects.exists()
    _lift_triggers()
    AuditEvent.objects.all().delete()
    AuditChainHead.objects.all().delete()

    assert f"chain client:{maya.pk}, event #{event.seq}: the witness saw it" in _problem()


def test_a_deleted_checkpoint_is_found(history, committed):
    committed(checkpoints.checkpoint)
    _lift_triggers()
    AuditCheckpoint.objects.filter(seq=3).delete()

    assert "checkpoint #3: the witness recorded it" in _problem()


def test_a_removed_witness_is_reported(history):
    witness.path().unlink()

    assert "does not exist but the database holds 2 checkpoints" in _problem()


def test_a_line_added_to_the_witness_without_the_signing_key_is_reported(history):
    with witness.path().open("a") as handle:
        handle.write(json.dumps({"kind": "restore", "seq": 0, "hash": GENESIS, "at": "now"}) + "\n")

    assert "line 3: not signed by an audit signing key" in _problem()


def test_a_restore_recorded_in_the_witness_expects_the_later_checkpoints_gone(
    history, alex, maya, committed
):
    """`securebase restore` of a backup taken at checkpoint #2: checkpoint #3 and the events after
    the backup are gone, and the witness says why."""
    committed(checkpoints.checkpoint)
    _lift_triggers()
    AuditCheckpoint.objects.filter(seq=3).delete()
    pinned = _newest_checkpoint().heads[history][0]
    AuditEvent.objects.filter(chain=history, seq__gt=pinned).delete()
    last = AuditEvent.objects.filter(chain=history).order_by("-seq").first()
    AuditChainHead.objects.filter(chain=history).update(seq=last.seq, hash=last.hash)
    assert not verify().ok

    checkpoints.record_restore()

    assert verify().ok, verify().problem
    committed(log.record, actor=alex, action="read", object_type="client", client=maya)
    committed(checkpoints.checkpoint)
    assert verify().ok, verify().problem


def test_events_sealed_under_an_earlier_key_still_verify_and_an_unknown_key_does_not(
    history, settings
):
    current, earlier = settings.AUDIT_KEYS
    settings.AUDIT_KEYS = [earlier, current]  # a new key put first; the old one kept
    assert verify().ok, verify().problem

    settings.AUDIT_KEYS = [earlier]
    assert "which is not in AUDIT_KEYS" in str(verify().problem)


def test_each_checkpoint_also_goes_to_syslog_when_configured(alex, maya, committed, settings):
    """A copy that leaves the machine: the same signed line, to a syslog socket."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "log")
        receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        receiver.bind(path)
        receiver.settimeout(5)
        settings.AUDIT_WITNESS_SYSLOG = path
        try:
            # The first event is due for a checkpoint of its own; then one by hand.
            committed(log.record, actor=alex, action="read", object_type="client", client=maya)
            cp = committed(checkpoints.checkpoint)
            received = [receiver.recv(65536).decode() for _ in range(2)]
        finally:
            receiver.close()

    lines = [json.loads(r[r.index("{") :].rstrip("\x00\n")) for r in received]
    assert [line["seq"] for line in lines] == [cp.seq - 1, cp.seq]
    assert lines[-1] == checkpoints.witness_entry(cp)
    assert all(r.startswith("<") for r in received)  # a syslog priority: facility authpriv


def test_after_the_signing_key_is_replaced_the_old_public_key_still_verifies(history, settings):
    """Rotation: the old key's public half (`securebase audit public-key`) in AUDIT_VERIFY_KEYS."""
    old_public = keys.public_key_text(keys.configured())
    settings.AUDIT_SIGNING_KEY = base64.urlsafe_b64encode(b"n" * 32).decode()

    assert "its signature is not one of the audit signing keys" in str(verify().problem)

    settings.AUDIT_VERIFY_KEYS = [old_public]
    assert verify().ok, verify().problem
    out = io.StringIO()
    call_command("audit", "public-key", stdout=out)
    assert out.getvalue().strip() == keys.public_key_text(keys.configured()) != old_public


def test_generate_key_makes_an_audit_key_the_settings_accept():
    out = io.StringIO()
    call_command("generate-key", "--audit", stdout=out)
    made = out.getvalue().strip()

    assert len(base64.urlsafe_b64decode(made)) == 32
    assert keys.parse([made], made, []).current_mac_id == keys.key_id(
        base64.urlsafe_b64decode(made)
    )
