"""backup and restore: everything a school needs after losing the server comes
back (database, attachments, audit archives and signed heads), archives stay
restorable through key rotations, refusals come before anything is touched, and
keys that don't fit the restored data are refused and undone."""

import base64
import dataclasses
import hashlib
import hmac
import io
import json
import os
import shutil
import struct
import tarfile
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts import keys
from accounts.models import BackupRun, PersonRecord, User
from accounts.personal import backup
from audit import services as audit_services
from audit import signing
from audit.models import AuditAction, AuditArchive, AuditEvent, SignedHead
from documents import storage
from documents.models import Attachment
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
def school(settings, tmp_path, pupil, family, records_officer, teacher):
    """An installation with personal data, a registered letter with two files,
    an archived audit year, and in the store two files no row names: one left
    by a registration that never committed, and the readiness probe's."""
    server = Server(tmp_path / "school").use(settings)
    register_letter_with_files(records_officer, teacher)
    orphan = storage._path("0f" * 16)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(os.urandom(500))
    probe = server.attachments / storage.PROBE_FOLDER / "5e1f0c2a9b3d4e6f"
    probe.parent.mkdir()
    probe.write_bytes(b"probe")
    archive_the_trail()
    return server


def listed_files(server: Server) -> dict[str, bytes]:
    """The files in the store that an attachment row names: what is carried."""
    names = {
        storage._path(stored_name).relative_to(server.attachments).as_posix()
        for stored_name in Attachment.objects.values_list("stored_name", flat=True)
    }
    return {
        name: digest
        for name, digest in files_in(server.attachments).items()
        if name in names
    }


def offsite(tmp_path) -> Path:
    """Where the administrator copies the archive: not on the lost server."""
    return tmp_path / "usb-disk" / "portal.backup"


def lose(server: Server) -> None:
    if server.root.exists():
        shutil.rmtree(server.root)


def restore(archive: Path, *args) -> str:
    out = io.StringIO()
    call_command("restore", str(archive), *args, stdout=out)
    return out.getvalue()


def attachment_texts() -> dict[str, bytes]:
    return {
        attachment.name: storage.read(
            stored_name=attachment.stored_name,
            wrapped_key=attachment.wrapped_key,
            sha256=attachment.sha256,
        )
        for attachment in Attachment.objects.all()
    }


def heads() -> list[tuple]:
    return list(SignedHead.objects.values_list("seq", "entry_hash", "signature"))


def test_round_trip_keeps_every_row_and_every_file(school, settings, tmp_path):
    archive = back_up(output=str(offsite(tmp_path)))
    counts = backup.row_counts()
    files, texts = listed_files(school), attachment_texts()
    assert len(files) == 2  # not the orphan, not the probe
    assert BackupRun.objects.get().file_name == str(archive)
    assert PIN.encode() not in archive.read_bytes()
    lose(school)
    new = new_empty_installation(settings, tmp_path / "new-server")

    output = restore(archive)

    assert "Restored" in output
    restored = AuditEvent.objects.get(action=AuditAction.RESTORE)
    assert set(restored.details) == {"archive_made"}
    after = backup.row_counts()
    after.pop("audit_auditevent")  # the restore itself is recorded
    counts.pop("audit_auditevent")
    counts["accounts_backuprun"] -= 1  # the run is recorded after the archive
    assert after == counts
    assert files_in(new.attachments) == files
    assert attachment_texts() == texts
    assert PersonRecord.objects.get(person__username="student1").pin == PIN
    assert not [name for name in tree(new.root) if ".restoring-" in name]


