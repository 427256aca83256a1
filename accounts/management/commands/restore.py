"""Bring an archive made by `backup` back: all of it into an empty installation,
or (--missing-files) only the files a running installation lost."""

from django.core.management.base import BaseCommand, CommandError

from accounts.personal.backup import (
    BackupError,
    inspect_archive,
    restore_backup,
    restore_missing_files,
)
from school_portal import stores


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an empty installation (run migrate first). "
        "Checks the archive, the database and the folders before changing "
        "anything, migrates an older archive's database and refuses keys that "
        "don't fit its data; on any failure leaves the installation as empty as "
        "it was. "
        "--missing-files: bring back only the files the database lists and the "
        "disk lacks. --check: only authenticate the archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive written by `manage.py backup`")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--missing-files",
            action="store_true",
            help="into a running installation: only the attachment and audit "
            "archive files that the database lists and the disk lacks",
        )
        mode.add_argument(
            "--check",
            action="store_true",
            help="authenticate the archive and say what it holds; change nothing",
        )

    def handle(self, *args, path, missing_files=False, check=False, **options):
        try:
            # PATH, or an archive's name in the backup store (as `backup` printed it).
            with stores.fetched(stores.BACKUPS, path) as local:
                if check:
                    self._check(local)
                elif missing_files:
                    self._missing_files(local)
                else:
                    self._restore(local)
        except BackupError as error:
            raise CommandError(f"restore refused: {error}") from None
        except (stores.NotFound, stores.Unreachable) as error:
            raise CommandError(
                f"restore refused: the backup store can't give {path}: {error}"
            ) from None

    def _restore(self, path):
        restored = restore_backup(path)
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {restored.rows} rows, {restored.files} attachments and "
                f"{restored.audit_files} audit archive files from the backup of "
                f"{restored.manifest['created_at']}."
            )
        )
        if restored.reencrypted:
            self.stdout.write(
                f"{restored.reencrypted} values made with keys that "
                "PORTAL_ENCRYPTION_KEYS no longer holds were re-encrypted "
                "under its first key."
            )
        if restored.migrated:
            self.stdout.write(
                "The archive was made by an older version: its database was "
                "migrated to this one."
            )

    def _missing_files(self, path):
        result = restore_missing_files(path)
        self.stdout.write(f"{len(result.files)} missing files came back.")
        if result.still_missing:
            raise CommandError(
                f"{len(result.still_missing)} still missing (not in this archive; "
                f"try an older one): {', '.join(result.still_missing)}"
            )
        self.stdout.write(self.style.SUCCESS("No file the database lists is missing."))

    def _check(self, path):
        listing = inspect_archive(path)
        manifest = listing.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"The archive is intact: the backup of {manifest['created_at']}, "
                f"{sum(manifest['counts'].values())} rows, {len(listing.files)} "
                f"attachments, {len(listing.audit_archives)} audit archive files."
            )
        )
        head = manifest.get("audit_head")
        if head:
            self.stdout.write(
                f"Audit head code of that day: {head['code']} "
                "(audit_verify --head CODE checks a trail against it)."
            )
