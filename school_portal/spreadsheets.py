"""Tables that leave the portal as CSV or XLSX, safe to open in a spreadsheet,
and XLSX that comes in (read_xlsx), read within bounds.

A cell that starts with = + - @ (or a tab or a carriage return) would run as a
formula in a spreadsheet (OWASP "CSV injection"): it gets a leading single
quote. Control characters, which make Excel refuse a whole file, are dropped.
Numbers stay numbers.

Dates and times stay dates: in XLSX a real date cell (sortable, filterable),
shown as 26.08.2022 and 26.08.2022 14:05 (school time; :05 seconds where the
table asks for them, as the audit trail does); in CSV the same text, which a
spreadsheet set to Kyrgyz or Russian reads back as a date. ISO (2022-08-26)
would be read as text by those spreadsheets, and it is not what the school
writes on paper.
"""

import csv
import io
import logging
import time
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from school_portal import office_files

logger = logging.getLogger(__name__)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The byte-order mark makes spreadsheet programs read the CSV as UTF-8 (Cyrillic).
BOM = "\ufeff"


CSV_DATE, CSV_MINUTE, CSV_SECOND = "%d.%m.%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S"
XLSX_DATE, XLSX_MINUTE, XLSX_SECOND = (
    "DD.MM.YYYY",
    "DD.MM.YYYY HH:MM",
    "DD.MM.YYYY HH:MM:SS",
)


def _school_time(value: datetime) -> datetime:
    """Naive school time: what a spreadsheet cell can hold."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None, microsecond=0)


def safe_cell(value):
    if isinstance(value, int | float | date) and not isinstance(value, bool):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_rows(rows: Iterable[Iterable]) -> Iterator[list]:
    for row in rows:
        yield [safe_cell(cell) for cell in row]


def _csv_cell(value, *, seconds: bool):
    if isinstance(value, datetime):
        return _school_time(value).strftime(CSV_SECOND if seconds else CSV_MINUTE)
    if isinstance(value, date):
        return value.strftime(CSV_DATE)
    return value


def _xlsx_cell(sheet, value, *, seconds: bool):
    if not isinstance(value, date):
        return value
    cell = WriteOnlyCell(sheet)
    if isinstance(value, datetime):
        cell.value = _school_time(value)
        cell.number_format = XLSX_SECOND if seconds else XLSX_MINUTE
    else:
        cell.value = value
        cell.number_format = XLSX_DATE
    return cell


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows: Iterable[Iterable], *, seconds: bool = False) -> Iterator[str]:
    """CSV line by line, for a StreamingHttpResponse."""
    writer = csv.writer(_Echo())
    yield BOM
    for row in safe_rows(rows):
        yield writer.writerow([_csv_cell(cell, seconds=seconds) for cell in row])


def csv_bytes(rows: Iterable[Iterable], *, seconds: bool = False) -> bytes:
    return "".join(csv_lines(rows, seconds=seconds)).encode("utf-8")


def xlsx_bytes(rows: Iterable[Iterable], *, title: str, seconds: bool = False) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for row in safe_rows(rows):
        sheet.append([_xlsx_cell(sheet, cell, seconds=seconds) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Reading an XLSX that someone uploaded. openpyxl spends its time on XML
# elements (some microseconds each, shared strings and styles included, all
# read before the first row): their number is bounded before it starts.
READ_MAX_UNPACKED = 8 * 1024 * 1024
READ_MAX_TAGS = 400_000
READ_MAX_SECONDS = 5
UNREADABLE = _("This is not a readable XLSX file.")
TOO_LARGE = _(
    "This spreadsheet holds far more than a list of this size needs. Copy only "
    "the list into a new file and upload that."
)


class Unreadable(ValueError):
    """The XLSX can't be read; str() says why, for the person."""


def read_xlsx(content: bytes, *, max_rows: int, max_columns: int) -> list[list]:
    """The first ``max_rows`` rows of the first sheet, ``max_columns`` cells
    each, as values. The file is checked first (school_portal.office_files:
    no zip bomb, macros or DTD; at most READ_MAX_UNPACKED bytes and
    READ_MAX_TAGS tags of XML), then read by openpyxl in read-only mode, which
    parses its XML with defusedxml."""
    try:
        tags = office_files.check(content, max_unpacked=READ_MAX_UNPACKED)
    except office_files.Refused as error:
        raise Unreadable(str(error)) from None
    if tags > READ_MAX_TAGS:
        raise Unreadable(TOO_LARGE)
    ends = time.monotonic() + READ_MAX_SECONDS
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            table = []
            for row in sheet.iter_rows(
                max_row=max_rows, max_col=max_columns, values_only=True
            ):
                table.append(list(row))
                if time.monotonic() > ends:
                    raise Unreadable(TOO_LARGE)
        finally:
            book.close()
    except Unreadable:
        raise
    # Whatever openpyxl trips on in someone's upload (a part missing, a value
    # of the wrong type) is a file that can't be read, never a server error.
    except Exception as error:
        logger.info("XLSX refused: %s: %s", type(error).__name__, error)
        raise Unreadable(UNREADABLE) from None
    return table