def test_audit_archives_and_signed_heads_survive_losing_the_server(
    school, settings, tmp_path
):
    """The archived years were removed from the database: the backup is the only
    copy besides var/. After a new installation they are back where the rows
    say, their signatures hold and audit_verify passes."""
    exported = files_in(school.audit_archives)
    assert len(exported) == 2  # the export and its .sig
    row = AuditArchive.objects.get()
    assert row.path == next(name for name in exported if name.endswith(".jsonl"))
    signed = heads()
    archive = back_up(output=str(offsite(tmp_path)))
    lose(school)
    new = new_empty_installation(settings, tmp_path / "new-server")

    restore(archive)

    assert files_in(new.audit_archives) == exported
    row = AuditArchive.objects.get()
    path = audit_services.archive_file(row)
    assert path == new.audit_archives / row.path
    assert hashlib.sha256(path.read_bytes()).hexdigest() == row.sha256
    sig = json.loads(path.with_name(path.name + ".sig").read_text())
    assert signing.is_valid(sig["message"].encode(), sig["signature"])
    assert heads() == signed
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "audit trail intact" in out.getvalue()


def test_an_export_written_elsewhere_is_carried_and_comes_back_into_the_folder(
    settings, tmp_path, teacher
):
    server = Server(tmp_path / "school").use(settings)
    for _ in range(3):
        audit_services.record(actor=teacher, action=AuditAction.VIEW)
    elsewhere = tmp_path / "old-disk" / "exports"
    cutoff = "2999-01-01"
    call_command(
        "audit_archive", before=cutoff, directory=str(elsewhere), stdout=io.StringIO()
    )
    row = AuditArchive.objects.get()
    assert Path(row.path).is_absolute()
    exported = files_in(elsewhere)
    archive = back_up(output=str(offsite(tmp_path)))
    lose(server)
    shutil.rmtree(elsewhere)
    new = new_empty_installation(settings, tmp_path / "new-server")

    restore(archive)

    assert files_in(new.audit_archives) == exported
    assert AuditArchive.objects.get().path == Path(row.path).name
    call_command("audit_verify", stdout=io.StringIO())


def test_a_backup_lacking_a_listed_file_is_written_and_says_so(
    school, settings, tmp_path
):
    attachment = Attachment.objects.first()
    storage._path(attachment.stored_name).unlink()
    err = io.StringIO()

    call_command("backup", stdout=io.StringIO(), stderr=err)

    run = BackupRun.objects.get()
    assert run.ok
    assert "missing 1" in run.problem
    assert attachment.stored_name in err.getvalue()
    assert "--missing-files" in err.getvalue()
    check = health.backup_check()
    assert check.status == health.WARNING
    assert "restore --missing-files" in check.detail


def test_a_listed_file_removed_while_the_backup_runs_is_recorded_as_missing(
    school, settings, monkeypatch
):
    """A file can go between the dump and its turn in the archive (an upload
    whose transaction rolled back): it is missing, like one gone before."""
    gone = Attachment.objects.first()
    real_create = backup.write._create

    def create_while_a_file_goes(path):
        storage._path(gone.stored_name).unlink()
        return real_create(path)

    monkeypatch.setattr(backup.write, "_create", create_while_a_file_goes)
    err = io.StringIO()

    call_command("backup", stdout=io.StringIO(), stderr=err)

    run = BackupRun.objects.get()
    assert run.ok
    assert run.problem.startswith("missing 1: ")
    assert gone.stored_name in err.getvalue()
    listing = backup.inspect_archive(Path(run.file_name))
    assert len(listing.files) == 1
    assert listing.manifest["missing"] == [
        f"attachments/{gone.stored_name[:2]}/{gone.stored_name}"
    ]


def test_the_readiness_probe_folder_does_not_stop_a_restore(school, settings, tmp_path):
    """/health/ready/ writes its probe where the attachments live, on the new
    server too, before anything is restored."""
    archive = back_up(output=str(offsite(tmp_path)))
    files = listed_files(school)
    lose(school)
    new = new_empty_installation(settings, tmp_path / "new-server")
    probe_folder = new.attachments / storage.PROBE_FOLDER
    probe_folder.mkdir(parents=True)

    restore(archive)

    assert listed_files(new) == files
    assert files_in(new.attachments) == files
    assert probe_folder.is_dir()


