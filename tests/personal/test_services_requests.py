"""Requests (copy, certificate, correction) and consent."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from pypdf import PdfReader

from accounts import access
from accounts.models import (
    Consent,
    ConsentKind,
    PersonalDataRequest,
    PersonRecord,
    RequestKind,
    RequestStatus,
)
from accounts.personal import selectors, services
from accounts.personal.certificate import certificate_pdf
from audit.models import AuditAction
from audit.services import MASK
from documents.models import Document, JournalKind
from tests.personal.conftest import PIN
from tests.trail import service_events


def test_a_parent_asks_for_a_copy_due_within_a_week(pupil, family):
    made = services.request_create(actor=family, subject=pupil, kind=RequestKind.COPY)

    assert made.due_on == timezone.localdate() + timedelta(days=7)
    assert made.status == RequestStatus.OPEN
    event = service_events().get(action=AuditAction.REQUEST_MAKE)
    assert (event.actor, event.target_id) == (family, str(made.pk))
    assert event.details == {"kind": "copy", "subject": pupil.pk, "field": ""}


def test_a_request_about_someone_else_is_not_visible_and_saves_nothing(
    pupil, parent, teacher, class_teacher
):
    for stranger in (parent, teacher, class_teacher):
        with pytest.raises(access.NotVisible):
            services.request_create(
                actor=stranger, subject=pupil, kind=RequestKind.COPY
            )

    assert not PersonalDataRequest.objects.exists()
    # Each refusal is recorded by the service itself, and nothing else.
    assert [e.action for e in service_events()] == [AuditAction.DENIED] * 3


def test_the_copy_holds_everything_and_only_its_person_downloads_it(
    pupil, family, records_officer, class_teacher
):
    services.record_open(actor=class_teacher, person=pupil)
    made = services.request_create(actor=pupil, subject=pupil, kind=RequestKind.COPY)
    with pytest.raises(access.NotVisible):
        services.copy_export(actor=pupil, request=made, file_format="json")

    made = services.copy_prepare(actor=records_officer, request=made)
    data = services.copy_export(actor=family, request=made, file_format="json")

    assert data["personal_data"]["pin"] == PIN
    assert data["account"]["class"] == "7А"
    assert data["parents"] == [str(family)]
    assert len(data["viewed_by"]) == 1
    assert data["requests"][0]["status"] == str(RequestStatus.DONE.label)
    with pytest.raises(access.NotVisible):
        services.copy_export(actor=records_officer, request=made, file_format="json")
    export = service_events().get(action=AuditAction.EXPORT)
    assert export.details == {"request": made.pk, "format": "json"}


def test_certificates_are_registered_in_the_outgoing_journal(
    pupil, family, records_officer
):
    first = services.request_create(
        actor=family, subject=pupil, kind=RequestKind.CERTIFICATE
    )
    second = services.request_create(
        actor=pupil, subject=pupil, kind=RequestKind.CERTIFICATE
    )

    first = services.certificate_issue(actor=records_officer, request=first)
    second = services.certificate_issue(actor=records_officer, request=second)

    year = timezone.localdate().year
    first.refresh_from_db()
    second.refresh_from_db()
    outgoing = Document.objects.filter(
        journal__kind=JournalKind.OUTGOING, document_class__code="certificate"
    ).order_by("seq")
    assert [f"{doc.number}/{year}" for doc in outgoing] == [
        first.certificate_number,
        second.certificate_number,
    ]
    assert outgoing[0].correspondent == str(family)
    assert first.status == RequestStatus.DONE
    details = services.certificate_download(actor=family, request=first)
    assert details["class"] == "7А" and details["birth_date"] == date(2012, 5, 3)
    issued = service_events().filter(action=AuditAction.ISSUE)
    assert issued.count() == 2
    assert issued.first().details == {
        "kind": "certificate",
        "number": first.certificate_number,
        "subject": pupil.pk,
        "old": {"status": "open"},
        "new": {"status": "done"},
    }


def test_only_the_records_officer_issues_and_a_closed_request_stays_closed(
    pupil, family, administrator, records_officer
):
    made = services.request_create(
        actor=family, subject=pupil, kind=RequestKind.CERTIFICATE
    )
    with pytest.raises(access.Forbidden):
        services.certificate_issue(actor=administrator, request=made)
    made.refresh_from_db()
    assert made.status == RequestStatus.OPEN and not made.certificate_number

    services.certificate_issue(actor=records_officer, request=made)
    with pytest.raises(ValidationError):
        services.certificate_issue(actor=records_officer, request=made)


def test_a_certificate_is_for_students_only(teacher):
    with pytest.raises(ValidationError):
        services.request_create(
            actor=teacher, subject=teacher, kind=RequestKind.CERTIFICATE
        )


@pytest.mark.parametrize(
    ("language", "title", "number_line", "born"),
    [
        (
            "ky",
            "ОКУУ ЖӨНҮНДӨ МААЛЫМКАТ",
            "03.05.2026 күнкү № МК-2026-0001",
            "Туулган күнү: 2012-жылдын 3-майы",
        ),
        (
            "ru",
            "СПРАВКА С МЕСТА УЧЕБЫ",
            "№ МК-2026-0001 от 03.05.2026",
            "Дата рождения: 3 мая 2012 г.",
        ),
    ],
)
def test_the_certificate_pdf_carries_the_text_in_cyrillic(
    language, title, number_line, born
):
    details = {
        "number": "МК-2026-0001",
        "issued_on": "2026-05-03",  # as the request keeps it
        "name": "Бекболотов Адилет",
        "class": "7А",
        "school_year": "2025–2026",
        "issued_by": "Жумабаева Гүлнара",
        "position": "катчы",
        "birth_date": date(2012, 5, 3),
    }

    with translation.override(language):
        pdf = certificate_pdf(details)

    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert len(pdf) < 60_000
    reader = PdfReader(io.BytesIO(pdf))
    text = reader.pages[0].extract_text()
    for words in (title, number_line, born, "Бекболотов Адилет", "Гүлнара"):
        assert words in text
    assert "2026-05-03" not in text and "2012-05-03" not in text
    (font,) = reader.pages[0]["/Resources"]["/Font"].values()
    font = font.get_object()
    assert "DejaVuSans" in font["/BaseFont"]
    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
    assert "/FontFile2" in descriptor.get_object()


def test_a_correction_is_approved_into_the_record(pupil, family, records_officer):
    made = services.request_create(
        actor=family,
        subject=pupil,
        kind=RequestKind.CORRECTION,
        field="address",
        proposed_value="Бишкек ш., Жаңы к., 1",
    )

    services.correction_approve(actor=records_officer, request=made)

    assert PersonRecord.objects.get(person=pupil).address == "Бишкек ш., Жаңы к., 1"
    change = service_events().get(
        action=AuditAction.PERSONAL_DATA_CHANGE, target_type="accounts.personrecord"
    )
    assert change.details == {
        "request": made.pk,
        "old": {"address": MASK},
        "new": {"address": MASK},
    }
    answered = service_events().get(action=AuditAction.REQUEST_ANSWER)
    assert (answered.target_id, answered.details["new"]) == (
        str(made.pk),
        {"status": "done"},
    )
    assert "Жаңы" not in str(list(service_events().values_list("details", flat=True)))


def test_a_bad_correction_is_refused_at_once(pupil, family):
    with pytest.raises(ValidationError):
        services.request_create(
            actor=family,
            subject=pupil,
            kind=RequestKind.CORRECTION,
            field="pin",
            proposed_value="30305201200107",
        )
    assert not PersonalDataRequest.objects.exists()


def test_a_refusal_needs_a_reason(pupil, family, records_officer):
    made = services.request_create(
        actor=family,
        subject=pupil,
        kind=RequestKind.CORRECTION,
        field="phone",
        proposed_value="+996 700 000 000",
    )
    with pytest.raises(ValidationError):
        services.request_refuse(actor=records_officer, request=made, reason=" ")

    services.request_refuse(
        actor=records_officer, request=made, reason="Телефон туура эмес"
    )

    made.refresh_from_db()
    assert made.status == RequestStatus.REFUSED and made.reason
    assert PersonRecord.objects.get(person=pupil).phone == "+996 555 010 107"


def test_overdue_requests_are_listed_for_the_security_officer(pupil, family):
    late = services.request_create(actor=family, subject=pupil, kind=RequestKind.COPY)
    services.request_create(actor=family, subject=pupil, kind=RequestKind.COPY)
    PersonalDataRequest.objects.filter(pk=late.pk).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )

    assert list(selectors.overdue_requests()) == [late]


def test_consent_is_given_and_taken_back_with_history(pupil, family):
    services.consent_set(
        actor=family, student=pupil, kind=ConsentKind.PHOTO, granted=True
    )
    services.consent_set(
        actor=family, student=pupil, kind=ConsentKind.PHOTO, granted=False
    )

    now = selectors.consent_now(student=pupil)
    assert now[ConsentKind.PHOTO].granted is False
    assert now[ConsentKind.PUBLICATION] is None
    assert [c.granted for c in selectors.consent_history(student=pupil)] == [
        False,
        True,
    ]
    with pytest.raises(ValidationError):
        services.consent_set(
            actor=family, student=pupil, kind=ConsentKind.PHOTO, granted=False
        )
    consent = Consent.objects.first()
    consent.granted = True
    with pytest.raises(ValueError):
        consent.save()


def test_only_a_linked_parent_gives_consent(pupil, parent, class_teacher):
    for stranger in (parent, class_teacher, pupil):
        with pytest.raises(access.NotVisible):
            services.consent_set(
                actor=stranger, student=pupil, kind=ConsentKind.PHOTO, granted=True
            )
    assert not Consent.objects.exists()
