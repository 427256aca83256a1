"""Re-encrypt every encrypted value with the first of PORTAL_ENCRYPTION_KEYS.

Put the new key first and keep the old ones after it; run this; then the old
keys can be removed. Rows are taken by primary key in batches, each batch in
its own transaction; values already under the first key are left alone, so the
command can be stopped at any moment and run again. The last finished primary
key of each table is kept in var/rotate_keys.json to resume from.
"""

import hashlib
import json

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from accounts import fields
from audit.models import AuditAction
from audit.services import record


def position_file():
    return settings.VAR_DIR / "rotate_keys.json"


class Command(BaseCommand):
    help = "Re-encrypt personal data with the first key of PORTAL_ENCRYPTION_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500, help="rows per batch")

    def handle(self, *args, batch=500, **options):
        if batch < 1:
            raise CommandError("--batch must be at least 1")
        first_key = hashlib.sha256(
            settings.PORTAL_ENCRYPTION_KEYS[0].encode()
        ).hexdigest()
        position = self._position(first_key)
        changed = 0
        for model in apps.get_models():
            columns = [field.column for field in fields.encrypted_fields(model)]
            if not columns:
                continue
            label = model._meta.label_lower
            changed += self._rotate(model, columns, label, position, batch)
        record(
            actor=None,
            action=AuditAction.UPDATE,
            target_label="PORTAL_ENCRYPTION_KEYS",
            details={"rotated_values": changed},
        )
        position_file().unlink(missing_ok=True)
        self.stdout.write(self.style.SUCCESS(f"Done: {changed} values re-encrypted."))

    def _rotate(self, model, columns, label, position, batch) -> int:
        table = connection.ops.quote_name(model._meta.db_table)
        pk = connection.ops.quote_name(model._meta.pk.column)
        quoted = [connection.ops.quote_name(column) for column in columns]
        total = model._base_manager.count()
        after = position["tables"].get(label)
        done, changed = 0, 0
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                where = f"WHERE {pk} > %s " if after is not None else ""
                params = [after] if after is not None else []
                cursor.execute(
                    f"SELECT {pk}, {', '.join(quoted)} FROM {table} "  # noqa: S608
                    f"{where}ORDER BY {pk} LIMIT %s",
                    [*params, batch],
                )
                rows = cursor.fetchall()
                if not rows:
                    break
                for row in rows:
                    updates = {}
                    for column, token in zip(quoted, row[1:], strict=True):
                        if token and not fields.made_with_first_key(token):
                            updates[column] = fields.reencrypt(token)
                    if updates:
                        assignments = ", ".join(f"{column} = %s" for column in updates)
                        cursor.execute(
                            f"UPDATE {table} SET {assignments} "  # noqa: S608
                            f"WHERE {pk} = %s",
                            [*updates.values(), row[0]],
                        )
                        changed += len(updates)
                after = rows[-1][0]
            done += len(rows)
            position["tables"][label] = after
            position_file().write_text(json.dumps(position), encoding="utf-8")
            self.stdout.write(f"{label}: {done} of about {total} rows (up to {after})")
        return changed

    def _position(self, first_key: str) -> dict:
        """Where a stopped run left off, if it was rotating to the same first key."""
        path = position_file()
        if path.exists():
            saved = json.loads(path.read_text(encoding="utf-8"))
            if saved.get("first_key") == first_key:
                self.stdout.write("Resuming where the last run stopped.")
                return saved
        return {"first_key": first_key, "tables": {}}