def test_restore_refuses_an_installation_with_data(school, tmp_path):
    archive = back_up(output=str(offsite(tmp_path)))
    counts = backup.row_counts()

    with pytest.raises(CommandError, match="already has data"):
        restore(archive)

    assert backup.row_counts() == counts


def test_restore_refuses_an_altered_archive_before_touching_anything(
    school, settings, tmp_path
):
    archive = back_up(output=str(offsite(tmp_path)))
    new = new_empty_installation(settings, tmp_path / "new-server")
    counts = backup.row_counts()
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    archive.write_bytes(bytes(data))

    with pytest.raises(CommandError, match="altered"):
        restore(archive)

    assert backup.row_counts() == counts
    is_empty(new)
    assert tree(new.root) == []


def test_restore_refuses_a_cut_archive(school, settings, tmp_path):
    archive = back_up(output=str(offsite(tmp_path)))
    new = new_empty_installation(settings, tmp_path / "new-server")
    archive.write_bytes(archive.read_bytes()[:-20])

    with pytest.raises(CommandError, match="altered"):
        restore(archive)
    is_empty(new)


def test_restore_refuses_an_archive_made_with_another_key(school, settings, tmp_path):
    archive = back_up(output=str(offsite(tmp_path)))
    new = new_empty_installation(settings, tmp_path / "new-server")
    settings.PORTAL_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(CommandError, match="another key"):
        restore(archive)
    is_empty(new)


@pytest.mark.parametrize("setting", ["PORTAL_AUDIT_KEY", "PORTAL_BLIND_INDEX_KEY"])
def test_restore_refuses_a_key_that_does_not_fit_the_data_and_takes_the_right_one(
    school, settings, tmp_path, setting
):
    """The archive opens (its encryption key is right) but the audit or the
    blind-index key is another: the restore's own event would be hashed into a
    false tamper alarm. Refused, undone; then the right key works."""
    archive = back_up(output=str(offsite(tmp_path)))
    right, wrong = getattr(settings, setting), Fernet.generate_key().decode()
    lose(school)
    setattr(settings, setting, wrong)
    new = new_empty_installation(settings, tmp_path / "new-server")  # migrate

    with pytest.raises(CommandError) as raised:
        restore(archive)

    message = str(raised.value)
    assert f"{setting} is not the key the stored data was made with" in message
    assert right not in message and wrong not in message
    is_empty(new)
    setattr(settings, setting, right)
    assert keys.problems() == []  # the empty installation holds on to no key
    restore(archive)
    assert PersonRecord.objects.get(person__username="student1").pin == PIN
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "audit trail intact" in out.getvalue()


def test_no_key_is_ever_printed_or_recorded(school, settings, tmp_path):
    """The manifest carries the encryption keys; nothing shows them."""
    archive = back_up(output=str(offsite(tmp_path)))
    secrets = [
        *settings.PORTAL_ENCRYPTION_KEYS,
        settings.PORTAL_AUDIT_KEY,
        settings.PORTAL_BLIND_INDEX_KEY,
    ]
    checked = restore(archive, "--check")
    lose(school)
    new_empty_installation(settings, tmp_path / "new-server")
    restored = restore(archive)
    events = json.dumps(list(AuditEvent.objects.values_list("details", flat=True)))

    for secret in secrets:
        assert secret not in checked
        assert secret not in restored
        assert secret not in events


def test_restore_refuses_an_archive_of_a_newer_version(
    school, settings, tmp_path, monkeypatch
):
    real_dump = backup.database.dump

    def dump_from_newer_code(folder):
        dumped = real_dump(folder)
        newer = [*dumped.migrations, "accounts.9999_from_the_future"]
        return dataclasses.replace(dumped, migrations=newer)

    monkeypatch.setattr(backup.database, "dump", dump_from_newer_code)
    archive = back_up(output=str(offsite(tmp_path)))
    new = new_empty_installation(settings, tmp_path / "new-server")

    with pytest.raises(CommandError, match="newer version"):
        restore(archive)
    is_empty(new)


