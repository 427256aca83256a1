"""Bring an archive made by `backup` back into an empty installation."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.personal.backup import BackupError, restore_backup
from audit.models import AuditAction
from audit.services import record


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an empty installation (run migrate first). "
        "Refuses an altered archive, one made with another key, or a database "
        "that has data, before changing anything."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive written by `manage.py backup`")

    def handle(self, *args, path, **options):
        try:
            manifest = restore_backup(Path(path))
        except BackupError as error:
            raise CommandError(f"restore refused: {error}") from None
        record(
            actor=None,
            action=AuditAction.CREATE,
            target_label="restore",
            details={"archive_made": manifest["created_at"]},
        )
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {rows} rows and {len(manifest['files'])} attachments "
                f"from the backup of {manifest['created_at']}."
            )
        )
