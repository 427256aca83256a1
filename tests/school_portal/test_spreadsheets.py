"""Every CSV and XLSX the portal gives out is safe to open in a spreadsheet."""

import io

import pytest
from openpyxl import load_workbook

from school_portal import spreadsheets

HOSTILE = ["=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(A1)", "\tx", "\rx", "ok\x01"]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_cell_is_never_a_formula(value):
    cell = spreadsheets.safe_cell(value)

    assert not cell.startswith(spreadsheets.FORMULA_STARTS)
    assert "\x01" not in cell


def test_numbers_stay_numbers_and_none_is_empty():
    assert spreadsheets.safe_cell(42) == 42
    assert spreadsheets.safe_cell(None) == ""
    assert spreadsheets.safe_cell(True) == "True"


def test_csv_has_a_bom_for_cyrillic_and_safe_cells():
    content = spreadsheets.csv_bytes([["Аты", "Сумма"], ["=1+1", 3]]).decode()

    assert content.startswith("\ufeff")
    assert "'=1+1" in content


def test_an_xlsx_with_a_control_character_still_opens():
    content = spreadsheets.xlsx_bytes([["a\x02b", "=x"]], title="Т" * 40)

    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert [cell.value for cell in next(sheet.iter_rows())] == ["ab", "'=x"]
