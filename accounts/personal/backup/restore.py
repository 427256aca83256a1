"""Bringing an archive back: all of it into an empty installation, all or
nothing (``restore_backup``), or only the files a running one lost
(``restore_missing_files``)."""

import hashlib
import io
import shutil
import tempfile
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone, translation

from accounts import fields
from school_portal import stores

from . import archive as archives
from . import database
from .base import (
    ATTACHMENTS,
    AUDIT_ARCHIVES,
    CHUNK,
    STAGING_PREFIX,
    BackupError,
    describe,
)
from .placement import Placement, Target, check_room


def installation_has_data() -> bool:
    from accounts.models import User
    from audit.models import AuditArchive, AuditEvent

    tables = set(connection.introspection.table_names())
    return any(
        model._meta.db_table in tables and model._base_manager.exists()
        for model in (User, AuditEvent, AuditArchive)
    )


@dataclass(frozen=True)
class Restored:
    manifest: dict
    rows: int
    files: int
    audit_files: int
    # Values only the archive's old keys opened, now under the first key.
    reencrypted: int
    # The archive was made by an older version: its database was migrated.
    migrated: bool


def restore_backup(archive: Path) -> Restored:
    """Bring an archive back into an empty installation, or change nothing.

    Everything that can be checked is checked before anything is touched: the
    archive (every chunk), the database (empty, same kind, not newer code),
    the target folders (writable, empty, room). Then files are staged inside
    their folders, the database is loaded, its row counts are checked, what
    only the archive's old keys open is re-encrypted, an older database is
    migrated, the configured keys are checked against the data and the files
    the database lists are moved into place. On any failure the database
    snapshot taken just before the load is put back and every file placed is
    removed.
    """
    from audit.models import AuditAction
    from audit.services import record

    archive = Path(archive)
    listing = archives.inspect_archive(archive)
    manifest = listing.manifest
    _check_database_fits(manifest)
    if installation_has_data():
        raise BackupError(
            "the database already has data: restore only into an empty installation"
        )
    placement = Placement()
    files_to, audit_to = (
        Target(stores.ATTACHMENTS, placement),
        Target(stores.AUDIT_ARCHIVE, placement),
    )
    if listing.files and _holds_files(files_to):
        raise BackupError(f"{files_to} is not empty")
    audit_wanted = _audit_files_to_write(listing)
    database_member = manifest["database"]
    needs = {Path(tempfile.gettempdir()): listing.sizes[database_member]}
    for target, wanted_bytes in (
        (files_to, listing.bytes_of(f"{ATTACHMENTS}/{n}" for n in listing.files)),
        (audit_to, listing.bytes_of(f"{AUDIT_ARCHIVES}/{n}" for n in audit_wanted)),
    ):
        room = target.staging_room()
        needs[room] = needs.get(room, 0) + wanted_bytes
    if connection.vendor == "sqlite" and database.sqlite_file():
        needs[database.sqlite_file().parent] = listing.sizes[database_member]
    check_room(needs)

    snapshot = None
    work = Path(tempfile.mkdtemp(prefix="portal-restore-"))
    try:
        files_staging = files_to.stage() if listing.files else None
        audit_staging = audit_to.stage() if audit_wanted else None
        wanted = {database_member: (work / "database", None)}
        for name, sha256 in listing.files.items():
            wanted[f"{ATTACHMENTS}/{name}"] = (files_staging / name, sha256)
        for name in audit_wanted:
            sha256 = listing.audit_archives[name]
            wanted[f"{AUDIT_ARCHIVES}/{name}"] = (audit_staging / name, sha256)
        archives.extract(archive, wanted)
        snapshot = database.snapshot(work)
        database.load(work / "database")
        _check_counts(manifest["counts"])
        reencrypted, old_keys = _reencrypt_restored(manifest.get("encryption_keys", []))
        migrated = _needs_migrate()
        if migrated:
            call_command(
                "migrate", interactive=False, verbosity=0, stdout=io.StringIO()
            )
        if old_keys:
            _retire(old_keys)
        _check_keys()
        _point_audit_archives_at(set(listing.audit_archives))
        # An older archive carried every file in the folder: only the files
        # the database lists come back, not a probe or an orphan.
        listed = set(listed_attachments())
        files = [name for name in listing.files if name in listed]
        moves = [(files_staging, files_to, name) for name in files]
        moves += [(audit_staging, audit_to, name) for name in audit_wanted]
        for staging, target, name in moves:
            if not target.place(staging / name, name):
                raise BackupError(f"{target}/{name} appeared during the restore")
        record(
            actor=None,
            action=AuditAction.RESTORE,
            target_label="restore",
            details={"archive_made": manifest["created_at"]},
        )
    except BaseException as error:
        problems = [*files_to.undo(), *audit_to.undo(), *placement.undo()]
        if snapshot is not None:
            try:
                _put_back(snapshot, keys_dont_fit=isinstance(error, _KeysDontFit))
            except Exception as second:
                problems.append(f"the empty database could not be put back: {second}")
        if not isinstance(error, Exception):
            raise
        reason = error if isinstance(error, BackupError) else describe(error)
        if problems:
            raise BackupError(
                f"{reason}; and undoing it failed: {'; '.join(problems)}"
            ) from error
        raise BackupError(str(reason)) from error
    finally:
        placement.clean()
        shutil.rmtree(work, ignore_errors=True)
    return Restored(
        manifest=manifest,
        rows=sum(manifest["counts"].values()),
        files=len(files),
        audit_files=len(listing.audit_archives),
        reencrypted=reencrypted,
        migrated=migrated,
    )


