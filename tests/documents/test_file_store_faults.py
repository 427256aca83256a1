"""Files and transactions agree: break the store, the database or the worker in
the middle of a registration, and nothing is lost and nothing is half-saved."""

import errno
import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit import services as audit_services
from audit.models import AuditAction, AuditEvent, AuditOutcome
from documents import selectors, services, storage
from documents.models import Attachment, Document, YearCounter
from office import health
from tests.documents.conftest import make_pdf

ROOT = Path(__file__).resolve().parents[2]


def files_in(folder: Path) -> list[Path]:
    return [path for path in Path(folder).rglob("*") if path.is_file()]


def registration_form(incoming, letter_class, *files) -> dict:
    """What the browser sends from the registration page."""
    return {
        "journal": incoming.pk,
        "document_class": letter_class.pk,
        "summary": "Мугалимдердин кеңешмеси жөнүндө",
        "correspondent": "Райондук билим берүү бөлүмү",
        "their_number": "",
        "their_date": "",
        "sheets": "1",
        "copies": "1",
        "executor": "",
        "due_on": "",
        "case": "",
        "grif": "open",
        "storage_place": "",
        "files": [SimpleUploadedFile(name, make_pdf(1)) for name in files],
    }


def nothing_was_registered(attachment_dir, events_before: int) -> None:
    assert Document.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert files_in(attachment_dir) == []
    assert AuditEvent.objects.count() == events_before
    # The number was not taken either: the next registration gets № 1.
    assert set(YearCounter.objects.values_list("last", flat=True)) <= {0}


@pytest.fixture
def store_full_on_the_second_file(monkeypatch, attachment_dir):
    """The disk fills up while the second file of a registration is written."""
    real_open = os.open
    opened = []

    def open_(path, flags, *args, **kwargs):
        if str(path).startswith(str(attachment_dir)):
            opened.append(path)
            if len(opened) == 2:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(storage.os, "open", open_)
    return opened


def test_a_store_that_fills_up_mid_registration_saves_nothing_and_says_so(
    client,
    records_officer,
    incoming,
    letter_class,
    attachment_dir,
    store_full_on_the_second_file,
):
    client.force_login(records_officer)
    page = reverse("documents:register")
    client.get(page)
    events_before = AuditEvent.objects.count()

    response = client.post(
        page, registration_form(incoming, letter_class, "one.pdf", "two.pdf")
    )

    assert response.status_code == 200
    assert "the file store can't be written" in " ".join(
        response.context["form"].errors["files"]
    )
    assert len(store_full_on_the_second_file) == 2
    nothing_was_registered(attachment_dir, events_before)


def test_the_database_failing_mid_registration_leaves_no_file_behind(
    client, records_officer, incoming, letter_class, attachment_dir, monkeypatch
):
    real_insert = audit_services._insert

    def insert(event):
        if event.target_type == "documents.attachment":
            raise DatabaseError("disk I/O error")
        real_insert(event)

    monkeypatch.setattr(audit_services, "_insert", insert)
    client.force_login(records_officer)
    client.raise_request_exception = False
    events_before = AuditEvent.objects.count()

    response = client.post(
        reverse("documents:register"),
        registration_form(incoming, letter_class, "one.pdf"),
    )

    assert response.status_code == 500
    nothing_was_registered(attachment_dir, events_before)


def test_adding_a_file_when_the_store_fails_keeps_the_document_as_it_was(
    register, records_officer, pdf_upload, attachment_dir, monkeypatch
):
    document = register(records_officer, uploads=[pdf_upload])
    before = files_in(attachment_dir)
    monkeypatch.setattr(
        storage.os,
        "fsync",
        lambda fd: (_ for _ in ()).throw(OSError(errno.EIO, "Input/output error")),
    )

    with pytest.raises(ValidationError):
        services.add_attachment(
            actor=records_officer, document=document, upload=pdf_upload
        )

    assert document.attachments.count() == 1
    assert files_in(attachment_dir) == before


@pytest.mark.django_db(transaction=True)
def test_a_commit_that_fails_removes_the_files_written_for_it(
    records_officer, incoming, letter_class, attachment_dir
):
    """A real failed COMMIT: PostgreSQL checks a deferred trigger only then."""
    if connection.vendor != "postgresql":
        pytest.skip("a deferred constraint trigger needs PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_at_commit() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'could not write to file: No space left on device'; "
            "END $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            "CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON "
            "documents_attachment DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
            "EXECUTE FUNCTION refuse_at_commit()"
        )
    try:
        with pytest.raises(DatabaseError, match="No space left"):
            services.register_document(
                actor=records_officer,
                journal=incoming,
                document_class=letter_class,
                summary="Commit fails",
                uploads=[
                    services.Upload(
                        name="a.pdf", content_type="application/pdf", data=make_pdf()
                    )
                ],
            )
        assert Document.objects.count() == 0
        assert files_in(attachment_dir) == []
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "DROP TRIGGER refuse_at_commit ON documents_attachment; "
                "DROP FUNCTION refuse_at_commit()"
            )


