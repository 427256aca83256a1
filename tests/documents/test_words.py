"""The registry's pages in the office's words (docs/terminology.md).

A document's kind is not a school class, its status "Destroyed" is not the
action of destroying, the open grif is not an open incident, a corrected field
is named as the form names it, and a file's size is in bytes, not "бит".
"""

import re

import pytest
from django.conf import settings
from django.utils import translation

from accounts.models import IncidentStatus
from audit.models import AuditAction
from documents import services
from documents.models import CopyFate, DocumentStatus, Grif
from documents.templatetags.file_sizes import file_size

pytestmark = pytest.mark.django_db


def page_text(client, path: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_destroyed_as_a_status_an_action_and_a_fate_are_three_words():
    with translation.override("ky"):
        assert str(DocumentStatus.DESTROYED.label) == "Жок кылынган"
        assert str(AuditAction.DESTROY.label) == "Жок кылынды"
        assert str(CopyFate.DESTROYED.label) == "Жок кылынган"
    with translation.override("ru"):
        assert str(DocumentStatus.DESTROYED.label) == "Уничтожен"
        assert str(CopyFate.DESTROYED.label) == "Уничтожена"


def test_the_open_grif_is_not_an_open_incident():
    with translation.override("ru"):
        assert str(Grif.OPEN.label) == "Открытый"
        assert str(IncidentStatus.OPEN.label) == "Открыт"
    with translation.override("ky"):
        assert str(Grif.OPEN.label) == "Ачык"


@pytest.mark.parametrize(
    ("language", "kind", "destroyed", "open_grif"),
    [
        ("ky", "Документтин түрү", "Жок кылынган", "Ачык"),
        ("ru", "Вид документа", "Уничтожен", "Открытый"),
    ],
)
def test_the_journal_filter_offers_the_office_s_words(
    client, records_officer, language, kind, destroyed, open_grif
):
    client.force_login(records_officer)

    html = page_text(client, "/documents/", language)

    assert f'<label for="id_document_class">{kind}</label>' in html
    assert f'<option value="destroyed">{destroyed}</option>' in html
    assert f'<option value="open">{open_grif}</option>' in html


@pytest.mark.parametrize(
    ("language", "words", "size"),
    [
        (
            "ky",
            ["Документтин түрү", "Кыскача мазмуну", "Корреспонденттин номери"],
            r"\d+ байт",
        ),
        (
            "ru",
            ["Вид документа", "Краткое содержание", "№ документа корреспондента"],
            r"\d+ байт",
        ),
    ],
)
def test_the_document_page_names_fields_and_sizes_in_the_reader_s_words(
    client, register, records_officer, pdf_upload, language, words, size
):
    document = register(records_officer, their_number="12")
    services.add_attachment(actor=records_officer, document=document, upload=pdf_upload)
    services.correct_document(
        actor=records_officer,
        document=document,
        changes={"summary": "Окуу жылы жөнүндө", "their_number": "12-б"},
        reason="Ката",
    )
    client.force_login(records_officer)

    text = text_of(page_text(client, f"/documents/{document.pk}/", language))

    for word in words:
        assert word in text
    # The corrections table names the fields, not their code.
    assert "summary" not in text
    assert "their_number" not in text
    assert re.search(size, text), text
    assert "бит" not in text


def test_file_sizes_in_kyrgyz_and_russian():
    with translation.override("ky"):
        assert file_size(394) == "394\xa0байт"
        # The decimal separator is the locale format's (FORMAT_MODULE_PATH).
        assert re.fullmatch("12[.,]5\xa0КБ", file_size(12_800))
        assert re.fullmatch("3[.,]0\xa0МБ", file_size(3 * 1024 * 1024))
    with translation.override("ru"):
        assert file_size(1) == "1\xa0байт"
        assert file_size(394) == "394\xa0байта"
        assert file_size(395) == "395\xa0байт"
    assert file_size("not a size") == ""