def _holds_files(target: Target) -> bool:
    """Anything in the attachment store but the portal's own hidden folders:
    the readiness probe's, a restore's staging?"""
    from documents import storage

    def portal_own(name: str) -> bool:
        top = name.split("/", 1)[0]
        return top == storage.PROBE_FOLDER or top.startswith(STAGING_PREFIX)

    if target.folder is None:
        try:
            names = stores.listing(target.store_name)
            return not all(portal_own(name) for name in names)
        except stores.Unreachable as error:
            raise BackupError(f"{target} can't be read: {error}") from None
    folder = target.folder
    return folder.is_dir() and not all(
        portal_own(path.name) and path.is_dir() for path in folder.iterdir()
    )


class _KeysDontFit(BackupError):
    pass


def _check_keys() -> None:
    """The configured keys must be those the restored data was made with: a
    wrong audit key would hash the restore's own event into a false alarm."""
    from accounts import keys

    with translation.override("en"):  # as the rest of the command's output
        problems = keys.problems()
    if problems:
        raise _KeysDontFit(" ".join(problems))


def _put_back(snapshot: Path, *, keys_dont_fit: bool) -> None:
    """The empty database as it was. After wrong keys, without the key
    fingerprints ``migrate`` recorded in it: they vouch for no data, and
    kept they would refuse the right keys when the restore is tried again."""
    from accounts.models import KeyFingerprint

    database.load(snapshot)
    if keys_dont_fit:
        KeyFingerprint.objects.all().delete()


