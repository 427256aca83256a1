"""The trail's vocabulary: business actions by name, in every language of the
portal, and what they changed shown in the report and its exports."""

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from openpyxl import load_workbook

from accounts import services as accounts_services
from accounts.models import AppointedRole
from audit.models import AuditAction, AuditEvent
from audit.reports import Change, changes
from audit.services import MASK, record
from documents import services as documents
from documents.models import Document, DocumentClass, Journal, JournalKind
from tests.documents.conftest import ensure_registry_basics

ROOT = Path(__file__).resolve().parents[2]
GENERIC = {"CREATE", "UPDATE", "DELETE"}
# The benchmark's own marker row says "the seed made this data", no business action.
GENERIC_USERS = {"audit/auditlog.py", "benchmark/seed.py"}


def project_sources():
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "tests/", "var/")) or "/migrations/" in (
            relative
        ):
            continue
        yield relative, path.read_text(encoding="utf-8")


def test_only_auditlogs_copies_name_a_generic_action():
    used = {
        relative
        for relative, text in project_sources()
        if re.search(r"AuditAction\.(CREATE|UPDATE|DELETE)\b", text)
    }

    assert used == GENERIC_USERS


def test_every_action_of_the_vocabulary_is_recorded_by_some_code():
    text = "\n".join(text for _relative, text in project_sources())

    unused = [
        action.name
        for action in AuditAction
        if action.name not in GENERIC and f"AuditAction.{action.name}" not in text
    ]

    assert unused == []


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_every_action_has_a_label_of_its_own_in_each_language(language):
    with translation.override(language):
        labels = [str(action.label) for action in AuditAction]

    assert len(set(labels)) == len(labels)
    assert all(labels)


@pytest.fixture
def corrected(records_officer):
    """A document whose sheets the records officer corrected from 1 to 3."""
    ensure_registry_basics()
    document = documents.register_document(
        actor=records_officer,
        journal=Journal.objects.get(kind=JournalKind.INCOMING, name=""),
        document_class=DocumentClass.objects.get(code="letter"),
        summary="Кат",
    )
    documents.correct_document(
        actor=records_officer, document=document, changes={"sheets": 3}, reason="Typo"
    )
    return document


def test_the_report_shows_what_a_correction_changed(client, director, corrected):
    client.force_login(director)

    page = client.get(reverse("audit:report"), {"action": AuditAction.CORRECT})

    html = page.content.decode()
    assert "Corrected" in html
    assert re.search(r"Sheets: <del>1</del> → <ins>3</ins>", html)


def test_a_business_event_shows_the_rows_it_carries(administrator, teacher):
    appointment = accounts_services.appoint(
        actor=administrator,
        person=teacher,
        role=AppointedRole.SECURITY_OFFICER,
        starts_on=date(2026, 9, 2),
        order_number="15-к",
        order_date=date(2026, 9, 1),
    )

    event = AuditEvent.objects.get(action=AuditAction.APPOINT)
    shown = {change.field: change for change in changes(event)}
    assert shown["Role"] == Change(
        field="Role",
        old="—",
        new="Security officer",
        row=f"Appointment #{appointment.pk}",
    )
    assert str(shown["Order number"]) == (
        f"Appointment #{appointment.pk} · Order number: — → 15-к"
    )


def test_a_masked_value_stays_masked_in_the_report(teacher):
    event = record(
        actor=teacher,
        action=AuditAction.PERSONAL_DATA_CHANGE,
        target=teacher,
        details={"old": {"pin": "12345"}, "new": {"pin": "54321"}},
    )

    assert [str(change) for change in changes(event)] == [f"Pin: {MASK} → {MASK}"]


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_the_exports_carry_the_label_and_the_changes_in_the_readers_language(
    client, settings, director, corrected, language
):
    client.force_login(director)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    query = {"action": AuditAction.CORRECT}
    with translation.override(language):
        label = str(AuditAction.CORRECT.label)
        sheets = capfirst(Document._meta.get_field("sheets").verbose_name)

    csv_text = b"".join(
        client.get(reverse("audit:export_csv"), query).streaming_content
    ).decode("utf-8-sig")
    (_header, row) = list(csv.reader(io.StringIO(csv_text)))
    xlsx = client.get(reverse("audit:export_xlsx"), query).content
    (_header, cells) = list(
        load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True)
    )

    for line in (row, [str(cell or "") for cell in cells]):
        assert line[4] == label
        assert line[11] == f"{sheets}: 1 → 3"
        assert '"reason": "Typo"' in line[12]