def test_check_authenticates_the_archive_and_changes_nothing(school, tmp_path):
    archive = back_up(output=str(offsite(tmp_path)))
    counts = backup.row_counts()

    output = restore(archive, "--check")

    assert "The archive is intact" in output
    assert "2 attachments, 2 audit archive files" in output
    assert backup.row_counts() == counts
    archive.write_bytes(archive.read_bytes()[:-1])
    with pytest.raises(CommandError, match="altered"):
        restore(archive, "--check")


def test_the_data_key_is_rewrapped_by_rewriting_the_header_alone(
    school, settings, tmp_path
):
    archive = back_up()
    before = archive.read_bytes()
    old_key = settings.PORTAL_ENCRYPTION_KEYS[0]
    settings.PORTAL_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]

    assert backup.rewrap_archives() == 1
    assert backup.rewrap_archives() == 0  # already under the first key

    after = archive.read_bytes()
    header = len(backup.sealed.MAGIC_V2) + 16 + 8 + 2
    token_length = struct.unpack(">H", before[header - 2 : header])[0]
    assert after[: header - 2] == before[: header - 2]  # magic, id, prefix
    assert after[header + token_length :] == before[header + token_length :]
    assert (
        after[header : header + token_length] != before[header : header + token_length]
    )
    run = BackupRun.objects.get()
    assert (run.size, run.sha256) == (
        len(after),
        hashlib.sha256(after).hexdigest(),
    )
    assert health.backup_check().status == health.OK
    assert not list(archive.parent.glob(".*"))  # no temporary file left


def test_readme_rotation_keeps_every_backup_restorable(school, settings, tmp_path):
    """Make an archive; put a new key first; rewrap_archives() (rotate_keys calls
    it); remove the old key; lose the server; the restore is whole: personal
    data and attachments open with the new key alone."""
    archive = back_up()
    kept = offsite(tmp_path)
    texts = attachment_texts()
    old_key = settings.PORTAL_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.PORTAL_ENCRYPTION_KEYS = [new_key, old_key]
    backup.rewrap_archives()
    settings.PORTAL_ENCRYPTION_KEYS = [new_key]
    kept.parent.mkdir()
    shutil.copy(archive, kept)
    lose(school)
    new_empty_installation(settings, tmp_path / "new-server")

    output = restore(kept)

    assert "re-encrypted under its first key" in output
    assert PersonRecord.objects.get(person__username="student1").pin == PIN
    assert attachment_texts() == texts
    assert keys.problems() == []
    call_command("audit_verify", stdout=io.StringIO())


def test_an_archive_no_key_opens_is_named_and_the_others_are_rewrapped(
    school, settings, tmp_path
):
    lost_key = [Fernet.generate_key().decode()]
    good = back_up(output=str(tmp_path / "a" / "good.backup"))
    settings.PORTAL_ENCRYPTION_KEYS, kept = lost_key, settings.PORTAL_ENCRYPTION_KEYS
    unopenable = back_up(output=str(tmp_path / "b" / "lost.backup"))
    vanished = back_up(output=str(tmp_path / "c" / "gone.backup"))
    vanished.unlink()
    BackupRun.objects.create(ok=False, problem="disk full")
    settings.PORTAL_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *kept]

    with pytest.raises(backup.BackupError, match="1 archive") as raised:
        backup.rewrap_archives()

    assert str(unopenable) in str(raised.value)
    assert str(good) not in str(raised.value)
    settings.PORTAL_ENCRYPTION_KEYS = settings.PORTAL_ENCRYPTION_KEYS[:1]
    backup.decrypt_file(good, io.BytesIO())


