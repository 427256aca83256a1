"""Office files from outside (issue 17): school_portal.office_files refuses
bombs, macros, remote templates and DTDs; spreadsheets.read_xlsx reads an
uploaded XLSX within bounds. The upload pages that use them are tested in
tests/documents/test_hostile_files.py and tests/accounts/test_people_import.py.
"""

import io
import time
import zipfile

import pytest

from school_portal import office_files, spreadsheets
from tests import hostile_files as hostile


def _refusal(data: bytes, **kwargs) -> str:
    with pytest.raises(office_files.Refused) as refused:
        office_files.check(data, **kwargs)
    return str(refused.value)


def test_an_ordinary_document_passes_and_its_xml_tags_are_counted():
    tags = office_files.check(hostile.docx())

    assert tags > 0


def test_a_bomb_is_refused_by_its_directory_before_anything_is_unpacked(
    monkeypatch,
):
    data = hostile.docx_bomb(hostile.GiB)

    def unpacked(*args, **kwargs):
        raise AssertionError("a part was unpacked")

    monkeypatch.setattr(zipfile.ZipFile, "open", unpacked)
    message = _refusal(data)

    assert message.startswith("This file unpacks to far more data than its size")


def test_a_bomb_whose_directory_understates_it_is_caught_unpacking():
    # zipfile stops at the size the directory gives; the checksum then fails.
    message = _refusal(hostile.docx_bomb(hostile.GiB, declared=100_000))

    assert message.startswith("This office file is damaged")


def test_a_part_packed_far_tighter_than_any_document_is_a_bomb():
    # 150 MB fits the total; 150 MB of zeros in 150 KB does not fit the ratio.
    data = hostile.docx_bomb(150 * hostile.MiB)

    assert _refusal(data).startswith("This file unpacks to far more data")


def test_the_caller_chooses_the_total():
    data = hostile.docx({"word/media/image1.png": bytes(3 * hostile.MiB)})

    assert _refusal(data, max_unpacked=2 * hostile.MiB).startswith(
        "This file unpacks to far more data than its size (more than 2 MB)"
    )


def test_two_parts_of_one_name_are_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in hostile.DOCX_PARTS.items():
            archive.writestr(name, content)
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr("word/document.xml", "<x/>")

    assert _refusal(out.getvalue()).startswith("This office file is damaged")


def test_a_macro_enabled_content_type_is_refused():
    types = hostile.DOCX_PARTS["[Content_Types].xml"].replace(
        "/>",
        '><Override PartName="/word/document.xml" ContentType="application/'
        'vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
    )
    data = hostile.docx({"[Content_Types].xml": types})

    assert _refusal(data).startswith("This document contains macros")


def test_an_excel_4_macro_sheet_is_refused():
    data = hostile.xlsx([["a"]], **{"xl/macrosheets/sheet1.xml": "<xm:macrosheet/>"})

    assert _refusal(data).startswith("This document contains macros")


def test_a_remote_template_is_refused_and_a_web_link_is_not():
    remote = hostile.docx({"word/_rels/settings.xml.rels": hostile.REMOTE_TEMPLATE})
    link = hostile.docx({"word/_rels/document.xml.rels": hostile.WEB_LINK})

    assert _refusal(remote).startswith("This document loads a template")
    office_files.check(link)


def test_xml_is_read_only_up_to_its_root():
    # A DTD can only come before the root element: what follows is not parsed.
    rows = "".join(f'<row r="{n}"/>' for n in range(1, 200_000))
    started = time.monotonic()

    office_files.check(
        hostile.xlsx([["a"]], **{hostile.SHEET: hostile.SHEET_XML % rows})
    )

    assert time.monotonic() - started < 2


def test_a_legacy_word_file_with_a_vba_project_is_refused():
    with pytest.raises(office_files.Refused, match="macros"):
        office_files.check_legacy(hostile.DOC_WITH_MACROS)

    office_files.check_legacy(hostile.OLE_HEADER + bytes(600))


def test_a_directory_of_more_parts_than_allowed_is_refused_before_it_is_read():
    data = hostile.docx(
        {f"word/media/image{n}.png": b"" for n in range(office_files.MAX_PARTS)}
    )

    with pytest.raises(office_files.Refused, match="more than 5000 parts"):
        office_files.open_zip(data)


def test_not_a_zip_is_no_archive():
    assert office_files.open_zip(b"%PDF-1.7 not a zip") is None


# Reading an uploaded XLSX.


def test_read_xlsx_gives_at_most_the_rows_and_columns_asked_for():
    rows = [[f"r{r}c{c}" for c in range(40)] for r in range(50)]

    table = spreadsheets.read_xlsx(hostile.xlsx(rows), max_rows=10, max_columns=5)

    assert len(table) == 10
    assert table[9] == [f"r9c{c}" for c in range(5)]


def test_read_xlsx_refuses_more_xml_than_a_list_needs():
    cells = "".join(
        f'<c t="inlineStr"><is><t>{n}</t></is></c>'
        for n in range(spreadsheets.READ_MAX_TAGS // 6 + 1)
    )
    data = hostile.xlsx(
        [["a"]], **{hostile.SHEET: hostile.SHEET_XML % f'<row r="1">{cells}</row>'}
    )

    with pytest.raises(spreadsheets.Unreadable, match="far more than a list"):
        spreadsheets.read_xlsx(data, max_rows=10, max_columns=5)


def test_read_xlsx_turns_whatever_openpyxl_trips_on_into_a_refusal():
    data = hostile.xlsx([["a"]], **{"xl/workbook.xml": "<workbook/>"})

    with pytest.raises(spreadsheets.Unreadable, match="not a readable XLSX"):
        spreadsheets.read_xlsx(data, max_rows=10, max_columns=5)
