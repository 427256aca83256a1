"""Write one encrypted archive of the database and the attachments."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import BackupRun
from accounts.personal.backup import BackupError, write_backup
from audit.models import AuditAction
from audit.services import record


class Command(BaseCommand):
    help = (
        "Write an encrypted, authenticated backup (database and attachments). "
        "Default: var/backups/portal-YYYYmmdd-HHMMSS.backup"
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="where to write the archive")

    def handle(self, *args, output=None, **options):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        path = Path(output or settings.VAR_DIR / "backups" / f"portal-{stamp}.backup")
        try:
            written = write_backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        with transaction.atomic():
            run = BackupRun.objects.create(
                file_name=str(written.path), size=written.size, sha256=written.sha256
            )
            record(
                actor=None,
                action=AuditAction.EXPORT,
                target=run,
                details={"size": written.size, "files": written.files},
            )
        rows = sum(written.counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written: {written.path} ({written.size} bytes, "
                f"{rows} rows, {written.files} attachments). "
                "Keep a copy off this server."
            )
        )
