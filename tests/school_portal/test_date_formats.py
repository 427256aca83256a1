"""The school's date formats (school_portal/formats): the forms themselves.
Where they are used: tests/personal/test_copy_dates.py (the personal-data
copy), tests/audit/test_dates.py (audit pages and export),
tests/documents/test_exports.py (the journal export), the certificate in
tests/personal/test_services_requests.py and the stamp in
tests/documents/test_stamp.py."""

import re
from datetime import date, datetime

import pytest
from django.utils import formats, translation

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
KY_MONTHS = [
    "январы",
    "февралы",
    "марты",
    "апрели",
    "майы",
    "июну",
    "июлу",
    "августу",
    "сентябры",
    "октябры",
    "ноябры",
    "декабры",
]


@pytest.mark.parametrize("month", range(1, 13))
def test_a_kyrgyz_long_date_is_the_official_form_with_a_lower_case_month(month):
    with translation.override("ky"):
        shown = formats.date_format(date(2022, month, 26))

    assert shown == f"2022-жылдын 26-{KY_MONTHS[month - 1]}"


@pytest.mark.parametrize(
    ("language", "long", "moment"),
    [
        ("ky", "2022-жылдын 26-августу", "2022-жылдын 26-августу, 08:05"),
        ("ru", "26 августа 2022 г.", "26 августа 2022 г., 08:05"),
        ("en", "26 August 2022", "26 August 2022, 08:05"),
    ],
)
def test_each_language_has_its_long_form_and_one_short_form(language, long, moment):
    day, at = date(2022, 8, 26), datetime(2022, 8, 26, 8, 5)

    with translation.override(language):
        assert formats.date_format(day) == long
        assert formats.date_format(at, "DATETIME_FORMAT") == moment
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "26.08.2022"
        assert formats.date_format(at, "SHORT_DATETIME_FORMAT") == "26.08.2022 08:05"
