"""Break backup and restore in the middle: nothing is lost, nothing is
half-saved, the command says why in one line, and running it again after the
cause is fixed works."""

import errno
import io
import os
import shutil
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from accounts.models import BackupRun, PersonRecord
from accounts.personal import backup
from audit.models import AuditAction, AuditEvent
from office import health
from tests.personal.backup_world import (
    Server,
    archive_the_trail,
    back_up,
    files_in,
    is_empty,
    new_empty_installation,
    register_letter_with_files,
    tree,
)
from tests.personal.conftest import PIN

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def school(settings, tmp_path, pupil, records_officer, teacher):
    server = Server(tmp_path / "school").use(settings)
    register_letter_with_files(records_officer, teacher, count=3)
    archive_the_trail()
    return server


@pytest.fixture
def lost_school(school, settings, tmp_path):
    """The school's archive on a USB disk; the server gone; a new, empty one."""
    archive = back_up(output=str(tmp_path / "usb" / "portal.backup"))
    files = files_in(school.attachments)
    audit_files = files_in(school.audit_archives)
    shutil.rmtree(school.root)
    new = new_empty_installation(settings, tmp_path / "new-server")
    return archive, new, files, audit_files


def restore(archive, *args) -> str:
    out = io.StringIO()
    call_command("restore", str(archive), *args, stdout=out)
    return out.getvalue()


def one_line(error: CommandError) -> str:
    message = str(error)
    assert "\n" not in message
    assert "Traceback" not in message
    return message


def restored_whole(new, files, audit_files) -> None:
    assert PersonRecord.objects.get(person__username="student1").pin == PIN
    assert files_in(new.attachments) == files
    assert files_in(new.audit_archives) == audit_files
    call_command("audit_verify", stdout=io.StringIO())


# --- restore ------------------------------------------------------------------


def test_an_attachment_folder_that_cannot_be_made_refuses_before_anything(
    lost_school, settings, tmp_path
):
    """Tests run as root, so a mode bit would not stop a write: the folder's
    parent is a regular file instead."""
    archive, new, files, _audit_files = lost_school
    blocker = tmp_path / "new-server" / "store"
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the folder should be")
    settings.PORTAL_ATTACHMENT_DIR = blocker / "attachments"
    counts = backup.row_counts()
    before = tree(new.root)

    with pytest.raises(CommandError) as raised:
        restore(archive)

    assert f"cannot write to {blocker / 'attachments'}" in one_line(raised.value)
    assert backup.row_counts() == counts
    assert tree(new.root) == before
    is_empty(new)

    blocker.unlink()  # the administrator fixes the cause and runs it again
    restore(archive)
    assert files_in(blocker / "attachments") == files
    assert PersonRecord.objects.get(person__username="student1").pin == PIN


@pytest.fixture
def copy_fails_after(monkeypatch):
    """The disk fails while the staged files are moved into place."""

    def fail_after(count: int, error: BaseException | None = None):
        real_place = backup.placement._place
        moved = []

        def place(staged, target):
            if len(moved) == count:
                raise error or OSError(errno.EIO, os.strerror(errno.EIO), str(target))
            real_place(staged, target)
            moved.append(target)

        monkeypatch.setattr(backup.placement, "_place", place)
        return moved

    return fail_after


def test_a_copy_failing_after_the_database_was_loaded_leaves_it_empty(
    lost_school, copy_fails_after, monkeypatch
):
    archive, new, files, audit_files = lost_school
    counts = backup.row_counts()
    existed = new.root.exists()
    moved = copy_fails_after(2)

    with pytest.raises(CommandError) as raised:
        restore(archive)

    assert "Input/output error" in one_line(raised.value)
    assert len(moved) == 2  # two files were in place and the database loaded
    assert backup.row_counts() == counts
    is_empty(new)
    assert tree(new.root) == []
    assert new.root.exists() == existed  # folders it made are gone too

    monkeypatch.undo()
    restore(archive)
    restored_whole(new, files, audit_files)


def test_row_counts_that_differ_after_the_load_leave_it_empty(lost_school, monkeypatch):
    archive, new, files, audit_files = lost_school
    counts = backup.row_counts()
    real_counts = backup.database.row_counts
    monkeypatch.setattr(backup.database, "row_counts", lambda tables=None: {})

    with pytest.raises(CommandError, match="row counts differ"):
        restore(archive)

    monkeypatch.setattr(backup.database, "row_counts", real_counts)
    assert backup.row_counts() == counts
    is_empty(new)
    restore(archive)
    restored_whole(new, files, audit_files)


def test_an_interrupted_restore_is_undone_too(lost_school, copy_fails_after):
    """Ctrl-C while files are being moved: undone, then the interrupt goes on."""
    archive, new, _files, _audit_files = lost_school
    counts = backup.row_counts()
    copy_fails_after(1, KeyboardInterrupt())

    with pytest.raises(KeyboardInterrupt):
        restore(archive)

    assert backup.row_counts() == counts
    is_empty(new)


def test_a_disk_without_room_refuses_before_anything(lost_school, monkeypatch):
    archive, new, _files, _audit_files = lost_school
    counts = backup.row_counts()
    real_usage = shutil.disk_usage

    def almost_full(path):
        usage = real_usage(path)
        return usage._replace(free=1024 * 1024)

    monkeypatch.setattr(backup.placement.shutil, "disk_usage", almost_full)

    with pytest.raises(CommandError) as raised:
        restore(archive)

    assert "not enough room on the disk" in one_line(raised.value)
    assert backup.row_counts() == counts
    is_empty(new)
    assert tree(new.root) == []


