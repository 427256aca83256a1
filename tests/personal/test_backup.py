"""backup and restore: a round trip, and refusals before anything is touched."""

import hashlib
import io
import os

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import BackupRun, PersonRecord, User
from accounts.personal import backup
from accounts.roles import sync_role_groups
from tests.personal.conftest import PIN

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def attachments(settings, tmp_path):
    folder = tmp_path / "attachments"
    (folder / "2026").mkdir(parents=True)
    (folder / "2026" / "order-12.pdf").write_bytes(os.urandom(3000))
    (folder / "scan.jpg").write_bytes(b"\xff\xd8" + os.urandom(500))
    settings.PORTAL_ATTACHMENT_DIR = folder
    return folder


def checksums(folder):
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).digest()
        for path in folder.rglob("*")
        if path.is_file()
    }


def empty_the_installation(folder):
    """What a new server looks like after migrate: tables, groups, no data."""
    call_command("flush", interactive=False, verbosity=0)
    sync_role_groups()
    for path in sorted(folder.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def test_round_trip_keeps_every_row_and_every_file(
    pupil, family, attachments, tmp_path
):
    archive = tmp_path / "out" / "portal.backup"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    counts = backup.row_counts()
    files = checksums(attachments)
    assert BackupRun.objects.get().file_name == str(archive)
    assert PIN.encode() not in archive.read_bytes()
    empty_the_installation(attachments)
    assert not User.objects.exists()

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    assert "Restored" in out.getvalue()
    after = backup.row_counts()
    after.pop("audit_auditevent")  # the restore itself is recorded
    counts.pop("audit_auditevent")
    counts["accounts_backuprun"] -= 1  # the run is recorded after the archive
    assert after == counts
    assert checksums(attachments) == files
    assert PersonRecord.objects.get(person__username="student1").pin == PIN


def test_restore_refuses_an_installation_with_data(pupil, attachments, tmp_path):
    archive = tmp_path / "portal.backup"
    call_command("backup", output=str(archive), stdout=io.StringIO())

    with pytest.raises(CommandError, match="already has data"):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_restore_refuses_an_altered_archive_before_touching_anything(
    pupil, attachments, tmp_path
):
    archive = tmp_path / "portal.backup"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    empty_the_installation(attachments)
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    archive.write_bytes(bytes(data))

    with pytest.raises(CommandError, match="altered"):
        call_command("restore", str(archive), stdout=io.StringIO())

    assert not User.objects.exists()
    assert not any(attachments.iterdir())


def test_restore_refuses_a_cut_archive(pupil, attachments, tmp_path):
    archive = tmp_path / "portal.backup"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    empty_the_installation(attachments)
    archive.write_bytes(archive.read_bytes()[:-20])

    with pytest.raises(CommandError, match="altered"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert not User.objects.exists()


def test_restore_refuses_an_archive_made_with_another_key(
    pupil, attachments, tmp_path, settings
):
    archive = tmp_path / "portal.backup"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    empty_the_installation(attachments)
    settings.PORTAL_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(CommandError, match="another key"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert not User.objects.exists()


def test_an_old_key_kept_after_rotation_still_opens_the_archive(
    pupil, attachments, tmp_path, settings
):
    archive = tmp_path / "portal.backup"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    settings.PORTAL_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.PORTAL_ENCRYPTION_KEYS,
    ]
    target = io.BytesIO()

    backup.decrypt_file(archive, target)

    assert target.getvalue()[:2] == b"\x1f\x8b"  # the gzipped tar inside
