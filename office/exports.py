"""The register of protected resources as CSV or XLSX, for paper and for the office.

Cells are made safe for spreadsheets by school_portal.spreadsheets (no
formulas, no control characters). Every export is recorded in the audit trail.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from audit.models import AuditAction
from audit.services import record
from office import selectors
from school_portal import spreadsheets

FORMATS = {
    "csv": spreadsheets.CSV_CONTENT_TYPE,
    "xlsx": spreadsheets.XLSX_CONTENT_TYPE,
}


def _rows() -> tuple[list[str], list[list[str]]]:
    header = [
        _("Name"),
        _("Kind"),
        _("Responsible person"),
        _("Where it is"),
        _("Data held"),
        _("Protection measures"),
        _("Who has access"),
        _("Last review"),
        _("Next review"),
        _("Approved"),
    ]
    rows = [
        [
            resource.name,
            resource.get_kind_display(),
            resource.responsible,
            resource.location,
            ", ".join(resource.data_held),
            resource.protection_measures,
            resource.access_holders,
            resource.last_review_on or "",
            resource.next_review_on,
            timezone.localtime(resource.approved_at).date()
            if resource.approved_at
            else "",
        ]
        for resource in selectors.resources()
    ]
    return header, rows


def resources_export(*, actor: User, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name); the export itself is recorded."""
    access.require(actor, "office.view_office")
    header, rows = _rows()
    if fmt == "csv":
        content = spreadsheets.csv_bytes([header, *rows])
    elif fmt == "xlsx":
        content = spreadsheets.xlsx_bytes(
            [header, *rows], title=_("Protected resources")
        )
    else:
        raise ValueError(fmt)
    record(
        actor=actor,
        action=AuditAction.EXPORT,
        target_label="register of protected resources",
        details={"format": fmt, "rows": len(rows)},
    )
    filename = f"protected-resources-{timezone.localdate().isoformat()}.{fmt}"
    return content, FORMATS[fmt], filename