def test_an_archive_altered_after_the_check_is_caught_while_staging(
    lost_school, monkeypatch
):
    """The archive is read twice (authenticate, then extract); a change in
    between fails the second read, and the staged files go."""
    archive, new, _files, _audit_files = lost_school
    real_extract = backup.archive.extract

    def alter_then_extract(path, wanted):
        data = bytearray(path.read_bytes())
        data[-100] ^= 0x01
        path.write_bytes(bytes(data))
        real_extract(path, wanted)

    monkeypatch.setattr(backup.archive, "extract", alter_then_extract)

    with pytest.raises(CommandError, match="altered"):
        restore(archive)

    is_empty(new)
    assert not [name for name in tree(new.root) if ".restoring-" in name]


# --- backup -------------------------------------------------------------------


@pytest.fixture
def disk_full_after(monkeypatch):
    """The backup disk fills up once this many bytes of the archive are written."""

    def fill_after(limit: int):
        real_create = backup.write._create

        class FillingFile:
            def __init__(self, path):
                self.file, self.path, self.written = real_create(path), path, 0

            def write(self, data):
                if self.written + len(data) > limit:
                    raise OSError(
                        errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.path)
                    )
                self.written += len(data)
                return self.file.write(data)

            def __getattr__(self, name):
                return getattr(self.file, name)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.file.close()

        monkeypatch.setattr(backup.write, "_create", FillingFile)

    return fill_after


def test_a_backup_failing_mid_write_leaves_nothing_is_recorded_and_shown(
    school, settings, disk_full_after, monkeypatch
):
    good = back_up()
    assert health.backup_check().status == health.OK
    before = tree(school.backups)
    disk_full_after(good.stat().st_size // 2)

    with pytest.raises(CommandError) as raised:
        call_command("backup", stdout=io.StringIO())

    message = one_line(raised.value)
    assert "backup failed, nothing written: No space left on device" in message
    assert tree(school.backups) == before  # no .partial, no work folder
    failed = BackupRun.objects.latest()
    assert (failed.ok, failed.file_name) == (False, "")
    assert "No space left on device" in failed.problem
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == AuditAction.EXPORT
    assert event.target_id == str(failed.pk)
    assert "No space left on device" in event.details["failed"]
    check = health.backup_check()
    assert check.status == health.WARNING
    assert "The last backup failed" in check.detail
    assert good.is_file()

    monkeypatch.undo()
    back_up()
    assert health.backup_check().status == health.OK


def test_a_failed_first_backup_is_red(school, disk_full_after):
    disk_full_after(1024)

    with pytest.raises(CommandError):
        call_command("backup", stdout=io.StringIO())

    check = health.backup_check()
    assert check.status == health.RED
    assert "The last backup failed" in check.detail
    assert not any(school.backups.iterdir())


def test_a_database_dump_that_fails_is_recorded(school, monkeypatch):
    def refuse(folder):
        raise backup.BackupError("pg_dump failed: connection refused")

    monkeypatch.setattr(backup.database, "dump", refuse)

    with pytest.raises(CommandError, match="pg_dump failed: connection refused"):
        call_command("backup", stdout=io.StringIO())

    assert BackupRun.objects.get().problem == "pg_dump failed: connection refused"
    assert not any(school.backups.iterdir())


def test_a_backup_through_pgbouncer_is_refused_in_one_line(school, monkeypatch):
    """pg_dump needs a session of its own; transaction pooling gives none. The
    command says where to point it (docs/deployment.md), and writes nothing."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("pgbouncer stands in front of PostgreSQL")
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)

    with pytest.raises(CommandError, match="needs PostgreSQL itself, not pgbouncer"):
        call_command("backup", stdout=io.StringIO())

    assert "DATABASE_BEHIND_PGBOUNCER=0" in BackupRun.objects.get().problem
    assert not any(school.backups.iterdir())


def test_a_deleted_or_cut_backup_file_no_longer_counts(school):
    older = back_up(output=str(school.backups / "older.backup"))
    BackupRun.objects.filter(file_name=str(older)).update(
        at=timezone.now() - timedelta(hours=5)
    )
    newer = back_up(output=str(school.backups / "newer.backup"))
    assert health.backup_check().detail == health._age(BackupRun.objects.latest().at)

    newer.unlink()

    check = health.backup_check()
    assert check.status == health.OK
    assert check.detail == health._age(BackupRun.objects.get(file_name=older).at)

    with older.open("r+b") as file:
        file.truncate(1000)
    check = health.backup_check()
    assert check.status == health.RED
    assert "No backup file is left" in check.detail


def test_the_work_folder_of_a_killed_backup_is_removed_by_the_next_run(school):
    school.backups.mkdir(parents=True)
    killed = school.backups / f"{backup.base.WORK_PREFIX}killed"
    killed.mkdir()
    (killed / "archive.partial").write_bytes(b"half an archive")
    long_ago = time.time() - backup.base.STALE_WORK_SECONDS - 60
    for path in (killed / "archive.partial", killed):
        os.utime(path, (long_ago, long_ago))
    running = school.backups / f"{backup.base.WORK_PREFIX}running"
    running.mkdir()

    archive = back_up()

    assert sorted(p.name for p in school.backups.iterdir()) == sorted(
        [archive.name, running.name]
    )
