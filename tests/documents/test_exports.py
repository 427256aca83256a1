"""Exports of the journal, the copy log and custody: CSV and XLSX."""

import csv
import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditAction, AuditEvent
from documents import services
from tests.school_portal.test_date_formats import ISO_DATE


def _csv(response) -> list[list[str]]:
    text = b"".join(
        response.streaming_content if response.streaming else [response.content]
    ).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_journal_exports_to_csv_with_formulas_neutralized(
    client, records_officer, register
):
    register(records_officer, correspondent='=HYPERLINK("http://x")', summary="@SUM")
    register(records_officer, correspondent="\tTab", summary="Other")
    client.force_login(records_officer)
    response = client.get(
        reverse("documents:journal_export"), {"format": "csv", "text": "sum"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert len(rows) == 2  # header + the one filtered row
    assert '\'=HYPERLINK("http://x")' in rows[1]
    assert "'@SUM" in rows[1]
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.details["what"] == "journal"
    assert event.details["rows"] == 1
    assert event.details["filters"] == {"text": "sum"}


def test_the_journal_exports_to_xlsx(client, records_officer, register):
    register(records_officer, correspondent="-1+2")
    client.force_login(records_officer)
    response = client.get(reverse("documents:journal_export"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for cell in list(sheet.iter_rows())[1]]
    assert "'-1+2" in values


def test_the_copy_log_and_custody_export(client, records_officer, register, teacher):
    document = register(records_officer)
    services.log_paper_copy(
        actor=records_officer, document=document, purpose="+for the board", count=2
    )
    services.issue_document(actor=records_officer, document=document, to=teacher)
    client.force_login(records_officer)
    copies = _csv(client.get(reverse("documents:copy_log_export")))
    assert "'+for the board" in copies[1]
    custody = _csv(client.get(reverse("documents:custody_export")))
    assert len(custody) == 2 and str(teacher) in custody[1]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 2


@pytest.mark.parametrize("name", ["copy_log_export", "custody_export"])
def test_staff_can_not_export_the_office_logs(client, teacher, name):
    client.force_login(teacher)
    assert client.get(reverse(f"documents:{name}")).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_staff_member_exports_only_their_documents(
    client, records_officer, register, teacher
):
    register(records_officer, executor=teacher, summary="Mine")
    register(records_officer, summary="Not mine")
    client.force_login(teacher)
    rows = _csv(client.get(reverse("documents:journal_export")))
    assert len(rows) == 2 and "Mine" in rows[1]


def test_the_journal_export_writes_dates_the_school_reads_and_real_date_cells(
    client, records_officer, register
):
    document = register(records_officer, their_date=date(2026, 1, 5))
    client.force_login(records_officer)
    url = reverse("documents:journal_export")

    (_header, row) = _csv(client.get(url, {"format": "csv"}))
    sheet = load_workbook(
        io.BytesIO(client.get(url, {"format": "xlsx"}).content)
    ).active
    cells = list(sheet.iter_rows())[1]

    assert document.registered_on.strftime("%d.%m.%Y") in row
    assert "05.01.2026" in row
    assert not any(ISO_DATE.search(cell) for cell in row)
    dated = [cell for cell in cells if isinstance(cell.value, datetime)]
    assert [cell.value.date() for cell in dated] == [
        document.registered_on,
        date(2026, 1, 5),
    ]
    assert {cell.number_format for cell in dated} == {"DD.MM.YYYY"}
