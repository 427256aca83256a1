"""Writing a backup: the database dump, the attachment files it lists and every
audit archive file, each read once, then the manifest, through a work folder
beside the output that is always removed. Good and failed runs are recorded."""

import dataclasses
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from school_portal import stores

from . import database
from .base import (
    ATTACHMENTS,
    AUDIT_ARCHIVES,
    FORMAT,
    MANIFEST,
    STALE_WORK_SECONDS,
    WORK_PREFIX,
    BackupError,
    backup_dir,
    describe,
    sync_folder,
)
from .sealed import Sealing, keys_to_carry, new_seal


@dataclass(frozen=True)
class Written:
    # A path on this machine, or the archive's place in the object store.
    path: Path | str
    size: int
    sha256: str
    counts: dict[str, int]
    files: int
    audit_files: int
    missing: list[str]


def run_backup(*, output: Path | None = None, name: str = "") -> Written:
    """Write an archive to output (a path on this machine), or by name into
    the backup store, and record the run, good or failed.

    A failure leaves no file behind, is recorded (BackupRun with ok=False and
    an audit event, in one transaction) and raised as BackupError.
    """
    if output is None and stores.is_local(stores.get(stores.BACKUPS)):
        output = backup_dir() / name
    try:
        if output is None:
            written = _write_backup_to_store(name)
            output = written.path
        else:
            written = write_backup(Path(output))
    except Exception as error:
        problem = describe(error)
        try:
            _record_run(ok=False, problem=problem, path=output or name)
        except Exception as second:
            raise BackupError(
                f"{problem}; and the failure could not be recorded: {describe(second)}"
            ) from error
        raise BackupError(problem) from error
    _record_run(ok=True, written=written)
    return written


@transaction.atomic
def _record_run(
    *, ok: bool, written: Written | None = None, problem: str = "", path=None
):
    from accounts.models import BackupRun
    from audit.models import AuditAction
    from audit.services import record

    if ok:
        note = ""
        if written.missing:
            note = f"missing {len(written.missing)}: " + ", ".join(written.missing)
        run = BackupRun.objects.create(
            file_name=str(written.path),
            size=written.size,
            sha256=written.sha256,
            problem=note[:500],
        )
        details = {
            "size": written.size,
            "files": written.files,
            "audit_files": written.audit_files,
            "missing": len(written.missing),
        }
    else:
        run = BackupRun.objects.create(ok=False, problem=problem[:500])
        details = {"failed": problem[:200], "output": str(path)}
    record(actor=None, action=AuditAction.EXPORT, target=run, details=details)
    return run


def write_backup(output: Path) -> Written:
    """Write the encrypted archive to output, through a work folder beside it.

    Nothing but the finished archive is left: the work folder (database dump
    and the archive being written) is removed on success and on failure.
    """
    output = Path(output).absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_work(output.parent)
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=output.parent))
    try:
        # The database first, the files it lists after: each was written
        # before its row was committed, and files are never changed.
        # The newest signed head, read before the dump so the dump holds it:
        # a copy of it kept with the archive, outside the database.
        head = _audit_head()
        dumped = database.dump(work)
        attachments = _attachment_files(dumped.stored_names)
        audit_files = _audit_archive_files(dumped.audit_paths)
        partial = work / "archive.partial"
        with _create(partial) as target:
            counting = _Counting(target)
            sealing = Sealing(counting, new_seal())
            with tarfile.open(fileobj=sealing, mode="w|gz") as tar:
                tar.add(work / dumped.name, arcname=dumped.name, filter=_plain_member)
                # Each file is read once, its checksum taken on the way; one
                # removed since the dump is missing, like one gone before it.
                files, missing = _add_files(tar, ATTACHMENTS, attachments)
                audit, missing_audit = _add_files(tar, AUDIT_ARCHIVES, audit_files)
                missing += missing_audit
                manifest = {
                    "format": FORMAT,
                    "created_at": timezone.now().isoformat(),
                    "vendor": connection.vendor,
                    "database": dumped.name,
                    "migrations": dumped.migrations,
                    "counts": dumped.counts,
                    "files": files,
                    "audit_archives": audit,
                    "missing": missing,
                    "encryption_keys": keys_to_carry(),
                    "audit_head": head,
                }
                data = json.dumps(manifest, indent=2).encode("utf-8")
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
                tar.addfile(info, io.BytesIO(data))
            sealing.finish()
            target.flush()
            os.fsync(target.fileno())
        partial.replace(output)
        sync_folder(output.parent)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Written(
        path=output,
        size=counting.size,
        sha256=counting.digest.hexdigest(),
        counts=dumped.counts,
        files=len(files),
        audit_files=len(audit),
        missing=missing,
    )


