"""The copy stamp as staff read it: in the school's language, the person's name
as stored, school time in the school's format, the font in the file."""

import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from documents import stamp
from documents.models import Copy
from tests.documents.stamp_checks import (
    KY_MARK,
    RU_MARK,
    assert_stamp_font_embedded,
    ky_copy,
)


@pytest.fixture
def gulnara(records_officer):
    records_officer.last_name = "Жумабаева"
    records_officer.first_name = "Гүлнара"
    records_officer.save()
    return records_officer


def _copy_through_the_page(client, person, attachment):
    client.force_login(person)
    url = reverse("documents:attachment_copy", args=[attachment.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"purpose": "Кеңешме"})
    assert response.status_code == 200, response.content[:300]
    return response.content


@pytest.mark.parametrize("screen_language", ["ky", "ru", "en"])
def test_the_stamp_is_in_kyrgyz_whatever_language_the_person_reads(
    client, settings, official, gulnara, pdf_upload, screen_language
):
    settings.LANGUAGE_CODE = "ky"
    attachment = official(uploads=[pdf_upload]).attachments.get()
    # The person's own choice on screen, as the language switcher sets it.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = screen_language

    data = _copy_through_the_page(client, gulnara, attachment)

    copy = Copy.objects.get()
    made = timezone.localtime(copy.made_at)
    number = attachment.document.number
    for page in PdfReader(io.BytesIO(data)).pages:
        text = page.extract_text()
        assert f"КӨЧҮРМӨ № 1 / {number} — {KY_MARK}" in text
        assert ky_copy(1) in text
        assert "Жумабаева Гүлнара (records)" in text
        assert made.strftime("%d.%m.%Y %H:%M") in text
        assert "COPY" not in text and "UTC" not in text and "+06" not in text
    assert_stamp_font_embedded(data)


def test_a_school_that_works_in_russian_gets_a_russian_stamp(
    client, settings, official, gulnara, pdf_upload
):
    settings.LANGUAGE_CODE = "ru"
    attachment = official(uploads=[pdf_upload]).attachments.get()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ky"

    data = _copy_through_the_page(client, gulnara, attachment)

    number = attachment.document.number
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert f"КОПИЯ № 1 / {number} — {RU_MARK}" in text
    assert "Жумабаева Гүлнара" in text
    assert_stamp_font_embedded(data)


def test_the_stamp_time_is_school_time(settings, gulnara):
    settings.LANGUAGE_CODE = "ky"
    # 21:30 UTC on 31 December is already 1 January in Bishkek (UTC+6).
    at = datetime(2025, 12, 31, 21, 30, tzinfo=UTC)

    lines = stamp.copy_lines(copy_number=3, document_number="7", person=gulnara, at=at)

    assert lines == [
        "КӨЧҮРМӨ № 3 / 7 — КЫЗМАТТЫК КОЛДОНУУ ҮЧҮН",
        "Жумабаева Гүлнара (records)",
        "01.01.2026 03:30",
    ]


@pytest.mark.parametrize(
    "last_name",
    ["", "Ы" * 150, "汉字 😀", "Ро\x07в\x1bа ) ( \\ (x"],
    ids=["no-name", "very-long", "no-glyph", "control-and-brackets"],
)
def test_whatever_the_name_holds_the_copy_is_stamped(
    client, settings, official, gulnara, pdf_upload, last_name
):
    settings.LANGUAGE_CODE = "ky"
    gulnara.last_name = last_name
    gulnara.save()
    attachment = official(uploads=[pdf_upload]).attachments.get()

    data = _copy_through_the_page(client, gulnara, attachment)

    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert KY_MARK in text and "(records)" in text
    assert Copy.objects.count() == 1
