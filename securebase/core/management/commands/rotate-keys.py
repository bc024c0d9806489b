from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError
from django.db import connection, transaction

from securebase.core.commands import OperationalCommand
from securebase.core.crypto import encrypted_fields, reseal, rotate, subject_path
from securebase.core.identifiers import blind_index, indexed_fields
from securebase.core.models import DataKey


class Command(OperationalCommand):
    help = (
        "Re-encrypt every encrypted field with the newest key in FIELD_ENCRYPTION_KEYS. "
        "Put the new key first, run this, then drop the old key. Each client's data key is "
        "re-wrapped with it; a client's words still under the practice keys (from before data "
        "keys) move under the client's own key. Blind indexes (clients' email addresses) are "
        "rewritten under the newest key too."
    )

    def handle(self, *args, **options):
        keys = 0
        for pk, wrapped in DataKey.objects.exclude(wrapped="").values_list("pk", "wrapped"):
            DataKey.objects.filter(pk=pk).update(wrapped=rotate(wrapped))
            keys += 1
        self.stdout.write(f"core_datakey: {keys} client data keys re-wrapped")
        total = 0
        for model, names in encrypted_fields():
            table = model._meta.db_table
            count = 0
            path = subject_path(model)
            rows = model._default_manager.values_list("pk", path or "pk")
            # Raw values (tokens) are read and written, so the plain text never passes through
            # (a client's words pass through memory once, when they move under the client's key).
            for pk, subject in rows.iterator():
                with transaction.atomic():
                    raw = self._raw(model, pk, names)
                    if raw is None:
                        continue
                    owner = subject if path else None
                    try:
                        rotated = {n: reseal(v, owner) for n, v in raw.items() if v}
                        rotated = {n: v for n, v in rotated.items() if v != raw[n]}
                    except ImproperlyConfigured as exc:
                        raise CommandError(f"{table} row {pk}: {exc}") from exc
                    if rotated:
                        self._write_raw(model, pk, rotated)
                        count += 1
            total += count
            self.stdout.write(f"{table}: {count} rows re-encrypted")
        for model, pairs in indexed_fields():
            count = 0
            rows = model._default_manager.only(*pairs.values()).order_by("pk")
            for row in rows.iterator():
                indexes = {i: blind_index(getattr(row, f)) for i, f in pairs.items()}
                model._default_manager.filter(pk=row.pk).update(**indexes)
                count += 1
            self.stdout.write(f"{model._meta.db_table}: {count} blind indexes rewritten")
        self.stdout.write(
            self.style.SUCCESS(f"Done: {total} rows re-encrypted with the newest key.")
        )

    def _raw(self, model, pk, names):
        columns = [model._meta.get_field(n).column for n in names]
        qn = connection.ops.quote_name
        selected = ", ".join(qn(c) for c in columns)
        table, key = qn(model._meta.db_table), qn(model._meta.pk.column)
        sql = f"SELECT {selected} FROM {table} WHERE {key} = %s"  # noqa: S608 (names from models)
        with connection.cursor() as cursor:
            cursor.execute(sql, [model._meta.pk.get_db_prep_value(pk, connection)])
            row = cursor.fetchone()
        return dict(zip(names, row, strict=True)) if row else None

    def _write_raw(self, model, pk, values):
        qn = connection.ops.quote_name
        assignments = ", ".join(f"{qn(model._meta.get_field(n).column)} = %s" for n in values)
        table, key = qn(model._meta.db_table), qn(model._meta.pk.column)
        sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608 (names from models)
        with connection.cursor() as cursor:
            cursor.execute(
                sql, [*values.values(), model._meta.pk.get_db_prep_value(pk, connection)]
            )
