from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit import services


class Command(BaseCommand):
    help = (
        "Archive audit events older than the retention period (or --before) into "
        "a signed JSON-lines file under PORTAL_AUDIT_ARCHIVE_DIR (var/audit-archive/), "
        "then remove them. Nothing is removed if the file cannot be written. "
        "`backup` carries every archive and its signature."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--before", help="YYYY-MM-DD; default: PORTAL_AUDIT_RETENTION_DAYS ago"
        )
        parser.add_argument(
            "--directory",
            help="a folder; default: the audit archive store (PORTAL_STORAGE_URL)",
        )

    def handle(self, *args, before=None, directory=None, **options):
        if before:
            try:
                day = date.fromisoformat(before)
            except ValueError:
                raise CommandError("--before must be a date, YYYY-MM-DD") from None
            cutoff = timezone.make_aware(datetime.combine(day, time.min))
        else:
            cutoff = services.default_retention_cutoff()
        try:
            archive = services.archive_events(
                before=cutoff, directory=directory or None
            )
        except services.ArchiveFailed as error:
            raise CommandError(f"export failed, nothing removed: {error}") from None
        if archive is None:
            self.stdout.write(f"nothing to archive before {cutoff:%Y-%m-%d %H:%M}")
            return
        path = services.archive_file(archive)
        self.stdout.write(
            f"archived {archive.events} events (seq {archive.first_seq}–"
            f"{archive.last_seq}) older than {cutoff:%Y-%m-%d %H:%M}\n"
            f"  file: {path}\n  signature: {path}.sig\n"
            f"  sha256: {archive.sha256}\n"
            f"removed them from the database; the next `backup` carries the files"
        )
