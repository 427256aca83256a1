"""Registry pages: allowed, 403, 404; fixed query counts; files served safely."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AuditAction, AuditEvent, AuditOutcome
from documents import selectors, services
from documents.models import Copy, Custody, Document
from tests.documents.conftest import make_pdf


def test_the_journal_list_costs_the_same_for_5_and_50_rows(
    client, records_officer, register, teacher, django_assert_max_num_queries
):
    client.force_login(records_officer)
    url = reverse("documents:journal")
    for _ in range(5):
        services.issue_document(
            actor=records_officer, document=register(records_officer), to=teacher
        )
    client.get(url)  # warm the session and permission caches like a real visit

    with django_assert_max_num_queries(14) as five:
        assert len(client.get(url).context["page"]) == 5
    for _ in range(45):
        register(records_officer, executor=teacher)
    with django_assert_max_num_queries(len(five.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"]) == 50


def test_the_filters_narrow_the_list(client, records_officer, register):
    register(records_officer, summary="Олимпиада")
    register(records_officer, summary="Ашкана", correspondent="Саламаттык")
    client.force_login(records_officer)

    response = client.get(reverse("documents:journal"), {"text": "саламат"})

    assert [d.summary for d in response.context["page"]] == ["Ашкана"]


def test_staff_see_only_their_documents_and_get_404_for_others(
    client, records_officer, register, teacher, support
):
    mine = register(records_officer, executor=teacher)
    other = register(records_officer, executor=support)
    client.force_login(teacher)

    listed = list(client.get(reverse("documents:journal")).context["page"])
    assert listed == [mine]
    assert client.get(reverse("documents:document", args=[mine.pk])).status_code == 200
    assert client.get(reverse("documents:document", args=[other.pk])).status_code == 404
    denied = AuditEvent.objects.order_by("seq").last()
    assert denied.outcome == AuditOutcome.DENIED


def test_a_document_page_records_the_view(client, official, records_officer):
    document = official()
    client.force_login(records_officer)

    response = client.get(reverse("documents:document", args=[document.pk]))

    assert response.status_code == 200
    event = AuditEvent.objects.order_by("seq").last()
    assert (event.action, event.target_id) == (AuditAction.VIEW, str(document.pk))
    assert event.details["official_use"] is True


def test_official_use_documents_are_hidden_from_uncleared_people(
    client, official, security_officer
):
    document = official()
    client.force_login(security_officer)

    assert (
        client.get(reverse("documents:document", args=[document.pk])).status_code == 404
    )
    assert list(client.get(reverse("documents:journal")).context["page"]) == []


def test_registration_with_a_file_through_the_page(client, records_officer, incoming):
    client.force_login(records_officer)

    response = client.post(
        reverse("documents:register"),
        {
            "journal": incoming.pk,
            "document_class": 1,
            "summary": "Кат",
            "sheets": 1,
            "copies": 1,
            "grif": "open",
            "files": [SimpleUploadedFile("scan.pdf", make_pdf(1))],
        },
    )

    document = Document.objects.get()
    assert response.status_code == 302
    assert document.attachments.get().name == "scan.pdf"


def test_a_forbidden_file_is_refused_on_the_page_and_nothing_is_stored(
    client, records_officer, incoming
):
    client.force_login(records_officer)

    response = client.post(
        reverse("documents:register"),
        {
            "journal": incoming.pk,
            "document_class": 1,
            "summary": "Кат",
            "sheets": 1,
            "copies": 1,
            "grif": "open",
            "files": [SimpleUploadedFile("run.pdf", b"MZ\x90 program")],
        },
    )

    assert response.status_code == 200
    assert "run.pdf" in response.content.decode()
    assert not Document.objects.exists()


def test_a_file_is_served_as_an_attachment_with_nosniff(
    client, records_officer, register, pdf_upload
):
    attachment = register(records_officer, uploads=[pdf_upload]).attachments.get()
    client.force_login(records_officer)

    response = client.get(reverse("documents:attachment_file", args=[attachment.pk]))

    assert response.content == pdf_upload.data
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.order_by("seq").last()
    assert event.action == AuditAction.DOWNLOAD


def test_an_official_use_copy_through_the_page_is_stamped(
    client, official, records_officer, pdf_upload
):
    attachment = official(uploads=[pdf_upload]).attachments.get()
    client.force_login(records_officer)
    url = reverse("documents:attachment_copy", args=[attachment.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, {"purpose": "Council"})

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "COPY No. 1" in text
    assert Copy.objects.get().purpose == "Council"


def test_an_official_use_copy_from_outside_is_refused_with_a_message(
    client, official, records_officer, pdf_upload
):
    attachment = official(uploads=[pdf_upload]).attachments.get()
    client.force_login(records_officer)

    response = client.post(
        reverse("documents:attachment_copy", args=[attachment.pk]),
        {"purpose": "Home"},
        REMOTE_ADDR="198.51.100.7",
    )

    assert response.status_code == 403
    assert "network" in response.content.decode()
    assert not Copy.objects.exists()


def test_signing_with_a_wrong_password_shows_the_error(
    client, records_officer, register, teacher, password
):
    custody = services.issue_document(
        actor=records_officer, document=register(records_officer), to=teacher
    )
    client.force_login(teacher)
    url = reverse("documents:sign", args=[custody.pk])

    response = client.post(url, {"password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert Custody.objects.get().received_at is None

    assert client.post(url, {"password": password}).status_code == 302
    assert Custody.objects.get().received_at is not None


def test_home_panels_show_custody(client, records_officer, register, teacher):
    document = register(records_officer)
    services.issue_document(actor=records_officer, document=document, to=teacher)

    client.force_login(teacher)
    assert document.summary not in client.get(reverse("home")).content.decode()
    page = client.get(reverse("home")).content.decode()
    assert reverse("documents:sign", args=[Custody.objects.get().pk]) in page

    client.force_login(records_officer)
    page = client.get(reverse("home")).content.decode()
    assert document.coded_number in page  # the number with its journal's code


@pytest.mark.parametrize("who", ["teacher", "student"])
def test_custody_and_copy_log_pages_are_for_the_records_office(client, request, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse("documents:custody")).status_code == 403
    assert client.get(reverse("documents:copy_log")).status_code == 403


def test_a_page_of_the_journal_holds_the_lines_of_the_journal_order(
    records_officer, register, monkeypatch
):
    """The page's ids are picked first, its rows read after: same lines, same order."""
    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)
    today = timezone.localdate()
    for days_ago in (3, 0, 5, 1, 4, 2, 6):
        register(records_officer, registered_on=today - timedelta(days=days_ago))
    in_order = list(selectors.journal_rows(user=records_officer, filters={}))

    page = selectors.journal_page(user=records_officer, filters={}, number="2")

    assert list(page.object_list) == in_order[3:6]
    assert page.paginator.num_pages == 3
    assert [d.registered_on for d in in_order] == sorted(
        (d.registered_on for d in in_order), reverse=True
    )