def age(path: Path, seconds: int) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_file_left_by_an_outer_rollback_is_found_and_swept(
    register, records_officer, pdf_upload, attachment_dir, healthy_disk
):
    with pytest.raises(RuntimeError), transaction.atomic():
        register(records_officer, uploads=[pdf_upload])
        raise RuntimeError("the caller's transaction fails after the service")
    [left] = files_in(attachment_dir)

    assert selectors.orphan_files() == []  # it may still belong to a transaction
    age(left, storage.ORPHAN_GRACE_SECONDS + 60)
    assert selectors.orphan_files() == [left.name]
    assert health.files_check().status == health.WARNING
    call_command("remove_orphan_files", stdout=io.StringIO())

    assert files_in(attachment_dir) == []
    assert health.files_check().status == health.OK
    swept = AuditEvent.objects.order_by("seq").last()
    assert (swept.action, swept.details["files"]) == (AuditAction.FILES_SWEEP, 1)


def test_the_sweep_never_touches_a_file_a_document_names(
    register, records_officer, pdf_upload, attachment_dir
):
    register(records_officer, uploads=[pdf_upload])
    [kept] = files_in(attachment_dir)
    age(kept, 10 * storage.ORPHAN_GRACE_SECONDS)

    assert services.remove_orphan_files(actor=None) == []
    assert kept.exists()


@pytest.fixture
def healthy_disk(monkeypatch):
    import shutil

    monkeypatch.setattr(
        health.shutil,
        "disk_usage",
        lambda path: shutil._ntuple_diskusage(100 * 1024**3, 50 * 1024**3, 50 * 2**30),
    )


def test_a_missing_file_is_reported_as_missing_not_as_tampering(
    client, register, records_officer, pdf_upload, attachment_dir
):
    document = register(records_officer, uploads=[pdf_upload])
    attachment = document.attachments.get()
    [path] = files_in(attachment_dir)
    path.unlink()
    client.force_login(records_officer)
    events_before = AuditEvent.objects.count()

    response = client.get(reverse("documents:attachment_file", args=[attachment.pk]))

    assert response.status_code == 503
    assert "missing from the file store" in response.content.decode()
    assert "--missing-files" in response.content.decode()
    assert "changed or damaged" not in response.content.decode()
    new_events = AuditEvent.objects.filter(seq__gt=events_before)
    assert not new_events.filter(outcome=AuditOutcome.DENIED).exists()
    check = health.files_check()
    assert check.status == health.RED
    assert check.detail.startswith("1 file the journals list is missing")


def test_a_key_that_is_not_configured_is_not_a_tamper_alarm(
    client, register, records_officer, pdf_upload, settings
):
    from cryptography.fernet import Fernet

    document = register(records_officer, uploads=[pdf_upload])
    attachment = document.attachments.get()
    client.force_login(records_officer)
    settings.PORTAL_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    response = client.get(reverse("documents:attachment_file", args=[attachment.pk]))

    assert response.status_code == 503
    assert "healthcheck names the key" in response.content.decode()
    assert not AuditEvent.objects.filter(outcome=AuditOutcome.DENIED).exists()


KILLED_WORKER = textwrap.dedent(
    """
    import os, signal
    from documents import services, storage
    from documents.models import DocumentClass, Journal
    from accounts.models import User
    from tests.documents.conftest import make_pdf

    real_store = storage.store

    def store_then_die(data):
        stored = real_store(data)
        os.kill(os.getpid(), signal.SIGKILL)  # the worker is killed right here
        return stored

    storage.store = store_then_die
    services.register_document(
        actor=User.objects.get(username="records"),
        journal=Journal.objects.get(pk={journal}),
        document_class=DocumentClass.objects.get(pk={letter_class}),
        summary="Killed mid-registration",
        uploads=[services.Upload(name="a.pdf", content_type="application/pdf",
                                 data=make_pdf(1))],
    )
    """
)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_after_writing_its_file_loses_nothing_and_leaves_no_orphan(
    records_officer, incoming, letter_class, attachment_dir, healthy_disk
):
    if connection.vendor != "postgresql":
        pytest.skip("the worker and the test share a database server: PostgreSQL")
    db = connection.settings_dict
    environment = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "PORTAL_ATTACHMENT_DIR": str(attachment_dir),
    }
    script = KILLED_WORKER.format(journal=incoming.pk, letter_class=letter_class.pk)

    worker = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    assert worker.returncode == -signal.SIGKILL, worker.stderr
    assert not Document.objects.filter(summary="Killed mid-registration").exists()
    [left] = files_in(attachment_dir)
    age(left, storage.ORPHAN_GRACE_SECONDS + 60)
    assert health.files_check().status == health.WARNING
    assert services.remove_orphan_files(actor=None) == [left.name]
    assert files_in(attachment_dir) == []
    # The journal goes on without a gap: the killed registration took no number.
    document = services.register_document(
        actor=records_officer,
        journal=incoming,
        document_class=letter_class,
        summary="After the crash",
    )
    assert document.seq == 1
