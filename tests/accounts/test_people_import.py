"""A class list from CSV or XLSX: preview first, bad rows named, nothing half-saved."""

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from accounts.models import User
from tests import hostile_files as hostile
from tests.browser_forms import post_forms

CSV = (
    "Фамилиясы;Аты;Атасынын аты;Ролу;Класс;Логин\n"
    "Маматов;Бакыт;;окуучу;5а;\n"
    "Токтогулова;Нуриза;;окуучу;;\n"
    '=HYPERLINK("x");Бек;;окуучу;6Б;\n'
    "Сатыбалдиев;Эмир;;директор;6Б;\n"
    "Асанова;Гүлзат;Тилековна;ата-эне;;\n"
)


def upload(client, content: bytes, name="class.csv"):
    return client.post(
        reverse("people_import"), {"file": SimpleUploadedFile(name, content)}
    )


def test_the_preview_names_each_bad_row_and_saves_nothing(client, administrator):
    client.force_login(administrator)

    response = upload(client, CSV.encode())

    rows = response.context["rows"]
    assert [row.line for row in rows if row.ok] == [2, 6]
    problems = {row.line: row.errors for row in rows if not row.ok}
    assert set(problems) == {3, 4, 5}
    assert any("7А" in error for error in problems[3])
    assert rows[0].values["username"] == "bmamatov"
    assert rows[0].values["school_class"] == "5А"
    assert not User.objects.filter(username="bmamatov").exists()


def test_confirming_creates_the_good_rows_and_shows_passwords_once(
    client, administrator
):
    client.force_login(administrator)
    upload(client, CSV.encode())

    response = client.post(reverse("people_import_confirm"))

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    created = {person.username for person, _password in response.context["created"]}
    assert created == {"bmamatov", "gasanova"}
    again = client.post(reverse("people_import_confirm"))
    assert again.status_code == 302
    assert User.objects.filter(username__in=created).count() == 2


def test_an_xlsx_list_is_read_too(client, administrator):
    book = Workbook()
    sheet = book.active
    sheet.append(["last name", "first name", "role", "class", "login"])
    sheet.append(["Orozbaev", "Temir", "student", "9B", "torozbaev"])
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(administrator)

    response = upload(client, buffer.getvalue(), name="class.xlsx")

    (row,) = response.context["rows"]
    assert row.ok and row.values["username"] == "torozbaev"


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfe\x00garbage",
        b"PK\x03\x04not really a zip",
        b"",
        b"just,some,words\n1,2,3\n",
    ],
)
def test_a_hostile_or_broken_file_gives_a_clear_error(client, administrator, content):
    client.force_login(administrator)

    response = upload(client, content)

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert User.objects.count() == 1


def test_a_row_whose_login_is_taken_is_refused(client, administrator, teacher):
    client.force_login(administrator)

    response = upload(client, b"last name,first name,role,login\nA,B,staff,teacher\n")

    (row,) = response.context["rows"]
    assert not row.ok


# Hostile files (issue 17), through the page as a browser sends its form: each
# refused next to the field in bounded time, nobody created, never a 500.

GUARD_SECONDS = 10


def upload_through_the_page(client, content: bytes, name: str):
    page = client.get(reverse("people_import"))
    (form,) = [f for f in post_forms(page.content.decode()) if not f.action]
    started = time.monotonic()
    response = client.post(
        reverse("people_import"),
        {**dict(form.data()), "file": SimpleUploadedFile(name, content)},
    )
    return response, time.monotonic() - started


def _refused(response) -> str:
    assert response.status_code == 200
    (error,) = response.context["form"].errors["file"]
    assert response.context["rows"] is None
    assert User.objects.count() == 1  # the administrator alone
    return error


