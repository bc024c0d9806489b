"""Seal events with a keyed HMAC, sign checkpoints, and refuse REPLACE on the audit tables.

Existing events were chained with plain SHA-256, which anyone with the database could recompute.
This migration seals every existing chain again, in order, under the current key in AUDIT_KEYS
(verify the old log with the previous version first if its history matters), and drops the old
unsigned checkpoints: the next activity writes a signed one, to the witness too. SQLite's
``INSERT OR REPLACE`` deletes a conflicting row without firing DELETE triggers; a BEFORE INSERT
trigger now refuses an insert whose id or place in a chain is taken.
"""

from django.db import migrations, models

from securebase.audit.hashing import GENESIS, event_fields, event_seal

APPEND_ONLY = "'audit events are append-only'"


def _sqlite_triggers(schema_editor, create: bool) -> None:
    existing = {
        "audit_auditevent": "id = NEW.id OR (chain = NEW.chain AND seq = NEW.seq)",
        "audit_auditcheckpoint": "id = NEW.id OR seq = NEW.seq",
    }
    for table, clash in existing.items():
        for op in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace")
        if not create:
            continue
        for op in ("UPDATE", "DELETE"):
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, {APPEND_ONLY}); END;"
            )
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {clash}) "
            f"BEGIN SELECT RAISE(ABORT, {APPEND_ONLY}); END;"
        )


def _postgres_triggers(schema_editor, enable: bool) -> None:
    action = "ENABLE" if enable else "DISABLE"
    for table in ("audit_auditevent", "audit_auditcheckpoint"):
        schema_editor.execute(f"ALTER TABLE {table} {action} TRIGGER USER")


def reseal(apps, schema_editor):
    from securebase.audit import keys

    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _sqlite_triggers(schema_editor, create=False)
    else:
        _postgres_triggers(schema_editor, enable=False)
    event_model = apps.get_model("audit", "AuditEvent")
    head_model = apps.get_model("audit", "AuditChainHead")
    sealing = keys.configured()
    key = sealing.mac_keys[sealing.current_mac_id]
    current, prev = None, GENESIS
    for event in event_model.objects.order_by("chain", "seq").iterator(chunk_size=2000):
        if event.chain != current:
            current, prev = event.chain, GENESIS
        event.key_id = sealing.current_mac_id
        event.prev_hash = prev
        event.hash = event_seal(event_fields(event), prev, key)
        event.save(update_fields=["key_id", "prev_hash", "hash"])
        head_model.objects.filter(chain=event.chain).update(seq=event.seq, hash=event.hash)
        prev = event.hash
    head_model.objects.update(checkpointed_seq=0)
    apps.get_model("audit", "AuditCheckpoint").objects.all().delete()
    if vendor == "sqlite":
        _sqlite_triggers(schema_editor, create=True)
    else:
        _postgres_triggers(schema_editor, enable=True)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(default="", max_length=12),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="checkpointed_seq",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="auditcheckpoint",
            name="signer",
            field=models.CharField(default="", max_length=12),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditcheckpoint",
            name="signature",
            field=models.CharField(default="", max_length=88),
            preserve_default=False,
        ),
        migrations.RunPython(reseal, migrations.RunPython.noop),
    ]
