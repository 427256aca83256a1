"""Corrections keep old and new values with a reason; annulment keeps the row."""

import pytest
from django.core.exceptions import ValidationError

from accounts import access
from audit.models import AuditAction, AuditEvent
from documents import services
from documents.models import Correction, DocumentStatus


def test_a_correction_keeps_old_new_and_reason(register, records_officer):
    document = register(records_officer, sheets=1)
    correspondent = document.correspondent

    services.correct_document(
        actor=records_officer,
        document=document,
        changes={"sheets": 3, "correspondent": "Шаардык бөлүм"},
        reason="Typo on registration",
    )

    document.refresh_from_db()
    assert (document.sheets, document.number) == (3, "1")
    rows = {
        c.field: (c.old_value, c.new_value, c.reason) for c in Correction.objects.all()
    }
    assert rows["sheets"] == ("1", "3", "Typo on registration")
    event = AuditEvent.objects.get(action=AuditAction.CORRECT)
    assert event.actor == records_officer
    assert event.details["reason"] == "Typo on registration"
    assert (event.details["old"], event.details["new"]) == (
        {"sheets": "1", "correspondent": correspondent},
        {"sheets": "3", "correspondent": "Шаардык бөлүм"},
    )


def test_number_and_journal_are_not_correctable(register, records_officer):
    document = register(records_officer)

    with pytest.raises(ValueError, match="not correctable"):
        services.correct_document(
            actor=records_officer,
            document=document,
            changes={"number": "9"},
            reason="x",
        )


def test_staff_cannot_correct_and_nothing_changes(register, records_officer, teacher):
    document = register(records_officer, executor=teacher)

    with pytest.raises(access.Forbidden):
        services.correct_document(
            actor=teacher, document=document, changes={"sheets": 9}, reason="x"
        )
    document.refresh_from_db()
    assert document.sheets == 1
    assert not Correction.objects.exists()


def test_a_correction_needs_a_reason(register, records_officer):
    with pytest.raises(ValidationError):
        services.correct_document(
            actor=records_officer,
            document=register(records_officer),
            changes={"sheets": 2},
            reason=" ",
        )


def test_annulment_keeps_the_document_with_its_reason(register, records_officer):
    document = register(records_officer)

    services.annul_document(actor=records_officer, document=document, reason="Twice")

    document.refresh_from_db()
    assert document.status == DocumentStatus.ANNULLED
    assert document.annul_reason == "Twice"
    with pytest.raises(ValidationError):
        services.correct_document(
            actor=records_officer, document=document, changes={"sheets": 2}, reason="x"
        )
    assert register(records_officer).number == "2"  # never reused


def test_staff_cannot_annul(register, records_officer, teacher):
    document = register(records_officer, executor=teacher)

    with pytest.raises(access.Forbidden):
        services.annul_document(actor=teacher, document=document, reason="x")
    document.refresh_from_db()
    assert document.is_registered