def _many_cells(count: int) -> bytes:
    cells = "".join(f'<c t="inlineStr"><is><t>{n}</t></is></c>' for n in range(count))
    return hostile.xlsx(
        [["a"]], **{hostile.SHEET: hostile.SHEET_XML % f'<row r="1">{cells}</row>'}
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            hostile.xlsx([["a"]], **{hostile.SHEET: hostile.BILLION_LAUGHS}),
            "This office file contains XML with a document type declaration",
        ),
        (
            hostile.xlsx([["a"]], **{hostile.SHEET: hostile.EXTERNAL_ENTITY}),
            "This office file contains XML with a document type declaration",
        ),
        (
            hostile.xlsx_whitespace_bomb(),
            "This file unpacks to far more data than its size (more than 8 MB)",
        ),
        (
            hostile.zip_with_bomb(
                {"[Content_Types].xml": "<Types/>"},
                bomb_name="xl/workbook.xml",
                size=hostile.GiB,
            ),
            "This file unpacks to far more data than its size",
        ),
        (
            _many_cells(80_000),
            "This spreadsheet holds far more than a list of this size needs",
        ),
        (
            hostile.xlsx([["a"]], **{"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}),
            "This document contains macros",
        ),
        (b"PK\x03\x04" + b"\0" * 100, "This office file is damaged"),
        (
            hostile.xlsx([["a"]], **{"xl/workbook.xml": "<workbook/>"}),
            "This is not a readable XLSX file.",
        ),
    ],
    ids=[
        "billion-laughs",
        "external-entity",
        "whitespace-bomb",
        "zip-bomb",
        "a-row-of-80000-cells",
        "macros",
        "not-a-zip",
        "a-workbook-openpyxl-trips-on",
    ],
)
def test_a_hostile_xlsx_class_list_is_refused_saying_why(
    client, administrator, content, message
):
    client.force_login(administrator)

    response, seconds = upload_through_the_page(client, content, "class.xlsx")

    assert _refused(response).startswith(message)
    assert seconds < GUARD_SECONDS


def test_a_class_list_sheet_claiming_a_million_columns_is_read_to_its_columns(
    client, administrator
):
    # The sheet says it spans A1:XFD1048576; only its cells are read.
    content = hostile.xlsx(
        [["last name", "first name", "role"], ["Orozbaev", "Temir", "staff"]],
        **{
            "xl/worksheets/sheet1.xml": hostile.SHEET_XML.replace(
                "<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>'
            )
            % (
                '<row r="1"><c r="A1" t="inlineStr"><is><t>last name</t></is></c>'
                '<c r="B1" t="inlineStr"><is><t>first name</t></is></c>'
                '<c r="C1" t="inlineStr"><is><t>role</t></is></c></row>'
                '<row r="2"><c r="A2" t="inlineStr"><is><t>Orozbaev</t></is></c>'
                '<c r="B2" t="inlineStr"><is><t>Temir</t></is></c>'
                '<c r="C2" t="inlineStr"><is><t>staff</t></is></c>'
                '<c r="XFD2" t="inlineStr"><is><t>far</t></is></c></row>'
            )
        },
    )
    client.force_login(administrator)

    response, seconds = upload_through_the_page(client, content, "class.xlsx")

    (row,) = response.context["rows"]
    assert row.ok and row.values["last_name"] == "Orozbaev"
    assert seconds < GUARD_SECONDS


def test_a_class_list_of_2000_rows_is_read_quickly(client, administrator):
    rows = [["last name", "first name", "role", "class"]] + [
        [f"Маматов{chr(1072 + n % 30)}", "Бакыт", "окуучу", "7А"] for n in range(2000)
    ]
    client.force_login(administrator)

    response, seconds = upload_through_the_page(
        client, hostile.xlsx(rows), "class.xlsx"
    )

    assert len(response.context["rows"]) == 2000
    assert seconds < GUARD_SECONDS


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"last name,first name,role\n" + b"A" * 200_000 + b",B,staff\n",
            "This is not a readable CSV file.",
        ),
        (b"last name,first name,role\n" + b"\n" * 1_000_000, "At most 2000 rows"),
        (
            b"last name,first name,role\n" + b"A,B,staff\n" * 150_000,
            "At most 2000 rows",
        ),
    ],
    ids=["a-200-kb-cell", "a-million-empty-lines", "150000-rows"],
)
def test_a_hostile_csv_class_list_is_refused_saying_why(
    client, administrator, content, message
):
    client.force_login(administrator)

    response, seconds = upload_through_the_page(client, content, "class.csv")

    assert _refused(response).startswith(message)
    assert seconds < GUARD_SECONDS


def test_a_csv_row_of_a_million_columns_is_read_to_its_columns(client, administrator):
    content = b"last name,first name,role\nOrozbaev,Temir,staff" + b",x" * 900_000
    client.force_login(administrator)

    response, seconds = upload_through_the_page(client, content, "class.csv")

    (row,) = response.context["rows"]
    assert row.ok
    assert seconds < GUARD_SECONDS
