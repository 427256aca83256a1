"""What every part of the backup shares: its errors, folders, names and small
file helpers."""

import hashlib
import os
from contextlib import suppress
from pathlib import Path

from school_portal import stores

FORMAT = 2
CHUNK = 1024 * 1024
MANIFEST = "manifest.json"
ATTACHMENTS = "attachments"
AUDIT_ARCHIVES = "audit-archive"
# Kept free on every disk a restore writes to, so it never fills one to the brim.
DISK_MARGIN = 16 * 1024 * 1024
# A work folder of a backup that was killed is removed by a later run once
# nothing in it has changed for this long (a running pg_dump keeps writing).
STALE_WORK_SECONDS = 12 * 3600
WORK_PREFIX = ".portal-backup-"
STAGING_PREFIX = ".restoring-"


class BackupError(Exception):
    """The backup or the restore can't go on; the message says why, in one line."""


class ForeignArchive(BackupError):
    """Not an archive these keys open: another key's, or not an archive at all."""


def attachment_dir() -> Path | None:
    """The attachment folder of a file store; None for an object store."""
    return stores.folder(stores.ATTACHMENTS)


def backup_dir() -> Path | None:
    """The backup folder of a file store; None for an object store."""
    return stores.folder(stores.BACKUPS)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def sync_folder(folder: Path) -> None:
    """Make a rename in folder durable (a power cut must not undo it)."""
    with suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def describe(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        if error.filename:
            return f"{error.strerror}: {error.filename}"
        return error.strerror
    return str(error) or type(error).__name__
