"""Services check access themselves, whoever calls them (a command, a future
API, a test), and record each refusal as a view's would be recorded."""

import pytest

from accounts import access
from audit.models import AuditAction, AuditOutcome
from documents import services
from documents.models import Copy, Custody
from tests.trail import service_events


def refusals():
    return service_events().filter(
        action=AuditAction.DENIED, outcome=AuditOutcome.DENIED
    )


@pytest.fixture
def official_file(official, pdf_upload):
    return official(uploads=[pdf_upload]).attachments.get()


def test_a_cleared_teacher_gets_no_copy_of_a_document_they_may_not_open(
    official_file, teacher, clear
):
    clear(teacher)

    with pytest.raises(access.NotVisible):
        services.copy_attachment(
            actor=teacher, attachment=official_file, purpose="Curious", address="::1"
        )

    assert not Copy.objects.exists()
    refusal = refusals().get()
    assert refusal.actor == teacher
    assert refusal.details["permission"] == "documents.view_document"
    assert refusal.details["target_id"] == str(official_file.pk)


def test_a_stranger_reads_no_file_of_an_open_document(
    register, records_officer, student, pdf_upload
):
    document = register(records_officer, uploads=[pdf_upload])

    with pytest.raises(access.NotVisible):
        services.read_attachment(
            actor=student, attachment=document.attachments.get(), address="::1"
        )

    assert refusals().filter(actor=student).count() == 1
    assert not service_events().filter(action=AuditAction.DOWNLOAD).exists()


def test_no_one_but_the_holder_signs_for_an_issued_document(
    register, records_officer, teacher, director, password
):
    custody = services.issue_document(
        actor=records_officer, document=register(records_officer), to=teacher
    )

    with pytest.raises(access.NotVisible):
        services.sign_for_document(actor=director, custody=custody, password=password)

    assert Custody.objects.get(pk=custody.pk).received_at is None
    assert refusals().filter(actor=director).count() == 1


def test_the_page_view_of_a_document_one_may_not_see_is_refused(
    register, records_officer, student
):
    document = register(records_officer)

    with pytest.raises(access.NotVisible):
        services.record_document_view(actor=student, document=document)

    assert not service_events().filter(action=AuditAction.VIEW).exists()
    assert refusals().filter(actor=student).count() == 1


def test_a_refusal_inside_a_view_is_recorded_once(
    client, register, records_officer, teacher, password
):
    """The service records it; the audit middleware does not add a second."""
    custody = services.issue_document(
        actor=records_officer, document=register(records_officer), to=teacher
    )
    client.force_login(records_officer)

    response = client.post(f"/documents/custody/{custody.pk}/hand-back/")

    assert response.status_code == 404
    assert refusals().filter(actor=records_officer).count() == 1
