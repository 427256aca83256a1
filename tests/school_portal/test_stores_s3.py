"""PORTAL_STORAGE_URL=s3://…: every file the portal keeps is in the object
store (a local moto server), encrypted; nothing lands under PORTAL_VAR_DIR;
a store out of reach is one clear error, never a tamper alarm."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from accounts.models import BackupRun, User
from accounts.personal.backup import inspect_archive
from accounts.personal.backup.base import sha256_of
from accounts.roles import sync_role_groups
from audit.models import AuditAction, AuditArchive, AuditEvent, AuditOutcome
from documents import selectors, services, storage
from documents.models import Attachment
from office import health
from school_portal import stores
from tests.personal.backup_world import archive_the_trail, register_letter_with_files
from tests.s3 import objects, storage_url, use_s3


def files_on_disk(tmp_path) -> list[str]:
    return sorted(str(p) for p in tmp_path.rglob("*") if p.is_file())


def texts() -> dict[str, bytes]:
    return {
        attachment.name: storage.read(
            stored_name=attachment.stored_name,
            wrapped_key=attachment.wrapped_key,
            sha256=attachment.sha256,
        )
        for attachment in Attachment.objects.all()
    }


def test_an_s3_url_configures_every_store_under_its_prefix(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")

    configured = stores.configure(
        "s3://district/school-7?endpoint_url=http://s3.local:9000&region=kg-1",
        var_dir=None,
    )

    assert configured["folders"] == {}
    attachments = configured["storages"][stores.ATTACHMENTS]["OPTIONS"]
    assert attachments["bucket_name"] == "district"
    assert attachments["location"] == "school-7/attachments"
    assert attachments["endpoint_url"] == "http://s3.local:9000"
    assert attachments["region_name"] == "kg-1"
    assert configured["storages"][stores.BACKUPS]["OPTIONS"]["location"] == (
        "school-7/backups"
    )


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("ftp://files/x", "must start with file:// or s3://"),
        ("s3:///prefix", "must name the bucket"),
        ("s3://bucket/p?colour=red", "unknown options: colour"),
        ("file://host/x", "file:///an/absolute/folder"),
    ],
)
def test_a_bad_storage_url_is_one_clear_line(url, problem, monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")

    with pytest.raises(Exception, match=problem) as error:
        stores.configure(url, var_dir=tmp_path)

    assert str(error.value).startswith("configuration error: PORTAL_STORAGE_URL")


def test_s3_without_credentials_is_refused(monkeypatch, tmp_path):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)

    with pytest.raises(Exception, match="AWS_SECRET_ACCESS_KEY"):
        stores.configure("s3://bucket/prefix", var_dir=tmp_path)


def test_attachments_live_encrypted_in_the_bucket_and_nowhere_on_the_disk(
    s3_store, s3_server, records_officer, teacher, tmp_path
):
    document = register_letter_with_files(records_officer, teacher)

    in_bucket = objects(s3_server, s3_store)
    [first, second] = document.attachments.order_by("pk")
    assert set(in_bucket) == {
        f"attachments/{storage.name_in_store(a.stored_name)}" for a in (first, second)
    }
    plain = texts()
    assert all(data.startswith(b"%PDF") for data in plain.values())
    assert not any(data in in_bucket.values() for data in plain.values())
    assert all(data.startswith(storage.MAGIC) for data in in_bucket.values())
    assert selectors.missing_files() == []
    assert files_on_disk(tmp_path) == []


def test_a_file_the_bucket_lost_is_missing_not_tampered(
    s3_store, records_officer, teacher
):
    document = register_letter_with_files(records_officer, teacher, count=1)
    attachment = document.attachments.get()
    stores.delete(stores.ATTACHMENTS, storage.name_in_store(attachment.stored_name))

    with pytest.raises(services.FileUnavailable, match="missing from the file store"):
        services.read_attachment(actor=teacher, attachment=attachment, address=None)

    assert [a.pk for a in selectors.missing_files()] == [attachment.pk]
    assert not AuditEvent.objects.filter(outcome=AuditOutcome.DENIED).exists()


def test_a_store_out_of_reach_is_unavailable_never_damaged(
    s3_store, settings, monkeypatch, records_officer, teacher
):
    document = register_letter_with_files(records_officer, teacher, count=1)
    attachment = document.attachments.get()
    # Nothing listens on port 1: the store's server is gone.
    use_s3(settings, monkeypatch, storage_url("http://127.0.0.1:1", s3_store))

    with pytest.raises(services.FileUnavailable, match="can't be read just now"):
        services.read_attachment(actor=teacher, attachment=attachment, address=None)

    assert not AuditEvent.objects.filter(outcome=AuditOutcome.DENIED).exists()
    assert health.ready()["files"]
    check = health.files_check()
    assert check.status == health.RED
    assert "s3://portal-test/" in check.detail


def test_ready_and_healthcheck_write_a_probe_to_the_bucket(
    s3_store, s3_server, client, db
):
    assert health.ready()["files"] is None
    assert client.get("/health/ready/").status_code == 200
    assert health.disk_check().status == health.OK
    assert objects(s3_server, s3_store) == {}  # the probe is removed


def test_orphans_in_the_bucket_are_found_and_swept(
    s3_store, s3_server, monkeypatch, records_officer, teacher
):
    register_letter_with_files(records_officer, teacher, count=1)
    orphan = storage.store(b"left by a killed worker")
    monkeypatch.setattr(storage, "ORPHAN_GRACE_SECONDS", -60)

    assert selectors.orphan_files() == [orphan.stored_name]
    assert services.remove_orphan_files(actor=None) == [orphan.stored_name]
    assert len(objects(s3_server, s3_store)) == 1


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_on_a_new_node_through_the_bucket_alone(
    s3_store, s3_server, settings, records_officer, teacher, tmp_path
):
    register_letter_with_files(records_officer, teacher)
    archive_the_trail()
    plain = texts()
    out = io.StringIO()
    call_command("backup", stdout=out, stderr=io.StringIO())
    run = BackupRun.objects.get(ok=True)
    assert run.file_name.startswith(f"s3://portal-test/{s3_store}/backups/portal-")
    assert health.backup_check().status == health.OK
    in_bucket = objects(s3_server, s3_store)
    assert [n for n in in_bucket if n.startswith("backups/")]
    assert [n for n in in_bucket if n.startswith("audit-archive/")]
    assert files_on_disk(tmp_path) == []
    users = User.objects.count()

    # The node and its database are lost, and the store kept only the backups:
    # a new node with an empty database restores from the bucket alone.
    for name in in_bucket:
        if not name.startswith("backups/"):
            store, _slash, rest = name.partition("/")
            stores.delete(
                stores.ATTACHMENTS if store == "attachments" else stores.AUDIT_ARCHIVE,
                rest,
            )
    call_command("flush", interactive=False, verbosity=0)
    sync_role_groups()
    restored = io.StringIO()
    call_command("restore", run.file_name, stdout=restored)

    assert "Restored" in restored.getvalue()
    assert User.objects.count() == users
    assert texts() == plain
    assert AuditEvent.objects.filter(action=AuditAction.RESTORE).exists()
    archive = AuditArchive.objects.get()
    assert stores.exists(stores.AUDIT_ARCHIVE, archive.path)
    assert stores.exists(stores.AUDIT_ARCHIVE, archive.path + ".sig")
    call_command("audit_verify", stdout=io.StringIO())
    assert files_on_disk(tmp_path) == []


@pytest.mark.django_db(transaction=True)
def test_rotate_keys_rewraps_the_archives_in_the_bucket_and_keeps_no_local_state(
    s3_store, s3_server, settings, records_officer, teacher, tmp_path
):
    register_letter_with_files(records_officer, teacher, count=1)
    call_command("backup", stdout=io.StringIO(), stderr=io.StringIO())
    run = BackupRun.objects.get(ok=True)
    old_key = settings.PORTAL_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.PORTAL_ENCRYPTION_KEYS = [new_key, old_key]
    out = io.StringIO()

    call_command("rotate_keys", batch=1, stdout=out)

    assert "1 backups re-keyed" in out.getvalue()
    settings.PORTAL_ENCRYPTION_KEYS = [new_key]
    with stores.fetched(stores.BACKUPS, run.file_name) as local:
        listing = inspect_archive(local)
        run.refresh_from_db()
        assert (local.stat().st_size, sha256_of(local)) == (run.size, run.sha256)
    assert len(listing.files) == 1
    assert health.backup_check().status == health.OK
    assert not [n for n in objects(s3_server, s3_store) if n.startswith("state/")]
    assert files_on_disk(tmp_path) == []
