"""Tables that leave the portal as CSV or XLSX, safe to open in a spreadsheet.

A cell that starts with = + - @ (or a tab or a carriage return) would run as a
formula in a spreadsheet (OWASP "CSV injection"): it gets a leading single
quote. Control characters, which make Excel refuse a whole file, are dropped.
Numbers stay numbers.
"""

import csv
import io
from collections.abc import Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The byte-order mark makes spreadsheet programs read the CSV as UTF-8 (Cyrillic).
BOM = "\ufeff"


def safe_cell(value):
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_rows(rows: Iterable[Iterable]) -> Iterator[list]:
    for row in rows:
        yield [safe_cell(cell) for cell in row]


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """CSV line by line, for a StreamingHttpResponse."""
    writer = csv.writer(_Echo())
    yield BOM
    for row in safe_rows(rows):
        yield writer.writerow(row)


def csv_bytes(rows: Iterable[Iterable]) -> bytes:
    return "".join(csv_lines(rows)).encode("utf-8")


def xlsx_bytes(rows: Iterable[Iterable], *, title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for row in safe_rows(rows):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
