"""The journal, the copy log and open custody as CSV or XLSX.

Dates and times go in as dates and times: school_portal.spreadsheets writes
them as the school reads them (26.08.2022, 26.08.2022 14:05; real date cells
in XLSX).

Cells are made safe for spreadsheets by school_portal.spreadsheets (no
formulas, no control characters). Every export is recorded.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AuditAction
from audit.services import record
from school_portal import spreadsheets

FORMATS = {
    "csv": spreadsheets.CSV_CONTENT_TYPE,
    "xlsx": spreadsheets.XLSX_CONTENT_TYPE,
}


def journal_table(documents) -> tuple[list, list[list]]:
    header = [
        _("Number"),
        _("Date"),
        _("Journal"),
        _("Document kind"),
        _("Correspondent"),
        _("Their number"),
        _("Their date"),
        _("Summary"),
        _("Executor"),
        _("Case"),
        _("Grif"),
        _("Status"),
    ]
    rows = [
        [
            d.coded_number,
            d.registered_on,
            d.journal,
            d.document_class,
            d.correspondent,
            d.their_number,
            d.their_date,
            d.summary,
            d.executor or "",
            d.case.index if d.case_id else "",
            d.get_grif_display(),
            d.get_status_display(),
        ]
        for d in documents.select_related("case")
    ]
    return header, rows


def copy_table(copies) -> tuple[list, list[list]]:
    header = [
        _("Document"),
        _("Copy numbers"),
        _("Medium"),
        _("Made by"),
        _("Made"),
        _("Purpose"),
        _("Fate"),
    ]
    rows = [
        [
            c.document,
            c.copy_numbers,
            c.get_medium_display(),
            c.made_by,
            c.made_at,
            c.purpose,
            c.get_fate_display(),
        ]
        for c in copies
    ]
    return header, rows


def custody_table(custodies) -> tuple[list, list[list]]:
    header = [
        _("Document"),
        _("Holder"),
        _("Issued by"),
        _("Issued"),
        _("Due back"),
        _("Signed for"),
    ]
    rows = [
        [
            c.document,
            c.holder,
            c.issued_by,
            c.issued_at,
            c.due_at,
            c.received_at,
        ]
        for c in custodies
    ]
    return header, rows


def render(kind: str, *, header: list, rows: list[list], title: str) -> bytes:
    table = [header, *rows]
    if kind == "xlsx":
        return spreadsheets.xlsx_bytes(table, title=title)
    return spreadsheets.csv_bytes(table)


@transaction.atomic
def record_export(
    *,
    actor: User,
    action: AuditAction,
    what: str,
    count: int,
    filters: dict,
    kind: str = "",
) -> None:
    record(
        actor=actor,
        action=action,
        target_label=what,
        details={"what": what, "rows": count, "filters": filters, "format": kind},
    )
