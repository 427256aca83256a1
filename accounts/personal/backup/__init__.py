"""Encrypted backups (regulation 5.1: protection from loss).

An archive is a gzipped tar, sealed in authenticated chunks (sealed.py): the
database (database.py), the attachment files it lists, every audit archive
file with its signature, and manifest.json last, with every member's checksum
(write.py). The manifest also carries PORTAL_ENCRYPTION_KEYS as they were:
whoever opens the archive with its own key then has the older keys its data
needs, and a restore re-encrypts that data under the first key configured now.

A restore (restore.py) brings it back into an empty installation all or
nothing (archive.py reads it, placement.py puts the files in place), migrates
an older database and refuses keys that don't fit the data.
"""

from .archive import inspect_archive
from .base import BackupError, backup_dir
from .database import row_counts
from .restore import restore_backup, restore_missing_files
from .sealed import decrypt_file, rewrap_archives
from .write import run_backup

__all__ = [
    "BackupError",
    "backup_dir",
    "decrypt_file",
    "inspect_archive",
    "restore_backup",
    "restore_missing_files",
    "rewrap_archives",
    "row_counts",
    "run_backup",
]
