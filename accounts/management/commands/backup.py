"""Write one encrypted archive of the database, attachments and audit archives."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.personal.backup import BackupError, run_backup


class Command(BaseCommand):
    help = (
        "Write an encrypted, authenticated backup (database, attachments, audit "
        "archives and their signatures). Default: portal-YYYYmmdd-HHMMSS.backup "
        "in the backup store (PORTAL_STORAGE_URL; var/backups/ by default). A "
        "failure leaves no file, is recorded for the health page and exits non-zero."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="where to write the archive")

    def handle(self, *args, output=None, **options):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        name = f"portal-{stamp}.backup"
        try:
            written = run_backup(output=Path(output) if output else None, name=name)
        except BackupError as error:
            raise CommandError(f"backup failed, nothing written: {error}") from None
        rows = sum(written.counts.values())
        if written.missing:
            self.stderr.write(
                f"These files are listed in the database but missing from the disk, "
                f"so this backup lacks them: {', '.join(written.missing)}. "
                "Bring them back from an older backup: "
                "python manage.py restore OLDER.backup --missing-files"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written: {written.path} ({written.size} bytes, "
                f"{rows} rows, {written.files} attachments, "
                f"{written.audit_files} audit archive files). "
                "Keep a copy off this server."
            )
        )
