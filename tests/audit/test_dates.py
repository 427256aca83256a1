"""Audit pages and exports write dates as the rest of the portal does."""

import csv
import io
import re
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.school_portal.test_date_formats import ISO_DATE


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_audit_report_writes_dates_as_the_rest_of_the_portal(
    client, settings, director, language
):
    settings.LANGUAGE_CODE = language
    client.force_login(director)

    for name in ("audit:report", "audit:print"):
        html = client.get(reverse(name)).content.decode()
        visible = re.sub(r'datetime="[^"]*"', "", html)

        assert timezone.localdate().strftime("%d.%m.%Y") in visible, name
        assert not ISO_DATE.search(visible), (name, ISO_DATE.search(visible))


def _csv(response) -> list[list[str]]:
    body = b"".join(
        response.streaming_content if response.streaming else [response.content]
    )
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_audit_export_keeps_seconds_in_school_time(client, director):
    client.force_login(director)
    client.get(reverse("audit:report"))  # an event to export

    rows = _csv(client.get(reverse("audit:export_csv")))
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("audit:export_xlsx")).content)
    ).active

    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d", rows[1][1])
    cell = list(sheet.iter_rows())[1][1]
    assert isinstance(cell.value, datetime)
    assert cell.number_format == "DD.MM.YYYY HH:MM:SS"