def test_rewrap_takes_every_archive_in_the_backup_folder_each_once(
    school, settings, tmp_path
):
    """A run's archive, a copy put in the folder with no run (from the old
    server, after a restore), a link to the run's file: each file is re-wrapped
    once, the run's size and SHA-256 follow. An archive of another school's
    key in the folder is not this server's to re-wrap, and stops nothing."""
    made = back_up()
    copied = school.backups / "portal-from-the-old-server.backup"
    shutil.copy(made, copied)
    (school.backups / "link.backup").symlink_to(made)
    old_key = settings.PORTAL_ENCRYPTION_KEYS[0]
    settings.PORTAL_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    foreign = back_up(output=str(tmp_path / "elsewhere" / "other-school.backup"))
    BackupRun.objects.filter(file_name=str(foreign)).delete()
    foreign = Path(shutil.move(foreign, school.backups / "other-school.backup"))
    foreign_bytes = foreign.read_bytes()
    (school.backups / "notes.backup").write_text("not an archive")
    new_key = Fernet.generate_key().decode()
    settings.PORTAL_ENCRYPTION_KEYS = [new_key, old_key]

    assert backup.rewrap_archives() == 2

    assert foreign.read_bytes() == foreign_bytes
    run = BackupRun.objects.get()
    assert (run.size, run.sha256) == (
        made.stat().st_size,
        hashlib.sha256(made.read_bytes()).hexdigest(),
    )
    settings.PORTAL_ENCRYPTION_KEYS = [new_key]
    for archive in (made, copied):
        backup.decrypt_file(archive, io.BytesIO())
    assert health.backup_check().status == health.OK


# --- format 1 -----------------------------------------------------------------
# The sealed format alone: this schema's database in a format-1 archive. Real
# archives of the previous release, with its older schema, are restored in
# test_backup_previous_release.py.


def v1_encrypt(plain: bytes, target: Path, fernet_key: str) -> None:
    """What `backup` wrote before format 2 (the old encrypt_file, kept here)."""
    raw = base64.urlsafe_b64decode(fernet_key.encode("ascii"))
    salt, prefix = os.urandom(16), os.urandom(8)
    key_id = hmac.new(raw, b"school-portal backup key id", hashlib.sha256).digest()
    header = backup.sealed.MAGIC_V1 + key_id[:8] + salt + prefix
    cipher = backup.sealed.v1_cipher(raw, salt)
    chunks = [
        plain[i : i + backup.base.CHUNK]
        for i in range(0, len(plain), backup.base.CHUNK)
    ]
    with target.open("wb") as out:
        out.write(header)
        for number, chunk in enumerate(chunks):
            last = number == len(chunks) - 1
            nonce = prefix + struct.pack(">I", number)
            sealed = cipher.encrypt(
                nonce, chunk, header + struct.pack(">I?", number, last)
            )
            out.write(struct.pack(">I", len(sealed)) + sealed)


def as_v1(archive: Path, target: Path, fernet_key: str) -> Path:
    """The same installation as a format-1 archive: its manifest and layout."""
    plain = io.BytesIO()
    backup.decrypt_file(archive, plain)
    repacked = io.BytesIO()
    with (
        tarfile.open(fileobj=io.BytesIO(plain.getvalue()), mode="r:gz") as old,
        tarfile.open(fileobj=repacked, mode="w:gz") as new,
    ):
        for member in old:
            if member.name.startswith("audit-archive/"):
                continue
            data = old.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest = {
                    "format": 1,
                    **{
                        key: manifest[key]
                        for key in ("created_at", "vendor", "database", "counts")
                    },
                    "files": manifest["files"],
                }
                data = json.dumps(manifest).encode()
                member.size = len(data)
            new.addfile(member, io.BytesIO(data))
    v1_encrypt(repacked.getvalue(), target, fernet_key)
    return target


@pytest.fixture
def v1_school(settings, tmp_path, pupil, records_officer, teacher):
    """An installation (no audit archives yet: format 1 did not carry them)
    and its format-1 archive, recorded as its last backup."""
    server = Server(tmp_path / "school").use(settings)
    register_letter_with_files(records_officer, teacher)
    v2 = back_up(output=str(tmp_path / "v2.backup"))
    server.backups.mkdir()
    v1 = as_v1(
        v2, server.backups / "portal-v1.backup", settings.PORTAL_ENCRYPTION_KEYS[0]
    )
    v2.unlink()
    BackupRun.objects.all().delete()
    BackupRun.objects.create(file_name=str(v1), size=v1.stat().st_size)
    return server, v1


