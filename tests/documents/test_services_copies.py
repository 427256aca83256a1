"""Copies: official-use downloads are numbered, logged, stamped; only in school."""

import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from accounts import access
from audit.models import AuditAction, AuditEvent, AuditOutcome
from documents import services
from documents.models import Copy, CopyFate


@pytest.fixture
def official_file(official, pdf_upload):
    return official(uploads=[pdf_upload]).attachments.get()


def test_an_official_use_download_is_a_stamped_numbered_copy(
    official_file, records_officer
):
    first, _data = services.copy_attachment(
        actor=records_officer,
        attachment=official_file,
        purpose="Council",
        address="10.1.2.3",
    )
    second, data = services.copy_attachment(
        actor=records_officer, attachment=official_file, purpose="Audit", address="::1"
    )

    assert (first.first_number, second.first_number) == (1, 2)
    assert second.stamped
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) == 2
    for page in pages:
        text = page.extract_text()
        assert "COPY No. 2" in text
        assert records_officer.username in text
    event = AuditEvent.objects.filter(action=AuditAction.COPY).order_by("seq").last()
    assert event.details["official_use"] is True
    assert event.details["copy_number"] == 2


def test_outside_the_school_network_the_copy_is_refused_and_recorded(
    official_file, records_officer
):
    with pytest.raises(services.OutsideSchoolNetwork):
        services.copy_attachment(
            actor=records_officer,
            attachment=official_file,
            purpose="Home",
            address="203.0.113.9",
        )

    assert not Copy.objects.exists()
    event = AuditEvent.objects.order_by("seq").last()
    assert (event.action, event.outcome) == (AuditAction.DENIED, AuditOutcome.DENIED)
    assert event.details["refused"] == "outside_school"
    assert event.details["official_use"] is True


def test_an_uncleared_person_gets_no_copy(official_file, teacher):
    with pytest.raises(access.NotVisible):
        services.copy_attachment(
            actor=teacher, attachment=official_file, purpose="x", address="127.0.0.1"
        )
    assert not Copy.objects.exists()


def test_a_non_pdf_copy_is_logged_but_not_stamped(official, records_officer):
    image = services.Upload(
        name="photo.png", content_type="image/png", data=b"\x89PNG\r\n\x1a\n123"
    )
    attachment = official(uploads=[image]).attachments.get()

    copy, data = services.copy_attachment(
        actor=records_officer,
        attachment=attachment,
        purpose="Council",
        address="127.0.0.1",
    )

    assert data == image.data
    assert not copy.stamped


def test_paper_copies_take_the_next_numbers_and_record_their_fate(
    register, records_officer, teacher
):
    document = register(records_officer)
    services.log_paper_copy(
        actor=records_officer, document=document, purpose="a", count=3
    )
    copy = services.log_paper_copy(
        actor=records_officer, document=document, purpose="b", count=1
    )

    assert copy.copy_numbers == "4"
    with pytest.raises(access.Forbidden):
        services.set_copy_fate(actor=teacher, copy=copy, fate=CopyFate.DESTROYED)
    services.set_copy_fate(actor=records_officer, copy=copy, fate=CopyFate.DESTROYED)
    copy.refresh_from_db()
    assert copy.fate == CopyFate.DESTROYED
    with pytest.raises(ValidationError):
        services.set_copy_fate(actor=records_officer, copy=copy, fate=CopyFate.RETURNED)


def test_staff_cannot_log_copies(register, records_officer, teacher):
    document = register(records_officer, executor=teacher)

    with pytest.raises(access.Forbidden):
        services.log_paper_copy(actor=teacher, document=document, purpose="a", count=1)
    assert not Copy.objects.exists()
