"""audit_archive: a signed export first, then removal; never silently."""

import importlib
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from auditlog.context import disable_auditlog
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.utils import timezone

from audit import services, signing
from audit.models import AuditAction, AuditArchive, AuditEvent
from audit.services import record
from tests.factories import UserFactory


@pytest.fixture
def old_and_new(db):
    """Five events from six years ago, then three from today: the chain's start
    is old. (Creating the person is kept out of the trail for that.)"""
    with disable_auditlog():
        person = UserFactory(username="archivist")
    long_ago = timezone.now() - timedelta(days=6 * 365)
    old = [
        record(actor=person, action=AuditAction.VIEW, at=long_ago, details={"n": n})
        for n in range(5)
    ]
    new = [record(actor=person, action=AuditAction.VIEW) for _ in range(3)]
    return old, new


def cutoff_for(event) -> str:
    return timezone.localdate(event.at + timedelta(days=1)).isoformat()


def test_old_events_go_to_a_signed_file_then_the_chain_still_verifies(
    old_and_new, tmp_path, capsys
):
    old, new = old_and_new
    services.sign_head(actor=None)

    call_command("audit_archive", before=cutoff_for(old[-1]), directory=tmp_path)

    out = capsys.readouterr().out
    archive = AuditArchive.objects.get()
    assert f"archived {archive.events} events" in out
    assert archive.last_seq == old[-1].seq
    assert not AuditEvent.objects.filter(seq__lte=old[-1].seq).exists()
    assert AuditEvent.objects.filter(pk__in=[e.pk for e in new]).count() == 3
    lines = (tmp_path / archive.path.split("/")[-1]).read_text().splitlines()
    assert len(lines) == archive.events
    assert json.loads(lines[-1])["entry_hash"] == old[-1].entry_hash
    sig = json.loads((tmp_path / (archive.path.split("/")[-1] + ".sig")).read_text())
    assert sig["sha256"] == archive.sha256
    assert signing.is_valid(sig["message"].encode(), sig["signature"])
    assert AuditEvent.objects.order_by("-seq").first().action == AuditAction.ARCHIVE
    assert services.verify_trail().ok


def test_the_default_keeps_five_years(old_and_new, tmp_path):
    old, _new = old_and_new

    call_command("audit_archive", directory=tmp_path)

    assert AuditArchive.objects.get().last_seq == old[-1].seq


def test_nothing_is_removed_when_the_export_fails(old_and_new, tmp_path):
    old, _new = old_and_new
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the folder should be")
    count = AuditEvent.objects.count()

    with pytest.raises(CommandError, match="nothing removed"):
        call_command("audit_archive", before=cutoff_for(old[-1]), directory=blocked)

    assert AuditEvent.objects.count() == count
    assert not AuditArchive.objects.exists()


def test_the_last_event_is_never_archived(teacher, tmp_path):
    record(actor=teacher, action=AuditAction.VIEW)
    last = AuditEvent.objects.order_by("-seq").first()

    archive = services.archive_events(
        before=timezone.now() + timedelta(days=1), directory=tmp_path
    )

    assert archive.last_seq == last.seq - 1
    assert AuditEvent.objects.filter(pk=last.pk).exists()
    assert services.verify_trail().ok


def test_a_bad_date_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("audit_archive", before="31.12.2020", directory=tmp_path)


def test_nothing_to_archive_says_so(teacher, tmp_path, capsys):
    call_command(
        "audit_archive",
        before=datetime(2000, 1, 1).date().isoformat(),
        directory=tmp_path,
    )

    assert "nothing to archive" in capsys.readouterr().out


@pytest.fixture
def archive_folder(settings, tmp_path):
    settings.PORTAL_AUDIT_ARCHIVE_DIR = tmp_path / "audit-archive"
    return settings.PORTAL_AUDIT_ARCHIVE_DIR


def test_by_default_the_export_goes_to_the_folder_and_is_named_relative_to_it(
    old_and_new, archive_folder, capsys
):
    old, _new = old_and_new

    call_command("audit_archive", before=cutoff_for(old[-1]))

    archive = AuditArchive.objects.get()
    assert "/" not in archive.path  # a name in PORTAL_AUDIT_ARCHIVE_DIR
    files = services.archive_files(archive)
    assert files == [
        archive_folder / archive.path,
        archive_folder / f"{archive.path}.sig",
    ]
    assert all(path.is_file() for path in files)
    assert f"file: {files[0]}" in capsys.readouterr().out


def test_an_export_written_elsewhere_keeps_its_absolute_path(
    old_and_new, archive_folder, tmp_path
):
    old, _new = old_and_new
    elsewhere = tmp_path / "elsewhere"

    call_command("audit_archive", before=cutoff_for(old[-1]), directory=elsewhere)

    archive = AuditArchive.objects.get()
    assert services.archive_file(archive) == elsewhere / Path(archive.path).name
    assert Path(archive.path).is_absolute()


def test_a_failure_after_the_export_removes_the_files_and_keeps_the_events(
    old_and_new, archive_folder, monkeypatch
):
    _old, _new = old_and_new
    count = AuditEvent.objects.count()

    def refuse(**kwargs):
        raise DatabaseError("disk I/O error")

    monkeypatch.setattr(services, "record", refuse)

    with pytest.raises(DatabaseError):
        services.archive_events(
            before=timezone.now() - timedelta(days=365), directory=archive_folder
        )

    assert AuditEvent.objects.count() == count
    assert not AuditArchive.objects.exists()
    assert not any(archive_folder.iterdir())


def test_the_migration_names_the_files_relative_to_the_folder(
    db, archive_folder, settings, tmp_path
):
    migration = importlib.import_module("audit.migrations.0005_archive_paths_relative")
    inside = archive_folder / "audit-1-5-20200101T000000.jsonl"
    outside = tmp_path / "usb" / "audit-6-9-20210101T000000.jsonl"
    relative = "var/audit-archive/audit-10-12-20220101T000000.jsonl"
    rows = [
        AuditArchive.objects.create(
            before=timezone.now(),
            first_seq=n,
            last_seq=n,
            last_hash="0" * 64,
            events=1,
            path=path,
            sha256="0" * 64,
        )
        for n, path in enumerate([str(inside), str(outside), relative])
    ]

    migration.to_relative(django_apps, None)

    paths = [AuditArchive.objects.get(pk=row.pk).path for row in rows]
    assert paths == [
        inside.name,
        str(outside),
        str(settings.BASE_DIR / relative),
    ]
    migration.to_absolute(django_apps, None)
    assert AuditArchive.objects.get(pk=rows[0].pk).path == str(inside)