def _write_backup_to_store(name: str) -> Written:
    """Written in a private temporary folder, then saved in the object store
    under its name; nothing stays on this machine."""
    with tempfile.TemporaryDirectory(prefix=WORK_PREFIX) as work:
        written = write_backup(Path(work) / name)
        try:
            with written.path.open("rb") as archive:
                stores.write_new(stores.BACKUPS, name, archive)
        except FileExistsError:
            raise BackupError(f"{name} is already in the backup store") from None
        except stores.Unreachable as error:
            raise BackupError(f"the backup store can't be written: {error}") from None
    return dataclasses.replace(
        written, path=str(stores.Source(name=name, store=stores.BACKUPS))
    )


def _audit_head() -> dict | None:
    from audit import signing
    from audit.models import SignedHead

    head = SignedHead.objects.first()
    return json.loads(signing.head_file(head)) if head else None


def _create(path: Path):
    """The archive being written (a function, so a test can make the disk full)."""
    return path.open("xb")


class _Counting:
    """Passes writes on to a file, keeping their size and SHA-256."""

    def __init__(self, target):
        self._target = target
        self.size = 0
        self.digest = hashlib.sha256()

    def write(self, data) -> int:
        self._target.write(data)
        self.size += len(data)
        self.digest.update(data)
        return len(data)


class _Hashing:
    """Reads from a file, keeping the SHA-256 of what was read."""

    def __init__(self, source):
        self._source = source
        self.digest = hashlib.sha256()

    def read(self, size=-1) -> bytes:
        with stores.answering():
            data = self._source.read(size)
        self.digest.update(data)
        return data


def _add_files(tar, folder: str, sources: dict[str, stores.Source]):
    """Each file into the tar under folder/: ({name: sha256}, [missing])."""
    added, missing = {}, []
    for name, source in sources.items():
        try:
            size = source.size()
            opened = source.open()
        except stores.NotFound:
            missing.append(f"{folder}/{name}")
            continue
        except stores.Unreachable as error:
            raise BackupError(f"the file store can't be read: {error}") from error
        with opened:
            info = _plain_member(tarfile.TarInfo(f"{folder}/{name}"))
            info.size, info.mtime = size, int(time.time())
            hashing = _Hashing(opened)
            try:
                tar.addfile(info, hashing)
            except stores.Unreachable as error:
                raise BackupError(f"the file store can't be read: {error}") from error
        added[name] = hashing.digest.hexdigest()
    return added, missing


def _plain_member(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    return info


def _remove_stale_work(folder: Path) -> None:
    """Work folders of a backup that was killed (power cut, kill -9)."""
    now = time.time()
    for work in folder.glob(f"{WORK_PREFIX}*"):
        try:
            newest = max(
                [work.stat().st_mtime, *(p.stat().st_mtime for p in work.iterdir())]
            )
        except OSError:
            continue
        if now - newest > STALE_WORK_SECONDS:
            shutil.rmtree(work, ignore_errors=True)


def _attachment_files(stored_names: list[str]) -> dict[str, stores.Source]:
    """The files of the attachments the dump lists, by their name in the store."""
    from documents import storage

    names = (storage.name_in_store(stored_name) for stored_name in stored_names)
    return {name: stores.Source(name=name, store=stores.ATTACHMENTS) for name in names}


def _audit_archive_files(stored_paths: list[str]) -> dict[str, stores.Source]:
    """Every file of every audit archive the dump lists, wherever it is."""
    from audit.models import AuditArchive
    from audit.services import archive_sources

    found = {}
    for stored_path in stored_paths:
        for source in archive_sources(AuditArchive(path=stored_path)):
            name = source.basename
            if name in found and str(found[name]) != str(source):
                raise BackupError(
                    f"two audit archive files are named {name}: "
                    f"{found[name]} and {source}"
                )
            found[name] = source
    return found
