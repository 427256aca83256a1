"""A class list from CSV or XLSX: preview first, bad rows named, nothing half-saved."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from accounts.models import User

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