def _reencrypt_restored(archive_keys: list[str]) -> tuple[int, list[str]]:
    """Values of the restored database that only the archive's old keys open
    are re-encrypted under the first configured key, as rotate_keys would have
    done. Done before any migration, so a migration sees the configured keys
    alone. The number changed, and the old keys."""
    configured = list(settings.PORTAL_ENCRYPTION_KEYS)
    old = [key for key in archive_keys if key not in configured]
    if not old:
        return 0, []
    first = Fernet(configured[0])
    opener = MultiFernet([Fernet(key) for key in [*configured, *old]])
    tables = set(connection.introspection.table_names())
    changed = 0
    for model in apps.get_models():
        columns = [field.column for field in fields.fernet_fields(model)]
        if not columns or model._meta.db_table not in tables:
            continue
        # An older archive may lack a column this code has: migrate adds it.
        with connection.cursor() as cursor:
            present = {
                column.name
                for column in connection.introspection.get_table_description(
                    cursor, model._meta.db_table
                )
            }
        columns = [column for column in columns if column in present]
        if not columns:
            continue
        table = connection.ops.quote_name(model._meta.db_table)
        pk = connection.ops.quote_name(model._meta.pk.column)
        quoted = [connection.ops.quote_name(column) for column in columns]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {pk}, {', '.join(quoted)} FROM {table}")  # noqa: S608
            rows = cursor.fetchall()
        for row in rows:
            updates = {}
            for column, token in zip(quoted, row[1:], strict=True):
                if not token or fields.opens(token):
                    continue
                with suppress(InvalidToken):
                    plain = opener.decrypt(token.encode("ascii"))
                    updates[column] = first.encrypt(plain).decode("ascii")
            if updates:
                assignments = ", ".join(f"{column} = %s" for column in updates)
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608
                        [*updates.values(), row[0]],
                    )
                changed += len(updates)
    return changed, old


def _retire(old_keys: list[str]) -> None:
    """The old keys' fingerprints go (accounts/keys.py): no value needs them."""
    from accounts import keys
    from accounts.models import KeyFingerprint, KeyPurpose

    KeyFingerprint.objects.filter(
        purpose=KeyPurpose.ENCRYPTION,
        fingerprint__in=[keys.fingerprint(key) for key in old_keys],
        retired_at__isnull=True,
    ).update(retired_at=timezone.now())
    keys.remember()


def _check_database_fits(manifest: dict) -> None:
    if manifest.get("vendor") != connection.vendor:
        raise BackupError(
            f"the archive holds a {manifest.get('vendor')} database; "
            f"this installation uses {connection.vendor}"
        )
    # Only apps this code has: a removed app's old rows mean nothing.
    disk = MigrationLoader(connection).disk_migrations
    known = {f"{app}.{name}" for app, name in disk}
    known |= {f"{a}.{n}" for migration in disk.values() for a, n in migration.replaces}
    apps_here = {app for app, _name in disk}
    newer = sorted(
        name
        for name in manifest.get("migrations", [])
        if name.split(".", 1)[0] in apps_here and name not in known
    )
    if newer:
        raise BackupError(
            "the archive was made by a newer version of the portal (it has "
            f"migration {newer[0]}): install that version first"
        )


def _needs_migrate() -> bool:
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _check_counts(expected: dict[str, int]) -> None:
    """Every table the manifest counted, counted again as loaded: a table of
    an app this code no longer has is still there until ``migrate`` runs."""
    counts = database.row_counts(list(expected))
    differ = {
        table: (count, counts.get(table))
        for table, count in expected.items()
        if counts.get(table) != count
    }
    if differ:
        raise BackupError(f"row counts differ after loading the database: {differ}")


def _audit_files_to_write(listing: archives.Listing) -> list[str]:
    """The archive's audit files that the store lacks; an identical copy
    already there is kept, a different one stops the restore."""
    wanted = []
    for name, sha256 in listing.audit_archives.items():
        present = stores.Source(name=name, store=stores.AUDIT_ARCHIVE)
        try:
            if not present.exists():
                wanted.append(name)
            elif _sha256_of_source(present) != sha256:
                raise BackupError(
                    f"{present} exists and differs from the archive's copy"
                )
        except stores.Unreachable as error:
            raise BackupError(f"{present} can't be read: {error}") from None
    return wanted


