"""Incoming № 11 and outgoing № 11 are told apart by the journal's code (issue 20)."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from documents import services
from documents.models import Journal


@pytest.mark.parametrize(
    ("language", "first_in", "first_out"),
    [("ky", "Кир-1", "Чыг-1"), ("ru", "Вх-1", "Исх-1")],
)
def test_the_journal_list_shows_each_number_with_its_journals_code(
    client, records_officer, register, language, first_in, first_out
):
    register(records_officer)
    register(records_officer, journal=Journal.objects.get(kind="outgoing", name=""))
    client.force_login(records_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get(reverse("documents:journal")).content.decode()

    assert first_in in page and first_out in page


def test_a_journals_own_code_wins_and_two_journals_cannot_share_one(records_officer):
    journal = services.add_journal(
        actor=records_officer, kind="other", name="Staff orders", code="ЖК"
    )
    assert journal.short_code == "ЖК"

    with pytest.raises(ValidationError) as refused:
        services.add_journal(
            actor=records_officer, kind="other", name="Other orders", code="жк"
        )
    assert "code" in refused.value.message_dict
    assert Journal.objects.filter(name="Other orders").count() == 0
