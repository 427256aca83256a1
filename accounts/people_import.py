"""Reading a class list (CSV or XLSX) into rows to preview. Nothing is saved here.

Columns, by header (English, Kyrgyz or Russian): last name, first name,
patronymic, role (student, parent or staff), class, login. A blank login is made
from the name. Each bad row is named with its reason; the administrator
confirms the good rows in accounts.services.people_import_confirm.
"""

import csv
import io
import itertools
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from school_portal import spreadsheets

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
# The columns a list has (HEADERS) with room for a few more; the rest of a
# row is not read.
MAX_COLUMNS = 30

HEADERS = {
    "last_name": {"last_name", "last name", "surname", "фамилиясы", "фамилия"},
    "first_name": {"first_name", "first name", "name", "аты", "имя"},
    "middle_name": {"middle_name", "patronymic", "атасынын аты", "отчество"},
    "role": {"role", "ролу", "роль"},
    "school_class": {"class", "school_class", "класс"},
    "username": {"username", "login", "логин"},
}
ROLE_WORDS = {
    Role.STUDENT: {"student", "окуучу", "ученик", "учащийся"},
    Role.PARENT: {"parent", "ата-эне", "родитель"},
    Role.STAFF: {"staff", "teacher", "кызматкер", "мугалим", "сотрудник", "учитель"},
}
NAME = re.compile(r"^[^\W\d_]+(?:[ '’.-][^\W\d_]+)*\.?$")
SCHOOL_CLASS = re.compile(r"^(?:[1-9]|1[01])[A-ZА-ЯЁӨҮҢ]?$")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,29}$")
TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнңоөпрстуүфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "i",
            "k",
            "l",
            "m",
            "n",
            "ng",
            "o",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "sh",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)


@dataclass
class ImportRow:
    line: int
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def role_label(self) -> str:
        role = self.values.get("role")
        return Role(role).label if role else ""


def read_rows(uploaded) -> list[ImportRow]:
    """Parse and check every row of an uploaded CSV or XLSX class list."""
    if uploaded.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 2 MB."))
    content = uploaded.read()
    table = _xlsx(content) if content.startswith(b"PK") else _csv(content)
    if not table:
        raise ValidationError(_("The file is empty."))
    columns = _columns(table[0])
    body = table[1:]
    if len(body) > MAX_ROWS:
        raise ValidationError(_("At most 2000 rows at a time."))
    rows = []
    taken = set(
        User.objects.filter(username__in=_planned_usernames(body, columns)).values_list(
            "username", flat=True
        )
    )
    for number, cells in enumerate(body, start=2):
        if not any(str(cell or "").strip() for cell in cells):
            continue
        rows.append(_check(number, cells, columns, taken))
    return rows


def _xlsx(content: bytes) -> list[list]:
    """The header and at most MAX_ROWS + 1 rows (one more tells that there are
    too many), read within bounds: school_portal.spreadsheets.read_xlsx."""
    try:
        return spreadsheets.read_xlsx(
            content, max_rows=MAX_ROWS + 2, max_columns=MAX_COLUMNS
        )
    except spreadsheets.Unreadable as error:
        raise ValidationError(str(error)) from None


def _csv(content: bytes) -> list[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("Save the CSV file in UTF-8 encoding.")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return [row[:MAX_COLUMNS] for row in itertools.islice(reader, MAX_ROWS + 2)]
    except csv.Error:
        # A cell longer than csv's own limit (128 KB), or a NUL byte.
        raise ValidationError(_("This is not a readable CSV file.")) from None


def _columns(header: list) -> dict[str, int]:
    columns = {}
    for index, title in enumerate(header):
        word = str(title or "").strip().lower()
        for key, words in HEADERS.items():
            if word in words:
                columns[key] = index
    missing = [key for key in ("last_name", "first_name", "role") if key not in columns]
    if missing:
        raise ValidationError(
            _(
                "The first row must name the columns: "
                "last name, first name, role, class."
            )
        )
    return columns


def _cell(cells: list, columns: dict, key: str) -> str:
    index = columns.get(key)
    if index is None or index >= len(cells) or cells[index] is None:
        return ""
    return str(cells[index]).strip()


def _planned_usernames(body, columns) -> set[str]:
    return {_cell(cells, columns, "username").lower() for cells in body} - {""}


def _role(word: str) -> Role | None:
    for role, words in ROLE_WORDS.items():
        if word.lower() in words:
            return role
    return None


# Classes are lettered in Cyrillic (7А, 8Б); a Latin look-alike typed by
# mistake would make a second "7A" class, so it is mapped to its Cyrillic twin.
HOMOGLYPHS = str.maketrans("ABCEHKMOPTX", "АВСЕНКМОРТХ")


def normalize_class(value: str) -> str:
    return value.upper().replace(" ", "").replace("-", "").translate(HOMOGLYPHS)


def suggested_username(last_name: str, first_name: str) -> str:
    latin = "".join(
        TRANSLIT.get(ch, ch) for ch in f"{first_name[:1]}{last_name}".lower()
    )
    return re.sub(r"[^a-z0-9]", "", latin)[:24] or "person"


def _check(number: int, cells: list, columns: dict, taken: set[str]) -> ImportRow:
    row = ImportRow(line=number)
    values = {key: _cell(cells, columns, key) for key in HEADERS}
    for key, label in (("last_name", _("last name")), ("first_name", _("first name"))):
        if not values[key]:
            row.errors.append(_("%(column)s is empty") % {"column": label})
        elif len(values[key]) > 150 or not NAME.match(values[key]):
            row.errors.append(
                _("%(column)s has characters a name can't have") % {"column": label}
            )
    if values["middle_name"] and not NAME.match(values["middle_name"]):
        row.errors.append(_("the patronymic has characters a name can't have"))
    role = _role(values["role"])
    if role is None:
        row.errors.append(_("the role must be student, parent or staff"))
    school_class = normalize_class(values["school_class"])
    if role == Role.STUDENT and not SCHOOL_CLASS.match(school_class):
        row.errors.append(_("a student needs a class such as 7А"))
    username = values["username"].lower()
    if username:
        if not USERNAME.match(username):
            row.errors.append(_("the login may have only latin letters, digits, . _ -"))
    elif not row.errors:
        base = suggested_username(values["last_name"], values["first_name"])
        username, suffix = base, 1
        while username in taken or User.objects.filter(username=username).exists():
            suffix += 1
            username = f"{base}{suffix}"
    if username in taken:
        row.errors.append(_("the login %(username)s is taken") % {"username": username})
    taken.add(username)
    row.values = {
        "username": username,
        "last_name": values["last_name"],
        "first_name": values["first_name"],
        "middle_name": values["middle_name"],
        "role": role.value if role else "",
        "school_class": school_class if role == Role.STUDENT else "",
    }
    return row