def _sha256_of_source(source: stores.Source) -> str:
    digest = hashlib.sha256()
    with source.open() as file, stores.answering(source.name):
        for block in iter(lambda: file.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _point_audit_archives_at(names: set[str]) -> None:
    """Every AuditArchive row whose file came back now names it in the store."""
    from audit.models import AuditArchive

    for archive in AuditArchive.objects.all():
        name = PurePosixPath(archive.path).name
        if name in names and archive.path != name:
            archive.path = name
            archive.save(update_fields=["path"])


def listed_attachments() -> dict[str, stores.Source]:
    """The attachment files the database lists and that can still be read
    (a shredded file's key is gone: its bytes are noise), by their name in
    the attachment store."""
    from documents import storage

    Attachment = apps.get_model("documents", "Attachment")
    names = Attachment.objects.filter(shredded_at__isnull=True).values_list(
        "stored_name", flat=True
    )
    listed = {}
    for stored_name in names.iterator():
        name = storage.name_in_store(stored_name)
        listed[name] = stores.Source(name=name, store=stores.ATTACHMENTS)
    return dict(sorted(listed.items()))


# --- bringing back missing files ---------------------------------------------


@dataclass(frozen=True)
class BroughtBack:
    files: list[str]
    still_missing: list[str]


def restore_missing_files(archive: Path) -> BroughtBack:
    """For a running installation: bring back from the archive only the files
    the database lists and the store lacks (attachments, audit archives),
    never over an existing file, each checked against the manifest."""
    from audit.models import AuditAction, AuditArchive
    from audit.services import archive_sources, record

    archive = Path(archive)
    listing = archives.inspect_archive(archive)
    placement = Placement()
    files_to = Target(stores.ATTACHMENTS, placement)
    audit_to = Target(stores.AUDIT_ARCHIVE, placement)
    # member -> (where it goes: a Target and a name there, or a path; sha256)
    lacking: dict[str, tuple[Target | None, str | Path, str]] = {}
    still_missing = []
    try:
        for name, source in listed_attachments().items():
            if source.exists():
                continue
            if name in listing.files:
                lacking[f"{ATTACHMENTS}/{name}"] = (files_to, name, listing.files[name])
            else:
                still_missing.append(f"{ATTACHMENTS}/{name}")
        for row in AuditArchive.objects.order_by("first_seq"):
            for source in archive_sources(row):
                if source.exists():
                    continue
                member = f"{AUDIT_ARCHIVES}/{source.basename}"
                sha256 = listing.audit_archives.get(source.basename)
                if sha256 is None:
                    still_missing.append(member)
                elif source.path is not None:
                    lacking[member] = (None, source.path, sha256)
                else:
                    lacking[member] = (audit_to, source.name, sha256)
    except stores.Unreachable as error:
        raise BackupError(f"the file store can't be read: {error}") from None
    if not lacking:
        return BroughtBack(files=[], still_missing=still_missing)

    needs: dict[Path, int] = {}
    for member, (target, where, _sha256) in lacking.items():
        room = target.staging_room() if target else Path(where).parent
        needs[room] = needs.get(room, 0) + listing.bytes_of([member])
    check_room(needs)
    brought_back = []
    try:
        stagings: dict[object, Path] = {}
        staged = {}
        for member, (target, where, sha256) in lacking.items():
            if target is None:
                key = Path(where).parent
                if key not in stagings:
                    stagings[key] = placement.stage_in(key)
                staged[member] = (stagings[key] / Path(where).name, sha256)
            else:
                if target not in stagings:
                    stagings[target] = target.stage()
                staged[member] = (stagings[target] / where, sha256)
        archives.extract(archive, staged)
        for member, (path, _sha256) in staged.items():
            target, where, _sha = lacking[member]
            if target is None:
                placed = placement.place(path, Path(where))
            else:
                placed = target.place(path, where)
            if placed:
                brought_back.append(member)
    except BaseException as error:
        placement.clean()
        if not isinstance(error, Exception):
            raise
        # What was placed is whole and checked: better kept than removed.
        raise BackupError(
            f"{describe(error)} ({len(brought_back)} file(s) came back before that)"
        ) from error
    finally:
        placement.clean()
    record(
        actor=None,
        action=AuditAction.FILES_RESTORE,
        target_label="restore missing files",
        details={
            "archive_made": listing.manifest["created_at"],
            "brought_back": len(brought_back),
            "still_missing": len(still_missing),
        },
    )
    return BroughtBack(files=brought_back, still_missing=still_missing)
