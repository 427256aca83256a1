"""Re-encrypt everything under PORTAL_ENCRYPTION_KEYS with the first of them.

The README's procedure: put the new key first and keep the old ones after it;
run this; then remove the old keys. "Everything" is every column that holds a
token under those keys (accounts.fields.fernet_fields: personal data, the
authenticators' secrets, the attachments' wrapped data keys) and the wrapped
key of every backup archive still on this server.

Rows are taken by primary key in batches, each batch in its own transaction;
values already under the first key are left alone, so the command can be
stopped at any moment and run again. The last finished primary key of each
table is kept in the state store (var/rotate_keys.json, or the object store)
to resume from, so any node can resume. At the end the old keys'
fingerprints are retired (accounts/keys.py): from then on the start-up check
no longer asks for them.
"""

import json

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import translation

from accounts import fields, keys
from accounts.personal import backup
from audit.models import AuditAction
from audit.services import record
from school_portal import stores

# In the state store (PORTAL_STORAGE_URL): any node can resume a stopped run.
POSITION = "rotate_keys.json"


class Command(BaseCommand):
    help = (
        "Re-encrypt personal data, second-factor secrets, attachment keys and "
        "backup keys with the first key of PORTAL_ENCRYPTION_KEYS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500, help="rows per batch")

    def handle(self, *args, batch=500, **options):
        if batch < 1:
            raise CommandError("--batch must be at least 1")
        with translation.override("en"):  # as the rest of this command's output
            found = keys.problems()
        if found:
            raise CommandError(" ".join(found))
        keys.remember()
        first_key = keys.fingerprint(settings.PORTAL_ENCRYPTION_KEYS[0])
        position = self._position(first_key)
        changed = 0
        for model in apps.get_models():
            columns = [field.column for field in fields.fernet_fields(model)]
            if columns:
                label = model._meta.label_lower
                changed += self._rotate(model, columns, label, position, batch)
        try:
            archives = backup.rewrap_archives()
        except backup.BackupError as error:
            # The data is rotated; the old key stays recorded (not retired) so
            # the start-up check keeps asking for it while an archive needs it.
            raise CommandError(
                f"{changed} values re-encrypted, but {error}. Keep the old key "
                "in PORTAL_ENCRYPTION_KEYS until those archives are re-keyed "
                "(run rotate_keys again) or no longer needed."
            ) from None
        with transaction.atomic():
            retired = keys.retire_old_encryption_keys()
            record(
                actor=None,
                action=AuditAction.KEYS_ROTATE,
                target_label="PORTAL_ENCRYPTION_KEYS",
                details={
                    "rotated_values": changed,
                    "backups_rewrapped": archives,
                    "keys_retired": retired,
                },
            )
        stores.delete(stores.STATE, POSITION)
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {changed} values re-encrypted, {archives} backups re-keyed. "
                "The old keys can now be removed from PORTAL_ENCRYPTION_KEYS."
            )
        )

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
                        changed += self._swap(cursor, table, pk, row, quoted, updates)
                after = rows[-1][0]
            done += len(rows)
            position["tables"][label] = after
            stores.put(stores.STATE, POSITION, json.dumps(position).encode())
            self.stdout.write(f"{label}: {done} of about {total} rows (up to {after})")
        return changed

    @staticmethod
    def _swap(cursor, table, pk, row, quoted, updates) -> int:
        """Replace the tokens only where they are still the ones read: the portal
        keeps serving during a rotation, and a value written meanwhile is already
        under the first key (compare-and-set, no lock held on the people's data)."""
        old = dict(zip(quoted, row[1:], strict=True))
        assignments = ", ".join(f"{column} = %s" for column in updates)
        unchanged = " AND ".join(f"{column} = %s" for column in updates)
        cursor.execute(
            f"UPDATE {table} SET {assignments} "  # noqa: S608 (names from the model)
            f"WHERE {pk} = %s AND {unchanged}",
            [*updates.values(), row[0], *(old[column] for column in updates)],
        )
        return len(updates) if cursor.rowcount else 0

    def _position(self, first_key: str) -> dict:
        """Where a stopped run left off, if it was rotating to the same first key."""
        try:
            saved = json.loads(stores.read(stores.STATE, POSITION))
        except stores.NotFound:
            saved = None
        if saved and saved.get("first_key") == first_key:
            self.stdout.write("Resuming where the last run stopped.")
            return saved
        return {"first_key": first_key, "tables": {}}
