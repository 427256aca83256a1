"""Attachments: encrypted at rest with a key per file, checked on every read."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent, AuditOutcome
from documents import services, storage
from documents.models import Attachment
from tests.documents.conftest import make_pdf
from tests.hostile_files import docx


@pytest.mark.parametrize(
    ("name", "data", "content_type", "stored_as"),
    [
        ("scan.PDF", make_pdf(1), "application/pdf", "scan.pdf"),
        ("photo.jpeg", b"\xff\xd8\xff\xe0" + b"0" * 20, "image/jpeg", "photo.jpg"),
        ("x.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, "image/png", "x.png"),
        (
            "report.docx",
            docx(),
            storage.ZIP_MARKERS["word/document.xml"][0],
            "report.docx",
        ),
        (
            "old.xls",
            storage.OLE_HEADER + b"0" * 20,
            "application/vnd.ms-excel",
            "old.xls",
        ),
        ("Буйрук.pdf.exe", make_pdf(1), "application/pdf", "Буйрук.pdf.pdf"),
    ],
)
def test_type_is_decided_by_content(name, data, content_type, stored_as):
    upload = services.check_upload(SimpleUploadedFile(name, data))

    assert (upload.content_type, upload.name) == (content_type, stored_as)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("virus.pdf", b"MZ\x90\x00 an executable"),
        ("archive.docx", b"PK\x03\x04 not really a zip"),
        (".hidden.pdf", make_pdf(1)),
        ("empty.pdf", b""),
    ],
)
def test_bad_files_are_refused_with_a_message(name, data):
    with pytest.raises(storage.FileRefused) as error:
        services.check_upload(SimpleUploadedFile(name, data))

    assert str(error.value)


@pytest.mark.parametrize(
    "name", ["../../x.pdf", "..\\evil.pdf", "a/b.pdf", "x\x00.pdf"]
)
def test_names_with_folders_or_control_characters_are_refused(name):
    with pytest.raises(storage.FileRefused):
        storage.clean_name(name, extension="pdf")


def test_django_keeps_only_the_base_name_of_an_upload():
    upload = services.check_upload(SimpleUploadedFile("../../x.pdf", make_pdf(1)))

    assert upload.name == "x.pdf"


def test_a_file_above_the_limit_is_refused(settings):
    settings.PORTAL_ATTACHMENT_MAX_BYTES = 100

    with pytest.raises(storage.FileRefused, match="too large"):
        services.check_upload(SimpleUploadedFile("big.pdf", make_pdf(1)))


def test_stored_bytes_are_not_the_plaintext_and_read_back_checked(attachment_dir):
    data = make_pdf(1)
    stored = storage.store(data)

    on_disk = next(attachment_dir.rglob(stored.stored_name)).read_bytes()
    assert data not in on_disk
    assert b"%PDF" not in on_disk
    assert (
        storage.read(
            stored_name=stored.stored_name,
            wrapped_key=stored.wrapped_key,
            sha256=stored.sha256,
        )
        == data
    )


def test_each_file_has_its_own_key():
    first, second = storage.store(b"same"), storage.store(b"same")

    assert first.wrapped_key != second.wrapped_key
    with pytest.raises(storage.Damaged):
        storage.read(
            stored_name=first.stored_name,
            wrapped_key=second.wrapped_key,
            sha256=first.sha256,
        )


def test_a_shredded_file_cannot_be_decrypted_even_with_the_master_key(
    register, records_officer, pdf_upload, attachment_dir
):
    document = register(records_officer, uploads=[pdf_upload])
    attachment = document.attachments.get()
    path = next(attachment_dir.rglob(attachment.stored_name))
    before = path.read_bytes()

    services.shred_attachment(
        actor=records_officer, attachment=attachment, reason="retention ended"
    )

    attachment.refresh_from_db()
    assert attachment.wrapped_key == ""
    assert path.read_bytes() == before  # the bytes stay, but they are noise now
    with pytest.raises(storage.Shredded):
        storage.read(
            stored_name=attachment.stored_name,
            wrapped_key=attachment.wrapped_key,
            sha256=attachment.sha256,
        )
    # Not even the master key opens it: what it wraps is gone.
    raw = path.read_bytes()[len(storage.MAGIC) :]
    master = storage._master()
    with pytest.raises(Exception):  # noqa: B017 - any failure will do
        master.decrypt(raw)


def test_a_tampered_file_is_detected_and_the_attempt_recorded(
    register, records_officer, pdf_upload, attachment_dir
):
    document = register(records_officer, uploads=[pdf_upload])
    attachment = document.attachments.get()
    path = next(attachment_dir.rglob(attachment.stored_name))
    raw = bytearray(path.read_bytes())
    raw[-5] ^= 0xFF
    path.write_bytes(bytes(raw))

    with pytest.raises(services.DamagedFile):
        services.read_attachment(
            actor=records_officer, attachment=attachment, address="127.0.0.1"
        )

    event = AuditEvent.objects.order_by("seq").last()
    assert event.outcome == AuditOutcome.DENIED
    assert event.details["refused"] == "damaged"


def test_a_failed_registration_leaves_no_file(
    register, records_officer, pdf_upload, attachment_dir, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(Attachment.objects, "create", broken)

    with pytest.raises(RuntimeError):
        register(records_officer, uploads=[pdf_upload])

    assert not [p for p in attachment_dir.rglob("*") if p.is_file()]