def test_a_format_1_archive_still_restores(v1_school, settings, tmp_path):
    server, v1 = v1_school
    texts = attachment_texts()
    kept = offsite(tmp_path)
    kept.parent.mkdir()
    shutil.copy(v1, kept)
    lose(server)
    new_empty_installation(settings, tmp_path / "new-server")

    restore(kept)

    assert PersonRecord.objects.get(person__username="student1").pin == PIN
    assert attachment_texts() == texts


def test_rotation_converts_a_format_1_archive_and_it_restores_with_the_new_key(
    v1_school, settings, tmp_path
):
    server, v1 = v1_school
    texts = attachment_texts()
    old_key = settings.PORTAL_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.PORTAL_ENCRYPTION_KEYS = [new_key, old_key]

    assert backup.rewrap_archives() == 1

    assert v1.read_bytes().startswith(backup.sealed.MAGIC_V2)
    settings.PORTAL_ENCRYPTION_KEYS = [new_key]
    kept = offsite(tmp_path)
    kept.parent.mkdir()
    shutil.copy(v1, kept)
    lose(server)
    new_empty_installation(settings, tmp_path / "new-server")
    restore(kept)
    assert PersonRecord.objects.get(person__username="student1").pin == PIN
    assert attachment_texts() == texts
    assert keys.problems() == []


# --- bringing back missing files ------------------------------------------------


def test_missing_files_come_back_and_nothing_existing_is_overwritten(
    school, records_officer, teacher, tmp_path
):
    archive = back_up(output=str(offsite(tmp_path)))
    first, second = Attachment.objects.order_by("pk")[:2]
    lost = storage._path(first.stored_name)
    original = lost.read_bytes()
    lost.unlink()
    lost.parent.rmdir()  # the disk error took the folder too
    signature = audit_services.archive_files(AuditArchive.objects.get())[1]
    signature_bytes = signature.read_bytes()
    signature.unlink()
    # A file that is there but differs is not ours to replace.
    other = storage._path(second.stored_name)
    other.write_bytes(b"changed on disk")
    counts = backup.row_counts()

    output = restore(archive, "--missing-files")

    assert "2 missing files came back" in output
    assert "No file the database lists is missing" in output
    brought = AuditEvent.objects.get(action=AuditAction.FILES_RESTORE)
    assert (brought.details["brought_back"], brought.details["still_missing"]) == (
        2,
        0,
    )
    assert lost.read_bytes() == original
    assert signature.read_bytes() == signature_bytes
    assert other.read_bytes() == b"changed on disk"
    after = backup.row_counts()
    assert after.pop("audit_auditevent") == counts.pop("audit_auditevent") + 1
    assert after == counts
    assert not [name for name in tree(school.root) if ".restoring-" in name]


def test_files_the_archive_lacks_are_named_as_still_missing(
    school, records_officer, teacher, tmp_path
):
    archive = back_up(output=str(offsite(tmp_path)))
    later = register_letter_with_files(records_officer, teacher, count=1)
    newer = later.attachments.get()
    storage._path(newer.stored_name).unlink()
    older = Attachment.objects.order_by("pk").first()
    storage._path(older.stored_name).unlink()
    out = io.StringIO()

    with pytest.raises(CommandError, match="1 still missing") as raised:
        call_command("restore", str(archive), "--missing-files", stdout=out)

    assert "1 missing files came back" in out.getvalue()
    assert newer.stored_name in str(raised.value)
    assert storage._path(older.stored_name).is_file()


def test_nothing_missing_changes_nothing(school, tmp_path):
    archive = back_up(output=str(offsite(tmp_path)))
    files = files_in(school.root)

    output = restore(archive, "--missing-files")

    assert "0 missing files came back" in output
    assert files_in(school.root) == files
    assert User.objects.filter(username="student1").exists()
